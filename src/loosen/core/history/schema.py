"""The history database's tables, and the migrations that bring any older file up to date.

`PRAGMA user_version` holds the number of migrations applied. Migration i (0-based)
takes a file from version i to i + 1; to change the schema, append a migration, never
edit one that has shipped. All pending migrations run in one transaction: a file is
either wholly at the old version or wholly at the new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from loosen.core.history.columns import SESSION_COLUMNS
from loosen.core.reminders import Outcome, Stage

Migration = Sequence[str]  # SQL statements, run in order


def creating_sessions() -> str:
    """The `sessions` table as the first version made it: the columns `since` 1."""
    defined = ",\n    ".join(c.sql for c in SESSION_COLUMNS if c.since == 1)
    return f"CREATE TABLE sessions (\n    {defined}\n)"


def adding_columns(version: int) -> tuple[str, ...]:
    """The statements that add the session columns declared `since` `version`."""
    return tuple(
        f"ALTER TABLE sessions ADD COLUMN {c.sql}" for c in SESSION_COLUMNS if c.since == version
    )


SESSION_INDEXES = (
    # The list (newest first) and the stats read in start order.
    "CREATE INDEX sessions_by_start ON sessions (started_at, id)",
    # "Last session of this routine" and import's (routine, started_at) natural key.
    "CREATE INDEX sessions_by_routine ON sessions (routine, started_at)",
    # Finding rows left running, at every open, without a scan.
    "CREATE INDEX sessions_running ON sessions (owner) WHERE status = 'running'",
)


def rebuilding_sessions(version: int) -> tuple[str, ...]:
    """The statements that rebuild `sessions` with the constraints its columns declare
    now (SQLite cannot change a CHECK in place): a new table, every row copied, the old
    one dropped, the new one renamed and indexed again, as SQLite's manual says."""
    columns = [c for c in SESSION_COLUMNS if c.since <= version]
    defined = ",\n    ".join(c.sql for c in columns)
    names = ", ".join(c.name for c in columns)
    return (
        f"CREATE TABLE sessions_rebuilt (\n    {defined}\n)",
        f"INSERT INTO sessions_rebuilt ({names}) SELECT {names} FROM sessions",
        "DROP TABLE sessions",
        "ALTER TABLE sessions_rebuilt RENAME TO sessions",
        *SESSION_INDEXES,
    )


# A fresh file runs every migration in one transaction; its first table is made with
# today's constraints and rebuilt by version 4 with the same, before anyone reads it.
_V1: Migration = (creating_sessions(), *SESSION_INDEXES)

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
_V3: Migration = adding_columns(3)

# A session that reached its end with less than half its work done is `partial`
# (DESIGN.md): the status check admits it.
_V4: Migration = rebuilding_sessions(4)


def _admitted(values: Sequence[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def rebuilding_reminders() -> Migration:
    """Version 5 (issue 17): the reminder log says when each reminder was given and at
    which stage, and admits `away`, `deferred` and `unanswered`; the CHECK is rebuilt
    from `Outcome` and `Stage`, as `rebuilding_sessions` does for sessions."""
    return (
        f"""
        CREATE TABLE reminders_rebuilt (
            id          INTEGER PRIMARY KEY,
            routine     TEXT    NOT NULL,
            outcome     TEXT    NOT NULL CHECK (outcome IN ({_admitted(list(Outcome))})),
            due_at      TEXT    NOT NULL,
            answered_at TEXT    NOT NULL,
            given_at    TEXT,
            stage       TEXT    CHECK (stage IN ({_admitted(list(Stage))}))
        )
        """,
        "INSERT INTO reminders_rebuilt (id, routine, outcome, due_at, answered_at)"
        " SELECT id, routine, outcome, due_at, answered_at FROM reminders",
        "DROP TABLE reminders",
        "ALTER TABLE reminders_rebuilt RENAME TO reminders",
        "CREATE INDEX reminders_by_time ON reminders (answered_at, id)",
    )


# Issue 17: away and deferred breaks, the stage given and when.
_V5: Migration = rebuilding_reminders()

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3, _V4, _V5)
SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchemaError(Exception):
    """The file was written by a newer Loosen: it is read but never changed."""


def user_version(conn: sqlite3.Connection) -> int:
    """The file's schema version: how many migrations it has had."""
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
