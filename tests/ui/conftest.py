"""Fakes for the UI tests: a speaker that records, a clock that only moves when told."""

from __future__ import annotations

import pytest

from loosen.core.clock import FakeClock

from helpers import RecordingSpeaker


@pytest.fixture
def speaker() -> RecordingSpeaker:
    return RecordingSpeaker()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
