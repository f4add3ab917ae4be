"""pyttsx3's traps, shown on the real engine, each beside the test that our design avoids it.

The demonstrations run pyttsx3 + espeak-ng in a fresh interpreter (the espeak driver
keeps process-wide state, and prints to stdout), and report what happened as JSON.
The "avoided" tests render through ClipSynthesizer with the real engine; the strict
fake engine (fake_engines.py, test_synth_fallbacks.py) additionally raises on any
trap-prone call, so rendering through it proves the worker never makes one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
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


def run_pyttsx3(body: str, env: dict[str, str] | None = None) -> dict:
    """Run `body` in a fresh interpreter with `engine`, `done` (an Event set by the
    finished-utterance callback) and `report(dict)`; return what it reported."""
    script = textwrap.dedent(
        """
        import json, os, sys, threading, time, wave
        import pyttsx3
        engine = pyttsx3.init()
        done = threading.Event()
        seen = {}
        def finished(name, completed):
            seen["thread"] = threading.current_thread().name
            seen["completed"] = completed
            done.set()
        engine.connect("finished-utterance", finished)
        def frames(path):
            with wave.open(path) as clip:
                return clip.getnframes()
        def report(data):
            print("REPORT " + json.dumps(data))
        """
    ) + textwrap.dedent(body)
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True, text=True, timeout=60, check=True, env={**os.environ, **(env or {})},
    )  # fmt: skip
    lines = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    assert lines, result.stdout + result.stderr
    return json.loads(lines[-1].removeprefix("REPORT "))


def frames(path: Path) -> int:
    with wave.open(str(path), "rb") as clip:
        return clip.getnframes()


# -- the first runAndWait() returns before the file is written -----------------------


@pytest.mark.slow
def test_trap_first_run_and_wait_returns_before_the_file_is_written(tmp_path):
    out = tmp_path / "long.wav"
    seen = run_pyttsx3(f"""
        engine.save_to_file({LONG_TEXT!r}, {str(out)!r})
        engine.runAndWait()
        written_on_return = os.path.exists({str(out)!r})
        called_back_on_return = done.is_set()
        done.wait(30)
        report({{"written_on_return": written_on_return,
                 "called_back_on_return": called_back_on_return,
                 "frames": frames({str(out)!r}), **seen}})
    """)
    assert seen["written_on_return"] is False and seen["called_back_on_return"] is False
    assert seen["frames"] > 0  # written later, by espeak's own (non-Python) thread:
    assert seen["thread"].startswith("Dummy")  # threading's name for a foreign thread


@pytest.mark.slow
def test_avoided_a_first_clip_is_complete_when_its_future_resolves(make_synth):
    synth = make_synth()
    path = synth.request(LONG_TEXT).result(WAIT_S)
    assert frames(path) / 22050 > 20  # the whole minute-long text, not a partial file


# -- two utterances queued before one runAndWait(): only the last is spoken ---------


@pytest.mark.slow
def test_trap_two_utterances_before_one_run_only_the_last_is_spoken(tmp_path):
    first, second = tmp_path / "first.wav", tmp_path / "second.wav"
    seen = run_pyttsx3(f"""
        engine.save_to_file("warm up", {str(tmp_path / "w.wav")!r}); engine.runAndWait()
        done.wait(10)
        engine.save_to_file("Switch sides", {str(first)!r})
        engine.save_to_file("Session complete", {str(second)!r})
        done.clear(); engine.runAndWait(); done.wait(10)
        report({{"first": os.path.exists({str(first)!r}),
                 "second": os.path.exists({str(second)!r})}})
    """)
    assert seen == {"first": False, "second": True}


@pytest.mark.slow
def test_avoided_texts_rendered_back_to_back_each_get_their_own_file(make_synth):
    synth = make_synth()
    long_text = "Hip flexor lunge stretch, left side, forty-five seconds"
    short, long = synth.prerender(["One", long_text])
    short_path, long_path = short.result(WAIT_S), long.result(WAIT_S)
    assert short_path != long_path
    assert frames(long_path) > 2.5 * frames(short_path)  # each holds its own text


# -- say() after save_to_file() keeps writing into that file -------------------------


@pytest.mark.slow
def test_trap_say_after_save_to_file_writes_into_the_file(tmp_path):
    clip = tmp_path / "clip.wav"
    seen = run_pyttsx3(f"""
        engine.save_to_file("one", {str(clip)!r}); engine.runAndWait(); done.wait(10)
        before = frames({str(clip)!r})
        done.clear(); engine.say("this sentence was meant for the speakers, not the file")
        engine.runAndWait(); done.wait(10)
        report({{"before": before, "after": frames({str(clip)!r})}})
    """)
    assert seen["after"] > 3 * seen["before"]  # the spoken sentence went into the clip


def test_avoided_the_render_worker_has_no_say():
    """The worker renders with save_to_file only; the strict fake (which raises on
    say()) renders every clip in test_synth_fallbacks.py."""
    source = (REPO / "src/loosen/speech/synth_worker.py").read_text()
    assert ".say(" not in source


# -- getProperty('rate') reads back a wrong value; setProperty works -----------------


@pytest.mark.slow
def test_trap_the_rate_reads_back_wrong():
    seen = run_pyttsx3("""
        engine.setProperty("rate", 160)
        engine.save_to_file("x", "/dev/null"); engine.runAndWait(); done.wait(10)
        report({"rate": engine.getProperty("rate")})
    """)
    assert seen["rate"] != 160


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
def test_trap_a_rate_change_right_before_a_run_cancels_it(tmp_path):
    seen = run_pyttsx3(f"""
        cancelled = 0
        for n in range(40):
            engine.setProperty("rate", 100 if n % 2 else 300)
            done.clear(); seen.clear()
            engine.save_to_file("Switch sides", {str(tmp_path / "x.wav")!r})
            engine.runAndWait(); done.wait(10)
            cancelled += seen.get("completed") is False
        report({{"cancelled": cancelled}})
    """)
    if seen["cancelled"] == 0:
        pytest.skip("the race did not show on this machine this time")
    assert seen["cancelled"] > 0


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


@pytest.mark.slow
def test_trap_external_loop_iterate_is_broken():
    seen = run_pyttsx3("""
        try:
            engine.startLoop(False)
            engine.iterate()
            report({"error": None})
        except Exception as exc:
            report({"error": type(exc).__name__})
    """)
    assert seen["error"] == "TypeError"


def test_avoided_no_external_loop_is_used():
    source = (REPO / "src/loosen/speech/synth_worker.py").read_text()
    assert ".startLoop(" not in source and ".iterate(" not in source


# -- on Linux say() runs aplay: with no sound device it "succeeds" at once -----------


@pytest.mark.slow
def test_trap_say_without_a_sound_device_returns_at_once_and_reports_success():
    """Nothing was heard, yet runAndWait returned and the utterance 'completed'. (With
    a device, aplay blocks the engine for the whole sentence and stop() cannot cut
    it.) So the app never relies on say(): it plays rendered clips itself."""
    seen = run_pyttsx3(
        """
        started = time.perf_counter()
        engine.say("This sentence takes a few seconds to say, if anyone could hear it.")
        engine.runAndWait(); done.wait(10)
        report({"seconds": time.perf_counter() - started, **seen})
        """,
        env={"ALSA_CONFIG_PATH": "/nonexistent", "PULSE_SERVER": "unix:/nonexistent"},
    )
    assert seen["completed"] is True
    assert seen["seconds"] < 2.0  # far less than the ~4 s the sentence lasts


# -- with no espeak library, init() raises RuntimeError ------------------------------


@pytest.mark.slow
def test_trap_no_espeak_library_raises_runtime_error():
    script = (
        "import ctypes\n"
        "def refuse(name): raise OSError(name)\n"
        "ctypes.cdll.LoadLibrary = refuse\n"
        "import pyttsx3\n"
        "try:\n"
        "    pyttsx3.init()\n"
        "except RuntimeError as exc:\n"
        "    print('RuntimeError', exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=30, check=True)  # fmt: skip
    # Avoided: test_synth_fallbacks.py shows this becomes status UNAVAILABLE, with the hint.
    assert result.stdout.startswith("RuntimeError")


# -- pyttsx3 2.99 with SAPI5 speaks only the first utterance: Windows stays below it --


def test_windows_is_pinned_below_pyttsx3_2_99():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    windows = [d for d in project["dependencies"]
               if d.startswith("pyttsx3") and "sys_platform == 'win32'" in d]  # fmt: skip
    assert windows and "<2.99" in windows[0]
