"""The values a plan is made of: phases on a timeline, and the plan that holds them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from loosen.core.routine import Step

if TYPE_CHECKING:
    from loosen.core.cues import Cue


class PhaseKind(StrEnum):
    GET_READY = "get-ready"
    WORK = "work"
    REST = "rest"
    SWITCH = "switch"
    ACTIVITY = "activity"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True)
class Phase:
    kind: PhaseKind
    start_s: float  # planned offset from the session's start
    duration_s: float | None  # None: open-ended, waits for "done"
    step: str  # the step (or activity) this phase belongs to
    side: Side | None = None
    set: int = 1
    sets: int = 1
    reps: int | None = None
    step_number: int | None = None  # 1-based index of the step in its routine
    step_ref: Step | None = None
    break_number: int | None = None  # in a run: which break this phase is part of
    next_step: str | None = None  # for rests and get-ready: what comes after

    @property
    def end_s(self) -> float:
        return self.start_s + (self.duration_s or 0.0)

    @property
    def open_ended(self) -> bool:
        return self.duration_s is None


@dataclass(frozen=True)
class Plan:
    routine_id: str
    phases: tuple[Phase, ...]
    total_s: float
    cues: tuple[Cue, ...] = ()

    def phase_at(self, offset_s: float) -> int:
        """Index of the timed phase running at `offset_s` (the last one past the end)."""
        for index, phase in enumerate(self.phases):
            if offset_s < phase.end_s:
                return index
        return len(self.phases) - 1
