"""A run made of efforts, live: the session on a fake clock, and what the player shows.

The gentle cue comes at the window's start; once the window has ended, the break starts
when the effort under way ends (a sprint is never cut off), wherever skips and backs
have moved the efforts; B takes the break at once; after it the efforts start again
from the first and the count restarts. The break (helpers.squat_and_fold) lasts 43 s.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efforts_testing import SPRINT_SAY, efforts_run, sprint, walk_back
from loosen.core.clock import FakeClock
from loosen.core.cues import CueKind
from loosen.core.phases import PhaseKind
from loosen.core.plan import break_length_s
from loosen.core.readout import BreakState, PlayerAction, perform, readout
from loosen.core.session import CueDue, EndReason, PhaseEnded, PhaseStarted, Session, State

GENTLE = "Break due: squat and fold at the next natural pause"
# The tenth sprint runs from 1190 s to 1210 s, over the window's end at 20 minutes.
ROUTINE = efforts_run(sprint(20.0), walk_back(99.0), total_s=3600.0)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def started(clock: FakeClock, routine=ROUTINE) -> tuple[Session, list]:
    session = Session(routine, clock)
    return session, session.start()


def play_to(session: Session, clock: FakeClock, active_s: float) -> list:
    """Move the clock on in small steps, polling as the player's timer does."""
    events: list = []
    while session.state is State.RUNNING and session.active_s() < active_s - 1e-9:
        clock.advance(min(0.25, active_s - session.active_s()))
        events.extend(session.poll())
    return events


def entered(events) -> list[tuple[str, str, float]]:
    """(kind, step, active seconds) of each phase started, in order."""
    return [
        (e.phase.kind.value, e.phase.step, round(e.phase.start_s, 6))
        for e in events
        if isinstance(e, PhaseStarted)
    ]


def said(events) -> list[str]:
    return [e.cue.text for e in events if isinstance(e, CueDue)]


def break_starts(events) -> list[float]:
    return [
        round(e.phase.start_s, 6)
        for e in events
        if isinstance(e, PhaseStarted) and e.phase.kind is PhaseKind.GET_READY
    ]


def test_an_hour_plays_to_the_end_as_planned(clock):
    session, events = started(clock)
    events += play_to(session, clock, 3601)
    assert session.state is State.FINISHED and session.completed
    assert session.active_s() == pytest.approx(3600)
    assert entered(events) == [
        (p.kind.value, p.step, p.start_s) for p in session.plan.phases
    ]  # nothing re-planned differently when nobody touches anything
    spoken = said(events)
    assert spoken[:2] == ["Sprint, twenty seconds", SPRINT_SAY]
    assert spoken.count(GENTLE) == 2
    assert spoken.count("Break time: squat and fold") == 2
    assert spoken[-1] == "Session complete"
    assert break_starts(events) == [1210.0, 2463.0]


def test_the_gentle_cue_comes_at_the_window_and_the_sprint_is_not_cut(clock):
    session, _ = started(clock)
    events = play_to(session, clock, 900.5)
    assert [e.late_s for e in events if isinstance(e, CueDue) and e.cue.text == GENTLE] == [0.0]
    play_to(session, clock, 1205)  # past 20 minutes, in the middle of a sprint
    assert (session.phase.step, session.phase.start_s) == ("Sprint", 1190.0)
    events = play_to(session, clock, 1210.5)
    ended = [e for e in events if isinstance(e, PhaseEnded)]
    assert [(e.phase.step, e.reason) for e in ended] == [("Sprint", EndReason.ELAPSED)]
    assert break_starts(events) == [1210.0]


def test_skipped_efforts_move_the_break_to_the_end_of_the_effort_under_way_at_the_window(
    clock,
):
    session, _ = started(clock)
    play_to(session, clock, 5)
    session.skip()  # the first sprint: the walk back starts at 5 s, not 20 s
    assert (session.phase.step, session.phase.start_s) == ("Walk back", 5.0)
    events = play_to(session, clock, 1400)
    before_break = next(
        e.phase
        for e, after in itertools.pairwise(events)
        if isinstance(e, PhaseEnded)
        and isinstance(after, PhaseStarted)
        and after.phase.kind is PhaseKind.GET_READY
    )
    # Walk backs and sprints from 5 s on: the one under way at 1200 s is a walk back
    # from 1195 s; it runs whole, then the break.
    assert (before_break.step, before_break.start_s, before_break.end_s) == (
        "Walk back",
        1195.0,
        1294.0,
    )
    assert break_starts(events) == [1294.0]


def test_back_past_the_window_reruns_the_effort_then_breaks(clock):
    session, _ = started(clock)
    play_to(session, clock, 1205)  # 15 s into the sprint over the window's end
    session.back()  # after its first seconds: the sprint starts again
    assert (session.phase.step, session.phase.start_s) == ("Sprint", 1205.0)
    events = play_to(session, clock, 1226)
    assert break_starts(events) == [1225.0]  # not another window later: the count went on


def test_back_in_the_first_seconds_returns_to_the_effort_before_and_keeps_the_count(clock):
    session, _ = started(clock)
    play_to(session, clock, 120)  # a second into the second sprint
    session.back()
    assert (session.phase.step, session.phase.start_s) == ("Walk back", 120.0)
    assert session.since_count_start_s() == pytest.approx(120)
    events = play_to(session, clock, 1400)
    assert len(break_starts(events)) == 1


def test_skipping_ahead_then_back_plans_what_follows_from_where_it_is(clock):
    session, _ = started(clock)
    play_to(session, clock, 5)
    session.skip()
    session.skip()  # the second sprint, at 5 s
    session.skip()  # its walk back, at 5 s
    session.back()  # in its first seconds: the second sprint again, at 5 s
    assert (session.phase.step, session.phase.start_s) == ("Sprint", 5.0)
    ahead = session.phases[session.index :]
    assert all(a.end_s == pytest.approx(b.start_s) for a, b in itertools.pairwise(ahead))
    events = play_to(session, clock, 1400)
    # Sprints from 5 s every 119 s: the one under way at 1200 s runs from 1195 s.
    assert break_starts(events) == [1215.0]


def test_b_during_a_sprint_takes_the_break_at_once_and_the_efforts_restart_after_it(clock):
    session, _ = started(clock)
    play_to(session, clock, 960)
    assert session.phase.step == "Sprint"  # the ninth, from 952 s
    events = session.take_break()
    assert [e.reason for e in events if isinstance(e, PhaseEnded)] == [EndReason.BREAK_TAKEN]
    assert session.phase.kind is PhaseKind.GET_READY
    events = play_to(session, clock, 1003.5)
    assert entered(events)[-1] == ("activity", "Sprint", 1003.0)
    assert "Sprint, twenty seconds" in said(events)
    assert session.since_count_start_s() == pytest.approx(0.5)
    # The count restarted at 1003 s: the gentle cue 15 minutes later, the break at the
    # end of the effort under way 20 minutes later (a sprint from 2193 s to 2213 s).
    assert GENTLE not in said(play_to(session, clock, 1902.9))
    assert GENTLE in said(play_to(session, clock, 1903.1))
    assert break_starts(play_to(session, clock, 2220)) == [2213.0]


def test_skip_in_an_effort_goes_to_the_next_effort_not_to_the_break(clock):
    session, _ = started(clock)
    play_to(session, clock, 3)
    events = session.skip()
    assert [e.reason for e in events if isinstance(e, PhaseEnded)] == [EndReason.SKIPPED]
    assert session.phase.step == "Walk back" and session.breaks_taken == 0


def test_a_pause_holds_the_count_to_the_break(clock):
    session, _ = started(clock)
    play_to(session, clock, 600)
    session.pause()
    clock.advance(300)
    session.resume()
    events = play_to(session, clock, 1211)
    assert break_starts(events) == [1210.0]


def test_an_open_run_of_efforts_goes_on_with_breaks_until_stopped(clock):
    session, _ = started(clock, efforts_run(sprint(20.0), walk_back(99.0), total_s=None))
    events = play_to(session, clock, 4 * 3600)
    assert session.state is State.RUNNING
    assert len(break_starts(events)) == 11


# -- what the player shows ---------------------------------------------------------


def test_the_player_shows_the_effort_its_time_left_and_the_next_one(clock):
    session, _ = started(clock)
    play_to(session, clock, 4.2)
    shown = readout(session, clock.now())
    assert (shown.phase_kind, shown.band) == (PhaseKind.ACTIVITY, "Run")
    assert (shown.step, shown.clock) == ("Sprint", "0:16")
    assert shown.coming == "Next: Walk back"
    assert shown.side == "0:04 since the start"
    assert shown.say == SPRINT_SAY
    assert shown.break_state is BreakState.EARLY
    assert shown.count == "Break due from 15:00, at 20:00 at the latest"
    assert shown.break_button == "Take the break early"
    assert PlayerAction.TAKE_BREAK in shown.offered
    assert shown.phase_progress == pytest.approx(4.2 / 20)
    assert shown.asks_tightness  # the first stretch of efforts is the first work


def test_a_walk_back_without_instruction_says_what_the_break_will_be(clock):
    session, _ = started(clock)
    play_to(session, clock, 30)
    shown = readout(session, clock.now())
    assert (shown.step, shown.clock, shown.coming) == ("Walk back", "1:29", "Next: Sprint")
    assert shown.say == session.routine.interval.break_routine.summary


def test_in_the_window_then_past_it_the_break_line_says_what_happens(clock):
    session, _ = started(clock)
    play_to(session, clock, 1000)
    shown = readout(session, clock.now())
    assert shown.break_state is BreakState.DUE
    assert shown.count == "Break due: take it at your next pause (B) · by 20:00"
    assert shown.side == "16:40 since the start"
    play_to(session, clock, 1201)
    shown = readout(session, clock.now())
    assert shown.count == "Break when this effort ends · B takes it now"
    assert shown.coming == "Next: Squat and fold break"


def test_the_last_stretch_counts_down_what_is_left_of_the_session(clock):
    session, _ = started(clock)
    play_to(session, clock, 3000)
    shown = readout(session, clock.now())
    assert shown.break_state is BreakState.NONE
    assert shown.count == "No more breaks · 10:00 to go · B if you need one"
    assert shown.side.endswith("since your last break")
    play_to(session, clock, 3598)
    shown = readout(session, clock.now())
    assert (shown.step, shown.clock, shown.coming) == ("Walk back", "0:02", "Next: finish")
    assert perform(session, PlayerAction.TAKE_BREAK) is None  # no room left for one


def test_the_readout_of_an_effort_counts_down_from_the_whole_second(clock):
    session, _ = started(clock)
    assert readout(session, clock.now()).clock == "0:20"
    play_to(session, clock, 0.5)
    assert readout(session, clock.now()).clock == "0:20"
    cues = [c for c in session.plan.cues if c.phase_index == 0]
    assert [c.kind for c in cues][:2] == [CueKind.START, CueKind.SAY]


# -- a property: whatever the runner presses, and when ------------------------------

ACTIONS = st.lists(
    st.tuples(
        st.just(0.0) | st.floats(0, 3) | st.floats(0, 400),  # keys pressed quickly, or not
        st.sampled_from([PlayerAction.SKIP, PlayerAction.BACK, PlayerAction.TAKE_BREAK, None]),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(actions=ACTIONS, total_s=st.sampled_from([1500.0, 2400.0, 3600.0]))
def test_whatever_is_pressed_a_break_waits_for_its_effort_and_the_run_ends_at_its_total(
    actions, total_s
):
    clock = FakeClock()
    routine = efforts_run(sprint(20.0), walk_back(99.0), total_s=total_s)
    every_end = routine.interval.every.end_s
    session, events = started(clock, routine)
    break_s = break_length_s(routine)
    for wait_s, action in actions:
        events += play_to(session, clock, session.active_s() + wait_s)
        if action is not None:
            events += perform(session, action) or []
        phase = session.phase
        if session.state is State.RUNNING and phase.is_effort:
            ahead = session.phases[session.index :]
            assert all(a.end_s == pytest.approx(b.start_s) for a, b in itertools.pairwise(ahead))
    events += play_to(session, clock, total_s + 1)
    assert session.state is State.FINISHED and session.active_s() == pytest.approx(total_s)

    count_from = 0.0
    ended = None
    for event in events:
        if isinstance(event, PhaseEnded):
            ended = event
        elif isinstance(event, PhaseStarted):
            starts_break = event.phase.kind is PhaseKind.GET_READY
            if event.phase.is_effort and ended is not None and not ended.phase.is_effort:
                count_from = event.phase.start_s  # after a break, the count restarts
            if ended is not None and ended.phase.is_effort and ended.reason is EndReason.ELAPSED:
                effort = ended.phase
                assert effort.duration_s == effort.step_ref.duration_s  # run whole
                due = effort.end_s - count_from >= every_end - 1e-6
                fits = effort.end_s + break_s <= total_s + 1e-6
                assert starts_break == (due and fits), (effort, count_from)
