"""The values a plan is made of: phases on a timeline, and the plan that holds them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from loosen.core.routine import Step

if TYPE_CHECKING:
    from loosen.core.cues import Cue

_ROUNDING_S = 1e-9


class PhaseKind(StrEnum):
    GET_READY = "get-ready"
    WORK = "work"
    REST = "rest"
    SWITCH = "switch"
    ACTIVITY = "activity"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


def counts_reps(step: Step | None) -> bool:
    """A step of reps at a tempo: its work phases are counted, rep by rep."""
    return step is not None and step.reps is not None and step.tempo_s is not None


@dataclass(frozen=True, slots=True)
class Phase:
    kind: PhaseKind
    start_s: float  # planned offset from the session's start
    duration_s: float | None  # None: open-ended, waits for "done"
    step: str  # the step (or activity) this phase belongs to
    side: Side | None = None
    set: int = 1
    sets: int = 1
    reps: int | None = None
    step_number: int | None = None  # 1-based index of the step (or the effort) in its routine
    step_ref: Step | None = None
    break_number: int | None = None  # in a run: which break this phase is part of
    next_step: str | None = None  # for rests and get-ready: what comes after

    @property
    def end_s(self) -> float:
        return self.start_s + (self.duration_s or 0.0)

    @property
    def open_ended(self) -> bool:
        return self.duration_s is None

    @property
    def is_effort(self) -> bool:
        """One of a run's efforts (a sprint, a walk back): activity with a step of its own."""
        return self.kind is PhaseKind.ACTIVITY and self.step_ref is not None

    @property
    def counted(self) -> bool:
        """A work phase of reps at a tempo: the voice counts each rep on its beat."""
        return self.kind is PhaseKind.WORK and counts_reps(self.step_ref)

    def rep_at(self, elapsed_s: float) -> int | None:
        """The rep under way `elapsed_s` into a counted phase (1-based), or None when
        the phase is not counted. Rep n runs from `rep_start_s(n)` to the next rep's
        start; its number is said at its start, and the screen shows it until then."""
        if not self.counted:
            return None
        assert self.step_ref is not None and self.step_ref.tempo_s is not None
        assert self.step_ref.reps is not None
        # Offsets are sums of floats: a rep whose moment has come (to within rounding)
        # is under way, as the session fires its cue.
        started = int((elapsed_s + _ROUNDING_S) // self.step_ref.tempo_s) + 1
        return max(1, min(self.step_ref.reps, started))

    def rep_start_s(self, rep: int) -> float:
        """When rep `rep` (1-based) of a counted phase starts, from the phase's start."""
        assert self.step_ref is not None and self.step_ref.tempo_s is not None
        return (rep - 1) * self.step_ref.tempo_s


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
