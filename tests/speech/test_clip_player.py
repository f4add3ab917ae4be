"""Clip playback through QtMultimedia: on time, cut at once, never late; beeps without voice.

Playback needs a sound output. CI has no sound card, so these tests start a private PulseAudio
daemon with a null sink (a real output that discards the sound) and stop it after.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fake_engines import ReadyClips

from benchmarks.sound import private_sound_output
from loosen.speech.beeps import Beep, beep_file


@pytest.fixture(scope="module")
def sound_output() -> Iterator[None]:
    with private_sound_output() as server:
        if server is None:
            if os.environ.get("CI"):
                pytest.fail("no sound output: the test set-up installs pulseaudio for these tests")
            pytest.skip("no sound output here (install pulseaudio)")
        saved = os.environ.get("PULSE_SERVER")
        os.environ["PULSE_SERVER"] = server
        yield
        if saved is None:
            os.environ.pop("PULSE_SERVER", None)
        else:
            os.environ["PULSE_SERVER"] = saved


@pytest.fixture
def speaker(qtbot, sound_output, tmp_path):
    from loosen.speech.player import ClipSpeaker

    made = ClipSpeaker(ReadyClips(tmp_path / "clips"), tmp_path / "beeps")
    assert made.audio_available and made.notice is None
    return made


def test_a_prepared_clip_plays_at_once_and_stops_at_once(qtbot, speaker):
    speaker.prepare(["Switch sides"])
    qtbot.waitUntil(
        lambda: (
            "Switch sides" in speaker._effects
            and speaker._effects["Switch sides"].status().name == "Ready"
        )
    )
    effect = speaker._effects["Switch sides"]
    with qtbot.waitSignal(speaker.clip_started, timeout=1000) as started:
        speaker.speak("Switch sides")
    assert effect.isPlaying() and started.args[0] == "Switch sides"
    assert speaker.latencies_ms == [started.args[1]] and 0 <= started.args[1] < 1000
    speaker.stop()
    assert not effect.isPlaying()


def test_a_clip_not_ready_in_time_is_not_said_late(qtbot, speaker):
    speaker.speak("never ready")
    assert "never ready" not in speaker._effects
    assert speaker.latencies_ms == []


def test_mute_and_volume_reach_every_clip(qtbot, speaker):
    speaker.prepare(["Halfway"])
    qtbot.waitUntil(lambda: "Halfway" in speaker._effects)
    speaker.set_volume(0.25)
    speaker.set_muted(True)
    effect = speaker._effects["Halfway"]
    assert effect.volume() == pytest.approx(0.25) and effect.isMuted()


def test_beeps_play_only_when_there_is_no_voice(qtbot, sound_output, tmp_path):
    from loosen.speech.player import ClipSpeaker

    voiceless = ClipSpeaker(None, tmp_path / "beeps", voice_notice="No voice: install espeak-ng")
    assert voiceless.notice == "No voice: install espeak-ng" and not voiceless.has_voice
    voiceless.prepare([])  # as a player does when it opens: the beeps load now
    qtbot.waitUntil(lambda: voiceless._beeps[Beep.START].status().name == "Ready")
    voiceless.beep(Beep.START)
    qtbot.waitUntil(voiceless._beeps[Beep.START].isPlaying, timeout=1000)
    voiced = ClipSpeaker(ReadyClips(tmp_path / "c"), tmp_path / "beeps")
    voiced.beep(Beep.START)
    assert not voiced._beeps[Beep.START].isPlaying()
    voiced.set_voice_enabled(False)
    assert not voiced.has_voice


def test_the_beeps_are_distinct_short_tones(tmp_path):
    import wave

    lengths = {}
    for beep in Beep:
        with wave.open(str(beep_file(beep, tmp_path)), "rb") as clip:
            lengths[beep] = clip.getnframes() / clip.getframerate()
            assert clip.getnchannels() == 1 and clip.getsampwidth() == 2
    assert all(0.05 < s < 0.5 for s in lengths.values())
    assert len({round(s, 2) for s in lengths.values()}) == 3
