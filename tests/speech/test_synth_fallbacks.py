"""The synthesizer with fake engines: queue order, caching, and every way an engine fails.

Whatever the engine does (refuse to start, raise, crash, hang), callers get their
future at once, a failing clip fails alone, a hung worker is killed and replaced, and
when there is no voice the status says so in one line with how to get one.
"""

from __future__ import annotations

import sys
import threading
import wave
from concurrent.futures import Future
from functools import partial
from pathlib import Path

import pytest
from fake_engines import FakeEngine, pyttsx3_without_espeak

from loosen.speech.synth import (
    ClipFailed,
    ClipTimedOut,
    SpeechClosed,
    SpeechUnavailable,
    SynthState,
    SynthStatus,
    Voice,
)

WAIT_S = 10.0  # upper bound for a future in these tests; they finish far sooner


def frames(path: Path) -> int:
    with wave.open(str(path), "rb") as clip:
        return clip.getnframes()


def test_clips_are_rendered_cached_and_shared(make_synth):
    synth = make_synth(engine_factory=FakeEngine)
    first = synth.request("Switch sides").result(WAIT_S)
    assert first.parent == synth.cache_dir and first.suffix == ".wav" and frames(first) > 0
    again = synth.request("Switch sides")
    assert again.done() and again.result() == first  # from memory, no round trip
    assert synth.renders == 1
    assert not list(synth.cache_dir.glob(".*.part"))  # temporary names never linger


def test_the_disk_cache_outlives_the_synthesizer(make_synth, tmp_path):
    first = make_synth(engine_factory=FakeEngine)
    path = first.request("Halfway").result(WAIT_S)
    first.close()
    second = make_synth(engine_factory=FakeEngine)
    assert second.request("Halfway").result(WAIT_S) == path
    assert second.renders == 0


def test_voice_and_rate_are_part_of_the_clip(make_synth):
    synth = make_synth(engine_factory=FakeEngine)
    assert synth.wait_ready(WAIT_S).available
    slow = synth.request("Rest. Next: glute bridge").result(WAIT_S)
    synth.set_rate(300)
    fast = synth.request("Rest. Next: glute bridge").result(WAIT_S)
    synth.set_voice("fake/fr")
    french = synth.request("Rest. Next: glute bridge").result(WAIT_S)
    assert len({slow, fast, french}) == 3
    assert frames(slow) > frames(fast)  # the rate we set is the rate used
    assert synth.rate_wpm == 300 and synth.voice == "fake/fr"


def test_voices_are_listed_and_an_unknown_one_is_refused(make_synth):
    synth = make_synth(engine_factory=FakeEngine)
    synth.wait_ready(WAIT_S)
    assert Voice("fake/en", "Fake English", ("en",)) in synth.voices()
    with pytest.raises(ValueError, match=r'no voice "fake/fe" \(did you mean "fake/fr"\?\)'):
        synth.set_voice("fake/fe")
    with pytest.raises(ValueError, match="words per minute"):
        synth.set_rate(1000)


def test_an_unknown_voice_from_settings_falls_back_to_the_default(make_synth):
    synth = make_synth(engine_factory=FakeEngine, voice="gone/voice")
    assert synth.request("Halfway").result(WAIT_S).is_file()
    assert synth.voice is None


def test_concurrent_requests_for_one_text_share_one_render(make_synth):
    synth = make_synth(engine_factory=partial(FakeEngine, render_s=0.2))
    futures = [synth.request("Three, two, one") for _ in range(20)]
    assert len({id(f) for f in futures}) == 1  # the in-flight future, handed out again
    assert {f.result(WAIT_S) for f in futures} == {futures[0].result()}
    assert synth.renders == 1


def test_prerender_keeps_the_order_given_and_a_request_jumps_the_queue(make_synth):
    synth = make_synth(engine_factory=partial(FakeEngine, render_s=0.05))
    assert synth.wait_ready(WAIT_S).available
    texts = [f"Cue number {n}" for n in range(8)]
    finished: list[str] = []
    lock = threading.Lock()

    def note(text: str) -> None:
        with lock:
            finished.append(text)

    futures = synth.prerender(texts)
    for text, future in zip(texts, futures, strict=True):
        future.add_done_callback(lambda _f, text=text: note(text))
    urgent = synth.request("Cue number 7")
    assert urgent is futures[7]  # the same clip: promoted, not rendered twice
    for future in futures:
        future.result(WAIT_S)
    assert finished.index("Cue number 7") <= 2  # at most the clips already started go first
    rest = [t for t in finished if t != "Cue number 7"]
    assert rest == texts[:7]
    assert synth.renders == 8


def test_many_threads_at_once_all_get_their_clips(make_synth):
    """pyttsx3 trap: two threads using the engine at once crash or hang. Here the
    engine has one owner; callers on any thread only queue work for it."""
    synth = make_synth(engine_factory=FakeEngine)
    results: dict[str, Path] = {}
    errors: list[BaseException] = []

    def caller(n: int) -> None:
        try:
            for i in range(10):
                text = f"Thread {n} cue {i}"
                results[text] = synth.request(text).result(WAIT_S)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S * 2)
    assert not errors
    assert len(results) == 40 and len(set(results.values())) == 40
    assert all(frames(p) > 0 for p in results.values())


def test_the_render_worker_never_falls_into_a_pyttsx3_trap(make_synth):
    """The strict fake raises on say(), on two utterances queued before one run, on
    reading the rate back and on startLoop/iterate: rendering through it proves the
    worker does none of these (any TrapError would fail the clip)."""
    synth = make_synth(engine_factory=FakeEngine)
    texts = ["Switch sides", "Halfway", "Session complete", "Rest", "Get ready"]
    synth.set_rate(170)
    paths = [f.result(WAIT_S) for f in synth.prerender(texts)]
    assert len(set(paths)) == len(texts)
    lengths = [frames(p) for p in paths]
    assert lengths[2] > lengths[3]  # each file holds its own text, not the last one's


def test_a_late_finished_callback_is_waited_for(make_synth):
    """pyttsx3 trap: the first runAndWait() after init() returns before the file is
    written. The fake returns at once and writes 0.3 s later, from another thread."""
    synth = make_synth(engine_factory=partial(FakeEngine, late_callback_s=0.3))
    path = synth.request("Hip flexor lunge stretch, left side").result(WAIT_S)
    assert frames(path) > 0


def test_an_engine_that_will_not_start_makes_speech_unavailable(make_synth):
    """pyttsx3 trap: with no espeak library, init() raises RuntimeError."""
    seen: list[SynthStatus] = []
    synth = make_synth(
        engine_factory=partial(FakeEngine, init_error="could not initialize espeak"),
        on_status=seen.append,
    )
    status = synth.wait_ready(WAIT_S)
    assert status.state is SynthState.UNAVAILABLE
    assert "\n" not in status.reason and status.message == status.reason
    if sys.platform.startswith("linux"):
        assert status.reason == (
            "No voice: install espeak-ng (sudo apt install espeak-ng) and restart Loosen"
        )
    assert "could not initialize espeak" in status.detail
    future = synth.request("Switch sides")
    assert future.done()  # fails fast, no waiting
    with pytest.raises(SpeechUnavailable, match="No voice"):
        future.result()
    assert all(f.done() for f in synth.prerender(["a", "b"]))
    assert [s.state for s in seen] == [SynthState.UNAVAILABLE]  # the user is told once


@pytest.mark.slow
def test_real_pyttsx3_without_the_espeak_library_gives_the_install_hint(make_synth):
    synth = make_synth(engine_factory=pyttsx3_without_espeak)
    status = synth.wait_ready(WAIT_S)
    assert status.state is SynthState.UNAVAILABLE
    assert "RuntimeError" in status.detail
    if sys.platform.startswith("linux"):
        assert "install espeak-ng" in status.reason


def test_queued_clips_fail_when_the_engine_turns_out_missing(make_synth):
    synth = make_synth(engine_factory=partial(FakeEngine, init_error="no espeak"))
    queued = synth.prerender(["one", "two"])  # asked before the engine has answered
    for future in queued:
        with pytest.raises(SpeechUnavailable):
            future.result(WAIT_S)


def test_an_engine_raising_fails_that_clip_only(make_synth):
    synth = make_synth(engine_factory=partial(FakeEngine, raise_on=("Bad cue",)))
    before, bad, after = synth.prerender(["Good cue", "Bad cue", "Another good cue"])
    assert before.result(WAIT_S).is_file()
    with pytest.raises(ClipFailed, match='could not speak "Bad cue": RuntimeError'):
        bad.result(WAIT_S)
    assert after.result(WAIT_S).is_file()  # a fresh worker took over
    assert synth.status.available


def test_an_engine_crashing_fails_that_clip_only(make_synth):
    synth = make_synth(engine_factory=partial(FakeEngine, crash_on=("Crash",)))
    crash, later = synth.prerender(["Crash", "Later"])
    with pytest.raises(ClipFailed, match="stopped unexpectedly"):
        crash.result(WAIT_S)
    assert later.result(WAIT_S).is_file()


def test_a_hung_engine_is_killed_and_replaced_and_callers_never_wait(make_synth):
    synth = make_synth(engine_factory=partial(FakeEngine, hang_on=("Hang",)))
    assert synth.wait_ready(WAIT_S).available
    hung = synth.request("Hang")
    behind = synth.request("After the hang")  # returns at once, though the worker is stuck
    assert not behind.done()
    with pytest.raises(ClipTimedOut, match='longer than 1 s on "Hang"; it was restarted'):
        hung.result(WAIT_S)
    assert behind.result(WAIT_S).is_file()
    assert synth.status.available


def test_an_engine_that_keeps_hanging_is_given_up(make_synth):
    synth = make_synth(engine_factory=partial(FakeEngine, hang_on=("A", "B")), max_restarts=1)
    first, second, third = synth.prerender(["A", "B", "C"])
    with pytest.raises(ClipTimedOut):
        first.result(WAIT_S)
    with pytest.raises(ClipTimedOut):
        second.result(WAIT_S)
    with pytest.raises(SpeechUnavailable, match="keeps failing"):
        third.result(WAIT_S)
    assert synth.status.state is SynthState.UNAVAILABLE
    assert "took longer than 1 s" in synth.status.detail


def test_an_engine_hanging_at_start_is_given_up(make_synth):
    synth = make_synth(
        engine_factory=partial(FakeEngine, hang_init=True), start_timeout_s=0.5, max_restarts=0
    )
    status = synth.wait_ready(WAIT_S)
    assert status.state is SynthState.UNAVAILABLE
    assert "did not start within 0.5 s" in status.detail


def test_close_fails_what_is_left_and_stops_a_busy_worker(make_synth):
    synth = make_synth(engine_factory=partial(FakeEngine, hang_on=("Hang",)))
    synth.wait_ready(WAIT_S)
    hung, queued = synth.request("Hang"), synth.request("Queued")
    synth.close()
    for future in (hung, queued):
        with pytest.raises(SpeechClosed):
            future.result(WAIT_S)
    assert synth.status.state is SynthState.CLOSED
    assert isinstance(synth.request("Later").exception(), SpeechClosed)
    synth.close()  # idempotent


def test_empty_text_fails_at_once(make_synth):
    synth = make_synth(engine_factory=FakeEngine)
    future: Future[Path] = synth.request("   ")
    assert isinstance(future.exception(0), ClipFailed)


def test_the_worker_ends_quietly_when_the_app_is_gone(tmp_path):
    """Killed app: the worker's next answer finds a broken pipe, and must not print a
    traceback into the user's terminal. (In a process of its own: serve() silences
    file descriptor 1 of the process it runs in.)"""
    import subprocess

    program = f"""
import multiprocessing
from fake_engines import FakeEngine
from loosen.speech.synth_worker import serve
parent, child = multiprocessing.Pipe(duplex=True)
parent.send({{"op": "render", "id": 1, "text": "Halfway", "voice": None, "rate": 160,
             "path": {str(tmp_path / "a.wav")!r}, "temporary": {str(tmp_path / "a.part")!r}}})
parent.close()  # the app dies with the request on its way
serve(child, FakeEngine)
"""
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
