"""The two quiet lines the app offers from the history: a suggestion, and a safety note.

Pure functions over session records; the UI decides where they show and remembers when a
safety note was dismissed (`note_due`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from statistics import fmean

from loosen.core.counts import count_of
from loosen.core.history.insights import Insights, insights
from loosen.core.history.records import SessionRecord

TIGHT_AFTER = 7  # an after-rating this high or higher is "still tight"
TIGHT_IN_A_ROW = 3  # ... in this many rated sessions in a row
RISE_POINTS = 2.0  # a weekly mean this much higher than two weeks before
MIN_RATINGS_A_WEEK = 2  # fewer ratings in either week say too little to compare
NOTE_QUIET = timedelta(weeks=2)  # a dismissed note does not come back for this long
WEEK = timedelta(days=7)


def before_after_text(before: int | None, after: int) -> str:
    """The end screen's line: before → after and the change, or just after."""
    if before is None:
        return f"Your back now: {after} of 10."
    change = before - after
    if change == 0:
        how = "no change"
    else:
        how = f"{count_of(abs(change), 'point')} {'looser' if change > 0 else 'tighter'}"
    return f"Your back: {before} → {after} of 10, {how}."


class Worry(StrEnum):
    """Why the safety note shows."""

    STILL_TIGHT = "still-tight"  # three after-ratings of 7 or more in a row
    RISING = "rising"  # this week's mean 2 or more above that of two weeks before


def not_easing(records: Sequence[SessionRecord], now: datetime) -> Worry | None:
    """Whether the ratings say the tightness is not easing, and how; None when they don't."""
    rated_after = sorted(
        (r for r in records if r.tightness_after is not None), key=lambda r: r.started_at
    )
    latest = rated_after[-TIGHT_IN_A_ROW:]
    if len(latest) == TIGHT_IN_A_ROW and all(
        r.tightness_after is not None and r.tightness_after >= TIGHT_AFTER for r in latest
    ):
        return Worry.STILL_TIGHT
    this_week = _ratings_between(records, now - WEEK, now)
    two_weeks_before = _ratings_between(records, now - 3 * WEEK, now - 2 * WEEK)
    if (
        min(len(this_week), len(two_weeks_before)) >= MIN_RATINGS_A_WEEK
        and fmean(this_week) - fmean(two_weeks_before) >= RISE_POINTS
    ):
        return Worry.RISING
    return None


def _ratings_between(records: Sequence[SessionRecord], start: datetime, end: datetime) -> list[int]:
    """Every rating, before and after, given in sessions started in [start, end)."""
    values: list[int] = []
    for r in records:
        if start <= r.started_at < end:
            values.extend(v for v in (r.tightness_before, r.tightness_after) if v is not None)
    return values


def note_due(worry: Worry | None, dismissed_at: datetime | None, now: datetime) -> bool:
    """Show the safety note: there is a worry, and it was not dismissed in the last two weeks."""
    return worry is not None and (dismissed_at is None or now - dismissed_at >= NOTE_QUIET)


def safety_note(worry: Worry, gentlest_name: str) -> str:
    """The note itself: plain, once, with the gentlest routine to try meanwhile."""
    why = {
        Worry.STILL_TIGHT: f"Your back has rated {TIGHT_AFTER} or more after your last "
        f"{TIGHT_IN_A_ROW} sessions",
        Worry.RISING: "Your back has been rated tighter over the last two weeks",
    }[worry]
    gentle = (
        f"gentle stretching, such as {gentlest_name}," if gentlest_name else "gentle stretching"
    )
    return (
        f"{why}: the tightness is not easing. Please have a physiotherapist or a doctor look "
        f"at it. Until then, keep to {gentle} and stop anything that hurts."
    )


@dataclass(frozen=True)
class RoutineChoice:
    """A routine the library offers now, for the suggestion: its id, name and length."""

    id: str
    name: str
    kind: str
    planned_s: float | None


def gentlest(choices: Sequence[RoutineChoice]) -> RoutineChoice | None:
    """The gentlest routine: the shortest cooldown (held stretches to a mild pull), else
    the shortest break, else the shortest of any kind."""
    for kinds in (("cooldown",), ("break",), None):
        fitting = [
            c for c in choices if (kinds is None or c.kind in kinds) and c.planned_s is not None
        ]
        if fitting:
            return min(fitting, key=lambda c: (c.planned_s, c.name))
    return None


def suggestion(
    found: Insights,
    choices: Sequence[RoutineChoice],
    last_done: Mapping[str, datetime],
) -> str | None:
    """One quiet line for the library: what helped most, or, with too little to tell,
    the routine not done for longest (never done at all counts as longest)."""
    best = found.helps_most
    if best is not None:
        return f"Helped you most: {best.routine_name} ({count_of(best.n, 'session')})"
    never = sorted(c.name for c in choices if c.id not in last_done)
    if never:
        return f"Not tried yet: {never[0]}"
    if not choices:
        return None
    oldest = min(choices, key=lambda c: (last_done[c.id], c.name))
    return f"Not done for longest: {oldest.name}"


@dataclass(frozen=True)
class LibraryAdvice:
    """The quiet lines the library shows: a suggestion, and the safety note's reason."""

    suggestion: str | None = None
    worry: Worry | None = None
    gentlest: str = ""  # the gentlest routine's name, for the safety note


def library_advice(
    records: Sequence[SessionRecord], choices: Sequence[RoutineChoice], now: datetime
) -> LibraryAdvice:
    """What the library says from the history (records in any order)."""
    found = insights(records, {c.id for c in choices})
    last_done: dict[str, datetime] = {}
    for r in records:
        if r.routine not in last_done or r.started_at > last_done[r.routine]:
            last_done[r.routine] = r.started_at
    soft = gentlest(choices)
    return LibraryAdvice(
        suggestion=suggestion(found, choices, last_done),
        worry=not_easing(records, now),
        gentlest=soft.name if soft else "",
    )
