"""The session log on disk: a SQLite store that records sessions as they happen and loses none.

One `HistoryStore` per process (or per window) opens the file, and on opening:

1. sets a damaged file aside whole and starts a fresh one, queueing what it can
   salvage (salvage.py, safety.py), and says so in `notices`;
2. migrates the schema (schema.py), in WAL mode with `synchronous=FULL` (database.py);
3. takes over what dead stores left: their queued sessions, their `running` rows
   (leftovers.py; owners.py tells a dead owner from a live one);
4. makes the day's backup, keeping the last seven.

A session row is written when the session starts and on every change. When the file
cannot be written (locked, read-only, disk full, newer schema) the change is queued
(pending.py): `pending` counts the queued sessions, a side file keeps them across a
crash, `flush()` retries, and the next store to open after this process ends merges
them in. Expected problems never raise from the session calls; reading raises
`HistoryError` (one line).

Not thread-safe: use a store from the thread that opened it.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Self

from loosen.core.history import owners, safety
from loosen.core.history.database import Database, Opener, default_opener
from loosen.core.history.importing import ImportCounts, import_records
from loosen.core.history.leftovers import take_over
from loosen.core.history.pending import PendingQueue, pending_dirs
from loosen.core.history.problems import Problem
from loosen.core.history.queries import SessionQueries
from loosen.core.history.records import (
    FINISHED,
    MAX_NOTE_CHARS,
    SessionRecord,
    Status,
    check_tightness,
    format_time,
    one_newline,
    to_utc,
    utc_now,
)
from loosen.core.history.reminder_log import ReminderLog, ReminderRecord
from loosen.core.history.rows import upsert
from loosen.core.history.salvage import is_damaged, salvage

DEFAULT_BUSY_TIMEOUT_MS = 3000
DEFAULT_KEEP_BACKUPS = 7
RETRY_AFTER_S = 30.0  # after a failed write, queue without touching the file for this long


class HistoryStore:
    """The history of sessions in one SQLite file. Open with `HistoryStore.open(path)`."""

    def __init__(
        self,
        path: Path,
        *,
        now: Callable[[], datetime] = utc_now,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        opener: Opener | None = None,
        keep_backups: int = DEFAULT_KEEP_BACKUPS,
        new_uid: Callable[[], str] | None = None,
        spare_dir: Path | None = None,
    ) -> None:
        self.path = Path(path).absolute()
        self.notices: list[str] = []  # one-line messages for the user, oldest first
        self._now = now
        self._keep_backups = keep_backups
        self._new_uid = new_uid or (lambda: uuid.uuid4().hex)
        self._token = uuid.uuid4().hex  # this store's owner token (owners.py)
        self._lock: owners.OwnerLock | None = None
        self._db = Database(
            self.path,
            opener=opener or default_opener,
            busy_timeout_ms=busy_timeout_ms,
            notice=self._notice,
        )
        # Where queued sessions are kept when the history's own folder cannot be
        # written (a read-only medium): on another file system, they survive the exit.
        spare = Path(spare_dir).absolute() if spare_dir is not None else None
        self._pending = PendingQueue(pending_dirs(self.path, spare), self._token, self._notice)
        self._queries = SessionQueries(self._db, self._pending, self._notice)
        self._reminders = ReminderLog(self._db, now)
        self._known: dict[str, SessionRecord] = {}  # sessions this store has touched
        self._housekept = False  # dead stores' leftovers taken over
        self._retry_at: datetime | None = None

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        now: Callable[[], datetime] = utc_now,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        opener: Opener | None = None,
        keep_backups: int = DEFAULT_KEEP_BACKUPS,
        new_uid: Callable[[], str] | None = None,
        spare_dir: Path | None = None,
    ) -> HistoryStore:
        """Open (creating, migrating, repairing as needed) the history at `path`.

        Never raises for an expected problem: the store opens degraded, says why in
        `notices`, and queues what it cannot write. `opener` makes the connection
        (tests pass one that opens read-only); `busy_timeout_ms` is how long a write
        waits for another program's lock.
        """
        store = cls(
            path,
            now=now,
            busy_timeout_ms=busy_timeout_ms,
            opener=opener,
            keep_backups=keep_backups,
            new_uid=new_uid,
            spare_dir=spare_dir,
        )
        store._start()
        return store

    @property
    def owners_dir(self) -> Path:
        return self.path.parent / f"{self.path.stem}-owners"

    @property
    def pending_dir(self) -> Path:
        """The history's own folder for queued sessions (pending.py)."""
        return self._pending.dirs[0]

    @property
    def pending(self) -> int:
        """How many sessions have changes not yet in the file."""
        return len(self._pending)

    @property
    def problem(self) -> Problem | None:
        """The last problem met writing the file; None once writes succeed again."""
        return self._db.problem

    # ----------------------------------------------------------------- opening

    def _start(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._db.trouble(Problem.UNAVAILABLE, exc.strerror or str(exc))
            return
        try:
            self._lock = owners.OwnerLock.acquire(self.owners_dir, self._token)
        except OSError:
            self._lock = None  # sessions still record; another store may call them dead
        if not self._db.check_openable():
            return  # never written there; sessions wait in the pending file
        if is_damaged(self.path, self._db.busy_timeout_ms):
            self._recover_from_damage()
        self._db.connect()
        self._housekeeping()
        self._backup()
        owners.sweep(self.owners_dir, keep=self._token)

    def _recover_from_damage(self) -> None:
        try:
            moved = safety.move_aside(self.path, self._now())
        except OSError as exc:
            # Do not write into a damaged file that could not be moved.
            self._db.freeze(Problem.CORRUPT, exc.strerror or str(exc))
            return
        found = salvage(self.path, moved)
        for record in found.sessions:
            self._pending.put(record)
        self._notice(
            f"history file was damaged: it was moved to {moved} and a new one started"
            + (f"; {found.summary}" if found.summary else "")
        )

    def _housekeeping(self) -> None:
        """Take over dead stores' leftovers, then write what salvage queued."""
        if not self._db.ready or self._housekept:
            return
        stamp = format_time(self._now())
        if take_over(self._db, self._pending, self.owners_dir, self._token, stamp, self._notice):
            self._housekept = True
            self._flush(force=True)

    def _backup(self) -> None:
        conn = self._db.conn
        if not self._db.ready or conn is None or self._keep_backups <= 0:
            return
        try:
            if conn.execute("SELECT 1 FROM sessions LIMIT 1").fetchone() is None:
                return  # nothing to keep; do not push real backups out with empty ones
            safety.daily_backup(conn, self.path, self._now(), self._keep_backups)
        except (sqlite3.Error, OSError) as exc:
            self._notice(f"could not make today's history backup: {exc}")

    # ------------------------------------------------------------- the session

    def start_session(
        self,
        routine_id: str,
        routine_name: str,
        kind: str,
        *,
        digest: str = "",
        planned_s: float | None = None,
        tightness_before: int | None = None,
    ) -> SessionRecord:
        """Record a session that starts now (`running`); its `uid` names it from then on."""
        now = to_utc(self._now())
        record = SessionRecord(
            uid=self._new_uid(),
            routine=routine_id,
            routine_name=routine_name,
            kind=str(kind),
            digest=digest,
            started_at=now,
            planned_s=planned_s,
            tightness_before=check_tightness(tightness_before),
            updated_at=now,
        )
        return self._save(record)

    def update_session(
        self,
        uid: str,
        *,
        active_s: float | None = None,
        steps_done: int | None = None,
        steps_skipped: int | None = None,
        breaks: int | None = None,
    ) -> SessionRecord:
        """Progress of a running session; call it as steps end so a crash loses little."""
        record = self._current(uid)
        return self._save(_progress(record, active_s, steps_done, steps_skipped, breaks))

    def finish_session(
        self,
        uid: str,
        status: Status = Status.COMPLETED,
        *,
        active_s: float | None = None,
        steps_done: int | None = None,
        steps_skipped: int | None = None,
        breaks: int | None = None,
    ) -> SessionRecord:
        """Close a session as `completed`, `partial` or `stopped`, ending now."""
        status = Status(status)
        if status not in FINISHED:
            raise ValueError(f"a session finishes as completed, partial or stopped, not {status}")
        record = _progress(self._current(uid), active_s, steps_done, steps_skipped, breaks)
        return self._save(replace(record, status=status, ended_at=to_utc(self._now())))

    def rate(self, uid: str, tightness_after: int | None, note: str | None = None) -> SessionRecord:
        """How tight the back is after the session (0–10, None = skipped) and a note.

        Written (or queued and kept in the pending file) before it returns.
        """
        record = self._current(uid)
        changes: dict[str, Any] = {"tightness_after": check_tightness(tightness_after)}
        if note is not None:
            if len(note) > MAX_NOTE_CHARS:  # the editors stop at it: never cut a note here
                raise ValueError(f"a note is at most {MAX_NOTE_CHARS} characters, not {len(note)}")
            changes["note"] = one_newline(note.strip())
        return self._save(replace(record, **changes))

    def set_before(self, uid: str, tightness_before: int | None) -> SessionRecord:
        """How tight the back was before the session (0–10, or None)."""
        record = self._current(uid)
        return self._save(replace(record, tightness_before=check_tightness(tightness_before)))

    def delete(self, uid: str) -> SessionRecord:
        """Remove a session and return it, so `restore` can undo. Raises HistoryError."""
        record = self.get(uid)
        if record is None:
            raise KeyError(uid)
        if record.id is not None:
            self._writable()
            try:
                with self._db.transaction() as conn:
                    conn.execute("DELETE FROM sessions WHERE uid = ?", (uid,))
            except sqlite3.Error as exc:
                raise self._db.error(exc) from None
        self._pending.discard(uid)
        self._known.pop(uid, None)
        self._pending.sync()
        return record

    def restore(self, record: SessionRecord) -> SessionRecord:
        """Put back a deleted session (with its old id when that is still free)."""
        return self._save(record)

    def _current(self, uid: str) -> SessionRecord:
        record = self._pending.get(uid) or self._known.get(uid) or self.get(uid)
        if record is None:
            raise KeyError(uid)
        return record

    def _save(self, record: SessionRecord) -> SessionRecord:
        record = replace(record, updated_at=to_utc(self._now()))
        self._known[record.uid] = record
        self._pending.put(record)
        self._flush(force=False)
        self._pending.sync()
        return self._known[record.uid]

    # ------------------------------------------------------------- reminders

    def log_reminder(
        self,
        routine_id: str,
        outcome: str,
        due_at: datetime,
        answered_at: datetime | None = None,
        *,
        given_at: datetime | None = None,
        stage: str | None = None,
    ) -> ReminderRecord:
        """Log how a reminder was answered (`answered_at` defaults to now); `given_at`
        and `stage` say when and how it was given, None if it never was.

        Never raises for an expected problem: what cannot be written is kept and
        written with the next one (or at close), like a session's changes.
        """
        return self._reminders.log(
            routine_id, outcome, due_at, answered_at, given_at=given_at, stage=stage
        )

    def reminders(self, *, since: datetime | None = None) -> list[ReminderRecord]:
        """Reminder answers, oldest first, including those waiting to be written."""
        return self._reminders.answers(since)

    # ------------------------------------------------------------------ writing

    def flush(self) -> bool:
        """Try now to write every queued change; True when nothing is left queued."""
        self._flush(force=True)
        self._pending.sync()
        return not self._pending

    def _flush(self, *, force: bool) -> None:
        if not self._pending:
            return
        if not force and self._retry_at is not None and to_utc(self._now()) < self._retry_at:
            return
        if not self._db.ensure_ready():
            self._retry_later()
            return
        if not self._housekept:
            self._housekeeping()  # flushes once done
            if not self._housekept:
                self._retry_later()
            return
        batch = list(self._pending)
        try:
            with self._db.transaction() as conn:
                for record in batch:
                    upsert(conn, record, owner=self._token)
                ids = {
                    r.uid: conn.execute(
                        "SELECT id FROM sessions WHERE uid = ?", (r.uid,)
                    ).fetchone()
                    for r in batch
                }
        except sqlite3.Error as exc:
            self._db.fail(exc)
            self._retry_later()
            return
        for record in batch:
            row = ids[record.uid]
            if row is not None and record.uid in self._known:
                self._known[record.uid] = replace(self._known[record.uid], id=row[0])
            self._pending.written(record)
        if self._db.problem is not None and not self._pending:
            self._notice("history can be written again; every session is saved")
        self._db.problem = None
        self._retry_at = None

    def _retry_later(self) -> None:
        self._retry_at = to_utc(self._now()) + timedelta(seconds=RETRY_AFTER_S)

    def _writable(self) -> sqlite3.Connection:
        """The connection for a write that raises HistoryError rather than queue."""
        conn = self._db.writable()
        self._housekeeping()
        return conn

    # ------------------------------------------------------------------ reading

    def get(self, uid: str) -> SessionRecord | None:
        """One session by uid, including one still waiting to be written."""
        return self._queries.get(uid)

    def sessions(
        self, *, newest_first: bool = True, routine: str | None = None, limit: int | None = None
    ) -> list[SessionRecord]:
        """Sessions in start order (newest first by default), queued ones included."""
        return self._queries.sessions(newest_first=newest_first, routine=routine, limit=limit)

    # ---------------------------------------------------------- import

    def import_records(self, records: Iterable[SessionRecord]) -> ImportCounts:
        """Add sessions from elsewhere (a CSV), skipping those already present (importing.py).

        Each record keeps its `id` when that id is free here. All in one transaction:
        raises HistoryError (and adds nothing) when the file cannot be written.
        """
        self._writable()
        stamp = format_time(self._now())
        try:
            with self._db.transaction() as conn:
                return import_records(conn, records, stamp)
        except sqlite3.Error as exc:
            raise self._db.error(exc) from None

    # ------------------------------------------------------------------ closing

    def close(self) -> None:
        """Write what is queued if possible, and let go of the file and the owner lock.

        A session this store started and never finished is closed as `interrupted`.
        What still cannot be written stays in the pending file for the next open.
        """
        if self._db.closed:
            return
        try:
            ended = to_utc(self._now())
            for record in list(self._known.values()):
                if record.status is Status.RUNNING:
                    self._save(replace(record, status=Status.INTERRUPTED, ended_at=ended))
            self._flush(force=True)
            self._pending.sync()
            self._reminders.flush()
        finally:
            self._db.close()
            if self._lock is not None:
                self._lock.release()  # last: the pending file now belongs to the next open
                self._lock = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)


def _progress(
    record: SessionRecord,
    active_s: float | None,
    steps_done: int | None,
    steps_skipped: int | None,
    breaks: int | None,
) -> SessionRecord:
    """`record` with the progress given (None = unchanged); ValueError for a negative one."""
    changes: dict[str, Any] = {}
    if active_s is not None:
        if active_s < 0:
            raise ValueError(f"active_s cannot be negative: {active_s}")
        changes["active_s"] = float(active_s)
    counts = (("steps_done", steps_done), ("steps_skipped", steps_skipped), ("breaks", breaks))
    for name, value in counts:
        if value is not None:
            if value < 0:
                raise ValueError(f"{name} cannot be negative: {value}")
            changes[name] = int(value)
    return replace(record, **changes)
