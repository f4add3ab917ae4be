"""Expand a routine into its timeline: phases with offsets, the same every time.

The rules are DESIGN.md's "How a routine expands into phases" and the interval
semantics of run routines. An open-ended phase (reps without tempo) has no length;
phases after it are timed as if it took none.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE, LEAD_IN_KINDS, build_cues, lead_in_s
from loosen.core.phases import Phase, PhaseKind, Plan, Side, counts_reps
from loosen.core.routine import Routine

__all__ = [
    "OPEN_RUN_PLAN_S",
    "Phase",
    "PhaseKind",
    "Plan",
    "Side",
    "break_length_s",
    "build_plan",
    "planned_length_s",
    "run_phases",
    "step_phases",
]

# Without `total`, a run is planned (and exported) for an hour.
OPEN_RUN_PLAN_S = 3600.0
_ROUNDING_S = 1e-9  # starts and ends are sums of floats


def step_phases(
    routine: Routine,
    start_s: float,
    break_number: int | None = None,
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
) -> list[Phase]:
    """The phases of a routine with steps, starting at `start_s`.

    Counted reps (reps at a tempo) are counted from their first beat, so the step's
    announcement, its instruction and the countdown come in the phase before it (the
    get-ready, a rest or the switch); that lead-in is lengthened where they need more
    time than it has, and is there even where the routine asks for none.
    """
    steps = routine.steps
    # Every phase's fields but its start, lengths of 0 included: the starts are known
    # only once the lead-ins are lengthened, and a phase is made once, where it starts.
    draft: list[dict[str, Any]] = []
    if steps:
        draft.append(
            {
                "kind": PhaseKind.GET_READY,
                "duration_s": routine.get_ready_s,
                "step": steps[0].name,
                "next_step": steps[0].name,
                "break_number": break_number,
            }
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
        work = {**common, "kind": PhaseKind.WORK, "duration_s": step.work_s}
        for set_number in range(1, step.sets + 1):
            if step.sides:
                draft.append({**work, "side": Side.LEFT, "set": set_number})
                draft.append(
                    {
                        **common,
                        "kind": PhaseKind.SWITCH,
                        "duration_s": step.switch_s,
                        "side": Side.RIGHT,
                        "set": set_number,
                    }
                )
                draft.append({**work, "side": Side.RIGHT, "set": set_number})
            else:
                draft.append({**work, "set": set_number})
            if set_number < step.sets:
                draft.append(
                    {
                        **common,
                        "kind": PhaseKind.REST,
                        "duration_s": step.rest_s,
                        "set": set_number,
                        "next_step": step.name,
                    }
                )
        if number < len(steps):
            draft.append(
                {
                    **common,
                    "kind": PhaseKind.REST,
                    "duration_s": step.rest_s,
                    "set": step.sets,
                    "next_step": steps[number].name,
                }
            )

    break_name = routine.name if break_number is not None else None
    for index in range(1, len(draft)):
        lead_fields, work_fields = draft[index - 1], draft[index]
        if (
            lead_fields["kind"] in LEAD_IN_KINDS
            and work_fields["kind"] is PhaseKind.WORK
            and counts_reps(work_fields["step_ref"])
        ):
            lead = Phase(start_s=0.0, **lead_fields)
            work_phase = Phase(start_s=0.0, **work_fields)
            needed = math.ceil(lead_in_s(lead, work_phase, break_name, words_per_minute) - 1e-9)
            if (lead.duration_s or 0.0) < needed:
                lead_fields["duration_s"] = float(needed)

    phases: list[Phase] = []
    clock = start_s
    for fields in draft:
        duration = fields["duration_s"]
        if duration == 0:
            continue  # a phase of length 0 is left out
        phases.append(Phase(start_s=clock, **fields))
        clock += duration or 0.0
    return phases


def break_length_s(routine: Routine, words_per_minute: float = DEFAULT_WORDS_PER_MINUTE) -> float:
    """How long one break of a run takes, as planned."""
    assert routine.interval is not None
    phases = step_phases(routine.interval.break_routine, 0.0, 0, words_per_minute)
    return sum(p.duration_s or 0.0 for p in phases)


def run_phases(
    routine: Routine,
    start_s: float,
    total_s: float | None,
    breaks_before: int = 0,
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
    *,
    count_started_s: float | None = None,
    first_effort: int = 0,
) -> list[Phase]:
    """A run's phases from `start_s`, where the activity (re)starts, to `total_s`.

    Each break starts at the end of its window and runs the break routine whole; the
    count restarts when it ends. A break is planned only if it ends by `total_s`. With
    no total the timeline covers the next two breaks (the live session extends it).
    A run made of efforts goes by `effort_run_phases`; there, `count_started_s` and
    `first_effort` continue a stretch of efforts under way.
    """
    interval = routine.interval
    assert interval is not None
    if interval.efforts:
        return effort_run_phases(
            routine,
            start_s,
            total_s,
            breaks_before,
            words_per_minute,
            count_started_s,
            first_effort,
        )
    length = break_length_s(routine, words_per_minute)
    cycle = interval.every.end_s + length
    end = total_s if total_s is not None else start_s + 2 * cycle
    phases: list[Phase] = []
    clock = start_s
    number = breaks_before
    while clock < end:
        break_at = clock + interval.every.end_s
        if break_at + length > end and total_s is not None:
            phases.append(Phase(PhaseKind.ACTIVITY, clock, end - clock, interval.activity))
            break
        phases.append(
            Phase(
                PhaseKind.ACTIVITY,
                clock,
                break_at - clock,
                interval.activity,
                next_step=interval.break_routine.name,
            )
        )
        number += 1
        phases.extend(step_phases(interval.break_routine, break_at, number, words_per_minute))
        clock = break_at + length
    return phases


def effort_run_phases(
    routine: Routine,
    start_s: float,
    total_s: float | None,
    breaks_before: int = 0,
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
    count_started_s: float | None = None,
    first_effort: int = 0,
) -> list[Phase]:
    """A run made of efforts, from `start_s` to `total_s`: the efforts in order, repeated.

    A break never cuts an effort: it starts when the effort under way at its window's
    end ends (at once, if an effort ends right there), and the efforts start again from
    the first after it. As in any run, a break is planned only if it ends by the total;
    the total is kept exact, so the last effort is cut where the session ends.
    `count_started_s` is when the count to the first break began (default `start_s`),
    and `first_effort` the index of the effort to start with: a stretch of efforts under
    way, re-planned from one of them, keeps its break where it was due. Whatever the
    count says, the effort at `start_s` is run before a break.
    """
    interval = routine.interval
    assert interval is not None and interval.efforts
    length = break_length_s(routine, words_per_minute)
    end = total_s if total_s is not None else start_s + 2 * (interval.every.end_s + length)
    phases: list[Phase] = []
    clock = start_s
    count_from = start_s if count_started_s is None else count_started_s
    effort = first_effort
    number = breaks_before
    while clock < end - _ROUNDING_S:
        block = _efforts(routine, effort, clock, until_s=count_from + interval.every.end_s)
        break_at = block[-1].end_s
        if total_s is not None and break_at + length > end + _ROUNDING_S:
            phases.extend(_efforts(routine, effort, clock, until_s=end, cut=True))
            break
        block[-1] = replace(block[-1], next_step=interval.break_routine.name)
        phases.extend(block)
        number += 1
        phases.extend(step_phases(interval.break_routine, break_at, number, words_per_minute))
        clock = count_from = break_at + length
        effort = 0
    return phases


def _efforts(
    routine: Routine, first: int, start_s: float, *, until_s: float, cut: bool = False
) -> list[Phase]:
    """The efforts from index `first` on, in turn, from `start_s`: at least one, then
    until one ends at or past `until_s`; with `cut`, the one that passes it ends there
    (and one that would start there is left out)."""
    assert routine.interval is not None
    efforts = routine.interval.efforts
    laid: list[tuple[float, float, int]] = []  # (start, length, index in efforts)
    clock, index = start_s, first
    while not laid or clock < until_s - _ROUNDING_S:
        effort = efforts[index % len(efforts)]
        length = effort.duration_s or 0.0
        if cut:
            length = min(length, until_s - clock)
        laid.append((clock, length, index % len(efforts)))
        clock += length
        index += 1
    phases = []
    for number, (start, length, at) in enumerate(laid):
        following = laid[number + 1] if number + 1 < len(laid) else None
        effort = efforts[at]
        phases.append(
            Phase(
                PhaseKind.ACTIVITY,
                start,
                length,
                effort.name,
                step_number=at + 1,
                step_ref=effort,
                next_step=efforts[following[2]].name if following else None,
            )
        )
    return phases


def build_timeline(routine: Routine, words_per_minute: float = DEFAULT_WORDS_PER_MINUTE) -> Plan:
    """The routine's phases and total, without cues: enough to say how long it takes,
    at a fraction of the cost of fitting the cues (the library shows every routine's).
    The speaking rate matters only where a lead-in must make room for an instruction."""
    if routine.interval is not None:
        total = routine.interval.total_s
        if total is None:
            total = OPEN_RUN_PLAN_S
        phases = run_phases(routine, 0.0, total, 0, words_per_minute)
    else:
        phases = step_phases(routine, 0.0, None, words_per_minute)
        total = phases[-1].end_s if phases else 0.0
    return Plan(routine.id, tuple(phases), total)


def planned_length_s(
    routine: Routine,
    timeline: Plan | None = None,
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
) -> float | None:
    """How long a session of `routine` is planned to take; None for a run that goes on
    until the user stops. The one answer the library, `loosen list` and the history
    give. `timeline` is the routine's plan when the caller has it already (built at
    `words_per_minute`), so it is not built twice."""
    if routine.interval is not None:
        return routine.interval.total_s  # a run's total is its plan's, breaks included
    if timeline is None:
        timeline = build_timeline(routine, words_per_minute)
    return timeline.total_s


def build_plan(routine: Routine, words_per_minute: float = DEFAULT_WORDS_PER_MINUTE) -> Plan:
    """The routine's timeline with its cues. Pure: the same routine gives the same plan."""
    plan = build_timeline(routine, words_per_minute)
    return replace(plan, cues=build_cues(plan, routine, words_per_minute))
