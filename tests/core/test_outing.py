"""Outings: routines end to end in one plan, and the chapters a phone's player jumps to."""

from __future__ import annotations

from dataclasses import replace

from loosen.core.cues import CueKind
from loosen.core.outing import BREAK_CHAPTER, plan_outing
from loosen.core.phases import PhaseKind
from loosen.core.plan import build_plan

from helpers import routine, run_routine, step


def warm_up():
    return replace(
        routine(
            step("Leg swings", duration_s=20.0, sides=True),
            step("Squats", duration_s=15.0, sets=2, rest_s=5.0),
            routine_id="warm-up",
        ),
        name="Warm-up",
    )


def cooldown():
    return replace(
        routine(step("Fold", duration_s=20.0), step("Lunge", duration_s=30.0, sides=True)),
        id="cooldown",
        name="Cooldown",
    )


def test_routines_are_laid_end_to_end_and_last_as_long_as_their_plans_together():
    parts = [warm_up(), run_routine(total_s=3600.0), cooldown()]
    plans = [build_plan(p) for p in parts]
    outing = plan_outing(parts)
    assert outing.plan.total_s == sum(p.total_s for p in plans)
    assert outing.title == "Warm-up + Sprint hour + Cooldown"
    offset = 0.0
    index = 0
    for plan in plans:
        for phase in plan.phases:
            joined = outing.plan.phases[index]
            assert (joined.kind, joined.step, joined.start_s) == (
                phase.kind,
                phase.step,
                phase.start_s + offset,
            )
            index += 1
        offset += plan.total_s
    assert index == len(outing.plan.phases)
    # Every cue keeps its moment, shifted, and points at its own phase.
    for cue in outing.plan.cues:
        if cue.kind is not CueKind.COMPLETE:
            assert outing.plan.phases[cue.phase_index].start_s + cue.offset_s == cue.at_s


def test_session_complete_is_said_once_at_the_very_end():
    outing = plan_outing([warm_up(), cooldown()])
    complete = [c for c in outing.plan.cues if c.kind is CueKind.COMPLETE]
    assert [c.at_s for c in complete] == [outing.plan.total_s]


def test_one_routine_is_its_own_plan():
    part = cooldown()
    assert plan_outing([part]).plan == build_plan(part)


def test_a_chapter_per_step_not_per_side_or_set_starting_where_the_step_is_introduced():
    outing = plan_outing([warm_up()])
    plan = outing.plan
    assert [c.title for c in outing.chapters] == ["Warm-up: Leg swings", "Squats"]
    # "Squats" starts at the rest before it, where the voice says what comes next.
    rest_before = next(p for p in plan.phases if p.kind is PhaseKind.REST)
    assert rest_before.next_step == "Squats"
    assert outing.chapters[1].start_s == rest_before.start_s
    assert outing.chapters[0].start_s == 0.0


def test_each_routine_start_and_each_break_is_a_chapter():
    parts = [warm_up(), run_routine(total_s=3600.0), cooldown()]
    plans = [build_plan(p) for p in parts]
    outing = plan_outing(parts)
    titles = [c.title for c in outing.chapters]
    starts = {c.title: c.start_s for c in outing.chapters}
    assert starts["Warm-up: Leg swings"] == 0.0
    assert starts["Sprint hour: Sprints"] == plans[0].total_s
    assert starts["Cooldown: Fold"] == plans[0].total_s + plans[1].total_s
    breaks: dict[int, float] = {}  # each break's first phase
    for phase in plans[1].phases:
        if phase.break_number is not None:
            breaks.setdefault(phase.break_number, phase.start_s)
    break_title = BREAK_CHAPTER.format(routine="Squat and fold")
    assert break_title == "Break: Squat and fold"
    assert [c.start_s for c in outing.chapters if c.title == break_title] == [
        plans[0].total_s + start for start in breaks.values()
    ]
    assert len(breaks) == 2
    # The run, a break, the run again, a break, the run again: each stretch a chapter.
    run_titles = titles[titles.index("Sprint hour: Sprints") : titles.index("Cooldown: Fold")]
    assert run_titles == [
        "Sprint hour: Sprints",
        break_title,
        "Sprints",
        break_title,
        "Sprints",
    ]
    assert [c.start_s for c in outing.chapters] == sorted(c.start_s for c in outing.chapters)
