"""Cue wording and timing, and that no two cues ever talk over each other."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loosen.core.cues import (
    CueKind,
    duration_words,
    number_words,
    speaking_time,
)
from loosen.core.plan import build_plan
from loosen.core.routine import Step

from helpers import routine, run_routine, step


def texts(plan, kind=None):
    return [(c.at_s, c.text) for c in plan.cues if kind is None or c.kind is kind]


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (20, "twenty"),
        (45, "forty-five"),
        (100, "one hundred"),
        (105, "one hundred and five"),
        (1200, "one thousand two hundred"),
    ],
)
def test_number_words(n, words):
    assert number_words(n) == words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (45, "forty-five seconds"),
        (1, "one second"),
        (60, "one minute"),
        (90, "one minute thirty"),
        (120, "two minutes"),
        (3600, "one hour"),
        (5400, "one hour thirty minutes"),
    ],
)
def test_duration_words(seconds, words):
    assert duration_words(seconds) == words


def test_a_step_start_says_name_side_and_length_then_the_say_line():
    plan = build_plan(
        routine(
            step(
                "Hip flexor lunge stretch",
                duration_s=45.0,
                sides=True,
                say="Tuck your pelvis under.",
            ),
            get_ready_s=0,
        )
    )
    starts = texts(plan, CueKind.START)
    assert starts[0] == (0, "Hip flexor lunge stretch, left side, forty-five seconds")
    assert (45, "Switch sides") in starts
    assert (50, "Right side, forty-five seconds") in starts
    (say,) = texts(plan, CueKind.SAY)
    assert say[1] == "Tuck your pelvis under."
    assert say[0] == pytest.approx(speaking_time(starts[0][1]) + 0.15)


def test_the_say_line_is_spoken_once_per_step_not_per_side_or_set():
    plan = build_plan(
        routine(step("A", duration_s=30.0, sides=True, sets=2, say="Go."), get_ready_s=0)
    )
    assert len(texts(plan, CueKind.SAY)) == 1


def test_sets_are_announced():
    plan = build_plan(
        routine(step("Glute bridge", reps=12, tempo_s=3.0, sets=2, rest_s=20.0), get_ready_s=10)
    )
    starts = [t for _, t in texts(plan, CueKind.START)]
    assert starts == [
        "Get ready. First: glute bridge",
        "Glute bridge, set one of two, twelve reps",
        "Rest. Next: glute bridge, set two",
        "Glute bridge, set two of two, twelve reps",
    ]


def test_halfway_only_on_holds_of_thirty_seconds_or_more():
    plan = build_plan(
        routine(step("Long", duration_s=40.0), step("Short", duration_s=20.0), get_ready_s=0)
    )
    assert texts(plan, CueKind.HALFWAY) == [(20.0, "Halfway")]


def test_countdown_before_a_timed_phase_ends_and_its_length_follows_the_step():
    plan = build_plan(
        routine(
            step("A", duration_s=20.0, countdown=5, rest_s=0),
            step("B", duration_s=20.0, countdown=0),
            get_ready_s=0,
        )
    )
    assert texts(plan, CueKind.COUNTDOWN) == [
        (15, "five"),
        (16, "four"),
        (17, "three"),
        (18, "two"),
        (19, "one"),
    ]


def test_rest_names_what_comes_next():
    plan = build_plan(
        routine(
            step("Plank", duration_s=30.0, rest_s=15.0),
            step("Glute bridge", duration_s=30.0),
            get_ready_s=0,
        )
    )
    assert (30.0, "Rest. Next: glute bridge") in texts(plan, CueKind.START)


def test_get_ready_names_the_first_step():
    plan = build_plan(routine(step("Leg swings"), get_ready_s=10.0))
    assert texts(plan)[0] == (0, "Get ready. First: leg swings")


DEAD_BUG_SAY = "Press your lower back into the mat. Reach one arm back and the other leg out."


def counted(plan):
    """The counted work phase of `plan` and its index."""
    return next((i, p) for i, p in enumerate(plan.phases) if p.counted)


def test_every_rep_is_counted_on_its_beat_from_the_first_to_the_last():
    plan = build_plan(
        routine(step("Dead bug", reps=6, tempo_s=4.0, say=DEAD_BUG_SAY), get_ready_s=5)
    )
    index, _ = counted(plan)
    reps = [(c.phase_index, c.offset_s, c.text) for c in plan.cues if c.kind is CueKind.REP]
    assert reps == [(index, 4.0 * (n - 1), number_words(n)) for n in range(1, 7)]
    assert not [c for c in plan.cues if c.phase_index == index and c.kind is not CueKind.REP]


def test_the_step_and_its_instruction_are_said_before_the_first_rep_then_the_countdown():
    plan = build_plan(
        routine(step("Dead bug", reps=6, tempo_s=4.0, say=DEAD_BUG_SAY), get_ready_s=5)
    )
    _, work = counted(plan)
    before = [(c.at_s, c.text) for c in plan.cues if c.at_s < work.start_s]
    assert [text for _, text in before] == [
        "Get ready. First: dead bug",
        "Dead bug, six reps",
        DEAD_BUG_SAY,
        "three",
        "two",
        "one",
    ]
    said_at = {text: at for at, text in before}
    assert said_at[DEAD_BUG_SAY] + speaking_time(DEAD_BUG_SAY) < said_at["three"]
    assert said_at["one"] == work.start_s - 1


@pytest.mark.parametrize("wpm", [90, 160, 220])
def test_the_lead_in_grows_to_fit_what_is_said_before_the_reps(wpm):
    bridge = step("Glute bridge", reps=10, tempo_s=3.0, sets=2, rest_s=0.0, say=DEAD_BUG_SAY)
    lunge = step("Lunge", reps=8, tempo_s=4.0, sides=True, switch_s=0.0, rest_s=0.0)
    plan = build_plan(routine(bridge, lunge, get_ready_s=0), words_per_minute=wpm)
    kinds = [p.kind.value for p in plan.phases]
    # Each lead-in asked for as 0 s is there all the same, long enough to announce.
    assert kinds == ["get-ready", "work", "rest", "work", "rest", "work", "switch", "work"]
    for lead, work in itertools.pairwise(plan.phases):
        if not work.counted:
            continue
        spoken = sorted(
            (c.at_s, c.at_s + speaking_time(c.text, wpm))
            for c in plan.cues
            if lead.start_s <= c.at_s < work.start_s
        )
        assert spoken[-1][1] <= work.start_s  # all said before the first rep
        assert len(spoken) >= 2 + 3  # its own start, the step's, and "three, two, one"
    reps = [c for c in plan.cues if c.kind is CueKind.REP]
    assert len(reps) == 2 * 10 + 2 * 8  # none dropped, whatever the speaking rate


def test_a_slower_voice_gets_a_longer_lead_in_not_fewer_counts():
    made = routine(step("Glute bridge", reps=12, tempo_s=2.0, say=DEAD_BUG_SAY), get_ready_s=3)
    fast, slow = build_plan(made, words_per_minute=220), build_plan(made, words_per_minute=90)
    assert slow.phases[0].duration_s > fast.phases[0].duration_s > 3
    assert len(texts(slow, CueKind.REP)) == len(texts(fast, CueKind.REP)) == 12


def test_a_lead_in_long_enough_already_is_left_as_written():
    plan = build_plan(routine(step("Glute bridge", reps=12, tempo_s=2.0), get_ready_s=30))
    assert plan.phases[0].duration_s == 30


def test_the_rep_on_screen_is_the_rep_the_voice_said_last():
    plan = build_plan(routine(step("Dead bug", reps=6, tempo_s=4.0), get_ready_s=5))
    _, work = counted(plan)
    reps = [c for c in plan.cues if c.kind is CueKind.REP]
    for number, cue in enumerate(reps, start=1):
        assert work.rep_at(cue.offset_s) == number
        assert work.rep_at(cue.offset_s + 3.99) == number
        if number > 1:
            assert work.rep_at(cue.offset_s - 0.01) == number - 1
    assert work.rep_at(work.duration_s) == 6


def test_the_chosen_countdown_leads_into_counted_reps():
    plan = build_plan(routine(step("Dead bug", reps=6, tempo_s=4.0, countdown=5), get_ready_s=5))
    _, work = counted(plan)
    countdown = [(c.at_s, c.text) for c in plan.cues if c.kind is CueKind.COUNTDOWN]
    assert countdown == [(work.start_s - n, number_words(n)) for n in range(5, 0, -1)]


@pytest.mark.parametrize(("phase_s", "countdown"), [(5.0, 5), (3.0, 3), (4.0, 10)])
def test_a_phase_shorter_than_the_countdown_counts_down_what_it_has(phase_s, countdown):
    plan = build_plan(
        routine(
            step(
                "A",
                duration_s=20.0,
                sides=True,
                switch_s=phase_s,
                countdown=countdown,
                rest_s=phase_s,
            ),
            step("B", duration_s=20.0, countdown=countdown),
            get_ready_s=0,
        )
    )
    for index, phase in enumerate(plan.phases):
        if phase.kind.value not in ("switch", "rest"):
            continue
        numbers = [c for c in plan.cues if c.phase_index == index and c.kind is CueKind.COUNTDOWN]
        assert numbers, phase.kind
        assert [c.offset_s for c in numbers] == [phase_s - n for n in range(len(numbers), 0, -1)]
        assert numbers[-1].text == "one"


def test_open_ended_steps_say_in_your_own_time():
    plan = build_plan(routine(step("Deep squat", reps=2), get_ready_s=0))
    assert texts(plan, CueKind.START) == [(0, "Deep squat, two reps, in your own time")]


def test_session_complete_at_the_end():
    plan = build_plan(routine(step("A", duration_s=30.0), get_ready_s=5.0))
    assert texts(plan)[-1] == (35.0, "Session complete")


def test_a_run_has_gentle_and_firm_break_cues():
    plan = build_plan(run_routine(total_s=3600.0))
    assert texts(plan)[0] == (0, "Sprints. Next break in fifteen to twenty minutes")
    assert (900.0, "Break due: squat and fold at the next natural pause") in texts(plan)
    assert (1200.0, "Break time: squat and fold") in texts(plan)
    assert (1243.0, "Back to sprints") in texts(plan)
    last_activity = [t for _, t in texts(plan) if t.startswith("Back to sprints. No more")]
    assert last_activity == ["Back to sprints. No more breaks: about nineteen minutes to go"]


def test_a_fixed_interval_has_no_gentle_cue():
    plan = build_plan(run_routine(every=(900.0, 900.0)))
    assert not texts(plan, CueKind.BREAK_DUE)


def test_a_long_say_line_yields_to_the_countdown_by_shortening():
    long_say = "Hold the plank. " + "Keep breathing slowly and stay long through the spine. " * 2
    plan = build_plan(routine(step("Plank", duration_s=12.0, say=long_say.strip()), get_ready_s=0))
    (say,) = texts(plan, CueKind.SAY)
    assert say[1] == "Hold the plank."
    assert [t for _, t in texts(plan, CueKind.COUNTDOWN)] == ["three", "two", "one"]


def test_a_countdown_never_starts_while_a_higher_cue_still_speaks():
    # "Get ready. First: …" takes about three seconds of a five-second lead-in.
    plan = build_plan(routine(step("Hip flexor lunge stretch"), get_ready_s=5.0))
    start = texts(plan)[0]
    countdown = texts(plan, CueKind.COUNTDOWN)
    first_number_at = next(at for at, _ in countdown if at < 5)
    assert first_number_at >= speaking_time(start[1])
    assert [t for at, t in countdown if at < 5][-1] == "one"


def _assert_no_overlap(plan, words_per_minute):
    # Open-ended phases split the timeline: cues on either side never meet.
    segments: dict[int, list] = {}
    segment = 0
    for index, phase in enumerate(plan.phases):
        if phase.open_ended:
            segment += 1
        for cue in (c for c in plan.cues if c.phase_index == index):
            segments.setdefault(segment, []).append(cue)
        if phase.open_ended:
            segment += 1
    for cues in segments.values():
        spans = sorted((c.at_s, c.at_s + speaking_time(c.text, words_per_minute)) for c in cues)
        for (_, end), (next_start, _) in itertools.pairwise(spans):
            assert end <= next_start + 1e-6, (end, next_start)


steps = st.builds(
    Step,
    name=st.sampled_from(["Plank", "Hip flexor lunge stretch", "Glute bridge", "Fold"]),
    duration_s=st.one_of(st.none(), st.integers(1, 90).map(float)),
    reps=st.integers(1, 15),
    tempo_s=st.one_of(st.none(), st.sampled_from([1.0, 2.0, 3.0])),
    sets=st.integers(1, 3),
    sides=st.booleans(),
    rest_s=st.sampled_from([0.0, 5.0, 10.0, 20.0]),
    countdown=st.integers(0, 5),
    switch_s=st.sampled_from([0.0, 3.0, 5.0]),
    say=st.sampled_from(["", "Breathe.", "Keep your back long. Lean only slightly forward."]),
).map(
    lambda s: s if s.duration_s is None else Step(**{**s.__dict__, "reps": None, "tempo_s": None})
)


@settings(max_examples=150, deadline=None)
@given(
    steps=st.lists(steps, min_size=1, max_size=5),
    wpm=st.sampled_from([100, 160, 220]),
    get_ready=st.sampled_from([0.0, 3.0, 5.0, 10.0]),
)
def test_no_two_cues_ever_overlap(steps, wpm, get_ready):
    plan = build_plan(routine(*steps, get_ready_s=get_ready), words_per_minute=wpm)
    _assert_no_overlap(plan, wpm)
    assert plan.cues[-1].text == "Session complete"


def test_no_overlap_in_a_run():
    plan = build_plan(run_routine())
    _assert_no_overlap(plan, 160)
