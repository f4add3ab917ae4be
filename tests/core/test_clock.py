"""The clocks: the real one's count of time suspended, and the fake one that models it."""

from __future__ import annotations

import sys
import time

import pytest

from loosen.core.clock import FakeClock, MonotonicClock
from loosen.core.session import SUSPEND_MIN_S


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CLOCK_BOOTTIME is Linux's")
def test_the_real_clock_counts_time_suspended_since_boot_and_holds_still_while_awake():
    clock = MonotonicClock()
    first = clock.suspended()
    since_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
    assert 0.0 <= first <= since_boot
    later = clock.suspended()
    # Awake, the count stands still, bar the nanoseconds between two clock reads.
    assert first - 1e-3 <= later <= first + SUSPEND_MIN_S / 10


def test_the_fake_clock_counts_a_suspend_and_nothing_else():
    clock = FakeClock()
    clock.advance(30)
    clock.jump_wall(-3600)
    clock.jump_wall(7200)
    assert clock.suspended() == 0
    before = clock.now()
    clock.suspend(600)
    assert (clock.suspended(), clock.now()) == (600, before)
    clock.suspend(60, monotonic_counts_it=True)
    assert (clock.suspended(), clock.now()) == (660, before + 60)
