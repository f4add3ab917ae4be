"""Real speech: espeak-ng, through pyttsx3 in the worker process, renders cues to WAV.

The checks are on the audio itself: a clip is speech (loud, most of it voiced, of a
length that fits its words), not silence and not a stub file.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import threading
import wave
from array import array
from pathlib import Path

import pytest

from loosen.speech.synth import SynthState

pytestmark = pytest.mark.slow
WAIT_S = 10.0
WINDOW_S = 0.02


def read(path: Path) -> tuple[array, int]:
    with wave.open(str(path), "rb") as clip:
        assert clip.getnchannels() == 1 and clip.getsampwidth() == 2
        samples = array("h", clip.readframes(clip.getnframes()))
        return samples, clip.getframerate()


def rms(samples: array) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


def voiced_share(samples: array, rate: int) -> float:
    """The share of 20 ms windows loud enough to be speech."""
    size = round(WINDOW_S * rate)
    windows = [samples[i : i + size] for i in range(0, len(samples) - size + 1, size)]
    return sum(rms(w) > 500 for w in windows) / len(windows)


def test_a_cue_renders_as_speech_of_a_plausible_length(make_synth):
    synth = make_synth()
    status = synth.wait_ready(WAIT_S)
    assert status.state is SynthState.AVAILABLE, status
    assert "espeak" in status.engine and "pyttsx3" in status.engine
    samples, rate = read(synth.request("Switch sides").result(WAIT_S))
    seconds = len(samples) / rate
    assert 0.3 <= seconds <= 3.0
    assert rms(samples) > 1000  # silence is 0; espeak speech is in the thousands
    assert voiced_share(samples, rate) > 0.4


def test_clip_length_follows_the_words(make_synth):
    synth = make_synth()
    short, long = synth.prerender(
        [
            "Halfway",
            "Kneel into a lunge, tuck your pelvis under, shift forward until the "
            "front of the hip stretches.",
        ]
    )
    short_samples, rate = read(short.result(WAIT_S))
    long_samples, _ = read(long.result(WAIT_S))
    assert 0.3 <= len(short_samples) / rate <= 2.0
    assert 3.0 <= len(long_samples) / rate <= 12.0  # 17 words at 160 words per minute
    assert voiced_share(long_samples, rate) > 0.4


@pytest.mark.skipif(shutil.which("soxi") is None, reason="sox is not installed")
def test_a_clip_is_a_standard_wav_file(make_synth):
    path = make_synth().request("Session complete").result(WAIT_S)
    seconds = float(
        subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout
    )
    assert 0.3 <= seconds <= 3.0


def test_a_cached_clip_is_not_rendered_again(make_synth, tmp_path):
    synth = make_synth()
    path = synth.request("Rest. Next: glute bridge").result(WAIT_S)
    assert synth.request("Rest. Next: glute bridge").result(WAIT_S) == path
    assert synth.renders == 1
    synth.close()
    again = make_synth()
    assert again.request("Rest. Next: glute bridge").result(WAIT_S) == path
    assert again.renders == 0


def test_several_threads_share_the_one_engine(make_synth):
    """pyttsx3 trap: two threads on one engine crash or hang. Four threads asking at
    once all get correct clips, because only the worker touches the engine."""
    synth = make_synth()
    results: dict[str, Path] = {}

    def caller(n: int) -> None:
        for i in range(5):
            text = f"Set {n}, rep {i}"
            results[text] = synth.request(text).result(WAIT_S)

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S * 2)
    assert len(results) == 20 and len(set(results.values())) == 20
    assert all(rms(read(path)[0]) > 1000 for path in results.values())
