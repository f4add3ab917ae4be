"""The settings' Preview: a line in the voice and rate being chosen, off the UI thread,
played when ready; the session's own voice and rate are left as they are."""

from __future__ import annotations

from fake_engines import FakeEngine
from test_speaker_fallbacks import WAIT_MS, played, recording_player

from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE
from loosen.speech.player import ClipSpeaker

LINE = "Glute bridge, thirty seconds."


def preview_speaker(synth, tmp_path) -> tuple[ClipSpeaker, object]:
    log = tmp_path / "played.log"
    speaker = ClipSpeaker(
        synth, tmp_path / "beeps", audio_available=False, fallback_command=recording_player(log)
    )
    return speaker, log


def test_preview_plays_the_line_in_the_chosen_voice_and_rate(qtbot, make_synth, tmp_path):
    synth = make_synth(engine_factory=FakeEngine)
    speaker, log = preview_speaker(synth, tmp_path)
    assert speaker.preview(LINE, "fake/fr", 300)  # asked; returns before the clip exists
    qtbot.waitUntil(
        lambda: len(played(log)) == 1 and not speaker.fallback.is_playing(), timeout=WAIT_MS
    )
    chosen = synth.request_sample(LINE, "fake/fr", 300).result(WAIT_MS / 1000)
    assert played(log) == [chosen.name]
    assert (synth.voice, synth.rate_wpm) == (None, DEFAULT_WORDS_PER_MINUTE)
    assert synth.request(LINE).result(WAIT_MS / 1000) != chosen  # cues keep their voice


def test_only_the_last_of_quick_previews_is_played(qtbot, make_synth, tmp_path):
    synth = make_synth(engine_factory=FakeEngine)
    speaker, log = preview_speaker(synth, tmp_path)
    for rate in (120, 200, 260):
        speaker.preview(LINE, "fake/en", rate)
    last = synth.request_sample(LINE, "fake/en", 260).result(WAIT_MS / 1000)
    qtbot.waitUntil(
        lambda: played(log) == [last.name] and not speaker.fallback.is_playing(), timeout=WAIT_MS
    )


def test_without_a_voice_there_is_nothing_to_preview(qtbot, tmp_path):
    speaker = ClipSpeaker(None, tmp_path / "beeps", audio_available=False, fallback_command=[])
    assert not speaker.preview(LINE, None, 160)
