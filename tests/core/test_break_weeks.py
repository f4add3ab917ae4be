"""Desk breaks taken per week, of those given: counted from the reminder log the scheduler fills."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from history_testing import FixedNow
from loosen.core.clock import FakeClock
from loosen.core.duration import parse_window
from loosen.core.history import HistoryStore
from loosen.core.history.break_weeks import BreakWeek, break_weeks, breaks_text, week_text
from loosen.core.presence import Presence
from loosen.core.reminders import Answer, ReminderScheduler

MIN = 60.0
# Saturday 28 November 2026, 09:00 UTC: the week of Monday 23 November.
SATURDAY = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
AWAY = Presence(idle_s=10 * MIN)
BACK = Presence(idle_s=0.0)


@pytest.fixture
def store(tmp_path: Path):
    with HistoryStore.open(tmp_path / "history.sqlite3", now=FixedNow()) as opened:
        yield opened


def _utc(wall: float) -> datetime:
    return datetime.fromtimestamp(wall, UTC)


def log(store: HistoryStore, answer: Answer | None) -> None:
    """As the tray logs an answer."""
    assert answer is not None
    given = None if answer.given_wall is None else _utc(answer.given_wall)
    stage = None if answer.stage is None else str(answer.stage)
    store.log_reminder(
        answer.routine_id,
        str(answer.outcome),
        _utc(answer.due_wall),
        _utc(answer.answered_wall),
        given_at=given,
        stage=stage,
    )


def remind(scheduler: ReminderScheduler, clock: FakeClock) -> None:
    clock.advance(15 * MIN)
    assert scheduler.check(BACK) is not None


def test_a_week_of_answers_counts_breaks_given_taken_and_away(store):
    clock = FakeClock(wall=SATURDAY.timestamp())
    scheduler = ReminderScheduler(clock, parse_window("15m"), "squat-and-fold")

    remind(scheduler, clock)
    log(store, scheduler.take())  # given, taken
    remind(scheduler, clock)
    log(store, scheduler.snooze())  # a step along the way: not counted
    clock.advance(5 * MIN)
    assert scheduler.check(BACK) is not None
    log(store, scheduler.skip())  # given, skipped
    remind(scheduler, clock)
    clock.advance(10 * MIN)
    scheduler.observe(AWAY)  # given, then the user walked away: a break taken
    clock.advance(2 * MIN)
    scheduler.observe(BACK)
    clock.advance(5 * MIN)
    scheduler.observe(AWAY)  # away again before any reminder: a natural break
    for answer in scheduler.take_log():
        log(store, answer)
    scheduler.observe(BACK)
    clock.advance(2 * 24 * 3600)  # Monday 30 November: a new week
    remind(scheduler, clock)
    log(store, scheduler.take())

    weeks = break_weeks(store.reminders(), date(2026, 12, 1), UTC, weeks=3)

    assert weeks == [
        BreakWeek(date(2026, 11, 16)),
        BreakWeek(date(2026, 11, 23), given=3, taken=2, away=1, natural=1),
        BreakWeek(date(2026, 11, 30), given=1, taken=1),
    ]
    assert week_text(weeks[1]) == (
        "2 of 3 breaks taken (1 away) · 1 more away before a reminder came"
    )
    assert breaks_text(weeks) == (
        "Desk breaks this week: 1 of 1 breaks taken\n"
        "Weeks before, from Monday: 23 Nov: 2 of 3 +1 away · 16 Nov: none"
    )


def test_weeks_are_local_and_begin_on_monday(store):
    # Sunday 23:30 UTC is already Monday one hour east.
    sunday_night = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    store.log_reminder(
        "squat-and-fold", "taken", sunday_night, sunday_night, given_at=sunday_night, stage="firm"
    )
    records = store.reminders()
    east = timezone(timedelta(hours=1))
    assert break_weeks(records, date(2026, 11, 30), UTC, weeks=2)[0].taken == 1
    assert break_weeks(records, date(2026, 11, 30), east, weeks=2)[1].taken == 1


def test_deferred_and_unanswered_and_old_answers_never_given(store):
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    store.log_reminder("squat-and-fold", "deferred", start, start)  # owed: not an end
    store.log_reminder("squat-and-fold", "unanswered", start, start, given_at=start)
    store.log_reminder("squat-and-fold", "skipped", start, start)  # an old file: never given
    (week,) = break_weeks(store.reminders(), date(2026, 12, 2), UTC, weeks=1)
    assert week == BreakWeek(date(2026, 11, 30), given=1, taken=0)


def test_no_break_at_all_says_nothing():
    assert breaks_text(break_weeks([], date(2026, 12, 2), UTC)) == ""
