"""A whole outing as one guide: routines' plans end to end, its title and its chapters.

A runner carries warm-up, run and cooldown as one file (`loosen export-audio A B C
OUT`). Each routine is planned on its own, as `loosen plan` shows it, then laid after
the one before: its phases and cues are shifted by the earlier routines' totals, so the
outing lasts their sum. "Session complete" is said once, at the very end; between two
routines the next one's own opening cue takes its place.

Chapters let a phone's player jump to a step, a break or the cooldown: one per step
(not per side or set), starting where the step is introduced (the get-ready or the
rest before it, where its name is spoken); one per stretch of the activity in a run;
one per break ("Break: Squat and fold"). A routine's first chapter also names the
routine, so each routine start is a chapter of its own name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE, Cue, CueKind
from loosen.core.phases import Phase, PhaseKind, Plan
from loosen.core.plan import build_plan
from loosen.core.routine import Routine

TITLE_JOINER = " + "  # between the routines' names in the guide's title
ROUTINE_CHAPTER = "{routine}: {first}"  # the title of a routine's first chapter
BREAK_CHAPTER = "Break: {routine}"
# Phases that introduce what follows: they belong to the chapter of the step after them.
_LEAD_INS = frozenset({PhaseKind.GET_READY, PhaseKind.REST, PhaseKind.SWITCH})


@dataclass(frozen=True)
class Chapter:
    start_s: float  # from the start of the guide
    title: str


@dataclass(frozen=True)
class Outing:
    """What one audio guide holds: the joined plan, the title and the chapters."""

    plan: Plan
    title: str
    chapters: tuple[Chapter, ...]


def plan_outing(
    routines: Sequence[Routine], words_per_minute: float = DEFAULT_WORDS_PER_MINUTE
) -> Outing:
    """The routines, in order, as one guide (each planned at `words_per_minute`)."""
    if not routines:
        raise ValueError("an outing needs at least one routine")
    plans = [build_plan(routine, words_per_minute=words_per_minute) for routine in routines]
    chapters: list[Chapter] = []
    offset_s = 0.0
    for routine, plan in zip(routines, plans, strict=True):
        chapters.extend(routine_chapters(routine, plan, offset_s))
        offset_s += plan.total_s
    return Outing(
        plan=join_plans(plans),
        title=TITLE_JOINER.join(routine.name for routine in routines),
        chapters=tuple(chapters),
    )


def join_plans(plans: Sequence[Plan]) -> Plan:
    """One plan of `plans` end to end; only the last one's completion cue is kept."""
    if len(plans) == 1:
        return plans[0]
    phases: list[Phase] = []
    cues: list[Cue] = []
    offset_s = 0.0
    for number, plan in enumerate(plans, start=1):
        last = number == len(plans)
        first_index = len(phases)
        phases.extend(replace(p, start_s=p.start_s + offset_s) for p in plan.phases)
        cues.extend(
            replace(c, at_s=c.at_s + offset_s, phase_index=c.phase_index + first_index)
            for c in plan.cues
            if last or c.kind is not CueKind.COMPLETE
        )
        offset_s += plan.total_s
    routine_id = TITLE_JOINER.strip().join(plan.routine_id for plan in plans)
    return Plan(routine_id, tuple(phases), offset_s, tuple(cues))


def _chapter_key(routine: Routine, phase: Phase, breaks_before: int) -> tuple[str, int, str]:
    """Which chapter a phase that introduces nothing belongs to, and that chapter's title."""
    if phase.break_number is not None:
        name = routine.interval.break_routine.name if routine.interval else phase.step
        return ("break", phase.break_number, BREAK_CHAPTER.format(routine=name))
    if phase.kind is PhaseKind.ACTIVITY:
        activity = routine.interval.activity if routine.interval else phase.step
        return ("activity", breaks_before, activity)
    return ("step", phase.step_number or 0, phase.step)


def routine_chapters(routine: Routine, plan: Plan, offset_s: float = 0.0) -> list[Chapter]:
    """The chapters of one routine's plan, placed `offset_s` into the guide."""
    keys: list[tuple[str, int, str] | None] = []
    breaks_before = 0
    for phase in plan.phases:
        if phase.break_number is not None:
            breaks_before = phase.break_number
        if phase.break_number is None and phase.kind in _LEAD_INS:
            keys.append(None)  # decided by what it leads into
        else:
            keys.append(_chapter_key(routine, phase, breaks_before))
    following: tuple[str, int, str] | None = None
    for index in range(len(keys) - 1, -1, -1):  # a lead-in takes the next step's chapter
        if keys[index] is None:
            keys[index] = following
        following = keys[index]

    chapters: list[Chapter] = []
    previous: tuple[str, int, str] | None = None
    for phase, key in zip(plan.phases, keys, strict=True):
        if key is None or key == previous:
            continue
        previous = key
        chapters.append(Chapter(offset_s + phase.start_s, key[2]))
    if chapters:
        first = chapters[0]
        title = ROUTINE_CHAPTER.format(routine=routine.name, first=first.title)
        chapters[0] = Chapter(offset_s, title)
    else:
        chapters.append(Chapter(offset_s, routine.name))
    return chapters
