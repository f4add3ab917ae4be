"""A run made of efforts, planned: DESIGN.md's rules checked phase by phase.

The efforts run in order, repeated; a break whose window ends inside an effort starts
when that effort ends; after a break the efforts start again from the first; a break is
planned only if it ends by `total`, and `total` is kept exact, so the last effort is
cut where the session ends. The break here (helpers.squat_and_fold) lasts 43 s.
"""

from __future__ import annotations

import math
import wave
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from efforts_testing import SPRINT_SAY, efforts_run, sprint, walk_back
from loosen.core.audio import GUIDE_RATE_HZ, write_guide
from loosen.core.cues import CueKind, duration_words, speaking_time
from loosen.core.phases import Phase, PhaseKind, Plan
from loosen.core.plan import OPEN_RUN_PLAN_S, break_length_s, build_plan, build_timeline
from loosen.core.routine import Step, with_countdown

from helpers import write_clip

BREAK_DUE = "Break due: squat and fold at the next natural pause"
# A sprint of 20 s and a walk back of 1m39s: the tenth sprint runs from 1190 s to
# 1210 s, over the window's end at 20 minutes.
SPRINTS_OVER_THE_WINDOW = (sprint(20.0), walk_back(99.0))


def shape(phases: list[Phase] | tuple[Phase, ...]) -> list[tuple[str, str, float, float]]:
    return [(p.kind.value, p.step, p.start_s, p.duration_s or 0.0) for p in phases]


def stretches(plan: Plan) -> list[list[Phase]]:
    """The plan's stretches of efforts, each from the start or a break to the next."""
    found: list[list[Phase]] = []
    for before, phase in zip((None, *plan.phases), plan.phases, strict=False):
        if phase.is_effort:
            if before is None or not before.is_effort:
                found.append([])
            found[-1].append(phase)
    return found


def test_efforts_alternate_in_order_from_the_start_without_a_get_ready():
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW))
    assert shape(plan.phases[:4]) == [
        ("activity", "Sprint", 0.0, 20.0),
        ("activity", "Walk back", 20.0, 99.0),
        ("activity", "Sprint", 119.0, 20.0),
        ("activity", "Walk back", 139.0, 99.0),
    ]


def test_a_window_that_ends_inside_a_sprint_breaks_when_the_sprint_ends():
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW))
    first = stretches(plan)[0]
    last = first[-1]
    assert (last.step, last.start_s, last.duration_s) == ("Sprint", 1190.0, 20.0)
    following = plan.phases[len(first)]
    assert (following.kind, following.start_s, following.break_number) == (
        PhaseKind.GET_READY,
        1210.0,
        1,
    )


def test_a_window_that_ends_between_two_efforts_breaks_right_there():
    plan = build_plan(efforts_run(sprint(20.0), walk_back(100.0)))
    first = stretches(plan)[0]
    assert first[-1].end_s == 1200.0 and len(first) == 20
    assert plan.phases[len(first)].kind is PhaseKind.GET_READY


def test_after_a_break_the_efforts_start_again_from_the_first():
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW))
    first, second, *_ = stretches(plan)
    assert first[-1].step == "Sprint"  # the break came after a sprint: the walk back is not owed
    assert shape(second[:2]) == [
        ("activity", "Sprint", 1253.0, 20.0),
        ("activity", "Walk back", 1273.0, 99.0),
    ]
    # The count restarts when the break ends: the second break is one window later.
    assert second[-1].start_s < 1253.0 + 1200.0 <= second[-1].end_s


def test_the_total_cuts_the_last_effort_and_the_plan_ends_exactly_at_it():
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW, total_s=3600.0))
    *_, last_stretch = stretches(plan)
    last = plan.phases[-1]
    assert last is last_stretch[-1]
    assert (last.step, last.start_s, last.duration_s) == ("Walk back", 3597.0, 3.0)
    assert last.end_s == plan.total_s == 3600.0
    assert [p.break_number for p in plan.phases if p.kind is PhaseKind.GET_READY] == [1, 2]


def test_a_break_that_would_not_end_by_the_total_is_not_planned():
    # The first break would start at 1210 s and end at 1253 s: past a total of 1230 s.
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW, total_s=1230.0))
    assert {p.kind for p in plan.phases} == {PhaseKind.ACTIVITY}
    assert shape(plan.phases[-2:]) == [
        ("activity", "Sprint", 1190.0, 20.0),
        ("activity", "Walk back", 1210.0, 20.0),
    ]
    assert plan.phases[-1].end_s == plan.total_s == 1230.0


def test_a_break_that_ends_exactly_at_the_total_is_kept():
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW, total_s=1253.0))
    assert plan.phases[-1].kind is PhaseKind.WORK and plan.phases[-1].end_s == 1253.0


def test_without_a_total_efforts_are_planned_for_an_hour():
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW, total_s=None))
    assert plan.total_s == OPEN_RUN_PLAN_S == plan.phases[-1].end_s


def test_each_effort_is_announced_with_its_length_then_its_instruction():
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW))
    for index, phase in enumerate(plan.phases):
        if not phase.is_effort:
            continue
        said = [c for c in plan.cues if c.phase_index == index]
        start = said[0]
        assert (start.kind, start.offset_s) == (CueKind.START, 0.0)
        assert start.text == f"{phase.step}, {duration_words(phase.duration_s)}"
        says = [c.text for c in said if c.kind is CueKind.SAY]
        assert says == ([SPRINT_SAY] if phase.step == "Sprint" else [])


def test_the_countdown_comes_before_each_change():
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW))
    for index, phase in enumerate(plan.phases):
        if phase.is_effort and phase.duration_s >= 4:
            counted = [
                (c.text, c.at_s)
                for c in plan.cues
                if c.phase_index == index and c.kind is CueKind.COUNTDOWN
            ]
            end = phase.end_s
            assert counted == [("three", end - 3), ("two", end - 2), ("one", end - 1)], phase


def test_the_countdown_setting_applies_to_efforts_too():
    plan = build_plan(with_countdown(efforts_run(*SPRINTS_OVER_THE_WINDOW), 0))
    assert not [c for c in plan.cues if c.kind is CueKind.COUNTDOWN]
    plan = build_plan(with_countdown(efforts_run(*SPRINTS_OVER_THE_WINDOW), 5))
    first = [c.text for c in plan.cues if c.phase_index == 0 and c.kind is CueKind.COUNTDOWN]
    assert first == ["five", "four", "three", "two", "one"]


def test_the_gentle_cue_comes_at_the_windows_start_inside_whichever_effort_is_under_way():
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW))
    due = [c for c in plan.cues if c.kind is CueKind.BREAK_DUE]
    # At 15 minutes, then 15 minutes after the first break ends (at 1253 s); none in
    # the last stretch, which no break ends.
    assert [(c.at_s, c.text) for c in due] == [(900.0, BREAK_DUE), (2153.0, BREAK_DUE)]
    for cue in due:
        phase = plan.phases[cue.phase_index]
        assert phase.is_effort and phase.start_s < cue.at_s < phase.end_s


def test_a_window_opening_as_an_effort_is_announced_is_said_right_after_it():
    # A sprint and a walk back of 2m10s: the seventh sprint starts at 15 minutes.
    plan = build_plan(efforts_run(sprint(20.0), walk_back(130.0)))
    (due, *_) = [c for c in plan.cues if c.kind is CueKind.BREAK_DUE]
    sprint_at = plan.phases[due.phase_index]
    assert sprint_at.start_s == 900.0
    announced = next(
        c for c in plan.cues if c.phase_index == due.phase_index and c.kind is CueKind.START
    )
    assert announced.text == "Sprint, twenty seconds"  # kept whole, and said first
    assert announced.at_s + speaking_time(announced.text) < due.at_s < 905.0


def test_the_last_effort_cut_by_the_total_says_what_is_left_of_it():
    plan = build_plan(efforts_run(*SPRINTS_OVER_THE_WINDOW, total_s=3600.0))
    last = len(plan.phases) - 1
    texts = [c.text for c in plan.cues if c.phase_index == last]
    # The countdown gives way to the announcement, as everywhere: "one" is left of it.
    assert texts == ["Walk back, three seconds", "one"]
    assert plan.cues[-1].text == "Session complete" and plan.cues[-1].at_s == 3600.0


def test_a_single_effort_repeats_itself():
    plan = build_timeline(efforts_run(Step("Easy running", duration_s=300.0), total_s=1800.0))
    first = stretches(plan)[0]
    assert [p.step for p in first] == ["Easy running"] * 4  # 20 minutes, then the break
    assert first[-1].end_s == 1200.0


def test_an_exported_guide_speaks_at_each_effort_start(tmp_path):
    routine = efforts_run(sprint(6.0), walk_back(9.0), total_s=600.0, every=(120.0, 150.0))
    plan = build_plan(routine)
    clip = write_clip(tmp_path / "clip.wav", 0.4)
    info = write_guide(plan, lambda text: clip, tmp_path / "guide.wav")
    assert abs(info.duration_s - plan.total_s) <= 0.5
    with wave.open(str(info.path), "rb") as guide:
        samples = array("h", guide.readframes(guide.getnframes()))

    def loudness(at_s: float) -> float:
        start = round(at_s * GUIDE_RATE_HZ)
        heard = samples[start : start + GUIDE_RATE_HZ // 5]
        return math.sqrt(sum(s * s for s in heard) / len(heard))

    starts = [p.start_s for p in plan.phases if p.is_effort]
    assert len(starts) > 20
    assert all(loudness(at) > 1000 for at in starts)
    quiet = [p.start_s + 4.5 for p in plan.phases if p.is_effort and p.step == "Walk back"]
    assert all(loudness(at) == 0 for at in quiet[:3])  # silence between the cues


# -- a property: whatever the efforts, the window and the total -------------------


@st.composite
def runs(draw):
    efforts = tuple(
        Step(f"Effort {n}", duration_s=draw(st.integers(5, 400)) / 2)
        for n in range(draw(st.integers(1, 4)))
    )
    start = draw(st.integers(60, 1800))
    end = start + draw(st.integers(0, 900))
    total = draw(st.none() | st.integers(60, 3 * 3600))
    return efforts_run(
        *efforts, total_s=None if total is None else float(total), every=(start, end)
    )


@settings(max_examples=150, deadline=None)
@given(runs())
def test_any_run_of_efforts_keeps_every_rule(routine):
    plan = build_timeline(routine)
    interval = routine.interval
    total = interval.total_s if interval.total_s is not None else OPEN_RUN_PLAN_S
    efforts = interval.efforts
    break_s = break_length_s(routine)

    # Contiguous from 0, and ending exactly at the total.
    assert plan.phases[0].start_s == 0.0
    for before, after in zip(plan.phases, plan.phases[1:], strict=False):
        assert math.isclose(after.start_s, before.end_s, abs_tol=1e-6)
    assert math.isclose(plan.phases[-1].end_s, total, abs_tol=1e-6)
    assert plan.total_s == total

    count_from = 0.0
    for number, stretch in enumerate(stretches(plan)):
        assert math.isclose(stretch[0].start_s, count_from, abs_tol=1e-6)
        # In order, from the first, repeated.
        assert [p.step_ref for p in stretch] == [
            efforts[i % len(efforts)] for i in range(len(stretch))
        ]
        # Only the very last effort of the plan may be cut, and only by the total.
        for phase in stretch[:-1]:
            assert phase.duration_s == phase.step_ref.duration_s
        ends_in_break = stretch[-1] is not plan.phases[-1]
        window_end = count_from + interval.every.end_s
        if ends_in_break:
            last = stretch[-1]
            assert last.duration_s == last.step_ref.duration_s  # no effort cut by a break
            # The break starts at the end of the effort under way at the window's end.
            assert last.start_s < window_end - 1e-6 or len(stretch) == 1
            assert last.end_s >= window_end - 1e-6
            assert last.end_s + break_s <= total + 1e-6  # and ends by the total
            index = plan.phases.index(last)
            assert plan.phases[index + 1].break_number == number + 1
            count_from = last.end_s + break_s
        else:
            # No break: one would not have ended by the total.
            would_break_at = next(
                (p.end_s for p in stretch if p.end_s >= window_end - 1e-6), math.inf
            )
            assert (
                would_break_at + break_s > total - 1e-6
                or stretch[-1].duration_s < stretch[-1].step_ref.duration_s
            )
