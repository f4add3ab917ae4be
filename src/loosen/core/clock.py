"""Where time comes from: a monotonic clock for timing, the wall clock only to notice sleep.

The session asks a Clock for `now()` and computes its position from it; it never
counts ticks. Tests pass a FakeClock and move it by hand.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds: never jumps, only differences mean anything."""

    def wall(self) -> float:
        """Wall-clock seconds (epoch); used only to notice that the computer slept."""


class MonotonicClock:
    """The real clock."""

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: float = 1000.0, wall: float = 1_800_000_000.0) -> None:
        self._now = start
        self._wall = wall

    def now(self) -> float:
        return self._now

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock never goes back")
        self._now += seconds
        self._wall += seconds

    def suspend(self, seconds: float) -> None:
        """The computer sleeps: wall time passes, the monotonic clock stands still."""
        self._wall += seconds

    def jump_wall(self, seconds: float) -> None:
        """Someone sets the system clock (either way); monotonic time is unaffected."""
        self._wall += seconds
