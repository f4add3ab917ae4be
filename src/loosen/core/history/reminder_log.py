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
from loosen.core.reminders import Outcome, Stage

REMINDER_OUTCOMES = tuple(str(outcome) for outcome in Outcome)  # declared once, in Outcome
REMINDER_STAGES = tuple(str(stage) for stage in Stage)
REMINDERS_VERSION = 2  # the schema version that made the table; older files have none
GIVEN_VERSION = 5  # the version that added `given_at` and `stage`
# `loosen history --reminders --json` keys, and its CSV columns, in this order (DESIGN.md).
REMINDER_COLUMNS = ("routine", "due_at", "given_at", "stage", "outcome", "answered_at")


@dataclass(frozen=True)
class ReminderRecord:
    """How one desk-break reminder was answered."""

    routine: str  # the break routine's id
    outcome: str  # one of REMINDER_OUTCOMES
    due_at: datetime  # UTC, whole seconds
    answered_at: datetime
    id: int | None = None  # None while it waits to be written
    given_at: datetime | None = None  # None if it was never given (away, deferred, old files)
    stage: str | None = None  # gentle | firm; None if none was given

    def as_dict(self) -> dict[str, str | None]:
        """The `loosen history --reminders --json` object (DESIGN.md), keys in order."""
        given = None if self.given_at is None else format_time(self.given_at)
        values = (
            self.routine,
            format_time(self.due_at),
            given,
            self.stage,
            self.outcome,
            format_time(self.answered_at),
        )
        return dict(zip(REMINDER_COLUMNS, values, strict=True))


class ReminderLog:
    """The `reminders` table of `db`, with the answers still waiting to be written."""

    def __init__(self, db: Database, now: Callable[[], datetime]) -> None:
        self._db = db
        self._now = now
        self._waiting: list[ReminderRecord] = []

    def log(
        self,
        routine_id: str,
        outcome: str,
        due_at: datetime,
        answered_at: datetime | None,
        *,
        given_at: datetime | None = None,
        stage: str | None = None,
    ) -> ReminderRecord:
        if outcome not in REMINDER_OUTCOMES:
            raise ValueError(f"a reminder is {' | '.join(REMINDER_OUTCOMES)}, not {outcome!r}")
        if stage is not None and stage not in REMINDER_STAGES:
            raise ValueError(f"a stage is {' | '.join(REMINDER_STAGES)}, not {stage!r}")
        record = ReminderRecord(
            routine_id,
            outcome,
            to_utc(due_at),
            to_utc(answered_at or self._now()),
            given_at=None if given_at is None else to_utc(given_at),
            stage=stage,
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
                    "INSERT INTO reminders (routine, outcome, due_at, answered_at, given_at, stage)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            r.routine,
                            r.outcome,
                            format_time(r.due_at),
                            format_time(r.answered_at),
                            None if r.given_at is None else format_time(r.given_at),
                            r.stage,
                        )
                        for r in self._waiting
                    ],
                )
        except sqlite3.Error as exc:
            self._db.fail(exc)
            return
        self._waiting.clear()

    def answers(self, since: datetime | None) -> list[ReminderRecord]:
        """Reminder answers, oldest first, including those waiting to be written."""
        where, params = "", tuple[Any, ...]()
        if since is not None:
            where, params = " WHERE answered_at >= ?", (format_time(since),)

        def query(version: int) -> str | None:
            if version < REMINDERS_VERSION:
                return None
            # A file a newer Loosen left at version 2-4 (read, never changed) has no
            # `given_at` or `stage`: read as never given.
            given = "given_at, stage" if version >= GIVEN_VERSION else "NULL, NULL"
            return (
                f"SELECT id, routine, outcome, due_at, answered_at, {given} FROM reminders"
                f"{where} ORDER BY answered_at, id"
            )

        rows = self._db.read(query, params)
        found = [
            ReminderRecord(
                routine,
                outcome,
                parse_time(due),
                parse_time(answered),
                id_,
                given_at=None if given is None else parse_time(given),
                stage=stage,
            )
            for id_, routine, outcome, due, answered, given, stage in rows
        ]
        found += [r for r in self._waiting if since is None or r.answered_at >= to_utc(since)]
        return sorted(found, key=lambda r: r.answered_at)
