"""A desktop that says what the test tells it: the stand-in for PresenceReader in UI tests.

The real reader is tested against real sources (tests/presence); the reminder tests need
a desktop whose idle time follows their fake clock. Like the real one, it answers every
`refresh()` through the event loop, never at once.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from loosen.core.presence import UNKNOWN, Busy, Presence


class DeskStandIn(QObject):
    updated = Signal(object)  # Presence

    def __init__(self, clock, *, idle_known: bool = True) -> None:
        super().__init__()
        self.clock = clock
        self.idle_known = idle_known
        self.last_input = clock.now()
        self.locked = False
        self.busy: Busy | None = None
        self.looks = 0  # refresh() calls: what the reminders cost the desktop
        self.closed = False
        self._last = UNKNOWN

    def touch(self) -> None:
        """A key pressed or the mouse moved, now."""
        self.last_input = self.clock.now()

    def now(self) -> Presence:
        idle = self.clock.now() - self.last_input if self.idle_known else None
        return Presence(idle_s=idle, locked=self.locked, busy=self.busy)

    def refresh(self) -> None:
        self.looks += 1
        QTimer.singleShot(0, self, self._publish)

    def _publish(self) -> None:
        if not self.closed:
            self._last = self.now()
            self.updated.emit(self._last)

    def read(self) -> Presence:
        return self._last

    def available(self) -> bool:
        return self.idle_known

    def missing_text(self) -> str | None:
        from loosen.ui.presence import MISSING_TEXT

        return None if self.idle_known else MISSING_TEXT

    def close(self) -> None:
        self.closed = True
