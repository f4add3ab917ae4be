"""A session as a row of the `sessions` table: read at any schema version, written by uid.

The SQL here is made from `columns.SESSION_COLUMNS`; nothing lists the columns again.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from typing import Any

from loosen.core.history.columns import RECORD_COLUMNS, SESSION_COLUMNS, Convert, sql_literal
from loosen.core.history.records import SessionRecord

# What a write sets: every column but the row number, which SQLite gives a new row.
STORED_COLUMNS = tuple(c for c in SESSION_COLUMNS if c.name != "id")
STORED_NAMES = tuple(c.name for c in STORED_COLUMNS)

_FROM_SQL: list[tuple[str, Convert]] = [(c.name, c.form.from_sql) for c in RECORD_COLUMNS]
_TO_SQL: list[tuple[str, bool, Convert]] = [
    (c.name, c.in_record, c.form.to_sql) for c in STORED_COLUMNS
]

_UPSERT = (
    "INSERT INTO sessions ({names}) VALUES ({marks}) ON CONFLICT(uid) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in STORED_NAMES if name != "uid")
)
# Merging another store's leftovers: only over an older state of the row.
_IF_NEWER = " WHERE excluded.updated_at >= sessions.updated_at"


@functools.cache
def select_sql(version: int) -> str:
    """SELECT of every field of a session from a file at schema `version`.

    A file read without migrating it (read-only, or set aside as damaged) may predate a
    column: the column reads as its default there.
    """
    fields = ", ".join(
        c.name if c.since <= version else f"{sql_literal(c.default)} AS {c.name}"
        for c in RECORD_COLUMNS
    )
    return f"SELECT {fields} FROM sessions"


def record_from_row(row: Sequence[Any]) -> SessionRecord:
    """A row of `select_sql`; ValueError or TypeError for a value no Loosen writes."""
    values = {}
    for (name, convert), value in zip(_FROM_SQL, row, strict=True):
        values[name] = value if value is None or convert is None else convert(value)
    return SessionRecord(**values)


def row_values(record: SessionRecord, **given: Any) -> tuple[Any, ...]:
    """`record` as the values of `STORED_NAMES`; `given` sets columns by name (SQL values)."""
    values = []
    for name, in_record, convert in _TO_SQL:
        if name in given:
            values.append(given[name])
            continue
        value = getattr(record, name) if in_record else None
        values.append(value if value is None or convert is None else convert(value))
    return tuple(values)


def upsert(
    conn: sqlite3.Connection, record: SessionRecord, owner: str | None, *, if_newer: bool = False
) -> None:
    """Insert or replace the row with `record.uid`, keeping `record.id` if it is free.

    A store's own writes always win (it owns its sessions, and a wall clock set back
    must not make it drop them); `if_newer` is for merging leftovers.
    """
    names = list(STORED_NAMES)
    values = list(row_values(record, owner=owner))
    if record.id is not None and not _id_taken(conn, record.id, record.uid):
        names.insert(0, "id")
        values.insert(0, record.id)
    sql = _UPSERT.format(names=", ".join(names), marks=", ".join("?" * len(names)))
    conn.execute(sql + (_IF_NEWER if if_newer else ""), values)


def _id_taken(conn: sqlite3.Connection, id_: int, uid: str) -> bool:
    row = conn.execute("SELECT uid FROM sessions WHERE id = ?", (id_,)).fetchone()
    return row is not None and row[0] != uid
