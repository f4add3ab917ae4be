"""When the voice fails — no engine, an engine that raises or hangs mid-session, no sound
output — the session keeps its time to the millisecond and the user is told once.

The clips go to a stand-in command-line player (the fallback path) that writes down
what it was given, so these tests hear exactly what would have been played.
"""

from __future__ import annotations

import sys
from concurrent.futures import Future
from functools import partial
from pathlib import Path

import pytest
from fake_engines import FakeEngine, ReadyClips

from loosen.core.clock import FakeClock
from loosen.core.session import Session, State
from loosen.speech.beeps import Beep
from loosen.speech.player import NO_AUDIO_DEVICE, ClipSpeaker
from loosen.speech.synth import ClipSynthesizer
from loosen.ui.player_view import PlayerView

from helpers import RecordingSpeaker, routine, step

WAIT_MS = 15_000  # a spawned worker on a loaded machine, plus a hang's timeout

HOLDS = routine(
    step("Hip flexor lunge stretch", duration_s=40.0, sides=True, rest_s=10.0),
    step("Glute bridge", duration_s=30.0),
    get_ready_s=5.0,
)


def recording_player(log: Path, *, sleep_s: float = 0.0, exit_code: int = 0) -> list[str]:
    """A 'player' command that appends the file it is given to `log`."""
    code = (
        f"import sys, time; open({str(log)!r}, 'a').write(sys.argv[1] + '\\n'); "
        f"time.sleep({sleep_s}); sys.exit({exit_code})"
    )
    return [sys.executable, "-c", code]


def played(log: Path) -> list[str]:
    return [Path(line).name for line in log.read_text().splitlines()] if log.exists() else []


def run_through(qtbot, speaker, clock: FakeClock) -> list[tuple[float, str]]:
    """Play HOLDS to its end on the fake clock; every event with the time it came."""
    view = PlayerView(Session(HOLDS, clock), speaker)
    qtbot.addWidget(view)
    seen: list[tuple[float, str]] = []
    view.driver.events.connect(
        lambda events: seen.extend((round(clock.now(), 3), repr(e)) for e in events)
    )
    view.start()
    while view.session.state is not State.FINISHED:
        clock.advance(0.25)
        view.driver.timer.timeout.emit()
    return seen


def reference_timeline(qtbot) -> list[tuple[float, str]]:
    """The same session with a speaker that never fails."""
    return run_through(qtbot, RecordingSpeaker(), FakeClock())


def fallback_speaker(synth: ClipSynthesizer, log: Path, tmp_path: Path) -> ClipSpeaker:
    """A speaker on the fallback path that also lists every file it was asked to play
    (a session run on a fake clock cuts each clip off at once, before it is logged)."""
    speaker = ClipSpeaker(
        synth, tmp_path / "beeps", audio_available=False, fallback_command=recording_player(log)
    )
    synth.add_status_listener(speaker.synth_status)
    assert speaker.fallback is not None
    speaker.asked_to_play = []
    play = speaker.fallback.play
    speaker.fallback.play = lambda path: (speaker.asked_to_play.append(path.name), play(path))
    return speaker


@pytest.mark.parametrize(
    "engine",
    [
        pytest.param(partial(FakeEngine, init_error="no espeak library"), id="missing"),
        pytest.param(partial(FakeEngine, raise_on=("Switch sides",)), id="raising"),
        pytest.param(partial(FakeEngine, hang_on=("Switch sides",)), id="hanging"),
    ],
)
def test_a_failing_engine_leaves_the_timing_alone_and_tells_the_user(
    qtbot, make_synth, tmp_path, engine
):
    expected = reference_timeline(qtbot)
    synth = make_synth(engine_factory=engine, max_restarts=0)
    log = tmp_path / "played.txt"
    voiceless = fallback_speaker(synth, log, tmp_path)
    notices: list[str] = []
    voiceless.notice_changed.connect(notices.append)
    voiceless.prepare([c.text for c in Session(HOLDS, FakeClock()).plan.cues])
    qtbot.waitUntil(lambda: bool(notices), timeout=WAIT_MS)

    assert run_through(qtbot, voiceless, FakeClock()) == expected
    assert len(notices) == 1 and notices[0].startswith("No voice") and "\n" not in notices[0]
    assert voiceless.notice == notices[0] and not voiceless.has_voice
    # Beeps stand in for the voice: a start chime for each hold, a tone for each rest.
    assert {"beep-start.wav", "beep-rest.wav"} <= set(voiceless.asked_to_play)
    assert all(name.startswith("beep-") for name in voiceless.asked_to_play)
    qtbot.waitUntil(lambda: played(log) != [] and not voiceless.fallback.is_playing())


def test_a_working_engine_speaks_through_the_fallback_player(qtbot, make_synth, tmp_path):
    synth = make_synth(engine_factory=FakeEngine)
    log = tmp_path / "played.txt"
    voiced = fallback_speaker(synth, log, tmp_path)
    assert synth.wait_ready(WAIT_MS / 1000).available
    cues = [c.text for c in Session(HOLDS, FakeClock()).plan.cues]
    voiced.prepare(cues)
    qtbot.waitUntil(lambda: all(text in voiced._clip_paths for text in cues), timeout=WAIT_MS)
    run_through(qtbot, voiced, FakeClock())
    spoken = {voiced._clip_paths[text].name for text in cues}
    assert set(voiced.asked_to_play) == spoken  # every cue, and no beep besides the voice
    qtbot.waitUntil(lambda: played(log) != [] and not voiced.fallback.is_playing())
    assert set(played(log)) <= spoken and voiced.notice is None


def test_the_fallback_player_is_cut_off_at_once_and_silent_when_muted(qtbot, tmp_path):
    log = tmp_path / "played.txt"
    speaker = ClipSpeaker(
        ReadyClips(tmp_path / "clips"),
        tmp_path / "beeps",
        audio_available=False,
        fallback_command=recording_player(log, sleep_s=30),
    )
    assert speaker.has_voice and speaker.notice is None
    speaker.prepare(["Halfway"])
    qtbot.waitUntil(lambda: "Halfway" in speaker._clip_paths)
    speaker.speak("Halfway")
    qtbot.waitUntil(lambda: played(log) == ["beep-rest.wav"])  # ReadyClips' stand-in clip
    assert speaker.fallback is not None and speaker.fallback.is_playing()
    speaker.stop()
    assert not speaker.fallback.is_playing()
    speaker.set_muted(True)
    speaker.speak("Halfway")
    assert not speaker.fallback.is_playing()


def test_a_player_that_cannot_play_ends_in_one_notice(qtbot, tmp_path):
    failing = recording_player(tmp_path / "log", exit_code=1)
    speaker = ClipSpeaker(None, tmp_path / "beeps", audio_available=False, fallback_command=failing)
    with qtbot.waitSignal(speaker.notice_changed, timeout=WAIT_MS) as blocker:
        speaker.beep(Beep.START)
    assert blocker.args[0].startswith(NO_AUDIO_DEVICE)
    assert not speaker.can_play and speaker.notice == NO_AUDIO_DEVICE


def test_with_no_output_and_no_player_the_user_is_told(qtbot, tmp_path):
    speaker = ClipSpeaker(
        ReadyClips(tmp_path), tmp_path / "beeps", audio_available=False, fallback_command=[]
    )
    assert speaker.notice == NO_AUDIO_DEVICE and not speaker.has_voice
    speaker.speak("Halfway")  # nothing to play it with, and no error either


def test_an_unwritable_cache_costs_the_beeps_not_the_session(qtbot, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the beeps folder should be")
    speaker = ClipSpeaker(
        None,
        blocker / "beeps",
        audio_available=False,
        fallback_command=recording_player(tmp_path / "log"),
    )
    assert run_through(qtbot, speaker, FakeClock())  # the session plays to its end


def test_the_app_speaker_uses_the_engine_while_it_starts(qtbot):
    """Regression: the app checked the engine before it had started, and never spoke."""
    from loosen.core.settings import Settings
    from loosen.ui import app

    speaker = app.make_speaker(Settings())
    speaker.prepare(["Get ready"])  # a session started before the engine
    synth = app.start_speech(speaker, Settings())
    assert synth is not None
    try:
        assert speaker.clips is synth  # at once, not only after the engine answered
        assert synth.wait_ready(WAIT_MS / 1000).available  # the real espeak-ng
        qtbot.waitUntil(lambda: "Get ready" in speaker._clip_paths, timeout=WAIT_MS)
        other = synth.voices()[-1].id
        app.apply_voice_settings(synth, Settings(rate_wpm=190, voice=other), speaker)
        assert (synth.rate_wpm, synth.voice) == (190, other)
        assert "Get ready" not in speaker._clip_paths  # heard again in the new voice
        app.apply_voice_settings(synth, Settings(voice="no/such-voice"))
        assert synth.voice == other  # a voice gone since is ignored, not fatal
    finally:
        synth.close()


class ManualClips:
    """A clip source whose clips arrive when the test says."""

    def __init__(self, clip: Path) -> None:
        self.clip = clip
        self.pending: dict[str, Future[Path]] = {}

    def prerender(self, texts) -> None:
        pass

    def request(self, text: str) -> Future[Path]:
        return self.pending.setdefault(text, Future())

    def arrive(self, text: str) -> None:
        self.pending[text].set_result(self.clip)


@pytest.mark.parametrize(("grace_s", "heard"), [(60.0, True), (0.0, False)])
def test_a_clip_arriving_just_after_its_moment_is_said_only_within_the_grace(
    qtbot, tmp_path, monkeypatch, grace_s, heard
):
    monkeypatch.setattr("loosen.speech.player.LATE_GRACE_S", grace_s)
    clip = tmp_path / "get-ready.wav"
    clip.write_bytes(b"")
    clips = ManualClips(clip)
    speaker = ClipSpeaker(
        clips,
        tmp_path / "beeps",
        audio_available=False,
        fallback_command=recording_player(tmp_path / "log"),
    )
    speaker.speak("Get ready")  # the first cue, due before its clip is rendered
    assert speaker.fallback is not None and not speaker.fallback.is_playing()
    clips.arrive("Get ready")
    qtbot.waitUntil(lambda: "Get ready" in speaker._clip_paths)
    assert speaker.fallback.is_playing() is heard
    speaker.stop()


def test_a_late_clip_is_not_said_after_a_skip(qtbot, tmp_path):
    clip = tmp_path / "first.wav"
    clip.write_bytes(b"")
    clips = ManualClips(clip)
    speaker = ClipSpeaker(
        clips,
        tmp_path / "beeps",
        audio_available=False,
        fallback_command=recording_player(tmp_path / "log"),
    )
    speaker.speak("First")
    speaker.stop()  # the user skipped on
    clips.arrive("First")
    qtbot.waitUntil(lambda: "First" in speaker._clip_paths)
    assert speaker.fallback is not None and not speaker.fallback.is_playing()


def test_phrases_asked_for_before_the_engine_is_attached_are_prepared_then(qtbot, tmp_path):
    clips = ReadyClips(tmp_path / "clips")
    speaker = ClipSpeaker(
        None,
        tmp_path / "beeps",
        audio_available=False,
        fallback_command=recording_player(tmp_path / "log"),
    )
    assert speaker.notice is None  # an engine is expected: nothing to tell yet
    speaker.prepare(["Get ready", "Halfway"])
    assert clips.asked == []
    speaker.attach(clips)
    assert clips.asked == ["Get ready", "Halfway"]
    qtbot.waitUntil(lambda: "Halfway" in speaker._clip_paths)
    assert speaker.has_voice


def test_without_pyttsx3_the_app_speaker_says_how_to_get_a_voice(qtbot, monkeypatch):
    from loosen.core.settings import Settings
    from loosen.ui import app

    monkeypatch.setitem(sys.modules, "loosen.speech.synth", None)  # as if not installed
    speaker = app.make_speaker(Settings())
    with qtbot.waitSignal(speaker.notice_changed) as told:
        assert app.start_speech(speaker, Settings()) is None
    assert told.args[0] == speaker.notice and "pyttsx3" in told.args[0]
    assert not speaker.has_voice


class FailingOnceClips(ManualClips):
    """The first request for each text fails (a worker restart), the next succeeds."""

    def request(self, text: str) -> Future[Path]:
        future: Future[Path] = Future()
        if text in self.pending:
            future.set_result(self.clip)
        else:
            future.set_exception(RuntimeError("the engine was restarted"))
        self.pending[text] = future
        return future


def test_a_clip_that_failed_once_is_asked_for_again(qtbot, tmp_path):
    clip = tmp_path / "halfway.wav"
    clip.write_bytes(b"")
    clips = FailingOnceClips(clip)
    player = recording_player(tmp_path / "log", sleep_s=30)
    speaker = ClipSpeaker(clips, tmp_path / "beeps", audio_available=False, fallback_command=player)
    speaker.prepare(["Halfway"])
    qtbot.waitUntil(lambda: "Halfway" not in speaker._requested)  # the failure came back
    speaker.speak("Halfway")  # not ready: asked for again, said if it comes in time
    qtbot.waitUntil(lambda: "Halfway" in speaker._clip_paths)
    assert speaker.fallback is not None and speaker.fallback.is_playing()
    speaker.stop()


def test_a_new_voice_forgets_the_clips_of_the_old_one(qtbot, tmp_path):
    old, new = tmp_path / "old.wav", tmp_path / "new.wav"
    old.write_bytes(b"")
    new.write_bytes(b"")
    clips = ManualClips(old)
    speaker = ClipSpeaker(
        clips,
        tmp_path / "beeps",
        audio_available=False,
        fallback_command=recording_player(tmp_path / "log"),
    )
    speaker.prepare(["Switch sides"])
    in_flight = clips.pending["Switch sides"]
    speaker.reset_clips()  # the voice changed while the old clip was still rendering
    in_flight.set_result(old)  # arrives late (on this thread: handled at once)
    assert "Switch sides" not in speaker._clip_paths  # the old voice is not kept
    clips.clip, clips.pending = new, {}
    speaker.prepare(["Switch sides"])
    clips.arrive("Switch sides")
    qtbot.waitUntil(lambda: "Switch sides" in speaker._clip_paths)
    assert speaker._clip_paths["Switch sides"] == new


@pytest.mark.parametrize(
    ("original", "expected"), [("/usr/local/lib", "/usr/local/lib"), (None, "unset")]
)
def test_in_a_bundle_the_player_gets_the_systems_libraries(
    qtbot, tmp_path, monkeypatch, original, expected
):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/loosen/_internal")  # what the bundle sets
    if original is None:
        monkeypatch.delenv("LD_LIBRARY_PATH_ORIG", raising=False)
    else:
        monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", original)
    log = tmp_path / "env.txt"
    seen = (
        f"import os, sys; open({str(log)!r}, 'w').write(os.environ.get('LD_LIBRARY_PATH', 'unset'))"
    )
    speaker = ClipSpeaker(
        None,
        tmp_path / "beeps",
        audio_available=False,
        fallback_command=[sys.executable, "-c", seen],
    )
    speaker.beep(Beep.START)
    qtbot.waitUntil(lambda: log.exists() and log.read_text() != "")
    assert log.read_text() == expected
    qtbot.waitUntil(lambda: not speaker.fallback.is_playing())
