"""What the history says about the user's back: pure functions over session records.

Tightness is 0 (loose) to 10 (as tight as it gets). A session's *change* is
before − after, so a positive change means it loosened the back. Every average comes
with the number of sessions it rests on (`n`): a mean of two sessions is a hint, not
a finding, and callers should say so.

Days and weeks are the user's local ones: functions that group by day take `tz`
(None = the computer's zone, per moment, so summer time is right).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from statistics import fmean

from loosen.core.history.records import SessionRecord, Status, local_time


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    return local_time(moment, tz).date()


@dataclass(frozen=True)
class TightnessPoint:
    """One session's ratings, for the before/after chart."""

    started_at: datetime
    routine: str
    routine_name: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.before - self.after


def tightness_points(records: Iterable[SessionRecord]) -> list[TightnessPoint]:
    """Every session with at least one rating, oldest first."""
    points = [
        TightnessPoint(
            r.started_at, r.routine, r.routine_name, r.tightness_before, r.tightness_after
        )
        for r in records
        if r.tightness_before is not None or r.tightness_after is not None
    ]
    return sorted(points, key=lambda p: p.started_at)


@dataclass(frozen=True)
class Week:
    """One ISO week (Monday to Sunday, local time) of history."""

    year: int  # ISO year
    week: int  # ISO week number
    start: date  # its Monday
    sessions: int  # sessions started that week, whatever their end
    completed: int
    mean_before: float | None
    mean_after: float | None  # the trend line: how tight the back was after sessions
    rated: int  # sessions with a tightness_after: what mean_after rests on


def weekly(records: Iterable[SessionRecord], tz: tzinfo | None = None) -> list[Week]:
    """Every week from the first session's to the last's, empty weeks included."""
    by_week: dict[date, list[SessionRecord]] = defaultdict(list)
    for r in records:
        day = local_day(r.started_at, tz)
        by_week[day - timedelta(days=day.weekday())].append(r)
    if not by_week:
        return []
    weeks = []
    monday, last = min(by_week), max(by_week)
    while monday <= last:
        items = by_week.get(monday, [])
        before = [r.tightness_before for r in items if r.tightness_before is not None]
        after = [r.tightness_after for r in items if r.tightness_after is not None]
        iso = monday.isocalendar()
        weeks.append(
            Week(
                year=iso.year,
                week=iso.week,
                start=monday,
                sessions=len(items),
                completed=sum(r.status is Status.COMPLETED for r in items),
                mean_before=fmean(before) if before else None,
                mean_after=fmean(after) if after else None,
                rated=len(after),
            )
        )
        monday += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class Streaks:
    """Runs of consecutive days with at least one completed session."""

    current: int  # ending today, or yesterday when today has none yet
    longest: int


def streaks(records: Iterable[SessionRecord], today: date, tz: tzinfo | None = None) -> Streaks:
    """The current and the longest streak of days with a completed session.

    Today does not break a streak before it is over: with sessions every day up to
    yesterday and none yet today, the current streak still counts.
    """
    days = sorted({local_day(r.started_at, tz) for r in records if r.status is Status.COMPLETED})
    longest = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    done = set(days)
    day = today if today in done else today - timedelta(days=1)
    while day in done:
        current += 1
        day -= timedelta(days=1)
    return Streaks(current, longest)


def count_since(records: Iterable[SessionRecord], since: datetime) -> int:
    """Sessions started at or after `since` (adherence: "5 sessions in the last 7 days")."""
    return sum(r.started_at >= since for r in records)


@dataclass(frozen=True)
class Mean:
    n: int
    mean: float | None  # None when n == 0


def _mean(values: Sequence[int]) -> Mean:
    return Mean(len(values), fmean(values) if values else None)


@dataclass(frozen=True)
class PeriodComparison:
    """Mean tightness after sessions: the last `days` against the `days` before."""

    days: int
    recent: Mean
    previous: Mean


def compare_periods(
    records: Iterable[SessionRecord], now: datetime, days: int = 28
) -> PeriodComparison:
    span = timedelta(days=days)
    recent: list[int] = []
    previous: list[int] = []
    for r in records:
        if r.tightness_after is None:
            continue
        if now - span <= r.started_at <= now:
            recent.append(r.tightness_after)
        elif now - 2 * span <= r.started_at < now - span:
            previous.append(r.tightness_after)
    return PeriodComparison(days, _mean(recent), _mean(previous))


@dataclass(frozen=True)
class Summary:
    """The few figures `loosen history` prints under its table."""

    total: int
    last_7_days: int
    last_28_days: int
    streaks: Streaks
    trend: PeriodComparison


def summarize(records: Sequence[SessionRecord], now: datetime, tz: tzinfo | None = None) -> Summary:
    return Summary(
        total=len(records),
        last_7_days=count_since(records, now - timedelta(days=7)),
        last_28_days=count_since(records, now - timedelta(days=28)),
        streaks=streaks(records, local_day(now, tz), tz),
        trend=compare_periods(records, now),
    )
