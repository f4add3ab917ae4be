"""The log of desk-break reminders: how each one was answered (see core/reminders.py).

An answer that cannot be written (a locked or read-only file) is kept in memory and
written with the next one or at close; a log line needs no crash file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loosen.core.history.database import Database
from loosen.core.history.records import format_time, parse_time, to_utc

REMINDER_OUTCOMES = ("taken", "snoozed", "skipped")
REMINDERS_VERSION = 2  # the schema version that made the table; older files have none


@dataclass(frozen=True)
class ReminderRecord:
    """How one desk-break reminder was answered."""

    routine: str  # the break routine's id
    outcome: str  # taken | snoozed | skipped
    due_at: datetime  # UTC, whole seconds
    answered_at: datetime
    id: int | None = None  # None while it waits to be written


class ReminderLog:
    """The `reminders` table of `db`, with the answers still waiting to be written."""

    def __init__(self, db: Database, now: Callable[[], datetime]) -> None:
        self._db = db
        self._now = now
        self._waiting: list[ReminderRecord] = []

    def log(
        self, routine_id: str, outcome: str, due_at: datetime, answered_at: datetime | None
    ) -> ReminderRecord:
        if outcome not in REMINDER_OUTCOMES:
            raise ValueError(f"a reminder is {' | '.join(REMINDER_OUTCOMES)}, not {outcome!r}")
        record = ReminderRecord(
            routine_id, outcome, to_utc(due_at), to_utc(answered_at or self._now())
        )
        self._waiting.append(record)
        self.flush()
        return record

    def flush(self) -> None:
        """Write the waiting answers, if the file can be written now."""
        if not self._waiting or not self._db.ensure_ready():
            return
        try:
            with self._db.transaction() as conn:
                conn.executemany(
                    "INSERT INTO reminders (routine, outcome, due_at, answered_at)"
                    " VALUES (?, ?, ?, ?)",
                    [
                        (r.routine, r.outcome, format_time(r.due_at), format_time(r.answered_at))
                        for r in self._waiting
                    ],
                )
        except sqlite3.Error as exc:
            self._db.fail(exc)
            return
        self._waiting.clear()

    def answers(self, since: datetime | None) -> list[ReminderRecord]:
        """Reminder answers, oldest first, including those waiting to be written."""
        sql = "SELECT id, routine, outcome, due_at, answered_at FROM reminders"
        params: tuple[Any, ...] = ()
        if since is not None:
            sql += " WHERE answered_at >= ?"
            params = (format_time(since),)
        sql += " ORDER BY answered_at, id"
        rows = self._db.read(lambda version: sql if version >= REMINDERS_VERSION else None, params)
        found = [
            ReminderRecord(routine, outcome, parse_time(due), parse_time(answered), id_)
            for id_, routine, outcome, due, answered in rows
        ]
        found += [r for r in self._waiting if since is None or r.answered_at >= to_utc(since)]
        return sorted(found, key=lambda r: r.answered_at)
