"""What the history says about the user's back: pure functions over session records.

Tightness is 0 (loose) to 10 (as tight as it gets). A session's *change* is
before − after, so a positive change means it loosened the back. Every average comes
with the number of sessions it rests on (`n`): a mean of two sessions is a hint, not
a finding, and callers should say so.

Days and weeks are the user's local ones: functions that group by day take `tz`
(None = the computer's zone, per moment, so summer time is right).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from statistics import fmean, stdev

from loosen.core.history.records import SessionRecord, Status, local_time

RUN_KIND = "run"
COOLDOWN_KIND = "cooldown"
COOLDOWN_WINDOW = timedelta(hours=3)
HAPPENED = (Status.COMPLETED, Status.STOPPED, Status.INTERRUPTED)


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


MIN_SESSIONS_TO_TELL = 3  # below this a routine's mean change says too little to put in words


@dataclass(frozen=True)
class RoutineEffect:
    """How much one routine loosens this user: mean change over `n` sessions rated twice."""

    routine: str
    routine_name: str  # the name it had most recently
    n: int  # sessions rated both before and after
    mean_change: float  # mean of before − after; positive = looser
    standard_error: float | None  # of the mean; None below two sessions (no spread known)

    @property
    def enough(self) -> bool:
        """Rated often enough to say something in words."""
        return self.n >= MIN_SESSIONS_TO_TELL


def routine_effects(records: Iterable[SessionRecord]) -> list[RoutineEffect]:
    """Per routine, the mean change over sessions rated before and after, and how sure it is.

    Most loosening first; ties go to the routine with more sessions behind it. The
    standard error lets a chart show how far each bar could move with more sessions.
    """
    changes: dict[str, list[int]] = defaultdict(list)
    names: dict[str, tuple[datetime, str]] = {}
    for r in records:
        change = r.change
        if change is None:
            continue
        changes[r.routine].append(change)
        if r.routine not in names or r.started_at >= names[r.routine][0]:
            names[r.routine] = (r.started_at, r.routine_name)
    effects = [
        RoutineEffect(
            routine=routine,
            routine_name=names[routine][1],
            n=len(values),
            mean_change=fmean(values),
            standard_error=stdev(values) / math.sqrt(len(values)) if len(values) > 1 else None,
        )
        for routine, values in changes.items()
    ]
    return sorted(effects, key=lambda e: (-e.mean_change, -e.n, e.routine))


def best_routine(
    records: Iterable[SessionRecord], min_n: int = MIN_SESSIONS_TO_TELL
) -> RoutineEffect | None:
    """The routine that loosens most among those rated at least `min_n` times."""
    candidates = [e for e in routine_effects(records) if e.n >= min_n]
    return candidates[0] if candidates else None


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
class CooldownEffect:
    """Does a cooldown after a run leave the back looser the next time?

    For each run (a `run` session that happened), "with cooldown" means a `cooldown`
    session was completed starting within `window` after the run ended. The outcome
    is the *next tightness*: the first `tightness_before` given in a session that
    starts more than `window` after the run ended, up to and including the next run.
    Runs with no such rating are counted in `runs_*` but not in the means. Lower is
    better. This is an observation, not an experiment: other things differ between
    the two groups, and small `n` says little.
    """

    window: timedelta
    runs_with: int
    runs_without: int
    with_cooldown: Mean
    without_cooldown: Mean


def cooldown_after_runs(
    records: Iterable[SessionRecord], window: timedelta = COOLDOWN_WINDOW
) -> CooldownEffect:
    ordered = sorted(records, key=lambda r: r.started_at)
    runs = [r for r in ordered if r.kind == RUN_KIND and r.status in HAPPENED]
    cooldown_starts = [
        r.started_at for r in ordered if r.kind == COOLDOWN_KIND and r.status is Status.COMPLETED
    ]
    rated = [r for r in ordered if r.tightness_before is not None]
    rated_starts = [r.started_at for r in rated]
    outcomes: dict[bool, list[int]] = {True: [], False: []}
    counts = {True: 0, False: 0}
    for i, run in enumerate(runs):
        end = run.end
        first_cooldown = bisect_left(cooldown_starts, end)
        cooled = (
            first_cooldown < len(cooldown_starts)
            and cooldown_starts[first_cooldown] <= end + window
        )
        counts[cooled] += 1
        following = bisect_right(rated_starts, end + window)
        if following == len(rated):
            continue
        nxt = rated[following]
        if i + 1 < len(runs) and nxt.started_at > runs[i + 1].started_at:
            continue  # nothing rated before the next run: no outcome for this one
        assert nxt.tightness_before is not None
        outcomes[cooled].append(nxt.tightness_before)
    return CooldownEffect(
        window=window,
        runs_with=counts[True],
        runs_without=counts[False],
        with_cooldown=_mean(outcomes[True]),
        without_cooldown=_mean(outcomes[False]),
    )


@dataclass(frozen=True)
class Summary:
    """The few figures `loosen history` prints under its table."""

    total: int
    last_7_days: int
    last_28_days: int
    streaks: Streaks
    best: RoutineEffect | None
    trend: PeriodComparison
    cooldown: CooldownEffect


def summarize(records: Sequence[SessionRecord], now: datetime, tz: tzinfo | None = None) -> Summary:
    return Summary(
        total=len(records),
        last_7_days=count_since(records, now - timedelta(days=7)),
        last_28_days=count_since(records, now - timedelta(days=28)),
        streaks=streaks(records, local_day(now, tz), tz),
        best=best_routine(records),
        trend=compare_periods(records, now),
        cooldown=cooldown_after_runs(records),
    )
