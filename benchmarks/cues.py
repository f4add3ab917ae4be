"""Cue latency and UI stalls: a real session, real speech, real playback, on the real clock.

A routine dense with cues plays in the player with the app's speaker: the engine
renders every clip in its worker while the session runs. For each cue heard, the
latency is from its planned moment to its playback starting (the driver's lateness
plus the speaker's). Meanwhile a 10 ms timer on the UI thread measures the longest
gap in the event loop. The anchor: pyttsx3 rendering on the UI thread instead, which
blocks the loop for as long as each cue takes.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.sound import private_sound_output
from loosen.core.clock import MonotonicClock
from loosen.core.routine import Kind, Routine, Step
from loosen.core.session import CueDue, Session, SessionFinished

TARGET_LATENCY_MS = 50.0
TARGET_STALL_MS = 50.0
STALL_PROBE_MS = 10
FIRST_CUE_RUNS = 5
FIRST_CUE_WAIT_MS = 3000  # long past the speaker's grace: a cue not heard by then never is
CLICK_TO_START_MS = 500  # a click on the routine's row (which starts the engine), then Start


def cue_dense_routine(seconds: int) -> Routine:
    """Holds of 8 s with 4-s rests: a start cue, a countdown and a rest cue every 12 s."""
    steps = tuple(
        Step(name=f"Hold number {n + 1}", duration_s=8.0, rest_s=4.0, countdown=3)
        for n in range(max(1, seconds // 12))
    )
    return Routine(
        id="bench-cues", name="Cue benchmark", kind=Kind.STRENGTH, steps=steps, get_ready_s=3.0
    )


def measure(seconds: int = 60) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with private_sound_output() as server:
        if server is not None:
            os.environ["PULSE_SERVER"] = server
        figures = _measure(seconds, server)
        figures["first_cue_ms"] = [_first_cue_ms() for _ in range(FIRST_CUE_RUNS)]
        figures["first_cue_after_click_ms"] = [
            _first_cue_ms(CLICK_TO_START_MS) for _ in range(FIRST_CUE_RUNS)
        ]
        return figures


def _first_cue_ms(engine_lead_ms: int = 0) -> float | None:
    """The first cue of a session as the app plays it now: nothing of speech loaded until
    the first click, or the player opening, starts the engine (a fresh process, a cold
    clip cache); the player opens `engine_lead_ms` after that. Ms from the cue's moment
    to its playback, or None when it was not heard."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from loosen.speech.player import ClipSpeaker
    from loosen.speech.synth import ClipSynthesizer
    from loosen.ui.player_view import PlayerView

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="loosen-bench-first-cue-"))
    engines: list[ClipSynthesizer] = []

    def start_engine() -> None:
        engines.append(ClipSynthesizer(folder / "clips"))
        speaker.attach(engines[0])
        engines[0].add_status_listener(speaker.synth_status)

    speaker = ClipSpeaker(None, folder / "beeps", start_engine=start_engine)
    session = Session(cue_dense_routine(12), MonotonicClock())
    first = session.plan.cues[0].text
    heard: list[float] = []

    def on_clip(text: str, speaker_ms: float) -> None:
        if text == first and not heard:
            heard.append(speaker_ms)
            app.quit()

    speaker.clip_started.connect(on_clip)
    views: list[PlayerView] = []

    def open_player() -> None:
        views.append(PlayerView(session, speaker))  # starts the engine, if not yet
        views[0].start()

    if engine_lead_ms:
        speaker.want_voice()  # the app's first click
    QTimer.singleShot(engine_lead_ms, open_player)
    give_up = QTimer(singleShot=True, interval=FIRST_CUE_WAIT_MS)  # stopped, not left behind
    give_up.timeout.connect(app.quit)
    give_up.start()
    app.exec()
    give_up.stop()
    for view in views:
        view.driver.timer.stop()
    speaker.stop()
    for engine in engines:
        engine.close()
    return heard[0] if heard else None


def _measure(seconds: int, server: str | None) -> dict[str, object]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from loosen.speech.player import ClipSpeaker
    from loosen.speech.synth import ClipSynthesizer
    from loosen.ui.player_view import PlayerView

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="loosen-bench-cues-"))
    synth = ClipSynthesizer(folder / "clips")  # a cold cache: every clip is rendered now
    # As in the app, whose engine starts at launch, long before Start is pressed.
    synth.wait_ready(30.0)
    speaker = ClipSpeaker(synth, folder / "beeps")
    synth.add_status_listener(speaker.synth_status)
    session = Session(cue_dense_routine(seconds), MonotonicClock())
    view = PlayerView(session, speaker)

    late_ms: dict[str, float] = {}
    latencies: list[float] = []
    cues_due = 0
    gaps: list[float] = []
    last_probe = time.perf_counter()

    def on_events(events: list) -> None:
        nonlocal cues_due
        for event in events:
            if isinstance(event, CueDue):
                cues_due += 1
                late_ms[event.cue.text] = event.late_s * 1000
            if isinstance(event, SessionFinished):
                QTimer.singleShot(500, app.quit)  # let the last clip start

    def on_clip(text: str, speaker_ms: float) -> None:
        latencies.append(late_ms.get(text, 0.0) + speaker_ms)

    def probe() -> None:
        nonlocal last_probe
        now = time.perf_counter()
        gaps.append((now - last_probe) * 1000 - STALL_PROBE_MS)
        last_probe = now

    view.driver.events.connect(on_events)
    speaker.clip_started.connect(on_clip)
    stall_timer = QTimer()
    stall_timer.setTimerType(Qt.TimerType.PreciseTimer)
    stall_timer.setInterval(STALL_PROBE_MS)
    stall_timer.timeout.connect(probe)

    def begin() -> None:
        nonlocal last_probe
        last_probe = time.perf_counter()
        stall_timer.start()
        view.start()  # prepares (renders) every cue, the first ones first, then plays

    QTimer.singleShot(0, begin)
    app.exec()
    stall_timer.stop()
    synth.close()
    return {
        "sound_server": server or "none",
        "audio_output": speaker.audio_available,
        "engine": synth.status.engine or synth.status.reason,
        "cues_due": cues_due,
        "cues_heard": len(latencies),
        "latency_ms": latencies,
        "stall_ms": max(gaps, default=float("nan")),
        "ui_thread_render_ms": ui_thread_render_ms(folder),
    }


def ui_thread_render_ms(folder: Path) -> float | None:
    """The anchor: how long one cue blocks the caller when pyttsx3 runs on its thread."""
    try:
        import pyttsx3

        with contextlib.redirect_stdout(io.StringIO()):  # the driver prints every save
            started = time.perf_counter()
            engine = pyttsx3.init()
            engine.save_to_file("Hold number one, eight seconds", str(folder / "anchor.wav"))
            engine.runAndWait()
            return (time.perf_counter() - started) * 1000
    except Exception:  # no engine here: no anchor to print
        return None


def report(seconds: int = 60) -> str:
    figures = measure(seconds)
    latencies: list[float] = figures["latency_ms"]  # type: ignore[assignment]
    lines = [
        f"Cues over a {seconds}-s session with real speech "
        f"({figures['engine']}; sound output: {figures['sound_server']}):"
    ]
    if latencies:
        worst = max(latencies)
        lines.append(
            f"  cue latency (planned moment → playback)  median "
            f"{statistics.median(latencies):6.1f} ms   max {worst:6.1f} ms   "
            f"({figures['cues_heard']} of {figures['cues_due']} cues heard)"
        )
        verdict = "meets" if worst <= TARGET_LATENCY_MS else "MISSES"
        lines.append(f"  target: max ≤ {TARGET_LATENCY_MS:g} ms: {verdict} it")
    else:
        lines.append("  cue latency: no cue was heard (no sound output?)")
    stall = float(figures["stall_ms"])  # type: ignore[arg-type]
    verdict = "meets" if stall <= TARGET_STALL_MS else "MISSES"
    lines.append(
        f"  longest UI stall while cues render and play   {stall:6.1f} ms "
        f"(target ≤ {TARGET_STALL_MS:g} ms: {verdict} it)"
    )
    for key, when in (
        ("first_cue_ms", "the engine started as the player opens"),
        ("first_cue_after_click_ms", f"the engine started {CLICK_TO_START_MS} ms before"),
    ):
        first: list[float | None] = figures[key]  # type: ignore[assignment]
        heard = [ms for ms in first if ms is not None]
        summary = (
            f"median {statistics.median(heard):.0f} ms, max {max(heard):.0f} ms, " if heard else ""
        )
        lines.append(
            f"  first cue of a session, {when} (cold clip cache): "
            f"{summary}{len(heard)} of {len(first)} heard"
        )
    anchor = figures["ui_thread_render_ms"]
    if anchor is not None:
        lines.append(
            f"  anchor: pyttsx3 init + one cue on the UI thread blocks it {anchor:6.1f} ms"
        )
    return "\n".join(lines)
