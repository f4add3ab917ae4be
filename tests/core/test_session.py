"""The session state machine, driven by a fake clock: no sleeps, exact times."""

from __future__ import annotations

import pytest

from loosen.core.clock import FakeClock
from loosen.core.history import closing_status
from loosen.core.phases import PhaseKind, Side
from loosen.core.session import (
    CueDue,
    CueMissed,
    EndReason,
    IllegalTransition,
    Paused,
    PauseReason,
    PhaseEnded,
    PhaseStarted,
    Resumed,
    Session,
    SessionFinished,
    State,
)

from helpers import routine, run_routine, step


def drive(session: Session, clock: FakeClock, seconds: float, tick: float = 0.1) -> list:
    """Advance the clock in small ticks, polling like the UI's timer would."""
    events = []
    for _ in range(round(seconds / tick)):
        clock.advance(tick)
        events.extend(session.poll())
    return events


def said(events) -> list[str]:
    return [e.cue.text for e in events if isinstance(e, CueDue)]


def started(events) -> list[tuple[str, str | None]]:
    return [
        (e.phase.kind.value, e.phase.side and e.phase.side.value)
        for e in events
        if isinstance(e, PhaseStarted)
    ]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


LUNGE = step("Lunge", duration_s=30.0, sides=True, switch_s=5.0, rest_s=10.0, say="Tuck under.")
BRIDGE = step("Bridge", reps=4, tempo_s=3.0, sets=2, rest_s=10.0)


def test_start_enters_the_first_phase_and_says_its_cue(clock):
    session = Session(routine(LUNGE, get_ready_s=5.0), clock)
    events = session.start()
    assert session.state is State.RUNNING
    assert started(events) == [("get-ready", None)]
    assert said(events) == ["Get ready. First: lunge"]


def test_phases_follow_the_plan_to_the_end_and_finish_completed(clock):
    session = Session(routine(LUNGE, BRIDGE, get_ready_s=5.0), clock)
    events = session.start() + drive(session, clock, 200)
    assert started(events) == [
        ("get-ready", None),
        ("work", "left"),
        ("switch", "right"),
        ("work", "right"),
        ("rest", None),
        ("work", None),
        ("rest", None),
        ("work", None),
    ]
    finished = [e for e in events if isinstance(e, SessionFinished)]
    assert len(finished) == 1 and finished[0].completed
    assert said(events)[-1] == "Session complete"
    summary = finished[0].summary
    assert (summary.steps_done, summary.steps_skipped) == (2, 0)
    assert summary.active_s == pytest.approx(session.plan.total_s)
    assert session.poll() == []


def test_boundaries_are_computed_from_the_clock_not_counted(clock):
    session = Session(
        routine(step("A", duration_s=10.0, rest_s=0), step("B", duration_s=10.0), get_ready_s=0),
        clock,
    )
    session.start()
    clock.advance(5)
    session.poll()
    clock.advance(5.3)  # polled late: B still starts at 10.0, not at 10.3
    session.poll()
    assert session.phase.step == "B"
    assert session.phase_elapsed_s() == pytest.approx(0.3)
    assert session.phase_remaining_s() == pytest.approx(9.7)


def test_a_late_poll_drops_stale_cues_instead_of_saying_them_late(clock):
    session = Session(routine(step("A", duration_s=40.0), get_ready_s=0), clock)
    session.start()
    clock.advance(9.9)
    session.poll()
    clock.advance(9.9)  # the loop stalled past "Halfway" at 20 s? no: 19.8 s, not yet
    assert not [e for e in session.poll() if isinstance(e, CueDue | CueMissed)]
    clock.advance(1.2)  # 21.0 s: Halfway is 1 s late, more than the 0.75 s allowed
    events = session.poll()
    assert [(type(e), e.cue.text) for e in events if isinstance(e, CueDue | CueMissed)] == [
        (CueMissed, "Halfway")
    ]


def test_pause_freezes_time_and_resume_carries_on(clock):
    session = Session(routine(step("A", duration_s=30.0), get_ready_s=0), clock)
    session.start()
    clock.advance(10)
    assert session.pause() == [Paused(PauseReason.USER)]
    clock.advance(300)
    assert session.poll() == []
    assert session.active_s() == pytest.approx(10)
    assert session.resume()[0] == Resumed()
    clock.advance(5)
    session.poll()
    assert session.active_s() == pytest.approx(15)
    assert session.phase_remaining_s() == pytest.approx(15)


def test_pause_during_a_countdown_holds_the_remaining_numbers_until_resume(clock):
    session = Session(routine(step("A", duration_s=20.0, countdown=3), get_ready_s=0), clock)
    session.start()
    events = drive(session, clock, 17.5)  # "three" at 17 has been said
    assert said(events)[-1] == "three"
    session.pause()
    clock.advance(60)
    assert session.poll() == []
    session.resume()
    later = drive(session, clock, 3)
    assert said(later) == ["two", "one", "Session complete"]
    twos = [e for e in later if isinstance(e, CueDue) and e.cue.text == "two"]
    assert twos[0].late_s < 0.11  # on time relative to the session, not the wall


def test_skip_during_a_switch_goes_to_the_right_side(clock):
    session = Session(routine(LUNGE, get_ready_s=0), clock)
    session.start()
    drive(session, clock, 31)  # in the switch
    assert session.phase.kind is PhaseKind.SWITCH
    events = session.skip()
    assert isinstance(events[0], PhaseEnded) and events[0].reason is EndReason.SKIPPED
    assert (session.phase.kind, session.phase.side) == (PhaseKind.WORK, Side.RIGHT)
    assert "Right side, thirty seconds" in said(events)
    drive(session, clock, 31)
    assert session.state is State.FINISHED
    assert session.summary().steps_skipped == 0  # skipping a switch skips no exercise


def test_skipping_work_counts_the_step_as_skipped(clock):
    session = Session(
        routine(step("A", duration_s=30.0), step("B", duration_s=30.0), get_ready_s=0), clock
    )
    session.start()
    clock.advance(3)
    session.skip()  # A skipped; now in the rest
    session.skip()  # the rest: not a step
    drive(session, clock, 31)
    summary = session.summary()
    assert (summary.steps_done, summary.steps_skipped) == (1, 1)


def test_skip_on_the_last_phase_completes_the_session(clock):
    session = Session(routine(step("A", duration_s=30.0), get_ready_s=0), clock)
    session.start()
    events = session.skip()
    assert events[-1] == SessionFinished(True, session.summary())
    assert "Session complete" in said(events)


def test_back_restarts_the_current_phase_after_its_first_seconds(clock):
    session = Session(routine(step("A", duration_s=30.0, say="Breathe."), get_ready_s=5), clock)
    session.start()
    drive(session, clock, 15)  # 10 s into A
    events = session.back()
    assert session.phase.step == "A" and session.phase_elapsed_s() == 0
    assert said(events) == ["A, thirty seconds"]
    assert [e.reason for e in events if isinstance(e, PhaseEnded)] == [EndReason.BACK]


def test_back_in_the_first_two_seconds_goes_to_the_previous_phase(clock):
    session = Session(routine(step("A", duration_s=30.0), get_ready_s=5), clock)
    session.start()
    drive(session, clock, 6)  # 1 s into A
    session.back()
    assert session.phase.kind is PhaseKind.GET_READY
    assert session.phase_remaining_s() == 5


def test_back_at_a_set_boundary_returns_to_the_rest_between_sets(clock):
    session = Session(routine(BRIDGE, get_ready_s=0), clock)
    session.start()
    set_two = next(p for p in session.phases if p.kind is PhaseKind.WORK and p.set == 2)
    drive(session, clock, set_two.start_s + 1)  # 1 s into set 2
    assert (session.phase.kind, session.phase.set) == (PhaseKind.WORK, 2)
    session.back()
    assert (session.phase.kind, session.phase.set) == (PhaseKind.REST, 1)
    session.back()  # first two seconds of the rest again: back to set 1
    assert (session.phase.kind, session.phase.set) == (PhaseKind.WORK, 1)


def test_back_during_a_switch_goes_back_to_the_left_side(clock):
    session = Session(routine(LUNGE, get_ready_s=0), clock)
    session.start()
    drive(session, clock, 30 + 3.5)  # the left side, then 3.5 s of the 5-s switch
    assert session.phase.kind is PhaseKind.SWITCH
    events = session.back()
    assert (session.phase.kind, session.phase.side) == (PhaseKind.WORK, Side.LEFT)
    assert session.phase_remaining_s() == 30
    assert said(events)[0] == "Lunge, left side, thirty seconds"


def test_back_in_the_first_seconds_of_the_right_side_goes_to_the_switch(clock):
    session = Session(routine(LUNGE, get_ready_s=0), clock)
    session.start()
    drive(session, clock, 30 + 5 + 1)
    session.back()
    assert session.phase.kind is PhaseKind.SWITCH
    session.back()  # once more, quickly: the left side again
    assert (session.phase.kind, session.phase.side) == (PhaseKind.WORK, Side.LEFT)


def test_back_on_the_very_first_phase_restarts_it(clock):
    session = Session(routine(step("A"), get_ready_s=5), clock)
    session.start()
    clock.advance(1)
    session.back()
    assert session.index == 0 and session.phase_elapsed_s() == 0


def test_done_ends_an_open_ended_step_and_only_that(clock):
    session = Session(
        routine(step("Squat", reps=2, rest_s=5.0), step("Fold", duration_s=10.0), get_ready_s=0),
        clock,
    )
    session.start()
    drive(session, clock, 120)  # an open-ended step waits, however long
    assert session.phase.step == "Squat" and session.phase_remaining_s() is None
    events = session.done()
    assert [e.reason for e in events if isinstance(e, PhaseEnded)] == [EndReason.DONE]
    assert session.phase.kind is PhaseKind.REST
    with pytest.raises(IllegalTransition, match="open-ended"):
        session.done()
    drive(session, clock, 16)
    assert session.state is State.FINISHED and session.summary().steps_done == 2


def test_stop_finishes_without_completing(clock):
    session = Session(routine(step("A"), get_ready_s=0), clock)
    session.start()
    clock.advance(12)
    events = session.stop()
    assert isinstance(events[-1], SessionFinished) and not events[-1].completed
    assert session.completed is False and session.active_s() == pytest.approx(12)
    assert "Session complete" not in said(events)
    clock.advance(100)
    assert session.active_s() == pytest.approx(12)


def test_stop_while_paused(clock):
    session = Session(routine(step("A"), get_ready_s=0), clock)
    session.start()
    clock.advance(4)
    session.pause()
    clock.advance(50)
    assert session.stop()[-1].summary.active_s == pytest.approx(4)


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("resume", "running"),
        ("done", "running"),
        ("take_break", "running"),
        ("start", "running"),
        ("pause", "paused"),
        ("pause", "finished"),
        ("skip", "finished"),
        ("back", "ready"),
        ("stop", "ready"),
        ("resume", "finished"),
    ],
)
def test_illegal_transitions_are_refused_not_ignored(clock, action, state):
    session = Session(routine(step("A"), get_ready_s=0), clock)
    if state != "ready":
        session.start()
    if state == "paused":
        session.pause()
    if state == "finished":
        session.stop()
    with pytest.raises(IllegalTransition):
        getattr(session, action)()


def test_a_long_gap_between_polls_reports_every_phase_it_passed(clock):
    session = Session(
        routine(step("A", duration_s=5.0, rest_s=2.0), step("B", duration_s=5.0), get_ready_s=0),
        clock,
    )
    session.start()
    clock.advance(8)
    events = session.poll()
    assert started(events) == [("rest", None), ("work", None)]
    assert session.phase.step == "B" and session.phase_elapsed_s() == pytest.approx(1)
    assert any(isinstance(e, CueMissed) for e in events)


def test_a_sleep_that_stops_the_monotonic_clock_pauses_the_session(clock):
    session = Session(routine(step("A", duration_s=60.0), get_ready_s=0), clock)
    session.start()
    drive(session, clock, 10)
    clock.suspend(3600)  # lid closed for an hour
    clock.advance(0.1)
    events = session.poll()
    assert events == [Paused(PauseReason.SUSPEND)]
    assert session.state is State.PAUSED
    assert session.active_s() == pytest.approx(10, abs=0.11)


@pytest.mark.parametrize("jump_s", [-3600, 3600])
def test_the_wall_clock_set_back_or_forward_changes_nothing(clock, jump_s):
    session = Session(routine(step("A", duration_s=60.0), get_ready_s=0), clock)
    session.start()
    drive(session, clock, 10)
    clock.jump_wall(jump_s)
    clock.advance(0.1)
    assert not any(isinstance(e, Paused) for e in session.poll())
    assert session.state is State.RUNNING


def press_right_and_left(session: Session, clock: FakeClock, seconds: float) -> list:
    """A person pressing Right, then Left, every 0.3 s: actions only, no poll between."""
    events = []
    for n in range(round(seconds / 0.3)):
        clock.advance(0.3)
        events.extend(session.skip() if n % 2 == 0 else session.back())
    return events


def test_quick_key_presses_are_never_taken_for_a_sleep(clock):
    session = Session(routine(LUNGE, step("Fold", duration_s=30.0), get_ready_s=5.0), clock)
    session.start()
    events = press_right_and_left(session, clock, 15)
    clock.advance(0.1)
    events.extend(session.poll())
    assert not any(isinstance(e, Paused) for e in events)
    assert session.state is State.RUNNING
    drive(session, clock, 2)
    assert session.state is State.RUNNING


def test_a_long_gap_between_polls_alone_never_pauses(clock):
    session = Session(routine(step("A", duration_s=60.0), get_ready_s=0), clock)
    session.start()
    drive(session, clock, 10)
    clock.advance(30)  # a stalled event loop, not a sleep: the clocks say so
    events = session.poll()
    assert not any(isinstance(e, Paused) for e in events)
    assert session.phase_remaining_s() == pytest.approx(20)


def test_a_sleep_noticed_at_a_key_press_pauses_before_the_action(clock):
    session = Session(routine(LUNGE, get_ready_s=0), clock)
    session.start()
    drive(session, clock, 10)
    clock.suspend(600)
    clock.advance(0.2)
    events = session.skip()
    assert events[0] == Paused(PauseReason.SUSPEND)
    assert session.state is State.PAUSED
    assert session.phase.kind is PhaseKind.SWITCH  # the skip itself still happened


def test_a_sleep_noticed_at_pause_is_reported_once(clock):
    session = Session(routine(step("A", duration_s=60.0), get_ready_s=0), clock)
    session.start()
    drive(session, clock, 10)
    clock.suspend(600)
    assert session.pause() == [Paused(PauseReason.SUSPEND)]
    assert session.state is State.PAUSED
    clock.suspend(600)  # asleep again while paused: nothing to say on resume
    assert session.resume() == [Resumed()]


def test_a_sleep_the_monotonic_clock_counts_pauses_where_the_sleep_began(clock):
    session = Session(routine(step("A", duration_s=60.0), get_ready_s=0), clock)
    session.start()
    drive(session, clock, 10)
    clock.suspend(1800, monotonic_counts_it=True)  # as Windows' monotonic clock may
    clock.advance(0.1)
    assert session.poll()[-1] == Paused(PauseReason.SUSPEND)
    assert session.active_s() == pytest.approx(10, abs=0.11)
    session.resume()
    assert session.phase_remaining_s() == pytest.approx(50, abs=0.11)


# -- runs -----------------------------------------------------------------------------


def test_a_sixty_minute_run_plays_to_the_end_in_simulated_time(clock):
    session = Session(run_routine(total_s=3600.0), clock)
    events = session.start() + drive(session, clock, 3601, tick=0.5)
    assert session.state is State.FINISHED and session.completed
    assert session.active_s() == pytest.approx(3600)
    breaks = [
        e for e in events if isinstance(e, PhaseStarted) and e.phase.kind is PhaseKind.GET_READY
    ]
    assert [round(session_time) for session_time in (1200, 2443)] == [
        round(e.phase.start_s) for e in breaks
    ]
    spoken = said(events)
    assert spoken.count("Break due: squat and fold at the next natural pause") == 2
    assert spoken.count("Break time: squat and fold") == 2
    assert spoken[-1] == "Session complete"
    assert session.summary().breaks_taken == 2
    assert session.summary().steps_done == 4  # two steps in each of two breaks


def test_a_break_taken_early_in_the_window_restarts_the_count(clock):
    session = Session(run_routine(total_s=3600.0), clock)
    session.start()
    events = drive(session, clock, 960, tick=0.5)  # 16 min: inside the 15–20 min window
    assert "Break due: squat and fold at the next natural pause" in said(events)
    events = session.take_break()
    assert [e.reason for e in events if isinstance(e, PhaseEnded)] == [EndReason.BREAK_TAKEN]
    assert session.phase.kind is PhaseKind.GET_READY
    assert "Break time: squat and fold" in said(events)
    drive(session, clock, 43, tick=0.5)  # the break's 3 + 20 + 20 s
    assert session.phase.kind is PhaseKind.ACTIVITY
    restart = session.active_s()
    assert restart == pytest.approx(960 + 43)
    events = drive(session, clock, 1200, tick=0.5)
    gentle = [e for e in events if isinstance(e, CueDue) and e.cue.text.startswith("Break due")]
    assert gentle[0].cue.offset_s == 900  # counted from the restart, not from the start
    assert session.phase.kind is PhaseKind.GET_READY  # the next break came at restart + 20 min


def test_skip_during_the_activity_takes_the_break(clock):
    session = Session(run_routine(), clock)
    session.start()
    drive(session, clock, 100, tick=0.5)
    events = session.skip()
    assert [e.reason for e in events if isinstance(e, PhaseEnded)] == [EndReason.BREAK_TAKEN]


def test_no_break_when_it_could_not_end_before_the_total(clock):
    session = Session(run_routine(total_s=600.0), clock)
    session.start()
    drive(session, clock, 580, tick=0.5)
    with pytest.raises(IllegalTransition, match="no time left"):
        session.take_break()
    drive(session, clock, 21, tick=0.5)
    assert session.state is State.FINISHED and session.completed


def test_take_break_is_only_for_a_runs_activity(clock):
    session = Session(run_routine(), clock)
    session.start()
    session.take_break()
    with pytest.raises(IllegalTransition, match="activity"):
        session.take_break()  # already in the break


def test_a_run_without_total_goes_on_until_stopped(clock):
    session = Session(run_routine(total_s=None), clock)
    session.start()
    drive(session, clock, 2 * 3600, tick=1.0)
    assert session.state is State.RUNNING
    assert session.summary().breaks_taken == 5  # one every 20 min + 43 s
    assert session.stop()[-1].completed is False


def test_a_step_skipped_then_gone_back_to_and_done_counts_as_done(clock):
    hold = step("Hold", duration_s=20.0, rest_s=0.0)
    session = Session(routine(hold, step("Fold", duration_s=20.0), get_ready_s=0.0), clock)
    session.start()
    session.skip()  # Hold skipped...
    assert session.phase.step == "Fold"
    session.back()  # ...then taken back at once, and held in full
    assert session.phase.step == "Hold"
    drive(session, clock, 41)
    summary = session.summary()
    assert session.state is State.FINISHED
    assert (summary.steps_done, summary.steps_skipped) == (2, 0)


def test_one_side_held_twice_does_not_make_up_for_the_other_skipped(clock):
    lunge = step("Lunge", duration_s=10.0, sides=True, switch_s=0.0, rest_s=0.0)
    session = Session(routine(lunge, get_ready_s=0.0), clock)
    session.start()
    drive(session, clock, 10.5)  # the left side, in full
    assert session.phase.side is Side.RIGHT
    clock.advance(0.5)
    session.back()  # within the first seconds: back to the left side, held again
    assert session.phase.side is Side.LEFT
    drive(session, clock, 10.5)
    session.skip()  # and the right side skipped
    summary = session.summary()
    assert (summary.steps_done, summary.steps_skipped) == (0, 1)


FOUR_HOLDS = [step(name, duration_s=30.0, rest_s=0.0) for name in "ABCD"]


@pytest.mark.parametrize(
    ("skipped", "share", "status"),
    [(0, 1.0, "completed"), (2, 0.5, "completed"), (3, 0.25, "partial"), (4, 0.0, "partial")],
)
def test_a_session_skipped_through_reaches_its_end_as_partial(clock, skipped, share, status):
    session = Session(routine(*FOUR_HOLDS, get_ready_s=0), clock)
    session.start()
    for _ in range(skipped):
        session.skip()
    drive(session, clock, 30 * (4 - skipped) + 1)
    assert session.state is State.FINISHED and session.completed
    summary = session.summary()
    assert summary.work_share == share
    assert closing_status(session.completed, summary.work_share) == status


def test_a_session_stopped_is_stopped_however_much_was_done(clock):
    session = Session(routine(*FOUR_HOLDS, get_ready_s=0), clock)
    session.start()
    drive(session, clock, 95)
    session.stop()
    assert closing_status(session.completed, session.summary().work_share) == "stopped"


def test_a_run_with_breaks_taken_early_counts_as_all_its_work_done(clock):
    session = Session(run_routine(total_s=3600.0), clock)
    session.start()
    drive(session, clock, 960, tick=0.5)
    session.take_break()
    drive(session, clock, 2700, tick=0.5)
    assert session.state is State.FINISHED and session.completed
    assert session.summary().work_share == 1.0
