"""Every routine Loosen ships loads, is complete, and plans to the length worked out by hand."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from loosen import paths
from loosen.core.library import load_library
from loosen.core.phases import PhaseKind
from loosen.core.plan import build_plan, build_timeline
from loosen.core.routine import Kind, Source

SHIPPED = sorted(paths.builtin_routines_dir().glob("*.toml"))


@pytest.fixture(scope="module")
def library():
    return load_library(paths.builtin_routines_dir(), None, paths.pictures_dir())


def test_every_shipped_routine_loads(library):
    assert library.errors == ()
    assert sorted(r.id for r in library) == sorted(p.stem for p in SHIPPED)
    assert all(r.source is Source.BUILT_IN for r in library)


def test_the_library_covers_what_runners_need(library):
    kinds = {r.kind for r in library}
    assert kinds == set(Kind)
    assert {
        "dynamic-warm-up",
        "post-run-cooldown",
        "squat-and-fold",
        "core-and-hips",
        "hip-flexors-and-hamstrings",
        "sprint-session",
        "long-easy-run",
    } <= set(library.routines)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_routine_carries_the_caution_and_a_summary(library, path):
    routine = library.get(path.stem)
    assert routine.summary
    assert "sharp" in routine.caution and "numbness" in routine.caution


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_step_speaks_and_has_a_picture_that_renders(library, path):
    routine = library.get(path.stem)
    steps = routine.steps or routine.interval.break_routine.steps
    for step in steps:
        assert step.say, step.name
        assert step.image is not None and step.image.parent == paths.pictures_dir()
        root = ET.parse(step.image).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg", step.image.name


def test_every_picture_is_used_and_consistent(library):
    used = {s.image.name for r in library for s in (r.steps or r.interval.break_routine.steps)}
    shipped = {p.name for p in paths.pictures_dir().glob("*.svg")}
    assert used == shipped
    view_boxes = {ET.parse(paths.pictures_dir() / n).getroot().get("viewBox") for n in shipped}
    assert len(view_boxes) == 1, "one drawing size for every picture"


def test_the_warm_up_moves_rather_than_holds_stretches_on_cold_muscles(library):
    warm_up = library.get("dynamic-warm-up")
    assert not any("stretch" in s.name.lower() for s in warm_up.steps)
    assert all(s.duration_s is None or s.duration_s <= 120 for s in warm_up.steps)


def test_the_cooldown_stretches_each_calf_muscle_apart_and_each_side(library):
    names = [s.name.lower() for s in library.get("post-run-cooldown").steps]
    assert any("straight knee" in n for n in names) and any("bent knee" in n for n in names)
    per_side = [s for s in library.get("post-run-cooldown").steps if s.sides]
    assert len(per_side) >= 6


# Worked out by hand from the files, so a change in the expansion rules shows here.
# Counted reps are announced, and their instruction said, before the first rep: the
# lead-in before them (get-ready, rest, switch) grows to what that takes to say.


def test_squat_and_fold_total(library):
    # get ready 3 + squat 2 reps × 12 s + rest 3 + fold 2 reps × 12 s, with the get-ready
    # grown to 12 s and the rest to 11 s for each step's announcement and instruction
    plan = build_plan(library.get("squat-and-fold"))
    assert [p.duration_s for p in plan.phases] == [12, 24, 11, 24]
    assert plan.total_s == 12 + 24 + 11 + 24


def test_post_run_cooldown_total(library):
    per_side_holds = [40, 40, 45, 45, 45, 45]  # each: left + 5 s switch + right
    # the last rest grows from 15 s to 21 s to say how to do the counted toe touches
    total = 5 + sum(2 * h + 5 for h in per_side_holds) + 40 + 8 * 4 + 6 * 15 + 21
    assert total == 738
    assert build_plan(library.get("post-run-cooldown")).total_s == total


def test_sprint_session_plans_two_breaks_in_the_hour(library):
    plan = build_plan(library.get("sprint-session"))
    breaks = [p.start_s for p in plan.phases if p.kind is PhaseKind.GET_READY]
    # A 20 s sprint and a 1m45s walk back, in turn: at 20 min the tenth walk back
    # (from 1145 s) is under way, and the break follows it; then 73 s of break (squat
    # and fold, its get-ready 14 s: "Break time: …" is longer than "Get ready") and the
    # same again; a third would pass the hour.
    assert breaks == [1250, 1250 + 73 + 1250]
    efforts = [p for p in plan.phases if p.is_effort]
    assert {p.step for p in efforts} == {"Sprint 100 metres", "Walk back"}
    assert plan.phases[-1].end_s == plan.total_s == 3600


def test_long_easy_run_plans_three_breaks_in_75_minutes(library):
    plan = build_plan(library.get("long-easy-run"))
    breaks = [p.start_s for p in plan.phases if p.kind is PhaseKind.GET_READY]
    assert breaks == [1200, 2473, 3746]
    assert plan.phases[-1].duration_s == 4500 - (3746 + 73)
    assert plan.total_s == 4500


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_the_timeline_without_cues_is_the_plans_own(library, path):
    """The library shows lengths from build_timeline; they must be the plan's."""
    found = library.find(path.stem)
    plan = build_plan(found)
    timeline = build_timeline(found)
    assert (timeline.phases, timeline.total_s, timeline.cues) == (plan.phases, plan.total_s, ())
