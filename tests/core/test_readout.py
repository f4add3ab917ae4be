"""What the player shows, computed from a session on a fake clock, without Qt."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from loosen.core.clock import FakeClock
from loosen.core.cues import MIN_RATE_WPM, Cue, CueKind
from loosen.core.phases import PhaseKind
from loosen.core.plan import break_length_s
from loosen.core.readout import (
    ALWAYS_OFFERED,
    BreakState,
    PlayerAction,
    Readout,
    announcement,
    cue_on_screen,
    perform,
    readout,
)
from loosen.core.session import PhaseStarted, Session, State

from helpers import routine, run_routine, step

LUNGE = step(
    "Lunge",
    duration_s=30.0,
    sides=True,
    switch_s=5.0,
    rest_s=10.0,
    say="Tuck under.",
    image=Path("/pictures/lunge.svg"),
)
BRIDGE = step("Bridge", reps=4, tempo_s=3.0, sets=2, rest_s=10.0, say="Lift.", image=Path("/b.svg"))
SQUAT = step("Squat", reps=2)
# get ready 0-5, lunge left 5-35, switch 35-40, lunge right 40-70, rest 70-80,
# bridge set 1 80-92, rest 92-102, set 2 102-114, rest 114-124, squat (open) from 124.
STRETCH = routine(LUNGE, BRIDGE, SQUAT, get_ready_s=5.0)
WITH_DONE = ALWAYS_OFFERED | {PlayerAction.DONE}
WITH_BREAK = ALWAYS_OFFERED | {PlayerAction.TAKE_BREAK}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def started(made, clock: FakeClock, **options) -> Session:
    session = Session(made, clock, **options)
    session.start()
    return session


def play_to(session: Session, clock: FakeClock, active_s: float) -> None:
    """Move the clock on in small steps, polling as the player's timer does."""
    while session.state is State.RUNNING and session.active_s() < active_s - 1e-9:
        clock.advance(min(0.25, active_s - session.active_s()))
        session.poll()


def shown(session: Session, clock: FakeClock, **options) -> Readout:
    return readout(session, clock.now(), **options)


# -- a stretch routine ------------------------------------------------------------------


def test_get_ready_shows_the_first_step_and_asks_how_tight(clock):
    session = started(STRETCH, clock)
    assert shown(session, clock) == Readout(
        phase_kind=PhaseKind.GET_READY,
        band="Get ready",
        position="Test routine",
        step="Next: Lunge",
        side="",
        clock="0:05",
        paused=False,
        count="",
        break_state=BreakState.NONE,
        image=Path("/pictures/lunge.svg"),
        say="Tuck under.",
        phase_progress=0.0,
        session_progress=0.0,
        session_left="2:04 left",
        coming="Then: Bridge",
        cue="",
        offered=ALWAYS_OFFERED,
        pause_button="Pause",
        break_button="Take the break now",
        asks_tightness=True,
        clock_means="Time left in this step",
    )


def test_work_counts_down_from_the_whole_second_and_names_the_side(clock):
    session = started(STRETCH, clock)
    play_to(session, clock, 5 + 10.5)
    assert shown(session, clock, last_cue="Lunge, left side, thirty seconds") == Readout(
        phase_kind=PhaseKind.WORK,
        band="Work",
        position="Step 1 of 3",
        step="Lunge",
        side="Left side",
        clock="0:20",  # 19.5 s left
        paused=False,
        count="",
        break_state=BreakState.NONE,
        image=Path("/pictures/lunge.svg"),
        say="Tuck under.",
        phase_progress=pytest.approx(10.5 / 30),
        session_progress=pytest.approx(15.5 / 124),
        session_left="1:48 left",  # 108.5 s: whole seconds, rounded down
        coming="Next: right side",
        cue="“Lunge, left side, thirty seconds”",
        offered=ALWAYS_OFFERED,
        pause_button="Pause",
        break_button="Take the break now",
        asks_tightness=True,  # until the first work phase ends
        clock_means="Time left in this step",
    )
    play_to(session, clock, 5.5)  # no going back: the clock shows what the session says
    assert shown(session, clock).clock == "0:20"


def test_the_clock_shows_the_full_length_for_the_whole_first_second(clock):
    session = started(STRETCH, clock)
    play_to(session, clock, 5)
    assert shown(session, clock).clock == "0:30"
    play_to(session, clock, 5.9)
    assert shown(session, clock).clock == "0:30"
    play_to(session, clock, 6.0)
    assert shown(session, clock).clock == "0:29"


def test_the_switch_says_which_side_comes_next(clock):
    session = started(STRETCH, clock)
    play_to(session, clock, 36)
    now = shown(session, clock)
    assert (now.phase_kind, now.band, now.step, now.clock) == (
        PhaseKind.SWITCH,
        "Switch sides",
        "Lunge",
        "0:04",
    )
    assert now.coming == "Next: right side" and now.position == "Step 1 of 3"
    play_to(session, clock, 41)
    assert (shown(session, clock).side, shown(session, clock).coming) == (
        "Right side",
        "Next: Bridge",
    )


def test_a_rest_shows_the_step_after_it_with_its_picture(clock):
    session = started(STRETCH, clock)
    play_to(session, clock, 72)
    now = shown(session, clock)
    assert (now.phase_kind, now.band, now.step, now.side) == (
        PhaseKind.REST,
        "Rest",
        "Next: Bridge",
        "",
    )
    assert (now.image, now.say, now.clock) == (Path("/b.svg"), "Lift.", "0:08")
    assert now.coming == "Then: Squat"
    assert now.position == "Step 1 of 3"  # the rest belongs to the step before it


def test_sets_and_reps_are_one_line(clock):
    session = started(STRETCH, clock)
    play_to(session, clock, 80 + 7)  # the third rep of the first set (reps every 3 s)
    now = shown(session, clock)
    assert now.count == "Set 1 of 2 · Rep 3 of 4"
    assert now.side == "" and now.position == "Step 2 of 3"
    assert now.coming == "Next: set 2 of 2"
    play_to(session, clock, 102 + 9)
    assert shown(session, clock).count == "Set 2 of 2 · Rep 4 of 4"
    assert shown(session, clock).coming == "Next: Squat"
    play_to(session, clock, 116)  # the rest between: no set or rep to show
    assert shown(session, clock).count == ""


def test_an_open_ended_step_counts_up_and_offers_done(clock):
    session = started(STRETCH, clock)
    play_to(session, clock, 124 + 7.4)
    now = shown(session, clock)
    assert now.clock == "0:07"
    assert now.count == "2 reps in your own time · Enter when done"
    assert now.offered == WITH_DONE
    assert (now.phase_progress, now.session_progress) == (0.0, 1.0)
    assert now.coming == "Next: finish" and now.session_left == "0:00 left"


def test_paused_the_readout_stands_still(clock):
    session = started(STRETCH, clock)
    play_to(session, clock, 12)
    session.pause()
    clock.advance(300)
    now = shown(session, clock)
    assert (now.band, now.paused, now.pause_button, now.clock) == (
        "Work  ·  paused",
        True,
        "Resume",
        "0:23",
    )
    assert now.offered == ALWAYS_OFFERED
    session.resume()
    assert shown(session, clock).band == "Work" and shown(session, clock).pause_button == "Pause"


def test_the_readout_is_of_the_moment_it_is_given(clock):
    session = started(STRETCH, clock)
    play_to(session, clock, 10)
    assert readout(session, clock.now()) == readout(session, clock.now())
    assert readout(session, clock.now() + 4).clock == "0:21"
    assert readout(session, clock.now()).clock == "0:25"
    run = started(run_routine(), clock)
    play_to(run, clock, 65)
    later = readout(run, clock.now() + 60)
    assert (later.clock, later.session_left) == ("2:05", "2:05 in · 57:55 left")
    assert later.session_progress == pytest.approx(125 / 3600)


def test_finished_and_stopped_say_so_over_the_routine_name(clock):
    session = started(STRETCH, clock)
    play_to(session, clock, 130)
    perform(session, PlayerAction.DONE)
    assert shown(session, clock) == Readout(
        phase_kind=None,
        band="Finished",
        position="",
        step="Test routine",
        side="",
        clock="2:10",
        paused=False,
        count="",
        break_state=BreakState.NONE,
        image=None,
        say="",
        phase_progress=1.0,
        session_progress=1.0,
        session_left="",
        coming="",
        cue="",
        offered=frozenset(),
        pause_button="Pause",
        break_button="",
        asks_tightness=False,
        clock_means="Time spent in this session",
    )
    other = started(STRETCH, FakeClock())
    other.clock.advance(61)
    other.pause()
    other.stop()
    stopped = readout(other, other.clock.now())
    assert (stopped.band, stopped.clock, stopped.phase_kind) == ("Stopped", "1:01", None)


def test_a_step_without_get_ready_starts_at_step_one(clock):
    session = started(routine(SQUAT, LUNGE, get_ready_s=0.0), clock)
    now = shown(session, clock)
    assert (now.position, now.step, now.coming) == ("Step 1 of 2", "Squat", "Next: Lunge")
    assert now.asks_tightness is True  # asked until the first work phase ends
    session.skip()
    assert shown(session, clock).asks_tightness is False


# -- a run with breaks ----------------------------------------------------------------


def test_a_run_counts_up_to_a_break_that_is_early_then_due(clock):
    session = started(run_routine(), clock)
    assert shown(session, clock).asks_tightness  # a run has no get-ready: its first block
    play_to(session, clock, 5 * 60)
    assert shown(session, clock) == Readout(
        phase_kind=PhaseKind.ACTIVITY,
        band="Run",
        position="Sprint hour",
        step="Sprints",
        side="Since the start",
        clock="5:00",
        paused=False,
        count="Break due from 15:00, at 20:00 at the latest",
        break_state=BreakState.EARLY,
        image=None,
        say="",
        phase_progress=pytest.approx(300 / 1200),
        session_progress=pytest.approx(300 / 3600),
        session_left="5:00 in · 55:00 left",
        coming="Next: Squat and fold break",
        cue="",
        offered=WITH_BREAK,
        pause_button="Pause",
        break_button="Take the break early",
        asks_tightness=True,  # the first block of running is still going
        clock_means="Time so far in this step",
    )
    play_to(session, clock, 15 * 60)
    now = shown(session, clock)
    assert now.break_state is BreakState.DUE
    assert now.count == "Break due: take it at your next pause (B) · by 20:00"
    assert now.break_button == "Take the break now"


def test_a_break_taken_shows_where_in_the_break_and_then_the_count_restarts(clock):
    session = started(run_routine(), clock)
    play_to(session, clock, 8 * 60)
    perform(session, PlayerAction.TAKE_BREAK)
    now = shown(session, clock)
    assert (now.band, now.position, now.step) == (
        "Get ready",
        "Break 1 · starting",
        "Next: Deep squat",
    )
    assert now.offered == ALWAYS_OFFERED and now.break_state is BreakState.NONE
    assert now.coming == "Then: Forward fold"
    play_to(session, clock, 8 * 60 + 3 + 1)
    assert shown(session, clock).position == "Break 1 · step 1 of 2"
    play_to(session, clock, 8 * 60 + 43 + 30)
    now = shown(session, clock)
    assert (now.side, now.clock, now.break_state) == (
        "Since your last break",
        "0:30",
        BreakState.EARLY,
    )
    assert now.asks_tightness is False  # only in the run's first minutes


def test_the_last_stretch_has_no_break_and_offers_one_while_it_fits(clock):
    # One break at 20:00 (43 s), then 2:00 of running to the total.
    session = started(run_routine(total_s=20 * 60 + 43 + 120), clock)
    play_to(session, clock, 20 * 60 + 43 + 30)
    now = shown(session, clock)
    assert now.count == "No more breaks · 1:30 to go · B if you need one"
    assert now.break_state is BreakState.NONE and now.offered == WITH_BREAK
    assert now.coming == "Next: finish" and now.say == ""
    play_to(session, clock, 20 * 60 + 43 + 80)  # 40 s left: a 43 s break would not fit
    now = shown(session, clock)
    assert now.count == "No more breaks · 0:40 to go"
    assert now.offered == ALWAYS_OFFERED


def test_a_fixed_interval_names_its_moment(clock):
    session = started(run_routine(every=(600.0, 600.0), total_s=1500.0), clock)
    play_to(session, clock, 61)
    assert shown(session, clock).count == "Break at 10:00 · B takes it early"


def test_an_open_run_says_only_how_long_so_far(clock):
    session = started(run_routine(total_s=None), clock)
    play_to(session, clock, 125)
    assert shown(session, clock).session_left == "2:05 in"


def test_a_break_is_offered_exactly_when_the_session_would_take_it(clock):
    # Spoken slowly, the lead-in before counted reps grows: a break takes longer.
    run = run_routine()
    squat = step("Deep squat", reps=4, tempo_s=5.0, say="Sink your hips slowly, back round.")
    counted = replace(run.interval.break_routine, steps=(squat,))
    run = replace(run, interval=replace(run.interval, break_routine=counted))
    slow_s = break_length_s(run, MIN_RATE_WPM)
    total_s = 20 * 60 + slow_s + 120
    run = replace(run, interval=replace(run.interval, total_s=total_s))
    for left_s, offered in ((slow_s + 1, True), (slow_s - 1, False)):
        ahead = FakeClock()
        session = started(run, ahead, words_per_minute=MIN_RATE_WPM)
        play_to(session, ahead, total_s - left_s)
        assert (PlayerAction.TAKE_BREAK in readout(session, ahead.now()).offered) is offered
        taken = perform(session, PlayerAction.TAKE_BREAK)
        assert (taken is not None) is offered


# -- what the controls do ----------------------------------------------------------------


def test_an_action_that_makes_no_sense_now_does_nothing(clock):
    session = Session(STRETCH, clock)
    assert perform(session, PlayerAction.SKIP) is None  # not started
    session.start()
    assert perform(session, PlayerAction.DONE) is None  # not an open-ended step
    assert perform(session, PlayerAction.TAKE_BREAK) is None  # not a run
    assert perform(session, PlayerAction.RESUME) is None  # not paused
    events = perform(session, PlayerAction.SKIP)
    assert events is not None and any(isinstance(e, PhaseStarted) for e in events)
    assert session.phase.kind is PhaseKind.WORK
    assert perform(session, PlayerAction.STOP)
    assert perform(session, PlayerAction.TOGGLE_PAUSE) is None  # over


def test_actions_are_named_and_those_that_leave_the_phase_say_so():
    assert PlayerAction("stop") is PlayerAction.STOP
    assert PlayerAction("take_break") is PlayerAction.TAKE_BREAK
    leaving = {action for action in PlayerAction if action.leaves_phase}
    assert leaving == {
        PlayerAction.SKIP,
        PlayerAction.BACK,
        PlayerAction.DONE,
        PlayerAction.TAKE_BREAK,
    }


def test_the_instruction_is_not_repeated_as_the_last_cue():
    assert not cue_on_screen(Cue(0.0, 1, 0.0, "Tuck under.", CueKind.SAY))
    assert cue_on_screen(Cue(0.0, 1, 0.0, "Switch sides", CueKind.START))


def test_each_phase_is_announced_in_words_with_its_length():
    from loosen.core.plan import build_plan

    phases = build_plan(STRETCH).phases
    assert [announcement(p) for p in phases] == [
        "Get ready, 5 seconds. Next: Lunge",
        "Work: Lunge, left side, 30 seconds",
        "Switch sides: Lunge, right side, 5 seconds",
        "Work: Lunge, right side, 30 seconds",
        "Rest, 10 seconds. Next: Bridge",
        "Work: Bridge, set 1 of 2, 12 seconds",
        "Rest, 10 seconds. Next: Bridge",
        "Work: Bridge, set 2 of 2, 12 seconds",
        "Rest, 10 seconds. Next: Squat",
        "Work: Squat, 2 reps, in your own time",
    ]
    long_hold = routine(step("Plank", duration_s=90.0), get_ready_s=0.0)
    assert announcement(build_plan(long_hold).phases[0]) == "Work: Plank, 1 minute 30 seconds"
    run = build_plan(run_routine()).phases[0]
    assert announcement(run) == "Run: Sprints"  # until the break: its clock counts up
