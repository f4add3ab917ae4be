"""Keeping history safe on disk: rolling daily backups, and setting a damaged file aside.

A damaged file is never repaired in place or deleted: it is renamed, with its `-wal`
and `-shm` companions, to `history.sqlite3.corrupt-YYYYMMDD-HHMMSS` (+ `-wal`,
`-shm`), byte for byte, so nothing the user recorded is destroyed by the recovery.
Sessions are then salvaged from a scratch copy of it, and from the newest backup.

Files Loosen writes whole (an export, the queue of unsaved sessions) go through
`userfiles.write_atomically`, like the settings.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from loosen.core.history.records import to_utc

COMPANIONS = ("", "-wal", "-shm", "-journal")
_BACKUP_NAME = re.compile(r"^(?P<stem>.+)-(?P<date>\d{4}-\d{2}-\d{2})\.sqlite3$")


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_path(db_path: Path, day: str) -> Path:
    return backup_dir(db_path) / f"{db_path.stem}-{day}.sqlite3"


def backups(db_path: Path) -> list[Path]:
    """The backups of `db_path`, newest first."""
    folder = backup_dir(db_path)
    try:
        found = [
            p
            for p in folder.iterdir()
            if (m := _BACKUP_NAME.match(p.name)) and m["stem"] == db_path.stem
        ]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def daily_backup(
    conn: sqlite3.Connection, db_path: Path, today: datetime, keep: int
) -> Path | None:
    """Copy the database to `backups/<stem>-YYYY-MM-DD.sqlite3` once a day; keep `keep`.

    Uses SQLite's online backup, so it is consistent even while other processes write.
    The copy is written under a temporary name and renamed, so a backup that exists is
    whole. It is switched to a rollback journal, so each backup is one self-contained
    file. Returns the new backup's path, or None when today's already exists. OSError
    and sqlite3.Error propagate: the caller decides how loud to be.
    """
    day = to_utc(today).strftime("%Y-%m-%d")
    target = backup_path(db_path, day)
    if target.exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(partial, isolation_level=None)) as copy:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    partial.replace(target)
    for old in backups(db_path)[keep:]:
        old.unlink(missing_ok=True)
    return target


def move_aside(db_path: Path, when: datetime) -> Path:
    """Rename the database and its companion files to a dated `.corrupt-…` name.

    Returns the new path of the main file. Never overwrites an earlier set-aside file.
    """
    stamp = to_utc(when).strftime("%Y%m%d-%H%M%S")
    base = db_path.with_name(f"{db_path.name}.corrupt-{stamp}")
    n = 1
    while any(Path(f"{base}{suffix}").exists() for suffix in COMPANIONS):
        n += 1
        base = db_path.with_name(f"{db_path.name}.corrupt-{stamp}-{n}")
    for suffix in COMPANIONS:
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            source.replace(Path(f"{base}{suffix}"))
    return base


@contextlib.contextmanager
def scratch_copy(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a throw-away copy of `db_path` and its companions.

    Reading a damaged file can change it (SQLite may replay or checkpoint its WAL), so
    salvage reads a copy and the set-aside bytes stay exactly as they were.
    """
    with tempfile.TemporaryDirectory(prefix="loosen-salvage-") as folder:
        copy = Path(folder) / db_path.name
        for suffix in COMPANIONS:
            source = Path(f"{db_path}{suffix}")
            if source.exists():
                shutil.copyfile(source, Path(f"{copy}{suffix}"))
        with contextlib.closing(sqlite3.connect(copy, isolation_level=None)) as conn:
            yield conn
