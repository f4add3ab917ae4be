"""What the history can honestly say helps: effects and habits, each with n and an interval.

A routine's *effect* is the mean change (before − after, positive = looser) over its
completed sessions rated both before and after. Every mean here carries a 90 %
confidence interval, and nothing is put forward on fewer than `MIN_SESSIONS` sessions.
docs/insights.md explains the method for users; in short:

- Each routine's interval rests on the spread of its own sessions' changes, never
  taken as smaller than what whole-number ratings alone cause, so three sessions that
  happen to agree exactly still get an interval, never a zero-width one. A routine done
  once has no spread of its own and borrows the pooled spread of all the others.
- Routines are ranked by the *lower* end of their interval: a routine leads when the
  evidence says it loosens at least that much, so ten sessions at +2 beat three at +3.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from statistics import NormalDist, fmean, variance

from loosen.core.counts import count_of
from loosen.core.history.records import HAPPENED, SessionRecord, Status, local_time

CONFIDENCE = 0.90
MIN_SESSIONS = 5  # below this an effect or a habit's group is "not enough yet"
RUN_KIND = "run"
COOLDOWN_KIND = "cooldown"
COOLDOWN_WINDOW = timedelta(hours=3)
BUSY_WEEK_SESSIONS = 3  # a week with this many sessions or more is a "regular" week

# A rating is a whole number, so rounding alone spreads it like a uniform variable one
# point wide (variance 1/12); a change is the difference of two ratings (variance 1/6).
RATING_ROUNDING_SD = math.sqrt(1 / 12)
CHANGE_ROUNDING_SD = math.sqrt(2 / 12)


def t_quantile(p: float, df: int) -> float:
    """Student's t quantile (the standard library has only the normal one).

    Exact for 1 and 2 degrees of freedom; beyond, the Cornish–Fisher expansion
    (Abramowitz & Stegun 26.7.5), within 0.002 of the exact value from 3 degrees on.
    """
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, not {df}")
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    z = NormalDist().inv_cdf(p)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


@dataclass(frozen=True)
class Stat:
    """A mean with its n and 90 % interval; `low`/`high` are None when n < 2."""

    n: int
    mean: float | None
    low: float | None
    high: float | None

    @property
    def enough(self) -> bool:
        return self.n >= MIN_SESSIONS

    def as_dict(self) -> dict[str, float | int | None]:
        return {"n": self.n, "mean": self.mean, "low": self.low, "high": self.high}


def stat(values: Sequence[float], rounding_sd: float = RATING_ROUNDING_SD) -> Stat:
    """The mean of `values` and its 90 % t-interval, their own spread floored at `rounding_sd`."""
    n = len(values)
    if n == 0:
        return Stat(0, None, None, None)
    mean = fmean(values)
    if n < 2:
        return Stat(1, mean, None, None)
    sd = max(math.sqrt(variance(values)), rounding_sd)
    return _interval(n, mean, sd, n - 1)


def _interval(n: int, mean: float, sd: float, df: int) -> Stat:
    half = t_quantile(0.5 + CONFIDENCE / 2, df) * sd / math.sqrt(n)
    return Stat(n, mean, mean - half, mean + half)


@dataclass(frozen=True)
class Effect:
    """How much one routine loosens this user, over its completed, twice-rated sessions."""

    routine: str
    routine_name: str  # the name it had most recently
    exists: bool  # False when the routine is no longer in the library
    stat: Stat  # of the change, before − after

    @property
    def n(self) -> int:
        return self.stat.n

    @property
    def mean_change(self) -> float:
        assert self.stat.mean is not None  # an effect rests on at least one session
        return self.stat.mean

    @property
    def enough(self) -> bool:
        return self.stat.enough

    def as_dict(self) -> dict[str, object]:
        return {
            "routine": self.routine,
            "routine_name": self.routine_name,
            "exists": self.exists,
            "n": self.n,
            "mean_change": self.mean_change,
            "low": self.stat.low,
            "high": self.stat.high,
        }


def counts_toward_effects(record: SessionRecord) -> bool:
    """A session says what a routine does only if it was done and rated both times."""
    return record.status is Status.COMPLETED and record.change is not None


def effects(records: Iterable[SessionRecord], existing: Collection[str]) -> list[Effect]:
    """Every rated routine's effect, in the order the evidence supports.

    Routines with at least MIN_SESSIONS sessions come first, highest lower bound first;
    then the rest, most sessions first. `existing` holds the ids now in the library.
    """
    changes: dict[str, list[int]] = defaultdict(list)
    names: dict[str, tuple[datetime, str]] = {}
    for r in records:
        if not counts_toward_effects(r):
            continue
        assert r.change is not None
        changes[r.routine].append(r.change)
        if r.routine not in names or r.started_at >= names[r.routine][0]:
            names[r.routine] = (r.started_at, r.routine_name)
    pooled = _pooled_spread(changes.values())
    found = [
        Effect(routine, names[routine][1], routine in existing, _change_stat(values, pooled))
        for routine, values in changes.items()
    ]
    return sorted(found, key=_rank)


def _change_stat(values: Sequence[int], pooled: tuple[float, int]) -> Stat:
    if len(values) == 1:
        return _interval(1, values[0], *pooled)
    return stat(values, CHANGE_ROUNDING_SD)


def _pooled_spread(groups: Iterable[Sequence[int]]) -> tuple[float, int]:
    """The pooled standard deviation of one session's change, and its degrees of freedom:
    what a routine done once borrows.

    With no routine rated twice there is no spread to pool; the rounding floor with one
    degree of freedom then gives the widest honest interval.
    """
    squares = 0.0
    df = 0
    for values in groups:
        if len(values) > 1:
            squares += variance(values) * (len(values) - 1)
            df += len(values) - 1
    if df == 0:
        return CHANGE_ROUNDING_SD, 1
    return max(math.sqrt(squares / df), CHANGE_ROUNDING_SD), df


def _rank(effect: Effect) -> tuple[bool, float, float, str]:
    if effect.enough:
        assert effect.stat.low is not None
        return (False, -effect.stat.low, -effect.mean_change, effect.routine)
    return (True, -effect.n, -effect.mean_change, effect.routine)


def helps_most(ranked: Sequence[Effect]) -> Effect | None:
    """The routine the evidence puts first, among those still in the library.

    None until one has MIN_SESSIONS sessions; a removed routine is never suggested.
    """
    return next((e for e in ranked if e.enough and e.exists), None)


@dataclass(frozen=True)
class Habit:
    """One comparison between two kinds of run or week, with a Stat on each side."""

    subject: str  # what is compared: "Tightness after runs"
    with_label: str  # "with a break taken"
    without_label: str  # "without"
    unit: str  # what each value is one of: "run", "rating"
    with_: Stat
    without: Stat

    @property
    def question(self) -> str:
        return f"{self.subject}: {self.with_label} vs {self.without_label}"

    @property
    def enough(self) -> bool:
        return self.with_.enough and self.without.enough

    def as_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "with": self.with_.as_dict(),
            "without": self.without.as_dict(),
        }


def _breaks_habit(with_: Stat, without: Stat) -> Habit:
    return Habit("Tightness after runs", "with a break taken", "without", "run", with_, without)


def _cooldown_habit(with_: Stat, without: Stat) -> Habit:
    return Habit(
        "Tightness at the next rating after runs",
        "with a cooldown within 3 h",
        "without",
        "run",
        with_,
        without,
    )


def _weeks_habit(with_: Stat, without: Stat) -> Habit:
    return Habit(
        "Tightness before sessions",
        f"in weeks with {BUSY_WEEK_SESSIONS} or more sessions",
        "in weeks with fewer",
        "rating",
        with_,
        without,
    )


def habits(records: Sequence[SessionRecord], tz: tzinfo | None = None) -> list[Habit]:
    """The three habits the history can compare (lower tightness is better in each)."""
    ordered = sorted(records, key=lambda r: r.started_at)
    return [
        _breaks_in_runs(ordered),
        _cooldown_after_runs(ordered),
        _regular_weeks(ordered, tz),
    ]


def _runs(ordered: Sequence[SessionRecord]) -> list[SessionRecord]:
    return [r for r in ordered if r.kind == RUN_KIND and r.status in HAPPENED]


def _breaks_in_runs(ordered: Sequence[SessionRecord]) -> Habit:
    after: dict[bool, list[int]] = {True: [], False: []}
    for run in _runs(ordered):
        if run.tightness_after is not None:
            after[run.breaks > 0].append(run.tightness_after)
    return _breaks_habit(stat(after[True]), stat(after[False]))


def _cooldown_after_runs(ordered: Sequence[SessionRecord]) -> Habit:
    """Each run's outcome is the first before-rating given more than 3 h after it ended,
    unless the next run came first; "with" means a cooldown was completed within 3 h."""
    runs = _runs(ordered)
    cooldown_starts = [
        r.started_at for r in ordered if r.kind == COOLDOWN_KIND and r.status is Status.COMPLETED
    ]
    rated = [r for r in ordered if r.tightness_before is not None]
    rated_starts = [r.started_at for r in rated]
    next_tightness: dict[bool, list[int]] = {True: [], False: []}
    for i, run in enumerate(runs):
        end = run.end
        first_cooldown = bisect_left(cooldown_starts, end)
        cooled = (
            first_cooldown < len(cooldown_starts)
            and cooldown_starts[first_cooldown] <= end + COOLDOWN_WINDOW
        )
        following = bisect_right(rated_starts, end + COOLDOWN_WINDOW)
        if following == len(rated):
            continue
        nxt = rated[following]
        if i + 1 < len(runs) and nxt.started_at > runs[i + 1].started_at:
            continue  # nothing rated before the next run: no outcome for this one
        assert nxt.tightness_before is not None
        next_tightness[cooled].append(nxt.tightness_before)
    return _cooldown_habit(stat(next_tightness[True]), stat(next_tightness[False]))


def _regular_weeks(ordered: Sequence[SessionRecord], tz: tzinfo | None) -> Habit:
    by_week: dict[date, list[SessionRecord]] = defaultdict(list)
    for r in ordered:
        day = local_time(r.started_at, tz).date()
        by_week[day - timedelta(days=day.weekday())].append(r)
    before: dict[bool, list[int]] = {True: [], False: []}
    for sessions in by_week.values():
        regular = len(sessions) >= BUSY_WEEK_SESSIONS
        before[regular].extend(
            r.tightness_before for r in sessions if r.tightness_before is not None
        )
    return _weeks_habit(stat(before[True]), stat(before[False]))


def interval_text(result: Stat) -> str:
    """ "90 % interval 1.2 to 3.4; " to go before a count; empty without an interval."""
    if result.low is None or result.high is None:
        return ""
    return f"90 % interval {result.low:.1f} to {result.high:.1f}; "


def _side_text(result: Stat, label: str, unit: str) -> str:
    if result.mean is None:
        return f"none {label}"
    return f"{result.mean:.1f} {label} ({interval_text(result)}{count_of(result.n, unit)})"


def habit_text(habit: Habit) -> str:
    """One habit in words: both sides with n and interval, "not enough yet" while short."""
    line = (
        f"{habit.subject}: {_side_text(habit.with_, habit.with_label, habit.unit)}, "
        f"{_side_text(habit.without, habit.without_label, habit.unit)}"
    )
    if not habit.enough:
        line += f"; not enough yet to compare ({MIN_SESSIONS} a side needed)"
    return line + "."


@dataclass(frozen=True)
class Insights:
    """Everything `loosen history --summary --json` prints, and the history page shows."""

    sessions: int
    rated: int  # sessions with at least one rating
    effects: list[Effect]
    helps_most: Effect | None
    habits: list[Habit]

    def as_dict(self) -> dict[str, object]:
        return {
            "sessions": self.sessions,
            "rated": self.rated,
            "helps_most": self.helps_most.as_dict() if self.helps_most else None,
            "effects": [e.as_dict() for e in self.effects],
            "habits": [h.as_dict() for h in self.habits],
        }


def insights(
    records: Sequence[SessionRecord], existing: Collection[str], tz: tzinfo | None = None
) -> Insights:
    ranked = effects(records, existing)
    return Insights(
        sessions=len(records),
        rated=sum(r.tightness_before is not None or r.tightness_after is not None for r in records),
        effects=ranked,
        helps_most=helps_most(ranked),
        habits=habits(records, tz),
    )
