"""Wake the session exactly when something is due, on the Qt event loop.

The driver keeps one precise single-shot timer set to the next moment the session
says something changes (a cue, a phase end, the next second on the display); it never
counts ticks, so a late wake-up costs nothing but that one wake-up's delay.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from loosen.core.session import Event, Session, State

MAX_WAIT_MS = 1000  # look at the clock at least this often (notices a sleep soon after waking)


class SessionDriver(QObject):
    """Polls a Session at its due moments and hands the events on."""

    events = Signal(object)  # list[Event]
    woke = Signal()  # after every look at the clock: time to redraw

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.timer = QTimer(self)
        self.timer.setObjectName("session-driver")
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._wake)

    def act(self, events: list[Event]) -> None:
        """Hand on the events of a user action (skip, pause, …) and re-arm the timer."""
        if events:
            self.events.emit(events)
        self._arm()

    def start(self) -> None:
        self.act(self.session.start())

    def _wake(self) -> None:
        # Never early: a precise timer may fire a fraction of a millisecond before its
        # moment; ceil() in _arm makes that a harmless extra look at the clock.
        events = self.session.poll()
        if events:
            self.events.emit(events)
        self._arm()
        self.woke.emit()

    def _arm(self) -> None:
        self.timer.stop()
        if self.session.state is not State.RUNNING:
            return
        wait = self.session.seconds_to_next_change()
        delay_ms = MAX_WAIT_MS if wait is None else min(MAX_WAIT_MS, max(0, math.ceil(wait * 1000)))
        self.timer.start(delay_ms)
