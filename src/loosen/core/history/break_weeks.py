"""Desk breaks taken each week, of those given: what the reminder log says of recent weeks.

A reminder's cycle ends in one answer: `taken`, `skipped`, `unanswered`, or `away` (time
away from the desk long enough to count as the break). `snoozed` and `deferred` are steps
along the way (the reminder comes again, and its last answer counts), so they are not
counted. A break *given* is a cycle that ended with its reminder given (`given_at` set);
of those, it was *taken* when answered `taken` or when the user then stepped away
(`away`): a person who walked away did take a break. Time away before any reminder came
is a break too, but none was given: it is counted apart, as a *natural* break.

Weeks are the user's local ones (`tz`, None = this machine's zone), Monday first; an
answer belongs to the week it was given in (or, never given, answered in).
The method is explained for users in docs/insights.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from loosen.core.history.reminder_log import ReminderRecord
from loosen.core.reminders import Outcome

RECENT_WEEKS = 6  # the weeks the history view lists, this one included
# How a reminder's cycle may end; the other outcomes come before an end.
CYCLE_ENDS = frozenset({Outcome.TAKEN, Outcome.SKIPPED, Outcome.UNANSWERED, Outcome.AWAY})
BREAK_TAKEN = frozenset({Outcome.TAKEN, Outcome.AWAY})


@dataclass(frozen=True)
class BreakWeek:
    """One week's breaks, from its Monday."""

    monday: date
    given: int = 0  # reminders given whose cycle ended this week
    taken: int = 0  # of those, taken (in the player, or by stepping away)
    away: int = 0  # of those taken, by stepping away
    natural: int = 0  # time away before any reminder was given: breaks not given

    def any(self) -> bool:
        return bool(self.given or self.natural)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_day(moment: datetime, tz: tzinfo | None) -> date:
    return moment.astimezone(tz).date()


def break_weeks(
    records: Sequence[ReminderRecord],
    today: date,
    tz: tzinfo | None = None,
    weeks: int = RECENT_WEEKS,
) -> list[BreakWeek]:
    """The last `weeks` weeks up to the one holding `today`, oldest first, each counted
    from `records` (the reminder log); weeks with no break are there too, empty."""
    this_monday = monday_of(today)
    mondays = [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    counts = {monday: [0, 0, 0, 0] for monday in mondays}  # given, taken, away, natural
    for record in records:
        if record.outcome not in CYCLE_ENDS:
            continue
        moment = record.given_at or record.answered_at
        week = counts.get(monday_of(_local_day(moment, tz)))
        if week is None:
            continue
        away = record.outcome == Outcome.AWAY
        if record.given_at is None:
            week[3] += away  # never given: only time away is a break
            continue
        week[0] += 1
        week[1] += record.outcome in BREAK_TAKEN
        week[2] += away
    return [BreakWeek(monday, *counts[monday]) for monday in mondays]


def week_text(week: BreakWeek) -> str:
    """ "5 of 8 breaks taken (2 away) · 3 more away before a reminder came"."""
    text = f"{week.taken} of {week.given} breaks taken"
    if week.away:
        text += f" ({week.away} away)"
    if week.natural:
        text += f" · {week.natural} more away before a reminder came"
    return text


def breaks_text(weeks: Sequence[BreakWeek]) -> str:
    """The history view's line: this week in words, then the weeks before in short."""
    if not any(week.any() for week in weeks):
        return ""
    *earlier, this_week = weeks
    lines = [f"Desk breaks this week: {week_text(this_week)}"]
    shown = [f"{week.monday:%d %b}: {_short(week)}" for week in reversed(earlier)]
    if shown:
        lines.append("Weeks before, from Monday: " + " · ".join(shown))
    return "\n".join(lines)


def _short(week: BreakWeek) -> str:
    if not week.any():
        return "none"
    natural = f" +{week.natural} away" if week.natural else ""
    return f"{week.taken} of {week.given}{natural}"
