"""pyttsx3's traps, and the tests that show Loosen's speech avoids each one.

Each section names a trap of pyttsx3 with espeak-ng (seen while building the speech
worker; some are fixed in newer releases, so none is asserted here: a dependency's
bug is not Loosen's to test). The tests render through ClipSynthesizer with the real
engine and check what Loosen relies on; the strict fake engine (fake_engines.py,
test_synth_fallbacks.py) also raises on any trap-prone call, so rendering through it
shows the worker never makes one.
"""

from __future__ import annotations

import sys
import tomllib
import wave
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 10.0
LONG_TEXT = "Kneel into a lunge, tuck your pelvis under, and shift forward slowly. " * 10

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="these traps are the espeak driver's"
)


def frames(path: Path) -> int:
    with wave.open(str(path), "rb") as clip:
        return clip.getnframes()


# -- the first runAndWait() returns before the file is written -----------------------


@pytest.mark.slow
def test_avoided_a_first_clip_is_complete_when_its_future_resolves(make_synth):
    synth = make_synth()
    path = synth.request(LONG_TEXT).result(WAIT_S)
    assert frames(path) / 22050 > 20  # the whole minute-long text, not a partial file


# -- two utterances queued before one runAndWait(): only the last is spoken ---------


@pytest.mark.slow
def test_avoided_texts_rendered_back_to_back_each_get_their_own_file(make_synth):
    synth = make_synth()
    long_text = "Hip flexor lunge stretch, left side, forty-five seconds"
    short, long = synth.prerender(["One", long_text])
    short_path, long_path = short.result(WAIT_S), long.result(WAIT_S)
    assert short_path != long_path
    assert frames(long_path) > 2.5 * frames(short_path)  # each holds its own text


# -- say() after save_to_file() keeps writing into that file -------------------------


def test_avoided_the_render_worker_has_no_say():
    """The worker renders with save_to_file only; the strict fake (which raises on
    say()) renders every clip in test_synth_fallbacks.py."""
    source = (REPO / "src/loosen/speech/synth_worker.py").read_text()
    assert ".say(" not in source


# -- getProperty('rate') reads back a wrong value; setProperty works -----------------


@pytest.mark.slow
def test_avoided_the_rate_we_set_is_the_rate_heard(make_synth):
    synth = make_synth(rate_wpm=100)
    text = "Rest. Next: glute bridge, set two"
    slow = synth.request(text).result(WAIT_S)
    synth.set_rate(300)
    fast = synth.request(text).result(WAIT_S)
    assert synth.rate_wpm == 300  # our own record, never read back from the engine
    assert frames(slow) > 1.8 * frames(fast)


# -- a property set just before a run cancels that run (and the property) ------------
# Found while measuring, not in the issue: espeak-ng applies setProperty later, through
# its command queue; runAndWait's own stop() then sees the engine busy and cancels the
# new utterance, and the queued setting with it.


@pytest.mark.slow
def test_avoided_clips_at_alternating_rates_each_get_their_rate(make_synth):
    synth = make_synth()
    pairs = []
    for n in range(6):
        text = f"Rest. Next: set {n + 1}"
        synth.set_rate(100)
        slow = synth.request(text)
        synth.set_rate(300)
        pairs.append((slow, synth.request(text)))  # the worker gets them back to back
    for slow, fast in pairs:
        assert frames(slow.result(WAIT_S)) > 1.8 * frames(fast.result(WAIT_S))


# -- startLoop(False) + iterate() is broken on the espeak driver ---------------------


def test_avoided_no_external_loop_is_used():
    source = (REPO / "src/loosen/speech/synth_worker.py").read_text()
    assert ".startLoop(" not in source and ".iterate(" not in source


# -- on Linux say() runs aplay: with no sound device it "succeeds" at once, and with
# one, stop() cannot cut it. Avoided: the worker never calls say() (above); the app
# plays rendered clips itself.


# -- with no espeak library, init() raises RuntimeError. Avoided: test_synth_fallbacks.py
# shows this becomes status UNAVAILABLE, with the hint to install espeak-ng.


# -- pyttsx3 2.99 with SAPI5 speaks only the first utterance: Windows stays below it --


def test_windows_is_pinned_below_pyttsx3_2_99():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    windows = [
        d
        for d in project["dependencies"]
        if d.startswith("pyttsx3") and "sys_platform == 'win32'" in d
    ]
    assert windows and "<2.99" in windows[0]
