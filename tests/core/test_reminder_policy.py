"""Reminders that fit a working day: away, busy, working hours and a restart, on a fake clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loosen.core.clock import FakeClock
from loosen.core.duration import parse_window
from loosen.core.presence import Busy, Presence
from loosen.core.reminders import Outcome, ReminderScheduler, Stage, State
from loosen.core.working_hours import HoursError, parse_hours

MIN = 60.0
BREAK_S = 71.0  # the built-in squat-and-fold's length: time away at least this long counts
HERE = Presence(idle_s=1.0)
MONDAY_0800 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC).timestamp()


def scheduler(clock: FakeClock, every: str = "1m", **kwargs) -> ReminderScheduler:
    return ReminderScheduler(
        clock, parse_window(every), "squat-and-fold", away_after_s=BREAK_S, **kwargs
    )


def look(clock: FakeClock, sched: ReminderScheduler, seconds: float, presence=HERE, step=5.0):
    """Look at the desktop every `step` seconds for `seconds`; the reminders given."""
    given = []
    for _ in range(round(seconds / step)):
        clock.advance(step)
        reminder = sched.check(presence(clock) if callable(presence) else presence)
        if reminder is not None:
            given.append(reminder)
    return given


def test_a_hundred_seconds_untouched_is_away_not_a_reminder_and_back_means_a_minute_more():
    clock = FakeClock()
    sched = scheduler(clock)
    left = clock.wall() + 20
    # The user leaves 20 s into the minute; nobody touches the keys for 100 s.
    given = look(clock, sched, 120, presence=lambda c: Presence(idle_s=c.wall() - left))
    assert given == []
    assert sched.state() is State.AWAY
    (away,) = sched.take_log()
    assert away.outcome is Outcome.AWAY and away.given_wall is None
    assert sched.next_due_wall() == clock.wall() + 5  # only a look, to see them back
    # Back: the count starts from the first key press.
    back = clock.wall()
    assert look(clock, sched, 55) == []
    (reminder,) = look(clock, sched, 10)
    assert reminder.stage is Stage.FIRM
    assert reminder.due_wall == pytest.approx(back + 60, abs=5)
    assert sched.take_log() == []  # one absence, one entry


def test_a_short_absence_is_not_a_break():
    clock = FakeClock()
    sched = scheduler(clock)
    (reminder,) = look(clock, sched, 60, presence=Presence(idle_s=20.0))
    assert reminder.due_wall == clock.wall() and not reminder.quiet
    assert sched.take_log() == []


def test_a_break_due_while_the_keys_are_still_waits_to_see_whether_the_user_left():
    clock = FakeClock()
    sched = scheduler(clock)
    # Reading for 50 s when it comes due: held, and looked at again shortly.
    assert look(clock, sched, 60, presence=lambda c: Presence(idle_s=c.now() - 1010.0)) == []
    assert sched.next_due_wall() == clock.wall() + 5
    # A key pressed: they are there after all, and the break comes at once.
    (reminder,) = look(clock, sched, 5, presence=Presence(idle_s=0.5))
    assert reminder.late_s == pytest.approx(5)
    assert sched.take_log() == []


def test_a_locked_screen_is_away_whatever_the_idle_time_says():
    clock = FakeClock()
    sched = scheduler(clock)
    assert look(clock, sched, 300, presence=Presence(idle_s=None, locked=True)) == []
    assert [a.outcome for a in sched.take_log()] == [Outcome.AWAY]


def test_time_away_before_the_reminder_was_due_counts_as_the_break():
    clock = FakeClock()
    sched = scheduler(clock, "15-20m")
    look(clock, sched, 5 * MIN)
    look(clock, sched, 3 * MIN, presence=lambda c: Presence(idle_s=180.0 - (8 * MIN - c.now())))
    sched.check(Presence(idle_s=2.0))
    assert [a.outcome for a in sched.take_log()] == [Outcome.AWAY]
    assert sched.next_due_wall() == pytest.approx(clock.wall() - 2 + 15 * MIN)


@pytest.mark.parametrize("busy", list(Busy))
def test_a_break_due_while_busy_is_owed_and_offered_once_quietly_at_the_gap(busy):
    clock = FakeClock()
    sched = scheduler(clock, "15-20m")
    assert look(clock, sched, 25 * MIN, presence=Presence(idle_s=1.0, busy=busy)) == []
    assert [a.outcome for a in sched.take_log()] == [Outcome.DEFERRED]  # once, not per look
    (offered,) = look(clock, sched, 60)  # the call ends: the next look offers it
    assert offered.quiet and offered.stage is Stage.FIRM
    assert sched.state() is State.DUE
    assert look(clock, sched, 10 * MIN) == []  # and never again until answered


def test_nothing_comes_outside_working_hours_and_the_day_begins_with_a_new_count():
    clock = FakeClock(wall=MONDAY_0800)
    sched = scheduler(clock, "15m", hours=parse_hours("Mon-Fri 09:00-17:00"), tz=UTC)
    assert sched.state() is State.OUTSIDE_HOURS
    assert sched.next_due_wall() == MONDAY_0800 + 60 * MIN
    assert look(clock, sched, 60 * MIN, step=30) == []
    assert sched.state() is State.WAITING
    assert sched.next_due_wall() == MONDAY_0800 + 75 * MIN  # 09:15, counted from 09:00
    given = look(clock, sched, 8 * 60 * MIN + 30 * MIN, step=30)  # to 17:30
    assert given, "reminders come during the day"
    assert all(r.due_wall < MONDAY_0800 + 9 * 60 * MIN for r in given)
    assert sched.state() is State.OUTSIDE_HOURS
    assert sched.take_log() == []  # the evening is not "away"


def test_the_weekend_is_skipped_to_mondays_start():
    saturday_noon = MONDAY_0800 + 5 * 24 * 3600 + 4 * 3600
    clock = FakeClock(wall=saturday_noon)
    sched = scheduler(clock, "15m", hours=parse_hours("Mon-Fri 09:00-17:00"), tz=UTC)
    assert sched.next_due_wall() == MONDAY_0800 + 7 * 24 * 3600 + 3600


def test_the_count_survives_a_restart_of_the_app():
    clock = FakeClock()
    first = scheduler(clock, "15-20m")
    look(clock, first, 10 * MIN)
    saved = json.loads(json.dumps(first.snapshot()))  # through the file, as the app does
    clock.advance(2 * MIN)  # the app was closed for two minutes
    second = scheduler(clock, "15-20m")
    assert second.restore(saved)
    assert second.next_due_wall() == first.next_due_wall()
    assert second.take_log() == []


def test_an_overdue_reminder_after_a_restart_comes_once():
    clock = FakeClock()
    first = scheduler(clock, "15-20m")
    saved = first.snapshot()
    clock.advance(40 * MIN)  # closed, while the user worked on
    second = scheduler(clock, "15-20m")
    assert second.restore(saved)
    (reminder,) = look(clock, second, 10 * MIN)
    assert reminder.stage is Stage.FIRM


def test_a_computer_off_long_enough_counts_as_away():
    before = FakeClock(start=5000.0)
    first = scheduler(before, "15-20m")
    look(before, first, 10 * MIN)
    saved = first.snapshot()
    # Switched off for an hour, then booted: the monotonic clock starts again.
    after = FakeClock(start=40.0, wall=before.wall() + 60 * MIN)
    second = scheduler(after, "15-20m")
    assert second.restore(saved)
    assert [a.outcome for a in second.take_log()] == [Outcome.AWAY]
    assert second.next_due_wall() == after.wall() + 15 * MIN


@pytest.mark.parametrize(
    "saved",
    [
        {},
        {"routine": "squat-and-fold"},
        {"routine": "other", "window": [900, 1200]},
        "not a mapping",
    ],
)
def test_a_snapshot_that_does_not_fit_starts_a_new_count(saved):
    clock = FakeClock()
    good = scheduler(clock, "15-20m").snapshot()
    sched = scheduler(clock, "15-20m")
    broken = saved if not isinstance(saved, dict) or not saved else {**good, **saved}
    if saved == {"routine": "squat-and-fold"}:
        broken = {**good, "anchor_wall": "yesterday"}
    assert not sched.restore(broken)
    assert sched.next_due_wall() == clock.wall() + 15 * MIN


@pytest.mark.parametrize(
    ("text", "days", "start", "end"),
    [
        ("Mon-Fri 09:00-17:30", {0, 1, 2, 3, 4}, "09:00", "17:30"),
        ("mon,wed,fri 8:00-12:00", {0, 2, 4}, "08:00", "12:00"),
        ("Sat-Mon 10:00-14:00", {5, 6, 0}, "10:00", "14:00"),
    ],
)
def test_working_hours_are_read_as_written(text, days, start, end):
    hours = parse_hours(text)
    assert hours.days == days
    assert (f"{hours.start:%H:%M}", f"{hours.end:%H:%M}") == (start, end)
    assert parse_hours(hours.text()) == hours


@pytest.mark.parametrize(
    "text", ["", "weekdays", "Mon-Fri 17:00-09:00", "Mon-Fri 25:00-26:00", "Xyz 09:00-10:00"]
)
def test_working_hours_that_make_no_sense_are_refused_with_a_hint(text):
    with pytest.raises(HoursError, match="Mon"):
        parse_hours(text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(1, 400),  # seconds until the next look
            st.one_of(st.none(), st.floats(0, 600)),  # idle time then
            st.booleans(),  # locked
            st.one_of(st.none(), st.sampled_from(list(Busy))),
        ),
        max_size=60,
    )
)
def test_never_a_reminder_while_away_or_busy(looks):
    clock = FakeClock()
    sched = scheduler(clock, "2-3m")
    for wait, idle, locked, busy in looks:
        clock.advance(wait)
        reminder = sched.check(Presence(idle_s=idle, locked=locked, busy=busy))
        away = locked or (idle is not None and idle >= BREAK_S)
        if away or busy is not None:
            assert reminder is None
