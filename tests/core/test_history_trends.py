"""The data the history charts draw: weekly rolling mean, change per routine, calendar, insight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from loosen.commands import history_cmd
from loosen.core.history import SessionRecord, Status
from loosen.core.history.insights import effects, insights
from loosen.core.history.trends import (
    Activity,
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


def test_each_routines_effect_carries_its_interval():
    records = [
        s(day(0), "cool", 7, 3),
        s(day(1), "cool", 6, 4),
        s(day(2), "cool", 8, 2),
        s(day(0), "hips", 8, 3),
        s(day(1), "warm", 4, 5),
        s(day(2), "warm", 4),  # not rated after: not counted
    ]
    ranked = trends(records, today=day(3).date(), tz=UTC, existing={"cool", "warm"}).effects
    assert [(e.routine, e.n, e.mean_change, e.exists) for e in ranked] == [
        ("cool", 3, 4.0, True),  # none has five sessions: most sessions first
        ("hips", 1, 5.0, False),
        ("warm", 1, -1.0, True),
    ]
    # changes 4, 2, 6: sample sd 2; t(0.95, 2 df) = 2.920
    half = 2.920 * 2 / 3**0.5
    assert (ranked[0].stat.low, ranked[0].stat.high) == pytest.approx(
        (4 - half, 4 + half), abs=1e-3
    )
    assert not any(e.enough for e in ranked)


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


def test_the_insight_says_not_enough_yet_below_five_sessions():
    assert insight([]).startswith("Too early to tell")
    four = effects([s(day(i), "cool", 7, 3) for i in range(4)], existing={"cool"})
    assert insight(four) == (
        "Not enough yet to tell what helps: 4 sessions rated before and after so far; "
        "a routine needs at least 5 completed ones."
    )


def test_the_insight_names_the_best_routine_with_its_interval():
    records = [s(day(i), "cool", 6, 4 + i % 2, name="Cooldown") for i in range(14)]
    records += [s(day(i), "warm", 5, 5, name="Warm-up") for i in range(5)]
    text = insight(effects(records, existing={"cool", "warm"}))
    # changes alternate 2, 1: mean 1.5, sd 0.519, t(0.95, 13 df) = 1.771
    assert text == (
        "Cooldown: back 1.5 points looser on average over 14 sessions (90 % interval +1.3 to +1.7)."
    )


def test_the_insight_never_names_a_removed_routine():
    records = [s(day(i), "gone", 8, 2, name="Old stretch") for i in range(9)]
    records += [s(day(i), "cool", 6, 5, name="Cooldown") for i in range(5)]
    assert insight(effects(records, existing={"cool"})).startswith("Cooldown:")


def test_the_insight_says_so_when_nothing_loosens():
    records = [s(day(i), "warm", 4, 5, name="Warm-up") for i in range(5)]
    assert insight(effects(records, existing={"warm"})) == (
        "No routine has loosened your back on average yet: the best, Warm-up, "
        "leaves it tighter over 5 sessions (90 % interval -1.4 to -0.6)."
    )


def test_the_cli_summary_and_the_history_view_name_the_same_routine_the_same_way():
    records = [s(day(i), "cool", 6, 3 + i % 2, name="Cooldown") for i in range(6)]
    records += [s(day(i), "hips", 8, 2, name="Hips") for i in range(2)]  # too few to tell
    records += [s(day(i), "warm", 5, 4, name="Warm-up") for i in range(6)]
    existing = {"cool", "hips", "warm"}
    cli_line = history_cmd.effect_line(insights(records, existing))
    view = trends(records, today=day(7).date(), tz=UTC, existing=existing)
    assert cli_line.startswith("Loosens you most: Cooldown,")
    assert view.insight.startswith("Cooldown:")


def test_trends_gathers_every_chart_and_the_streak():
    today = date(2026, 11, 5)
    records = [s(day(i), "cool", 6, 6 - i % 3) for i in range(4)]  # Mon–Thu
    result = trends(records, today, tz=UTC)
    stretching, runs = result.after
    assert [p.value for p in stretching.points] == [6, 5, 4, 6]
    assert [round(p.value, 2) for p in stretching.weekly_mean] == [6, 5.5, 5, 5.25]
    assert runs.points == runs.weekly_mean == []
    assert result.effects[0].n == 4
    assert result.adherence.streaks.current == 4
    assert result.adherence.active_days_28 == 4
    assert result.insight.startswith("Not enough yet to tell what helps: 4 sessions")


def test_ratings_after_runs_are_kept_apart_from_ratings_after_stretching():
    records = [s(day(i), "cool", 6, 3) for i in range(3)]
    records += [
        SessionRecord(
            **{**s(day(i) + timedelta(hours=10), "easy-run", 5, 7).__dict__, "kind": "run"}
        )
        for i in range(3)
    ]
    stretching, runs = trends(records, day(3).date(), tz=UTC).after
    assert (stretching.activity, runs.activity) == (Activity.STRETCHING, Activity.RUNS)
    assert [p.value for p in stretching.weekly_mean] == [3, 3, 3]
    assert [p.value for p in runs.weekly_mean] == [7, 7, 7]
