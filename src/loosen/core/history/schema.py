"""The history database's tables, and the migrations that bring any older file up to date.

`PRAGMA user_version` holds the number of migrations applied. Migration i (0-based)
takes a file from version i to i + 1; to change the schema, append a migration, never
edit one that has shipped. All pending migrations run in one transaction: a file is
either wholly at the old version or wholly at the new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

Migration = Sequence[str]  # SQL statements, run in order

_V1: Migration = (
    """
    CREATE TABLE sessions (
        id               INTEGER PRIMARY KEY,
        uid              TEXT    NOT NULL UNIQUE,
        routine          TEXT    NOT NULL,
        routine_name     TEXT    NOT NULL,
        kind             TEXT    NOT NULL,
        digest           TEXT    NOT NULL DEFAULT '',
        started_at       TEXT    NOT NULL,
        ended_at         TEXT,
        status           TEXT    NOT NULL
                         CHECK (status IN ('running', 'completed', 'stopped', 'interrupted')),
        planned_s        REAL    CHECK (planned_s IS NULL OR planned_s >= 0),
        active_s         REAL    NOT NULL DEFAULT 0 CHECK (active_s >= 0),
        steps_done       INTEGER NOT NULL DEFAULT 0 CHECK (steps_done >= 0),
        steps_skipped    INTEGER NOT NULL DEFAULT 0 CHECK (steps_skipped >= 0),
        tightness_before INTEGER CHECK (tightness_before BETWEEN 0 AND 10),
        tightness_after  INTEGER CHECK (tightness_after BETWEEN 0 AND 10),
        note             TEXT    NOT NULL DEFAULT '',
        owner            TEXT,   -- token of the store that wrote it; see owners.py
        updated_at       TEXT    NOT NULL
    )
    """,
    # The list (newest first) and the stats read in start order.
    "CREATE INDEX sessions_by_start ON sessions (started_at, id)",
    # "Last session of this routine" and import's (routine, started_at) natural key.
    "CREATE INDEX sessions_by_routine ON sessions (routine, started_at)",
    # Finding rows left running, at every open, without a scan.
    "CREATE INDEX sessions_running ON sessions (owner) WHERE status = 'running'",
)

# How each desk-break reminder was answered. A break taken is also a session of the
# break routine (in `sessions`); this table adds the answers that leave no session.
_V2: Migration = (
    """
    CREATE TABLE reminders (
        id          INTEGER PRIMARY KEY,
        routine     TEXT    NOT NULL,
        outcome     TEXT    NOT NULL CHECK (outcome IN ('taken', 'snoozed', 'skipped')),
        due_at      TEXT    NOT NULL,
        answered_at TEXT    NOT NULL
    )
    """,
    "CREATE INDEX reminders_by_time ON reminders (answered_at, id)",
)

# How many breaks a run took: a run is one session with its breaks in it, and its
# steps_done alone cannot say whether they were one break or several.
_V3: Migration = (
    "ALTER TABLE sessions ADD COLUMN breaks INTEGER NOT NULL DEFAULT 0 CHECK (breaks >= 0)",
)

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3)
BREAKS_VERSION = 3  # files from before this have no `breaks` column (read as 0)
SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchemaError(Exception):
    """The file was written by a newer Loosen: it is read but never changed."""


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> bool:
    """Bring the file up to `len(migrations)`, all in one transaction; True if it changed.

    `conn` must be in autocommit mode (`isolation_level=None`). Raises NewerSchemaError
    for a file from the future, and sqlite3 errors (locked, read-only) as they come;
    after any error the file is as it was.
    """
    target = len(migrations)
    version = user_version(conn)
    if version == target:
        return False  # the common case needs no write lock, so a read-only file opens
    if version > target:
        raise NewerSchemaError(f"its schema is version {version}; this Loosen knows {target}")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = user_version(conn)  # another process may have migrated meanwhile
        if version > target:
            raise NewerSchemaError(f"its schema is version {version}; this Loosen knows {target}")
        for migration in migrations[version:]:
            for statement in migration:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {target:d}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return version != target
