"""Fakes for the UI tests: a speaker that records, a clock that only moves when told."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from loosen.core.clock import FakeClock
from loosen.speech.beeps import Beep


class RecordingSpeaker:
    """A Speaker that remembers what it was asked to do."""

    def __init__(self, notice: str | None = None) -> None:
        self.prepared: list[str] = []
        self.spoken: list[str] = []
        self.beeps: list[Beep] = []
        self.stops = 0
        self.muted = False
        self.volume = 1.0
        self.beeps_enabled = True
        self.voice_enabled = True
        self._notice = notice

    def prepare(self, texts: Sequence[str]) -> None:
        self.prepared.extend(texts)

    def speak(self, text: str) -> None:
        self.spoken.append(text)

    def beep(self, beep: Beep) -> None:
        self.beeps.append(beep)

    def stop(self) -> None:
        self.stops += 1

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def set_volume(self, volume: float) -> None:
        self.volume = volume

    def set_beeps(self, enabled: bool) -> None:
        self.beeps_enabled = enabled

    def set_voice_enabled(self, enabled: bool) -> None:
        self.voice_enabled = enabled

    @property
    def notice(self) -> str | None:
        return self._notice


@pytest.fixture
def speaker() -> RecordingSpeaker:
    return RecordingSpeaker()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
