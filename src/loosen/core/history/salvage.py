"""A damaged history file: telling that it is damaged, and reading back the sessions it holds.

The file itself is set aside by safety.py; the sessions read here from it (and from the
newest backup) are queued by the store as sessions not yet written.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loosen.core.history import safety
from loosen.core.history.problems import Problem, classify
from loosen.core.history.records import SessionRecord, as_interrupted
from loosen.core.history.rows import record_from_row, select_sql
from loosen.core.history.schema import SCHEMA_VERSION, user_version

SQLITE_HEADER = b"SQLite format 3\x00"
MAX_SALVAGE_IDS = 2_000_000  # row-by-row salvage gives up beyond this id
MAX_SHM_BYTES = 1 << 24  # a -shm index holds 32 KiB per 4,000 WAL pages


def _shm_bytes(path: Path) -> bytes | None:
    """The bytes of a -shm index; None if absent or too large to hold."""
    try:
        if path.stat().st_size > MAX_SHM_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def is_damaged(path: Path, busy_timeout_ms: int) -> bool:
    """True when the file exists and is not a sound SQLite database.

    A file without SQLite's header is damaged without SQLite touching it. Otherwise a
    read-only connection runs `quick_check` (a writable one could checkpoint a damaged
    file's WAL into it). Any reader rebuilds the `-shm` index, so its bytes are put
    back, and companions the check created are removed: what is set aside is exactly
    what was there. A locked or unreadable file is not called damaged.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError:
        return False
    if not header:
        return False  # an empty file is a new database
    if header != SQLITE_HEADER:
        return True
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    wal_existed, shm_bytes = wal.exists(), _shm_bytes(shm)
    try:
        with contextlib.closing(sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)) as conn:
            conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms:d}")
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


def readable_sessions(path: Path) -> list[SessionRecord]:
    """Every session that can still be read from a (possibly damaged) file, via a copy.

    A plain scan stops at the first damaged page; then each remaining id is looked up
    on its own, so only the rows on damaged pages are lost. A session left `running`
    is `interrupted`: its process is gone.
    """
    rows: dict[int, Sequence[Any]] = {}
    with contextlib.suppress(sqlite3.Error, OSError), safety.scratch_copy(path) as conn:
        try:
            version = user_version(conn)
        except sqlite3.Error:
            version = SCHEMA_VERSION  # the reads below will say what they can
        select = select_sql(version)
        try:
            for row in conn.execute(select + " ORDER BY id"):
                rows[row[0]] = row
        except sqlite3.DatabaseError:
            last = max(rows, default=0)
            # Where the table ends (its rightmost page may still be readable); if not
            # even that can be read, row-by-row lookups would fail the same way.
            high = int(conn.execute("SELECT max(id) FROM sessions").fetchone()[0] or 0)
            for id_ in range(last + 1, min(high, MAX_SALVAGE_IDS) + 1):
                with contextlib.suppress(sqlite3.DatabaseError):
                    row = conn.execute(select + " WHERE id = ?", (id_,)).fetchone()
                    if row is not None:
                        rows[id_] = row
    found = []
    for row in rows.values():
        with contextlib.suppress(ValueError, TypeError):
            found.append(as_interrupted(record_from_row(row)))
    return found


@dataclass(frozen=True)
class Salvage:
    sessions: list[SessionRecord]  # by id, then start
    summary: str  # "3 session(s) recovered from it and 2 more from the backup of …", or ""


def salvage(db_path: Path, moved: Path) -> Salvage:
    """What can be read from the damaged file set aside at `moved`, then from the newest
    backup of `db_path` (the sessions the damage took and the backup still has)."""
    found = {r.uid: r for r in readable_sessions(moved)}
    from_file = len(found)
    from_backup = 0
    newest = safety.backups(db_path)
    for record in readable_sessions(newest[0]) if newest else []:
        if record.uid not in found:
            found[record.uid] = record
            from_backup += 1
    parts = []
    if from_file:
        parts.append(f"{from_file} session(s) recovered from it")
    if from_backup:
        day = newest[0].stem[-len("YYYY-MM-DD") :]
        parts.append(f"{from_backup} more from the backup of {day}")
    ordered = sorted(found.values(), key=lambda r: (r.id or 0, r.started_at))
    return Salvage(ordered, " and ".join(parts))
