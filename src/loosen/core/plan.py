"""Expand a routine into its timeline: phases with offsets, the same every time.

The rules are DESIGN.md's "How a routine expands into phases" and the interval
semantics of run routines. An open-ended phase (reps without tempo) has no length;
phases after it are timed as if it took none.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from loosen.core.routine import Routine, Step

# Without `total`, a run is planned (and exported) for an hour.
OPEN_RUN_PLAN_S = 3600.0


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

    def phase_at(self, offset_s: float) -> int:
        """Index of the timed phase running at `offset_s` (the last one past the end)."""
        for index, phase in enumerate(self.phases):
            if offset_s < phase.end_s:
                return index
        return len(self.phases) - 1


def _phase_steps(routine: Routine, start_s: float, break_number: int | None = None) -> list[Phase]:
    """The phases of a routine with steps, starting at `start_s`."""
    phases: list[Phase] = []
    clock = start_s

    def add(phase: Phase) -> None:
        nonlocal clock
        if phase.duration_s == 0:
            return  # a phase of length 0 is left out
        phases.append(phase)
        clock += phase.duration_s or 0.0

    steps = routine.steps
    if steps:
        add(
            Phase(
                PhaseKind.GET_READY,
                clock,
                routine.get_ready_s,
                steps[0].name,
                next_step=steps[0].name,
                break_number=break_number,
            )
        )
    for number, step in enumerate(steps, start=1):
        common = {
            "step": step.name,
            "sets": step.sets,
            "reps": step.reps,
            "step_number": number,
            "step_ref": step,
            "break_number": break_number,
        }
        for set_number in range(1, step.sets + 1):
            if step.sides:
                add(
                    Phase(
                        PhaseKind.WORK, clock, step.work_s, side=Side.LEFT, set=set_number, **common
                    )
                )
                add(
                    Phase(
                        PhaseKind.SWITCH,
                        clock,
                        step.switch_s,
                        side=Side.RIGHT,
                        set=set_number,
                        **common,
                    )
                )
                add(
                    Phase(
                        PhaseKind.WORK,
                        clock,
                        step.work_s,
                        side=Side.RIGHT,
                        set=set_number,
                        **common,
                    )
                )
            else:
                add(Phase(PhaseKind.WORK, clock, step.work_s, set=set_number, **common))
            if set_number < step.sets:
                add(
                    Phase(
                        PhaseKind.REST,
                        clock,
                        step.rest_s,
                        set=set_number,
                        next_step=step.name,
                        **common,
                    )
                )
        if number < len(steps):
            add(
                Phase(
                    PhaseKind.REST,
                    clock,
                    step.rest_s,
                    set=step.sets,
                    next_step=steps[number].name,
                    **common,
                )
            )
    return phases


def _phase_run(routine: Routine) -> tuple[list[Phase], float]:
    interval = routine.interval
    assert interval is not None
    total = interval.total_s if interval.total_s is not None else OPEN_RUN_PLAN_S
    break_routine = interval.break_routine
    break_length = sum(p.duration_s or 0.0 for p in _phase_steps(break_routine, 0.0))
    phases: list[Phase] = []
    clock = 0.0
    break_number = 0
    while clock < total:
        break_at = clock + interval.every.end_s
        if break_at + break_length > total:
            phases.append(Phase(PhaseKind.ACTIVITY, clock, total - clock, interval.activity))
            break
        phases.append(
            Phase(
                PhaseKind.ACTIVITY,
                clock,
                break_at - clock,
                interval.activity,
                next_step=break_routine.name,
            )
        )
        break_number += 1
        phases.extend(_phase_steps(break_routine, break_at, break_number))
        clock = break_at + break_length
    return phases, total


def build_plan(routine: Routine) -> Plan:
    """The routine's timeline. Pure: the same routine always gives the same plan."""
    if routine.interval is not None:
        phases, total = _phase_run(routine)
    else:
        phases = _phase_steps(routine, 0.0)
        total = phases[-1].end_s if phases else 0.0
    return Plan(routine.id, tuple(phases), total)
