"""What the history says of each routine, for its row in the library: when it was last
done and how much looser the back gets after it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from loosen.core.history.insights import effects
from loosen.core.history.records import SessionRecord


@dataclass(frozen=True)
class RoutineStats:
    """One routine's line of history, as the library shows it."""

    last_done: str = ""  # e.g. "today", "3 days ago"
    change: float | None = None  # mean before − after: positive = looser
    sessions: int = 0


def days_ago(moment: datetime, now: datetime) -> str:
    days = (now.astimezone().date() - moment.astimezone().date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    return moment.astimezone().strftime("%-d %b")


def stats_by_routine(records: Iterable[SessionRecord], now: datetime) -> dict[str, RoutineStats]:
    """Each routine found in `records` (given newest first) and what they say of it."""
    records = list(records)
    last: dict[str, SessionRecord] = {}
    for record in records:
        last.setdefault(record.routine, record)
    changes = {effect.routine: effect for effect in effects(records, existing=())}
    return {
        routine: RoutineStats(
            last_done=days_ago(record.started_at, now),
            change=changes[routine].mean_change if routine in changes else None,
            sessions=changes[routine].n if routine in changes else 0,
        )
        for routine, record in last.items()
    }
