"""How a routine expands into phases: every rule of DESIGN.md, one test each."""

from __future__ import annotations

from loosen.core.cues import MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.plan import OPEN_RUN_PLAN_S, PhaseKind, Side, build_plan, planned_length_s

from helpers import routine, run_routine, squat_and_fold, step


def shape(plan):
    return [
        (p.kind.value, p.start_s, p.duration_s, p.side and p.side.value, p.set) for p in plan.phases
    ]


def test_get_ready_then_work_with_rests_between_steps_but_not_after_the_last():
    plan = build_plan(
        routine(step("A", duration_s=30.0, rest_s=10.0), step("B", duration_s=20.0, rest_s=15.0))
    )
    assert shape(plan) == [
        ("get-ready", 0, 5, None, 1),
        ("work", 5, 30, None, 1),
        ("rest", 35, 10, None, 1),
        ("work", 45, 20, None, 1),
    ]
    assert plan.total_s == 65


def test_sides_give_left_switch_right():
    plan = build_plan(
        routine(step("Lunge", duration_s=45.0, sides=True, switch_s=5.0), get_ready_s=0)
    )
    assert shape(plan) == [
        ("work", 0, 45, "left", 1),
        ("switch", 45, 5, "right", 1),
        ("work", 50, 45, "right", 1),
    ]


def test_sets_are_separated_by_the_steps_rest_and_the_rest_follows_the_step():
    plan = build_plan(
        routine(
            step("Bridge", reps=12, tempo_s=3.0, sets=2, rest_s=20.0),
            step("Plank", duration_s=30.0),
            get_ready_s=10,
        )
    )
    assert shape(plan) == [
        ("get-ready", 0, 10, None, 1),
        ("work", 10, 36, None, 1),
        ("rest", 46, 20, None, 1),
        ("work", 66, 36, None, 2),
        ("rest", 102, 20, None, 2),
        ("work", 122, 30, None, 1),
    ]
    assert plan.phases[2].reps == 12


def test_sides_and_sets_together():
    plan = build_plan(
        routine(
            step("Side plank", duration_s=20.0, sides=True, sets=2, rest_s=10.0, switch_s=3.0),
            get_ready_s=0,
        )
    )
    assert [(p.kind.value, p.side and p.side.value, p.set) for p in plan.phases] == [
        ("work", "left", 1),
        ("switch", "right", 1),
        ("work", "right", 1),
        ("rest", None, 1),
        ("work", "left", 2),
        ("switch", "right", 2),
        ("work", "right", 2),
    ]
    assert plan.total_s == 2 * (20 + 3 + 20) + 10


def test_phases_of_length_zero_are_left_out():
    plan = build_plan(
        routine(
            step("A", duration_s=10.0, rest_s=0.0, sides=True, switch_s=0.0),
            step("B", duration_s=10.0),
            get_ready_s=0,
        )
    )
    assert [p.kind for p in plan.phases] == [PhaseKind.WORK] * 3
    assert plan.total_s == 30


def test_open_ended_reps_have_no_length_and_later_phases_count_them_as_zero():
    plan = build_plan(
        routine(step("Squat", reps=2, rest_s=10.0), step("Fold", duration_s=20.0), get_ready_s=5.0)
    )
    assert shape(plan) == [
        ("get-ready", 0, 5, None, 1),
        ("work", 5, None, None, 1),
        ("rest", 5, 10, None, 1),
        ("work", 15, 20, None, 1),
    ]
    assert plan.phases[1].open_ended and plan.total_s == 35


def test_the_plan_is_a_value():
    made = routine(step("A", reps=10, tempo_s=2.0, sides=True, say="Go."), step("B"))
    assert build_plan(made) == build_plan(made)


def test_a_run_opens_on_the_activity_and_breaks_at_each_windows_end():
    plan = build_plan(run_routine(total_s=3600.0))
    breaks = [p for p in plan.phases if p.kind is PhaseKind.GET_READY]
    activities = [p for p in plan.phases if p.kind is PhaseKind.ACTIVITY]
    assert plan.phases[0].kind is PhaseKind.ACTIVITY and plan.phases[0].start_s == 0
    # A break lasts 3 + 20 + 20 = 43 s; each starts 20 min after the activity (re)starts.
    # A third would start at 2 * 1243 + 1200 = 3686, past the hour: the run goes on instead.
    assert [b.start_s for b in breaks] == [1200, 1200 + 43 + 1200]
    assert [a.duration_s for a in activities] == [1200, 1200, 3600 - 2 * 1243]
    assert plan.total_s == 3600


def test_a_break_is_planned_only_if_it_ends_by_the_total():
    # 40 min total: the second break would start at 1243 + 1200 = 2443 > 2400 - 43.
    plan = build_plan(run_routine(total_s=2400.0))
    assert [p.break_number for p in plan.phases if p.kind is PhaseKind.GET_READY] == [1]
    assert plan.phases[-1].kind is PhaseKind.ACTIVITY
    assert plan.phases[-1].end_s == 2400 and plan.phases[-1].next_step is None


def test_a_break_that_ends_exactly_at_the_total_is_kept():
    plan = build_plan(run_routine(total_s=1243.0))
    assert plan.phases[-1].kind is PhaseKind.WORK and plan.phases[-1].end_s == 1243


def test_a_run_without_total_is_planned_for_an_hour():
    plan = build_plan(run_routine(total_s=None))
    assert plan.total_s == OPEN_RUN_PLAN_S
    assert plan.phases[-1].end_s == OPEN_RUN_PLAN_S


def test_a_fixed_interval_breaks_every_n_minutes():
    plan = build_plan(run_routine(total_s=1800.0, every=(600.0, 600.0)))
    assert [p.start_s for p in plan.phases if p.kind is PhaseKind.GET_READY] == [600, 1243]


def test_break_phases_carry_their_break_number_and_the_break_routines_get_ready():
    plan = build_plan(run_routine())
    first_break = [p for p in plan.phases if p.break_number == 1]
    assert [p.kind for p in first_break] == [PhaseKind.GET_READY, PhaseKind.WORK, PhaseKind.WORK]
    assert first_break[0].duration_s == squat_and_fold().get_ready_s


def test_sides_are_left_then_right():
    plan = build_plan(routine(step("A", sides=True), get_ready_s=0))
    assert [p.side for p in plan.phases] == [Side.LEFT, Side.RIGHT, Side.RIGHT]


def counted_reps_routine():
    """A counted step whose instruction needs a longer lead-in when spoken slowly."""
    say = "Lie on your back, feet flat, press through the heels and lift the hips slowly."
    return routine(step("Glute bridge", reps=10, tempo_s=3.0, say=say), get_ready_s=0.0)


def test_the_planned_length_is_the_timelines_total_at_the_speaking_rate():
    counted = counted_reps_routine()
    slow, fast = MIN_RATE_WPM, MAX_RATE_WPM
    assert planned_length_s(counted, words_per_minute=slow) == build_plan(counted, slow).total_s
    assert planned_length_s(counted, words_per_minute=slow) > planned_length_s(
        counted, words_per_minute=fast
    )
    # A plan the caller has is used as it is, not built again at the default rate.
    assert planned_length_s(counted, build_plan(counted, slow)) == build_plan(counted, slow).total_s


def test_a_runs_planned_length_is_its_total_and_an_open_run_has_none():
    assert planned_length_s(run_routine(total_s=2400.0)) == 2400
    assert build_plan(run_routine(total_s=None)).total_s == OPEN_RUN_PLAN_S  # what it covers
    assert planned_length_s(run_routine(total_s=None)) is None  # but it has no planned end
