"""The data the history charts draw: weekly rolling mean, change per routine, calendar, insight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from loosen.core.history import SessionRecord, Status
from loosen.core.history.stats import routine_effects, summarize
from loosen.core.history.trends import (
    CalendarDay,
    TimePoint,
    after_points,
    calendar_days,
    insight,
    rolling_mean,
    trends,
)

MONDAY = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
_n = 0


def s(
    at: datetime,
    routine: str = "cool",
    before: int | None = None,
    after: int | None = None,
    status: Status = Status.COMPLETED,
    name: str | None = None,
) -> SessionRecord:
    global _n
    _n += 1
    return SessionRecord(
        uid=f"t{_n}",
        routine=routine,
        routine_name=name or routine.title(),
        kind="cooldown",
        started_at=at,
        ended_at=at + timedelta(minutes=10),
        status=status,
        active_s=600,
        tightness_before=before,
        tightness_after=after,
    )


def day(n: float) -> datetime:
    return MONDAY + timedelta(days=n)


def test_after_points_are_the_sessions_rated_after_oldest_first():
    records = [s(day(2), after=3), s(day(0), before=5), s(day(1), before=6, after=4)]
    assert after_points(records) == [TimePoint(day(1), 4.0), TimePoint(day(2), 3.0)]


def test_the_rolling_mean_covers_the_seven_days_ending_at_each_point():
    points = [TimePoint(day(d), v) for d, v in ((0, 6), (1, 4), (6.9, 2), (7, 8), (20, 1))]
    means = [p.value for p in rolling_mean(points)]
    # day 7 leaves out day 0 (exactly a week before), day 20 stands alone
    assert means == pytest.approx([6, 5, 4, (4 + 2 + 8) / 3, 1])
    assert [p.at for p in rolling_mean(points)] == [p.at for p in points]
    assert rolling_mean([]) == []


def test_routine_effects_say_how_sure_each_mean_is():
    records = [
        s(day(0), "cool", 7, 3),
        s(day(1), "cool", 6, 4),
        s(day(2), "cool", 8, 2),
        s(day(0), "hips", 8, 3),
        s(day(1), "warm", 4, 5),
        s(day(2), "warm", 4),  # not rated after: not counted
    ]
    effects = routine_effects(records)
    assert [(e.routine, e.n, e.mean_change) for e in effects] == [
        ("hips", 1, 5.0),
        ("cool", 3, 4.0),
        ("warm", 1, -1.0),
    ]
    cool = next(e for e in effects if e.routine == "cool")
    # changes 4, 2, 6: sample sd 2, standard error 2 / sqrt(3)
    assert cool.standard_error == pytest.approx(2 / 3**0.5)
    assert next(e for e in effects if e.routine == "hips").standard_error is None
    assert cool.enough and not next(e for e in effects if e.routine == "hips").enough


def test_the_calendar_runs_from_a_monday_to_today_and_counts_sessions_that_happened():
    today = date(2026, 11, 19)  # a Thursday
    records = [
        s(datetime(2026, 11, 19, 7, tzinfo=UTC)),
        s(datetime(2026, 11, 19, 18, tzinfo=UTC), status=Status.STOPPED),
        s(datetime(2026, 11, 17, 7, tzinfo=UTC), status=Status.RUNNING),  # not yet happened
        s(datetime(2026, 11, 2, 7, tzinfo=UTC), status=Status.INTERRUPTED),
        s(datetime(2026, 10, 1, 7, tzinfo=UTC)),  # before the calendar's first day
    ]
    days = calendar_days(records, today, tz=UTC, weeks=3)
    assert days[0].day == date(2026, 11, 2) and days[0].day.weekday() == 0
    assert days[-1] == CalendarDay(today, 2)
    assert len(days) == 14 + 4
    assert {d.day: d.sessions for d in days if d.sessions} == {
        date(2026, 11, 2): 1,
        date(2026, 11, 19): 2,
    }


def test_the_insight_is_too_early_with_fewer_than_three_sessions():
    assert insight([]).startswith("Too early to tell")
    two = routine_effects([s(day(0), "cool", 7, 3), s(day(1), "cool", 6, 4)])
    text = insight(two)
    assert text.startswith("Too early to tell") and "2 sessions rated" in text


def test_the_insight_names_the_best_routine_with_its_numbers():
    records = [s(day(i), "cool", 6, 4, name="Cooldown") for i in range(14)]
    records += [s(day(i), "warm", 5, 5, name="Warm-up") for i in range(5)]
    assert insight(routine_effects(records)) == (
        "Cooldown: back 2.0 points looser on average over 14 sessions."
    )


def test_the_insight_calls_a_few_sessions_a_hint():
    records = [s(day(i), "cool", 6, 5, name="Cooldown") for i in range(4)]
    assert insight(routine_effects(records)) == (
        "Cooldown: back 1.0 point looser on average over 4 sessions "
        "— a hint so far, not yet a finding."
    )


def test_the_insight_says_so_when_nothing_loosens():
    records = [s(day(i), "warm", 4, 5, name="Warm-up") for i in range(3)]
    assert insight(routine_effects(records)) == (
        "No routine has loosened your back on average yet: the best, Warm-up, "
        "leaves it tighter over 3 sessions."
    )


def test_the_cli_summary_and_the_history_view_name_the_same_routine_the_same_way():
    records = [s(day(i), "cool", 6, 3 + i % 2, name="Cooldown") for i in range(4)]
    records += [s(day(i), "hips", 8, 2, name="Hips") for i in range(2)]  # too few to tell
    records += [s(day(i), "warm", 5, 4, name="Warm-up") for i in range(6)]
    best = summarize(records, now=day(7), tz=UTC).best
    view = trends(records, today=day(7).date(), tz=UTC)
    assert best == next(e for e in view.effects if e.enough)
    assert best.routine_name in view.insight


def test_trends_gathers_every_chart_and_the_streak():
    today = date(2026, 11, 5)
    records = [s(day(i), "cool", 6, 6 - i % 3) for i in range(4)]  # Mon–Thu
    result = trends(records, today, tz=UTC)
    assert [p.value for p in result.after] == [6, 5, 4, 6]
    assert [round(p.value, 2) for p in result.weekly_mean] == [6, 5.5, 5, 5.25]
    assert result.effects[0].n == 4
    assert result.adherence.streaks.current == 4
    assert result.adherence.active_days_28 == 4
    assert result.insight.startswith("Cool: back 0.8 points looser")
