"""Journey: the first session after launch, with speech started only when it is needed.

Loosen opens on the library with no speech engine and no sound back-end loaded: they
cost the first sight of the window time and memory. Start opens the player, which
starts the engine; the first cue is still heard at its moment, and the next ones too.
"""

from __future__ import annotations

import shutil
import sys
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import Qt

from loosen.speech.beeps import Beep, beep_file
from loosen.speech.player import ClipSpeaker
from loosen.ui.player_view import PlayerView
from player_journey import answer_stop_question, back_to_window, click, click_routine, play


class NamedClips:
    """An engine that has every clip at once, one file per cue (a tone stands in)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.texts: list[str] = []

    def prerender(self, texts) -> None:
        pass

    def request(self, text: str) -> Future[Path]:
        if text not in self.texts:
            self.texts.append(text)
        clip = self.folder / f"clip-{self.texts.index(text)}.wav"
        if not clip.exists():
            shutil.copy(beep_file(Beep.REST, self.folder), clip)
        future: Future[Path] = Future()
        future.set_result(clip)
        return future


def test_the_engine_starts_with_the_first_session_and_its_first_cue_is_heard(
    qtbot, open_window, clock, tmp_path, monkeypatch
):
    log = tmp_path / "played.txt"
    clips = NamedClips(tmp_path / "clips")
    engine_starts: list[NamedClips] = []

    def start_engine() -> None:
        engine_starts.append(clips)
        speaker.attach(clips)

    speaker = ClipSpeaker(
        None,
        tmp_path / "beeps",
        audio_available=False,  # the command-line player stands in for the sound card
        fallback_command=[
            sys.executable,
            "-c",
            f"import sys; open({str(log)!r}, 'a').write(sys.argv[1] + '\\n')",
        ],
        start_engine=start_engine,
    )
    window = open_window(speaker)
    assert engine_starts == []  # the library is all there is to see: nothing of speech
    click_routine(qtbot, window, "Squat and fold")
    click(qtbot, window.library_view.start_button)

    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    assert engine_starts == [clips]  # the player asked for its cues: the engine started
    cues = player.session.plan.cues
    assert cues[0].at_s == 0

    def heard() -> list[str]:
        lines = log.read_text().splitlines() if log.exists() else []
        return [clips.texts[int(Path(line).stem.split("-")[1])] for line in lines]

    qtbot.waitUntil(lambda: heard() == [cues[0].text])  # at its moment, not dropped
    play(player, clock, cues[1].at_s)
    qtbot.waitUntil(lambda: heard() == [cues[0].text, cues[1].text])
    assert engine_starts == [clips]  # once
    window.close()  # mid-way: asked, stopped, the rating skipped; the window goes
    answer_stop_question(qtbot, player, "Yes")
    qtbot.waitUntil(player.after_row.isVisible)  # a one-minute break: one key, in the player
    back_to_window(qtbot, window)
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert heard() == [cues[0].text, cues[1].text]  # and nothing more is said
