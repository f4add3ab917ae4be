"""What the history view draws, as plain data: tightness over time, change per routine, calendar.

Pure functions over session records (no Qt), so each chart's series is computed and
tested here and the view only draws it. Days are the user's local ones (`tz`, None =
the computer's zone), like stats.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from loosen.core.history.insights import (
    MIN_SESSIONS,
    RUN_KIND,
    Effect,
    Habit,
    effects,
    habits,
    helps_most,
)
from loosen.core.history.records import HAPPENED, SessionRecord
from loosen.core.history.stats import Streaks, local_day, streaks

WEEK = timedelta(days=7)
CALENDAR_WEEKS = 18  # about four months: the last three and the current one


@dataclass(frozen=True)
class TimePoint:
    at: datetime
    value: float


def after_points(records: Iterable[SessionRecord]) -> list[TimePoint]:
    """Tightness after each session that has one, oldest first."""
    points = [
        TimePoint(r.started_at, float(r.tightness_after))
        for r in records
        if r.tightness_after is not None
    ]
    return sorted(points, key=lambda p: p.at)


class Activity(StrEnum):
    """What a rating came after. A run tends to leave the back tighter than a stretch, so
    one line through both would follow the mix of activities, not the back."""

    STRETCHING = "stretching"  # every kind but runs: warm-ups, cooldowns, breaks, strength
    RUNS = "runs"


def activity_of(record: SessionRecord) -> Activity:
    return Activity.RUNS if record.kind == RUN_KIND else Activity.STRETCHING


@dataclass(frozen=True)
class AfterSeries:
    """Tightness after one activity's sessions, and its trailing weekly mean."""

    activity: Activity
    points: list[TimePoint]
    weekly_mean: list[TimePoint]


def after_series(records: Iterable[SessionRecord]) -> tuple[AfterSeries, ...]:
    """Ratings after stretching and after runs, apart: like with like (stretching first)."""
    by_activity: dict[Activity, list[SessionRecord]] = defaultdict(list)
    for r in records:
        by_activity[activity_of(r)].append(r)
    series = []
    for activity in Activity:
        points = after_points(by_activity[activity])
        series.append(AfterSeries(activity, points, rolling_mean(points)))
    return tuple(series)


def rolling_mean(points: Sequence[TimePoint], window: timedelta = WEEK) -> list[TimePoint]:
    """At each point, the mean of the points in the `window` ending there (trailing, inclusive).

    `points` must be oldest first. A trailing window, not a centred one, so the last
    value is what the latest week says, and no point borrows from the future.
    """
    result: list[TimePoint] = []
    start = 0
    total = 0.0
    for end, point in enumerate(points):
        total += point.value
        while points[start].at <= point.at - window:
            total -= points[start].value
            start += 1
        result.append(TimePoint(point.at, total / (end - start + 1)))
    return result


@dataclass(frozen=True)
class CalendarDay:
    day: date
    sessions: int  # sessions that happened that day (a running one does not count yet)


def calendar_days(
    records: Iterable[SessionRecord],
    today: date,
    tz: tzinfo | None = None,
    weeks: int = CALENDAR_WEEKS,
) -> list[CalendarDay]:
    """Every day from the Monday `weeks - 1` weeks before this week's, up to today."""
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    counts: dict[date, int] = defaultdict(int)
    for r in records:
        if r.status in HAPPENED:
            day = local_day(r.started_at, tz)
            if first <= day <= today:
                counts[day] += 1
    return [
        CalendarDay(first + timedelta(days=i), counts[first + timedelta(days=i)])
        for i in range((today - first).days + 1)
    ]


def _points(value: float) -> str:
    return f"{value:.1f} point" + ("" if f"{value:.1f}" == "1.0" else "s")


def _sessions(n: int) -> str:
    return f"{n} session" + ("" if n == 1 else "s")


def insight(ranked: Sequence[Effect]) -> str:
    """One honest sentence on which routine loosens the back most, given `insights.effects`."""
    best = helps_most(ranked)
    if best is None:
        rated = sum(e.n for e in ranked)
        if rated == 0:
            return (
                "Too early to tell what helps: rate how tight your back is before and after "
                "a few sessions."
            )
        return (
            f"Not enough yet to tell what helps: {_sessions(rated)} rated before and after "
            f"so far; a routine needs at least {MIN_SESSIONS} completed ones."
        )
    assert best.stat.low is not None and best.stat.high is not None
    interval = f"90 % interval {best.stat.low:+.1f} to {best.stat.high:+.1f}"
    if best.mean_change <= 0:
        direction = "no looser" if best.mean_change == 0 else "tighter"
        return (
            f"No routine has loosened your back on average yet: the best, "
            f"{best.routine_name}, leaves it {direction} over {_sessions(best.n)} ({interval})."
        )
    return (
        f"{best.routine_name}: back {_points(best.mean_change)} looser on average "
        f"over {_sessions(best.n)} ({interval})."
    )


@dataclass(frozen=True)
class Adherence:
    days: list[CalendarDay]
    streaks: Streaks
    active_days_28: int  # days with a session among the last 28


@dataclass(frozen=True)
class HistoryTrends:
    """Everything the history view's charts and its insight line show."""

    after: tuple[AfterSeries, ...]  # stretching, then runs
    effects: list[Effect]
    habits: list[Habit]
    adherence: Adherence
    insight: str


def trends(
    records: Sequence[SessionRecord],
    today: date,
    tz: tzinfo | None = None,
    existing: Collection[str] = (),
) -> HistoryTrends:
    """The data of every chart for `records` (already filtered as the view shows them);
    `existing` holds the ids of the routines in the library now."""
    ranked = effects(records, existing)
    days = calendar_days(records, today, tz)
    return HistoryTrends(
        after=after_series(records),
        effects=ranked,
        habits=habits(records, tz),
        adherence=Adherence(
            days=days,
            streaks=streaks(records, today, tz),
            active_days_28=sum(d.sessions > 0 for d in days[-28:]),
        ),
        insight=insight(ranked),
    )
