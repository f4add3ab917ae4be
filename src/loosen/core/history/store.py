"""The session log on disk: a SQLite store that records sessions as they happen and loses none.

One `HistoryStore` per process (or per window) opens the file, and on opening:

1. sets a damaged file aside whole and starts a fresh one, salvaging what it can
   (see safety.py), and says so in `notices`;
2. migrates the schema (schema.py), in WAL mode with `synchronous=FULL`;
3. merges session records that a dead process could not write (its pending file),
   and marks `interrupted` the rows still `running` whose owner process is dead
   (owners.py tells a dead owner from a live one);
4. makes the day's backup, keeping the last seven.

A session row is written when the session starts and on every change. When the file
cannot be written (locked, read-only, disk full, newer schema) the change is queued:
`pending` counts the queued sessions, a small JSON file per store
(`history-pending/<token>.json`) keeps them across a crash, `flush()` retries, and
the next store to open after this process ends merges them in. Expected problems
never raise from the session calls; reading raises `HistoryError` (one line).

Not thread-safe: use a store from the thread that opened it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import stat
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Self

from loosen.core.history import owners, safety
from loosen.core.history.csvio import is_derived_uid
from loosen.core.history.problems import (
    HistoryError,
    Problem,
    classify,
    describe,
    on_read_only_medium,
)
from loosen.core.history.records import (
    FINISHED,
    MAX_NOTE_CHARS,
    SessionRecord,
    Status,
    check_tightness,
    format_time,
    one_newline,
    parse_time,
    to_utc,
    utc_now,
)
from loosen.core.history.schema import BREAKS_VERSION, NewerSchemaError, migrate, user_version
from loosen.core.userfiles import write_atomically

Opener = Callable[[Path], sqlite3.Connection]
DEFAULT_BUSY_TIMEOUT_MS = 3000
DEFAULT_KEEP_BACKUPS = 7
RETRY_AFTER_S = 30.0  # after a failed write, queue without touching the file for this long

_COLUMNS = (
    "uid",
    "routine",
    "routine_name",
    "kind",
    "digest",
    "started_at",
    "ended_at",
    "status",
    "planned_s",
    "active_s",
    "steps_done",
    "steps_skipped",
    "tightness_before",
    "tightness_after",
    "note",
    "owner",
    "updated_at",
    "breaks",
)
_STARTED_AT = _COLUMNS.index("started_at")
_SELECT = "SELECT id, " + ", ".join(_COLUMNS) + " FROM sessions"
# A file read without migrating it (read-only, newer, or set aside as damaged) may
# predate the `breaks` column: it is read as 0 breaks.
_SELECT_BEFORE_BREAKS = _SELECT.replace(", breaks FROM", ", 0 FROM")
_UPDATABLE = [c for c in _COLUMNS if c != "uid"]
_UPSERT_TAIL = " ON CONFLICT(uid) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in _UPDATABLE
)
# Merging another store's leftovers: only over an older state of the row.
_IF_NEWER = " WHERE excluded.updated_at >= sessions.updated_at"

# One imported row: SQLite decides all of it, so the import holds nothing per row in
# Python. Present = the same uid (its unique index: DO NOTHING), or, for a uid derived
# from routine and start (the last parameter is 1), a session of that routine in that
# second. The id (first parameter) is kept when free, else SQLite gives the next one.
_IMPORT_ROW = (
    f"INSERT INTO sessions (id, {', '.join(_COLUMNS)})"
    " SELECT CASE WHEN EXISTS (SELECT 1 FROM sessions WHERE id = ?1) THEN NULL ELSE ?1 END, "
    + ", ".join(f"?{n}" for n in range(2, len(_COLUMNS) + 2))
    + f" WHERE NOT (?{len(_COLUMNS) + 2} AND EXISTS (SELECT 1 FROM sessions"
    f" WHERE routine = ?{_COLUMNS.index('routine') + 2} AND started_at = ?{_STARTED_AT + 2}))"
    " ON CONFLICT (uid) DO NOTHING"
)
# Imported rows go to SQLite this many at a time (one executemany), or fewer when their
# texts are long (a CSV cell may hold 131,072 characters): a batch stays small.
IMPORT_BATCH_ROWS = 500
IMPORT_BATCH_TEXT_CHARS = 1 << 20


REMINDER_OUTCOMES = ("taken", "snoozed", "skipped")


@dataclass(frozen=True)
class ReminderRecord:
    """How one desk-break reminder was answered (see core/reminders.py)."""

    routine: str  # the break routine's id
    outcome: str  # taken | snoozed | skipped
    due_at: datetime  # UTC, whole seconds
    answered_at: datetime
    id: int | None = None  # None while it waits to be written


@dataclass(frozen=True)
class ImportCounts:
    imported: int
    skipped: int  # already present: same uid (or, for rows without one, same routine and second)


def _default_opener(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _row_values(
    record: SessionRecord, owner: str | None, updated_at: str | None = None
) -> tuple[Any, ...]:
    return (
        record.uid,
        record.routine,
        record.routine_name,
        record.kind,
        record.digest,
        format_time(record.started_at),
        format_time(record.ended_at) if record.ended_at else None,
        str(record.status),
        record.planned_s,
        record.active_s,
        record.steps_done,
        record.steps_skipped,
        record.tightness_before,
        record.tightness_after,
        record.note,
        owner,
        updated_at or format_time(record.updated_at or record.started_at),
        record.breaks,
    )


def _from_row(row: Sequence[Any]) -> SessionRecord:
    (id_, uid, routine, name, kind, digest, started, ended, status, planned, active) = row[:11]
    (done, skipped, before, after, note, _owner, updated, breaks) = row[11:]
    return SessionRecord(
        id=id_,
        uid=uid,
        routine=routine,
        routine_name=name,
        kind=kind,
        digest=digest,
        started_at=parse_time(started),
        ended_at=parse_time(ended) if ended else None,
        status=Status(status),
        planned_s=planned,
        active_s=active,
        steps_done=done,
        steps_skipped=skipped,
        tightness_before=before,
        tightness_after=after,
        note=note,
        updated_at=parse_time(updated),
        breaks=breaks,
    )


def _selecting(sql: str, conn: sqlite3.Connection) -> str:
    """`sql`, made to read a file from before the `breaks` column when `conn` holds one."""
    if not sql.startswith(_SELECT):
        return sql
    try:
        version = user_version(conn)
    except sqlite3.Error:
        return sql  # the query itself will say what is wrong
    if version < BREAKS_VERSION:
        return _SELECT_BEFORE_BREAKS + sql[len(_SELECT) :]
    return sql


def _record_to_json(record: SessionRecord) -> dict[str, Any]:
    data = dict(zip(_COLUMNS, _row_values(record, None), strict=True))
    del data["owner"]
    data["id"] = record.id
    return data


def _record_from_json(data: dict[str, Any]) -> SessionRecord:
    return SessionRecord(
        id=data.get("id"),
        uid=str(data["uid"]),
        routine=str(data["routine"]),
        routine_name=str(data["routine_name"]),
        kind=str(data["kind"]),
        digest=str(data.get("digest") or ""),
        started_at=parse_time(data["started_at"]),
        ended_at=parse_time(data["ended_at"]) if data.get("ended_at") else None,
        status=Status(data["status"]),
        planned_s=data.get("planned_s"),
        active_s=float(data.get("active_s") or 0),
        steps_done=int(data.get("steps_done") or 0),
        steps_skipped=int(data.get("steps_skipped") or 0),
        tightness_before=check_tightness(data.get("tightness_before")),
        tightness_after=check_tightness(data.get("tightness_after")),
        note=str(data.get("note") or ""),
        updated_at=parse_time(data["updated_at"]),
        breaks=int(data.get("breaks") or 0),  # absent in files from before breaks
    )


def _as_interrupted(record: SessionRecord) -> SessionRecord:
    """A session whose process died: it ended, as far as anyone knows, at its last write."""
    if record.status is not Status.RUNNING:
        return record
    return replace(record, status=Status.INTERRUPTED, ended_at=record.updated_at or record.end)


SQLITE_HEADER = b"SQLite format 3\x00"
MAX_SALVAGE_IDS = 2_000_000  # row-by-row salvage gives up beyond this id


def _small_file_bytes(path: Path, limit: int = 1 << 24) -> bytes | None:
    """The bytes of a -shm index (32 KiB per 4,000 WAL pages); None if absent or huge."""
    try:
        if path.stat().st_size > limit:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _readable_sessions(path: Path) -> list[SessionRecord]:
    """Every session that can still be read from a (possibly damaged) file, via a copy.

    A plain scan stops at the first damaged page; then each remaining id is looked up
    on its own, so only the rows on damaged pages are lost.
    """
    rows: dict[int, Sequence[Any]] = {}
    with contextlib.suppress(sqlite3.Error, OSError), safety.scratch_copy(path) as conn:
        try:
            for row in conn.execute(_selecting(_SELECT + " ORDER BY id", conn)):
                rows[row[0]] = row
        except sqlite3.DatabaseError:
            last = max(rows, default=0)
            # Where the table ends (its rightmost page may still be readable); if not
            # even that can be read, row-by-row lookups would fail the same way.
            high = int(conn.execute("SELECT max(id) FROM sessions").fetchone()[0] or 0)
            for id_ in range(last + 1, min(high, MAX_SALVAGE_IDS) + 1):
                with contextlib.suppress(sqlite3.DatabaseError):
                    row = conn.execute(
                        _selecting(_SELECT + " WHERE id = ?", conn), (id_,)
                    ).fetchone()
                    if row is not None:
                        rows[id_] = row
    found = []
    for row in rows.values():
        with contextlib.suppress(ValueError, TypeError):
            found.append(_as_interrupted(_from_row(row)))
    return found


_REOPEN_AFTER = (Problem.READ_ONLY, Problem.UNAVAILABLE)


def _why_unopenable(path: Path) -> str | None:
    """Why `path` can never hold the history (a symlink loop, a FIFO, a folder), or None.

    Checked before SQLite or the damage check touch it: reading a FIFO would hang.
    A missing file is fine (it is created); a dangling link is not (it would be).
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "it is a link to nothing" if path.is_symlink() else None
    except OSError as exc:
        return exc.strerror or str(exc)
    return None if stat.S_ISREG(mode) else "it is not a regular file"


def _write_durably(path: Path, data: object) -> None:
    """Write JSON to `path` whole or not at all, and on the disk before returning."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with write_atomically(path) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)


def _import_batches(
    records: Iterable[SessionRecord], updated_at: str
) -> Iterator[list[tuple[Any, ...]]]:
    """`_IMPORT_ROW`'s parameters for `records`, a batch at a time."""
    batch: list[tuple[Any, ...]] = []
    text_chars = 0
    for record in records:
        if record.status is Status.RUNNING:
            record = replace(record, status=Status.INTERRUPTED, ended_at=record.end)
        values = _row_values(record, None, updated_at)
        derived = is_derived_uid(record.uid, record.routine, values[_STARTED_AT])
        batch.append((record.id, *values, derived))
        text_chars += len(record.note) + len(record.routine_name) + len(record.digest)
        if len(batch) >= IMPORT_BATCH_ROWS or text_chars >= IMPORT_BATCH_TEXT_CHARS:
            yield batch
            batch, text_chars = [], 0
    if batch:
        yield batch


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
        # Where queued sessions are kept when the history's own folder cannot be
        # written (a read-only medium): on another file system, they survive the exit.
        self.spare_dir = Path(spare_dir).absolute() if spare_dir is not None else None
        self.notices: list[str] = []  # one-line messages for the user, oldest first
        self._now = now
        self._busy_timeout_ms = busy_timeout_ms
        self._opener = opener or _default_opener
        self._keep_backups = keep_backups
        self._new_uid = new_uid or (lambda: uuid.uuid4().hex)
        self._token = uuid.uuid4().hex  # this store's owner token (owners.py)
        self._lock: owners.OwnerLock | None = None
        self._conn: sqlite3.Connection | None = None
        self._ready = False  # schema at our version and journal set: writes may go ahead
        self._frozen = False  # newer schema: never write
        self._housekept = False
        self._problem: Problem | None = None
        self._retry_at: datetime | None = None
        self._known: dict[str, SessionRecord] = {}  # sessions this store has touched
        self._pending: dict[str, SessionRecord] = {}  # newest state not yet in the file
        self._side_file_failed = False
        self._closed = False
        self._unopenable: str | None = None  # why the file cannot be opened at all
        # Reminder answers not yet written (locked or read-only file): kept in memory
        # and retried with the next one and at close; a log line needs no crash file.
        self._pending_reminders: list[ReminderRecord] = []

    # ----------------------------------------------------------------- opening

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
        return self.path.parent / f"{self.path.stem}-pending"

    @property
    def pending_dirs(self) -> list[Path]:
        """Where queued sessions are kept, in order of preference.

        The spare folder is shared by every history file, so each file's queue there is
        named after the file: a store opened on another file (a benchmark's, a test's)
        must never take, merge and delete this one's sessions.
        """
        if self.spare_dir is None:
            return [self.pending_dir]
        tag = hashlib.sha256(str(self.path).encode()).hexdigest()[:12]
        return [self.pending_dir, self.spare_dir / f"{self.pending_dir.name}-{tag}"]

    @property
    def pending(self) -> int:
        """How many sessions have changes not yet in the file."""
        return len(self._pending)

    @property
    def problem(self) -> Problem | None:
        """The last problem met writing the file; None once writes succeed again."""
        return self._problem

    def _start(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._trouble(Problem.UNAVAILABLE, exc.strerror or str(exc))
            return
        try:
            self._lock = owners.OwnerLock.acquire(self.owners_dir, self._token)
        except OSError:
            self._lock = None  # sessions still record; another store may call them dead
        self._unopenable = _why_unopenable(self.path)
        if self._unopenable is not None:
            self._frozen = True  # never write there; sessions wait in the pending file
            self._trouble(Problem.UNAVAILABLE, self._unopenable)
            return
        if self._damaged():
            self._recover_from_damage()
        self._connect()
        self._housekeeping()
        self._backup()
        owners.sweep(self.owners_dir, keep=self._token)

    def _damaged(self) -> bool:
        """True when the file exists and is not a sound SQLite database.

        A file without SQLite's header is damaged without SQLite touching it. Otherwise
        a read-only connection runs `quick_check` (a writable one could checkpoint a
        damaged file's WAL into it). Any reader rebuilds the `-shm` index, so its bytes
        are put back, and companions the check created are removed: what is set aside
        is exactly what was there. A locked or unreadable file is not called damaged.
        """
        try:
            with self.path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError:
            return False
        if not header:
            return False  # an empty file is a new database
        if header != SQLITE_HEADER:
            return True
        wal, shm = Path(f"{self.path}-wal"), Path(f"{self.path}-shm")
        wal_existed, shm_bytes = wal.exists(), _small_file_bytes(shm)
        uri = self.path.as_uri() + "?mode=ro"
        try:
            with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
                conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms:d}")
                damaged = [row[0] for row in conn.execute("PRAGMA quick_check")] != ["ok"]
        except sqlite3.Error as exc:
            damaged = classify(exc) is Problem.CORRUPT
        if damaged:
            with contextlib.suppress(OSError):
                if not wal_existed:
                    wal.unlink(missing_ok=True)
                if shm_bytes is None:
                    shm.unlink(missing_ok=True)
                elif shm.read_bytes() != shm_bytes:
                    shm.write_bytes(shm_bytes)
        return damaged

    def _recover_from_damage(self) -> None:
        when = self._now()
        try:
            moved = safety.move_aside(self.path, when)
        except OSError as exc:
            self._trouble(Problem.CORRUPT, exc.strerror or str(exc))
            self._frozen = True  # do not write into a damaged file we could not move
            return
        salvaged = self._salvage(moved)
        self._notice(
            f"history file was damaged: it was moved to {moved} and a new one started"
            + (f"; {salvaged}" if salvaged else "")
        )

    def _salvage(self, moved: Path) -> str:
        """Queue what can be read from the damaged file, then from the newest backup."""
        found = {r.uid: r for r in _readable_sessions(moved)}
        from_file = len(found)
        from_backup = 0
        newest = safety.backups(self.path)
        for record in _readable_sessions(newest[0]) if newest else []:
            if record.uid not in found:
                found[record.uid] = record
                from_backup += 1
        for record in sorted(found.values(), key=lambda r: (r.id or 0, r.started_at)):
            self._pending[record.uid] = record
        parts = []
        if from_file:
            parts.append(f"{from_file} session(s) recovered from it")
        if from_backup:
            day = newest[0].stem[-len("YYYY-MM-DD") :]
            parts.append(f"{from_backup} more from the backup of {day}")
        return " and ".join(parts)

    def _connect(self) -> None:
        if self._unopenable is not None:
            return
        try:
            conn = self._opener(self.path)
        except sqlite3.Error as exc:
            self._fail(exc)
            return
        conn.isolation_level = None
        self._conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms:d}")
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            self._fail(exc)
            return
        self._prepare()

    def _prepare(self) -> bool:
        """WAL and the current schema; True when the file is ready for writes."""
        assert self._conn is not None
        if self._frozen:
            return False
        try:
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                # SQLite answers with the old mode when it may not change it.
                raise sqlite3.OperationalError("attempt to write a readonly database")
            self._conn.execute("PRAGMA synchronous = FULL")  # again: it is per journal mode
            migrate(self._conn)
        except NewerSchemaError:
            self._frozen = True
            self._trouble(Problem.NEWER)
            return False
        except sqlite3.Error as exc:
            self._fail(exc)
            return False
        self._ready = True
        return True

    def _housekeeping(self) -> None:
        """Merge dead stores' pending files; mark their `running` rows `interrupted`."""
        if not self._ready or self._housekept:
            return
        conn = self._conn
        assert conn is not None
        try:
            # Look first, without a write lock, so that a read-only file opens quietly.
            files = self._dead_pending_files()
            owners_found = [
                row[0]
                for row in conn.execute(
                    "SELECT DISTINCT owner FROM sessions WHERE status = 'running'"
                )
            ]
            dead = [
                owner
                for owner in owners_found
                if owner != self._token and not owners.owner_alive(self.owners_dir, owner)
            ]
            if files or dead:
                with self._transaction():
                    for file in files:
                        for record in self._read_pending_file(file):
                            self._upsert(conn, _as_interrupted(record), None, if_newer=True)
                    for owner in dead:
                        conn.execute(
                            "UPDATE sessions SET status = 'interrupted',"
                            " ended_at = COALESCE(ended_at, updated_at), updated_at = ?"
                            " WHERE status = 'running' AND owner IS ?",
                            (format_time(self._now()), owner),
                        )
        except sqlite3.Error as exc:
            self._fail(exc)
            return
        for file in files:
            with contextlib.suppress(OSError):
                file.unlink()
        self._housekept = True
        self._flush(force=True)  # what salvage queued

    def _dead_pending_files(self) -> list[Path]:
        files: list[Path] = []
        for folder in self.pending_dirs:
            with contextlib.suppress(OSError):
                files += sorted(folder.glob("*.json"))
        return [
            f
            for f in files
            if f.stem != self._token and not owners.owner_alive(self.owners_dir, f.stem)
        ]

    def _read_pending_file(self, file: Path) -> list[SessionRecord]:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            return [_record_from_json(item) for item in data["sessions"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # Keep the bytes for a person to look at; do not let them block every open.
            aside = file.with_suffix(".unreadable")
            with contextlib.suppress(OSError):
                file.replace(aside)
            self._notice(f"could not read unsaved sessions from {file} ({exc}); kept as {aside}")
            return []

    def _backup(self) -> None:
        if not self._ready or self._conn is None or self._keep_backups <= 0:
            return
        try:
            if self._conn.execute("SELECT 1 FROM sessions LIMIT 1").fetchone() is None:
                return  # nothing to keep; do not push real backups out with empty ones
            safety.daily_backup(self._conn, self.path, self._now(), self._keep_backups)
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
        return self._save(self._progress(record, active_s, steps_done, steps_skipped, breaks))

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
        record = self._progress(self._current(uid), active_s, steps_done, steps_skipped, breaks)
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
            conn = self._writable_conn()
            try:
                with self._transaction():
                    conn.execute("DELETE FROM sessions WHERE uid = ?", (uid,))
            except sqlite3.Error as exc:
                raise self._error(exc) from None
        self._pending.pop(uid, None)
        self._known.pop(uid, None)
        self._sync_side_file()
        return record

    def restore(self, record: SessionRecord) -> SessionRecord:
        """Put back a deleted session (with its old id when that is still free)."""
        return self._save(replace(record, updated_at=to_utc(self._now())))

    def _progress(
        self,
        record: SessionRecord,
        active_s: float | None,
        steps_done: int | None,
        steps_skipped: int | None,
        breaks: int | None = None,
    ) -> SessionRecord:
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

    def _current(self, uid: str) -> SessionRecord:
        record = self._pending.get(uid) or self._known.get(uid) or self.get(uid)
        if record is None:
            raise KeyError(uid)
        return record

    def _save(self, record: SessionRecord) -> SessionRecord:
        record = replace(record, updated_at=to_utc(self._now()))
        self._known[record.uid] = record
        self._pending.pop(record.uid, None)
        self._pending[record.uid] = record
        self._flush(force=False)
        self._sync_side_file()
        return self._known[record.uid]

    # ------------------------------------------------------------- reminders

    def log_reminder(
        self, routine_id: str, outcome: str, due_at: datetime, answered_at: datetime | None = None
    ) -> ReminderRecord:
        """Log how a reminder was answered (`answered_at` defaults to now).

        Never raises for an expected problem: what cannot be written is kept and
        written with the next one (or at close), like a session's changes.
        """
        if outcome not in REMINDER_OUTCOMES:
            raise ValueError(f"a reminder is {' | '.join(REMINDER_OUTCOMES)}, not {outcome!r}")
        record = ReminderRecord(
            routine_id, outcome, to_utc(due_at), to_utc(answered_at or self._now())
        )
        self._pending_reminders.append(record)
        self._flush_reminders()
        return record

    def _flush_reminders(self) -> None:
        if not self._pending_reminders or self._frozen or self._closed:
            return
        if not self._ensure_ready():
            return
        conn = self._conn
        assert conn is not None
        try:
            with self._transaction():
                for record in self._pending_reminders:
                    conn.execute(
                        "INSERT INTO reminders (routine, outcome, due_at, answered_at)"
                        " VALUES (?, ?, ?, ?)",
                        (
                            record.routine,
                            record.outcome,
                            format_time(record.due_at),
                            format_time(record.answered_at),
                        ),
                    )
        except sqlite3.Error as exc:
            self._fail(exc)
            return
        self._pending_reminders.clear()

    def reminders(self, *, since: datetime | None = None) -> list[ReminderRecord]:
        """Reminder answers, oldest first, including those waiting to be written."""
        sql = "SELECT id, routine, outcome, due_at, answered_at FROM reminders"
        params: tuple[Any, ...] = ()
        if since is not None:
            sql += " WHERE answered_at >= ?"
            params = (format_time(since),)
        if self._conn is None:
            self._connect()
        version = 0
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                version = user_version(self._conn)
        # A file older than the reminders table (one we could not migrate) has none.
        rows = self._read(sql + " ORDER BY answered_at, id", params) if version >= 2 else []
        found = [
            ReminderRecord(routine, outcome, parse_time(due), parse_time(answered), id_)
            for id_, routine, outcome, due, answered in rows
        ]
        found += [
            r for r in self._pending_reminders if since is None or r.answered_at >= to_utc(since)
        ]
        return sorted(found, key=lambda r: r.answered_at)

    # ------------------------------------------------------------------ writing

    def flush(self) -> bool:
        """Try now to write every queued change; True when nothing is left queued."""
        self._flush(force=True)
        self._sync_side_file()
        return not self._pending

    def _flush(self, *, force: bool) -> None:
        if not self._pending or self._frozen or self._closed:
            return
        if not force and self._retry_at is not None and to_utc(self._now()) < self._retry_at:
            return
        if not self._ensure_ready():
            self._retry_later()
            return
        if not self._housekept:
            self._housekeeping()  # calls back here once done
            if not self._housekept:
                self._retry_later()
            return
        conn = self._conn
        assert conn is not None
        batch = list(self._pending.values())
        try:
            with self._transaction():
                for record in batch:
                    self._upsert(conn, record, owner=self._token)
                ids = {
                    r.uid: conn.execute(
                        "SELECT id FROM sessions WHERE uid = ?", (r.uid,)
                    ).fetchone()
                    for r in batch
                }
        except sqlite3.Error as exc:
            self._fail(exc)
            self._retry_later()
            return
        for record in batch:
            row = ids[record.uid]
            if row is not None and record.uid in self._known:
                self._known[record.uid] = replace(self._known[record.uid], id=row[0])
            if self._pending.get(record.uid) is record:
                del self._pending[record.uid]
        if self._problem is not None and not self._pending:
            self._notice("history can be written again; every session is saved")
        self._problem = None
        self._retry_at = None

    def _ensure_ready(self) -> bool:
        """Connected, in WAL, schema current: one attempt (one busy wait at most)."""
        if self._frozen:
            return False
        if self._conn is not None and not self._ready and self._problem in _REOPEN_AFTER:
            # SQLite opens a file it cannot write read-only, and the connection stays
            # so after the medium is writable again: only a new one can write.
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        if self._conn is None:
            self._connect()  # prepares too
            return self._ready
        return self._ready or self._prepare()

    def _retry_later(self) -> None:
        self._retry_at = to_utc(self._now()) + timedelta(seconds=RETRY_AFTER_S)

    def _upsert(
        self,
        conn: sqlite3.Connection,
        record: SessionRecord,
        owner: str | None,
        *,
        if_newer: bool = False,
    ) -> None:
        """Insert or replace the row with `record.uid`, keeping `record.id` if it is free.

        The store's own writes always win (it owns its sessions, and a wall clock set
        back must not make it drop them); `if_newer` is for merging leftovers.
        """
        columns = list(_COLUMNS)
        values = list(_row_values(record, owner))
        if record.id is not None and not self._id_taken(conn, record.id, record.uid):
            columns.insert(0, "id")
            values.insert(0, record.id)
        marks = ", ".join("?" * len(columns))
        conn.execute(
            f"INSERT INTO sessions ({', '.join(columns)}) VALUES ({marks})"
            + _UPSERT_TAIL
            + (_IF_NEWER if if_newer else ""),
            values,
        )

    @staticmethod
    def _id_taken(conn: sqlite3.Connection, id_: int, uid: str) -> bool:
        row = conn.execute("SELECT uid FROM sessions WHERE id = ?", (id_,)).fetchone()
        return row is not None and row[0] != uid

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        assert self._conn is not None
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _writable_conn(self) -> sqlite3.Connection:
        if not self._ensure_ready():
            problem = self._problem or Problem.UNAVAILABLE
            raise HistoryError(describe(problem, self.path, self._unopenable or ""), problem)
        if not self._housekept:
            self._housekeeping()
        assert self._conn is not None
        return self._conn

    def _sync_side_file(self) -> None:
        """Mirror the queue into `<pending dir>/<token>.json`, so a crash loses nothing.

        The first of `pending_dirs` that can be written holds it; copies left in the
        others are removed, so a later store never merges an older state.
        """
        paths = [folder / f"{self._token}.json" for folder in self.pending_dirs]
        kept: Path | None = None
        if self._pending:
            data = {"sessions": [_record_to_json(r) for r in self._pending.values()]}
            errors = []
            for path in paths:
                try:
                    _write_durably(path, data)
                except OSError as exc:
                    errors.append(f"{path.parent} ({exc.strerror or exc})")
                    continue
                kept = path
                break
            if kept is None and not self._side_file_failed:
                self._side_file_failed = True
                self._notice(
                    f"cannot keep unsaved sessions in {' or '.join(errors)}; "
                    "they are kept in memory until the history can be written"
                )
        for path in paths:
            if path != kept:
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)

    # ------------------------------------------------------------------ reading

    def get(self, uid: str) -> SessionRecord | None:
        """One session by uid, including one still waiting to be written."""
        if uid in self._pending:
            return self._pending[uid]
        found = self._records(self._read(_SELECT + " WHERE uid = ?", (uid,)))
        return found[0] if found else None

    def sessions(
        self,
        *,
        newest_first: bool = True,
        routine: str | None = None,
        kind: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[SessionRecord]:
        """Sessions in start order (newest first by default), queued ones included."""
        where: list[str] = []
        params: list[Any] = []
        if routine is not None:
            where.append("routine = ?")
            params.append(routine)
        if kind is not None:
            where.append("kind = ?")
            params.append(str(kind))
        if since is not None:
            where.append("started_at >= ?")
            params.append(format_time(since))
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
        order = "DESC" if newest_first else "ASC"
        sql += f" ORDER BY started_at {order}, id {order}"
        if limit is not None and not self._pending:
            sql += " LIMIT ?"
            params.append(int(limit))
        found = self._records(self._read(sql, tuple(params)))
        if self._pending:
            by_uid = {r.uid: r for r in found}
            for record in self._pending.values():
                if (
                    (routine is None or record.routine == routine)
                    and (kind is None or record.kind == str(kind))
                    and (since is None or record.started_at >= to_utc(since))
                ):
                    by_uid[record.uid] = replace(record, id=by_uid.get(record.uid, record).id)
            found = sorted(
                by_uid.values(),
                key=lambda r: (r.started_at, r.id or 1 << 62),
                reverse=newest_first,
            )
            if limit is not None:
                found = found[: int(limit)]
        return found

    def last_session(self, routine_id: str) -> SessionRecord | None:
        """The most recent session of a routine (for "last done 2 days ago")."""
        found = self.sessions(routine=routine_id, limit=1)
        return found[0] if found else None

    def _records(self, rows: Iterable[Sequence[Any]]) -> list[SessionRecord]:
        """The sessions in `rows`; a row that cannot be read (a value no Loosen writes)
        is left out, left in the file as it is, and reported once in `notices`."""
        found = []
        for row in rows:
            try:
                found.append(_from_row(row))
            except (ValueError, TypeError) as exc:
                self._notice(
                    f"session {row[0]} in {self.path} cannot be read ({exc}); "
                    "it is left out here and kept in the file as it is"
                )
        return found

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        if self._conn is None:
            self._connect()
        if self._conn is None:
            problem = self._problem or Problem.UNAVAILABLE
            raise HistoryError(describe(problem, self.path, self._unopenable or ""), problem)
        try:
            return self._rows(self._conn, sql, params)
        except sqlite3.Error as exc:
            rows = self._read_from_read_only_medium(sql, params)
            if rows is None:
                raise self._error(exc) from None
            return rows

    def _rows(self, conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
        if not self._ready and user_version(conn) == 0:
            return []  # no table yet (a new file we could not write): nothing recorded
        return conn.execute(_selecting(sql, conn), params).fetchall()

    def _read_from_read_only_medium(self, sql: str, params: tuple[Any, ...]) -> list[Any] | None:
        """Rows read with SQLite's `immutable` flag, or None when that does not help.

        A WAL database needs its -shm file to be read, and on a read-only medium (a
        mount, a locked-down folder) that file cannot be made: every read fails with
        "unable to open database file". Nobody can write such a medium, so reading it
        as immutable (no locks, no -shm) is safe, and the user still sees the history.
        """
        if self._problem not in (None, Problem.READ_ONLY, Problem.UNAVAILABLE):
            return None
        try:
            with contextlib.closing(
                sqlite3.connect(f"{self.path.as_uri()}?immutable=1", uri=True)
            ) as conn:
                return self._rows(conn, sql, params)
        except sqlite3.Error:
            return None

    # ---------------------------------------------------------- import, export

    def import_records(self, records: Iterable[SessionRecord]) -> ImportCounts:
        """Add sessions from elsewhere (a CSV), skipping those already present.

        Present means the same uid: two sessions of a routine in the same second are
        two sessions. A record whose uid was derived from its routine and start (a CSV
        without uids, `csvio.derived_uid`) is also present when that routine started
        in that second. Each record keeps its `id` when that id is free here. All in one
        transaction, read as `records` yields them and written in small batches (a
        generator streams a file of any size in flat memory: SQLite moves what does
        not fit its cache to the WAL file); raises HistoryError (and adds nothing)
        when the file cannot be written.
        A `running` record becomes `interrupted`: no process here is running it.
        """
        conn = self._writable_conn()
        stamp = format_time(self._now())
        imported = read = 0
        try:
            with self._transaction():
                for batch in _import_batches(records, stamp):
                    imported += conn.executemany(_IMPORT_ROW, batch).rowcount
                    read += len(batch)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return ImportCounts(imported, read - imported)

    # ------------------------------------------------------------------ closing

    def close(self) -> None:
        """Write what is queued if possible, and let go of the file and the owner lock.

        A session this store started and never finished is closed as `interrupted`.
        What still cannot be written stays in the pending file for the next open.
        """
        if self._closed:
            return
        try:
            ended = to_utc(self._now())
            for record in list(self._known.values()):
                if record.status is Status.RUNNING:
                    self._save(replace(record, status=Status.INTERRUPTED, ended_at=ended))
            self._flush(force=True)
            self._sync_side_file()
            self._flush_reminders()
        finally:
            self._closed = True
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None
            if self._lock is not None:
                self._lock.release()  # last: the pending file now belongs to the next open
                self._lock = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ trouble

    def _classify(self, exc: sqlite3.Error) -> Problem | None:
        problem = classify(exc)
        if problem is Problem.UNAVAILABLE and on_read_only_medium(self.path.parent):
            return Problem.READ_ONLY
        return problem

    def _fail(self, exc: sqlite3.Error) -> None:
        problem = self._classify(exc)
        if problem is None:
            raise exc
        self._trouble(problem, str(exc))

    def _error(self, exc: sqlite3.Error) -> HistoryError:
        problem = self._classify(exc)
        if problem is None:
            raise exc
        return HistoryError(describe(problem, self.path, str(exc)), problem)

    def _trouble(self, problem: Problem, detail: str = "") -> None:
        self._problem = problem
        message = describe(problem, self.path, detail)
        if problem is not Problem.NEWER:
            message += "; sessions are kept and will be saved when possible"
        self._notice(message)

    def _notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)
