"""Where time comes from: a monotonic clock for timing, and how long the computer slept.

The session asks a Clock for `now()` and computes its position from it; it never
counts ticks. A sleep is told by the clocks themselves (`suspended()`, the total time
the computer has spent suspended), never by a gap between two looks at the clock: a
busy event loop or a user pressing keys is not a sleep. Tests pass a FakeClock and
move it by hand.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds: never jumps, only differences mean anything."""

    def wall(self) -> float:
        """Wall-clock seconds (epoch): for moments a person names (reminders)."""

    def suspended(self) -> float:
        """Seconds the computer has spent suspended so far; it only grows, and only
        differences mean anything."""


def _linux_suspended() -> float:
    # CLOCK_BOOTTIME runs through a suspend, CLOCK_MONOTONIC does not. Read the
    # monotonic one first so read latency never makes the difference negative.
    monotonic = time.clock_gettime(time.CLOCK_MONOTONIC)
    return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - monotonic)


def _macos_suspended_reader() -> Callable[[], float] | None:
    # mach_continuous_time counts through sleep, mach_absolute_time does not; both
    # are in ticks that mach_timebase_info converts to nanoseconds.
    import ctypes.util  # here only: elsewhere the app starts without loading ctypes

    path = ctypes.util.find_library("System") or ctypes.util.find_library("c")
    if path is None:
        return None
    libc = ctypes.CDLL(path)
    if not hasattr(libc, "mach_continuous_time"):
        return None

    class TimebaseInfo(ctypes.Structure):
        _fields_ = (("numer", ctypes.c_uint32), ("denom", ctypes.c_uint32))

    info = TimebaseInfo()
    if libc.mach_timebase_info(ctypes.byref(info)) != 0 or info.denom == 0:
        return None
    libc.mach_absolute_time.restype = ctypes.c_uint64
    libc.mach_continuous_time.restype = ctypes.c_uint64
    seconds_per_tick: float = info.numer / info.denom / 1e9

    def read() -> float:
        absolute: int = libc.mach_absolute_time()
        continuous: int = libc.mach_continuous_time()
        return max(0, continuous - absolute) * seconds_per_tick

    return read


def _windows_suspended_reader() -> Callable[[], float] | None:
    # Interrupt time counts through sleep, unbiased interrupt time does not; both
    # are in units of 100 ns.
    if sys.platform != "win32":
        return None  # the caller asks only on Windows; this tells mypy where WinDLL exists
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32")
    if not hasattr(kernel32, "QueryInterruptTime"):
        return None  # before Windows 10

    def read() -> float:
        unbiased, biased = ctypes.c_ulonglong(), ctypes.c_ulonglong()
        kernel32.QueryUnbiasedInterruptTime(ctypes.byref(unbiased))
        kernel32.QueryInterruptTime(ctypes.byref(biased))
        return max(0, biased.value - unbiased.value) * 100e-9

    return read


def _platform_suspended_reader() -> Callable[[], float] | None:
    """The system's own count of time spent suspended, where the system has one."""
    try:
        if sys.platform.startswith("linux") and hasattr(time, "CLOCK_BOOTTIME"):
            _linux_suspended()
            return _linux_suspended
        if sys.platform == "darwin":
            return _macos_suspended_reader()
        if sys.platform == "win32":
            return _windows_suspended_reader()
    except (OSError, AttributeError):
        pass  # an old system without the call: the drift fallback below
    return None


class _DriftSuspended:
    """Fallback: wall time running ahead of monotonic time, summed (a sleep stops
    only the monotonic clock). The wall clock set forward looks the same; set back,
    it is ignored."""

    def __init__(self) -> None:
        self._offset = time.time() - time.monotonic()
        self._total = 0.0

    def __call__(self) -> float:
        offset = time.time() - time.monotonic()
        self._total += max(0.0, offset - self._offset)
        self._offset = offset
        return self._total


class MonotonicClock:
    """The real clock."""

    def __init__(self) -> None:
        self._suspended = _platform_suspended_reader() or _DriftSuspended()

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    def suspended(self) -> float:
        return self._suspended()


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: float = 1000.0, wall: float = 1_800_000_000.0) -> None:
        self._now = start
        self._wall = wall
        self._suspended = 0.0

    def now(self) -> float:
        return self._now

    def wall(self) -> float:
        return self._wall

    def suspended(self) -> float:
        return self._suspended

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock never goes back")
        self._now += seconds
        self._wall += seconds

    def suspend(self, seconds: float, *, monotonic_counts_it: bool = False) -> None:
        """The computer sleeps: wall time passes and the system counts it as suspended;
        the monotonic clock stands still (Linux, macOS) or, where it counts through a
        sleep (`monotonic_counts_it`, as on Windows), moves on too."""
        self._wall += seconds
        self._suspended += seconds
        if monotonic_counts_it:
            self._now += seconds

    def jump_wall(self, seconds: float) -> None:
        """Someone sets the system clock (either way); monotonic time is unaffected."""
        self._wall += seconds
