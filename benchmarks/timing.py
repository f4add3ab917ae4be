"""Phase-boundary error of a real session on the real clock, beside a naive tick counter."""

from __future__ import annotations

import statistics
import time

from PySide6.QtCore import QCoreApplication, Qt, QTimer

from loosen.core.clock import MonotonicClock
from loosen.core.routine import Kind, Routine, Step
from loosen.core.session import PhaseStarted, Session, SessionFinished
from loosen.ui.driver import SessionDriver

TARGET_MAX_MS = 5.0


def one_second_phases(count: int) -> Routine:
    steps = tuple(
        Step(name=f"Phase {n}", duration_s=1.0, rest_s=0.0, countdown=0) for n in range(count)
    )
    return Routine(id="bench", name="Benchmark", kind=Kind.STRENGTH, steps=steps, get_ready_s=0)


def measure(seconds: int = 60) -> dict[str, list[float]]:
    """Run `seconds` one-second phases; return boundary errors (ms) for both timers."""
    app = QCoreApplication.instance() or QCoreApplication([])
    session = Session(one_second_phases(seconds), MonotonicClock())
    driver = SessionDriver(session)
    session_errors: list[float] = []
    naive_errors: list[float] = []
    naive_ticks = 0
    started = 0.0

    def on_events(events: list) -> None:
        now = time.monotonic()
        for event in events:
            if isinstance(event, PhaseStarted) and event.index > 0:
                session_errors.append((now - started - event.index) * 1000)
            if isinstance(event, SessionFinished):
                QTimer.singleShot(1100, app.quit)  # let the naive counter reach its last tick

    def on_tick() -> None:
        nonlocal naive_ticks
        naive_ticks += 1  # the naive way: one tick = one second
        if naive_ticks < seconds:
            naive_errors.append((time.monotonic() - started - naive_ticks) * 1000)
        else:
            naive.stop()

    naive = QTimer()
    naive.setObjectName("naive-tick-counter")
    naive.setTimerType(Qt.TimerType.CoarseTimer)  # what QTimer(1000) gives by default
    naive.setInterval(1000)
    naive.timeout.connect(on_tick)
    driver.events.connect(on_events)

    def begin() -> None:
        nonlocal started
        started = time.monotonic()
        naive.start()
        driver.start()

    QTimer.singleShot(0, begin)
    app.exec()
    return {"session": session_errors, "naive": naive_errors}


def report(seconds: int = 60) -> str:
    errors = measure(seconds)
    lines = [f"Phase boundaries over {seconds} s of 1-s phases (error from the ideal moment):"]
    for name, label in (
        ("session", "Loosen session (clock-computed)"),
        ("naive", "naive QTimer(1000) tick counter"),
    ):
        values = [abs(v) for v in errors[name]]
        if not values:
            lines.append(f"  {label:<34} no boundaries measured")
            continue
        drift = errors[name][-1] - errors[name][0]
        lines.append(
            f"  {label:<34} median {statistics.median(values):7.2f} ms   "
            f"max {max(values):7.2f} ms   drift first→last {drift:+8.2f} ms"
        )
    worst = max((abs(v) for v in errors["session"]), default=float("nan"))
    verdict = "meets" if worst <= TARGET_MAX_MS else "MISSES"
    lines.append(f"  target: max ≤ {TARGET_MAX_MS:g} ms for the session: {verdict} it")
    return "\n".join(lines)
