"""The reminder cycle with a fake clock: windows, answers, pauses, sleeps and clock changes."""

from __future__ import annotations

from datetime import datetime

import pytest

from loosen.core.clock import FakeClock
from loosen.core.duration import parse_window
from loosen.core.reminders import (
    PAUSE_S,
    SNOOZE_S,
    Outcome,
    ReminderScheduler,
    Stage,
    State,
    reminder_text,
    status_text,
)

MIN = 60.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def scheduler(clock: FakeClock, every: str = "15-20m") -> ReminderScheduler:
    return ReminderScheduler(clock, parse_window(every), "squat-and-fold")


def run_until(clock: FakeClock, sched: ReminderScheduler, seconds: float, step_s: float = 30):
    """Check every `step_s` for `seconds`, as the periodic resync would; what fired."""
    fired = []
    end = clock.now() + seconds
    while clock.now() < end:
        clock.advance(min(step_s, end - clock.now()))
        reminder = sched.check()
        if reminder is not None:
            fired.append((round((clock.wall() - start_wall(sched)) / MIN, 2), reminder.stage))
    return fired


def start_wall(sched: ReminderScheduler) -> float:
    return sched.anchor_wall


def test_a_window_gives_a_gentle_then_a_firm_reminder_each_once(clock):
    sched = scheduler(clock)
    start = clock.wall()
    assert sched.next_due_wall() == start + 15 * MIN
    assert sched.state() is State.WAITING
    fired = run_until(clock, sched, 40 * MIN)
    assert fired == [(15.0, Stage.GENTLE), (20.0, Stage.FIRM)]  # not again: it never nags
    assert sched.state() is State.DUE
    assert sched.next_due_wall() is None  # nothing more until the user answers


def test_the_next_due_moment_is_exact_so_one_timer_suffices(clock):
    sched = scheduler(clock)
    clock.advance(15 * MIN - 0.001)
    assert sched.check() is None
    clock.advance(0.001)
    reminder = sched.check()
    assert reminder is not None and reminder.stage is Stage.GENTLE and reminder.late_s == 0
    assert sched.next_due_wall() == sched.anchor_wall + 20 * MIN


def test_a_fixed_interval_gives_one_firm_reminder(clock):
    sched = scheduler(clock, "15m")
    fired = run_until(clock, sched, 40 * MIN)
    assert fired == [(15.0, Stage.FIRM)]


def test_taking_the_break_restarts_the_count_and_says_when_it_was_due(clock):
    sched = scheduler(clock)
    due = clock.wall() + 15 * MIN
    clock.advance(16 * MIN)
    assert sched.check() is not None
    answer = sched.take()
    assert answer.outcome is Outcome.TAKEN and answer.due_wall == due
    assert answer.answered_wall == clock.wall() and answer.routine_id == "squat-and-fold"
    assert sched.state() is State.WAITING
    assert sched.next_due_wall() == clock.wall() + 15 * MIN


def test_skip_restarts_the_count_even_before_the_reminder_came(clock):
    sched = scheduler(clock)
    clock.advance(5 * MIN)
    answer = sched.skip()
    assert answer.outcome is Outcome.SKIPPED
    assert answer.due_wall == answer.answered_wall + 10 * MIN  # the one that will not come
    assert sched.next_due_wall() == clock.wall() + 15 * MIN


def test_snooze_quiets_a_due_reminder_for_five_minutes_then_it_comes_back(clock):
    sched = scheduler(clock)
    clock.advance(15 * MIN)
    assert sched.check().stage is Stage.GENTLE
    answer = sched.snooze()
    assert answer is not None and answer.outcome is Outcome.SNOOZED
    assert sched.state() is State.SNOOZED
    assert sched.next_due_wall() == clock.wall() + SNOOZE_S
    clock.advance(SNOOZE_S - 1)
    assert sched.check() is None
    clock.advance(1)
    again = sched.check()
    assert again is not None and again.stage is Stage.FIRM  # 20 min: the window has closed
    assert sched.check() is None  # once


def test_a_snooze_inside_a_long_window_comes_back_gentle_then_firm_at_the_end(clock):
    sched = scheduler(clock, "15-30m")
    clock.advance(15 * MIN)
    assert sched.check().stage is Stage.GENTLE
    sched.snooze()
    fired = run_until(clock, sched, 20 * MIN)
    assert fired == [(20.0, Stage.GENTLE), (30.0, Stage.FIRM)]


def test_only_a_due_reminder_can_be_snoozed(clock):
    sched = scheduler(clock)
    clock.advance(MIN)
    assert sched.snooze() is None
    assert sched.next_due_wall() == sched.anchor_wall + 15 * MIN


def test_pause_for_an_hour_then_a_new_count(clock):
    sched = scheduler(clock)
    clock.advance(16 * MIN)
    assert sched.check() is not None
    sched.pause()
    assert sched.state() is State.PAUSED
    paused_until = clock.wall() + PAUSE_S
    assert sched.next_due_wall() == paused_until
    assert run_until(clock, sched, PAUSE_S) == []
    assert sched.state() is State.WAITING
    assert sched.anchor_wall == paused_until
    assert sched.next_due_wall() == paused_until + 15 * MIN


def test_resume_ends_a_pause_with_a_new_count(clock):
    sched = scheduler(clock)
    sched.pause()
    clock.advance(10 * MIN)
    sched.resume()
    assert sched.state() is State.WAITING
    assert sched.next_due_wall() == clock.wall() + 15 * MIN


def test_after_the_clock_jumps_ahead_an_overdue_reminder_fires_once(clock):
    sched = scheduler(clock)
    clock.advance(5 * MIN)
    clock.jump_wall(3 * 60 * MIN)  # three hours later by the wall: twelve intervals missed
    reminder = sched.check()
    assert sched.last_gap_s == pytest.approx(3 * 60 * MIN)
    assert reminder is not None and reminder.stage is Stage.FIRM  # only the latest stage
    assert reminder.late_s == pytest.approx(3 * 60 * MIN + 5 * MIN - 20 * MIN)
    assert run_until(clock, sched, 60 * MIN) == []  # and not once per missed interval


@pytest.mark.parametrize("monotonic_counts_it", [False, True])
def test_a_long_sleep_is_time_away_a_break_and_a_new_count(clock, monotonic_counts_it):
    sched = scheduler(clock)
    clock.advance(18 * MIN)
    assert sched.check() is not None  # the gentle reminder, unanswered
    clock.suspend(60 * MIN, monotonic_counts_it=monotonic_counts_it)  # lunch, lid closed
    assert sched.check() is None
    (away,) = sched.take_log()
    assert (away.outcome, away.stage) == (Outcome.AWAY, Stage.GENTLE)
    assert sched.next_due_wall() == clock.wall() + 15 * MIN


def test_a_short_sleep_inside_the_wait_keeps_the_wall_clock_moment(clock):
    sched = scheduler(clock)
    due = sched.next_due_wall()
    clock.advance(5 * MIN)
    clock.suspend(20)  # shorter than any break
    assert sched.check() is None
    assert sched.next_due_wall() == due  # the sleep counted as waiting
    assert sched.take_log() == []


def test_the_clock_set_back_keeps_the_time_still_to_wait(clock):
    sched = scheduler(clock)
    clock.advance(5 * MIN)
    clock.jump_wall(-2 * 60 * MIN)  # someone sets the clock two hours back
    assert sched.check() is None
    assert sched.next_due_wall() == pytest.approx(clock.wall() + 10 * MIN)
    fired = run_until(clock, sched, 10 * MIN)
    assert [stage for _, stage in fired] == [Stage.GENTLE]


def test_the_clock_set_back_moves_a_pause_and_a_snooze_too(clock):
    sched = scheduler(clock)
    sched.pause()
    clock.jump_wall(-30 * MIN)
    assert sched.next_due_wall() == pytest.approx(clock.wall() + PAUSE_S)
    sched.resume()
    clock.advance(15 * MIN)
    assert sched.check() is not None
    sched.snooze()
    clock.jump_wall(-10 * MIN)
    assert sched.next_due_wall() == pytest.approx(clock.wall() + SNOOZE_S)


def test_small_disagreements_between_the_clocks_are_not_clock_changes(clock):
    sched = scheduler(clock)
    anchor = sched.anchor_wall
    clock.jump_wall(-1.0)  # NTP nudging the clock
    sched.check()
    clock.suspend(1.5)
    sched.check()
    assert sched.anchor_wall == anchor and sched.last_gap_s == 0


def test_off_gives_nothing_and_turning_on_starts_a_new_count(clock):
    sched = scheduler(clock)
    sched.reconfigure(parse_window("15-20m"), "squat-and-fold", enabled=False)
    assert sched.state() is State.OFF and sched.next_due_wall() is None
    assert run_until(clock, sched, 30 * MIN) == []
    sched.reconfigure(parse_window("15-20m"), "squat-and-fold", enabled=True)
    assert sched.next_due_wall() == clock.wall() + 15 * MIN


def test_a_new_interval_starts_a_new_count_and_the_same_one_does_not(clock):
    sched = scheduler(clock)
    clock.advance(10 * MIN)
    sched.reconfigure(parse_window("15-20m"), "squat-and-fold", enabled=True)
    assert sched.next_due_wall() == clock.wall() + 5 * MIN
    sched.reconfigure(parse_window("30m"), "squat-and-fold", enabled=True)
    assert sched.next_due_wall() == clock.wall() + 30 * MIN


def test_an_interval_that_would_nag_is_refused(clock):
    with pytest.raises(ValueError, match="at least 60 s"):
        scheduler(clock, "30s")


def test_the_words(clock):
    assert reminder_text(Stage.GENTLE, "Squat and fold") == (
        "Break time soon: Squat and fold, at your next natural pause."
    )
    assert reminder_text(Stage.FIRM, "Squat and fold") == "Time for your break now: Squat and fold."
    sched = scheduler(clock)
    at = datetime.fromtimestamp(clock.wall() + 15 * MIN).strftime("%H:%M")
    assert status_text(sched, "Squat and fold") == f"Next break at {at} (in 15 min): Squat and fold"
    clock.advance(15 * MIN)
    sched.check()
    assert status_text(sched, "Squat and fold") == "Break due now: Squat and fold"
    sched.snooze()
    at = datetime.fromtimestamp(clock.wall() + SNOOZE_S).strftime("%H:%M")
    assert status_text(sched, "Squat and fold") == f"Snoozed: Squat and fold at {at} (in 5 min)"
    sched.pause()
    at = datetime.fromtimestamp(clock.wall() + PAUSE_S).strftime("%H:%M")
    assert status_text(sched, "Squat and fold") == f"Reminders paused until {at}"
    sched.reconfigure(sched.window, sched.routine_id, enabled=False)
    assert status_text(sched, "Squat and fold") == "Break reminders are off"
