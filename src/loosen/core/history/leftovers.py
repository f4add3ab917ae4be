"""What dead stores left: their queued sessions merged in, their `running` rows `interrupted`.

A store is dead when its owner lock is free (owners.py). Its side file (pending.py) is
merged over older states of the same sessions only, then removed; a side file that
cannot be read is kept beside, as `.unreadable`, for a person to look at.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from loosen.core.history import owners, pending
from loosen.core.history.database import Database
from loosen.core.history.records import SessionRecord, as_interrupted
from loosen.core.history.rows import upsert


def take_over(
    db: Database,
    queue: pending.PendingQueue,
    owners_dir: Path,
    token: str,
    stamp: str,
    notice: Callable[[str], None],
) -> bool:
    """Merge dead stores' leftovers into the file (`db` ready); False when it could not
    be written (`db` filed why). `stamp` is now, as stored."""
    conn = db.conn
    assert conn is not None
    try:
        # Look first, without a write lock, so that a read-only file opens quietly.
        files = [f for f in queue.others() if not owners.owner_alive(owners_dir, f.stem)]
        running = conn.execute("SELECT DISTINCT owner FROM sessions WHERE status = 'running'")
        dead = [
            owner
            for (owner,) in running
            if owner != token and not owners.owner_alive(owners_dir, owner)
        ]
        if files or dead:
            with db.transaction():
                for file in files:
                    for record in _read_side_file(file, notice):
                        upsert(conn, as_interrupted(record), None, if_newer=True)
                for owner in dead:
                    conn.execute(
                        "UPDATE sessions SET status = 'interrupted',"
                        " ended_at = COALESCE(ended_at, updated_at), updated_at = ?"
                        " WHERE status = 'running' AND owner IS ?",
                        (stamp, owner),
                    )
    except sqlite3.Error as exc:
        db.fail(exc)
        return False
    for file in files:
        with contextlib.suppress(OSError):
            file.unlink()
    return True


def _read_side_file(file: Path, notice: Callable[[str], None]) -> list[SessionRecord]:
    try:
        return pending.read_file(file)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        # Keep the bytes for a person to look at; do not let them block every open.
        aside = file.with_suffix(".unreadable")
        with contextlib.suppress(OSError):
            file.replace(aside)
        notice(f"could not read unsaved sessions from {file} ({exc}); kept as {aside}")
        return []
