"""Adding sessions from elsewhere (a CSV), once each, in flat memory whatever their number.

Present means the same uid: two sessions of a routine in the same second are two
sessions. A record whose uid was derived from its routine and start (a CSV without
uids, `csvio.derived_uid`) is also present when that routine started in that second.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from loosen.core.history.csvio import is_derived_uid
from loosen.core.history.records import SessionRecord, as_interrupted
from loosen.core.history.rows import STORED_NAMES, row_values

# Imported rows go to SQLite this many at a time (one executemany), or fewer when their
# texts are long (a CSV cell may hold 131,072 characters): a batch stays small.
IMPORT_BATCH_ROWS = 500
IMPORT_BATCH_TEXT_CHARS = 1 << 20

# A row's parameters: ?1 its id, then the stored columns, then whether its uid is derived.
_STARTED_AT = STORED_NAMES.index("started_at")
_DERIVED = len(STORED_NAMES) + 2


def _parameter(name: str) -> str:
    return f"?{STORED_NAMES.index(name) + 2}"


# One imported row: SQLite decides all of it, so the import holds nothing per row in
# Python. Present = the same uid (its unique index: DO NOTHING), or, for a derived uid, a
# session of that routine in that second. The id is kept when free, else SQLite gives
# the next one.
_IMPORT_ROW = (
    f"INSERT INTO sessions (id, {', '.join(STORED_NAMES)})"
    " SELECT CASE WHEN EXISTS (SELECT 1 FROM sessions WHERE id = ?1) THEN NULL ELSE ?1 END, "
    + ", ".join(_parameter(name) for name in STORED_NAMES)
    + f" WHERE NOT (?{_DERIVED} AND EXISTS (SELECT 1 FROM sessions"
    f" WHERE routine = {_parameter('routine')} AND started_at = {_parameter('started_at')}))"
    " ON CONFLICT (uid) DO NOTHING"
)


@dataclass(frozen=True)
class ImportCounts:
    imported: int
    skipped: int  # already present: same uid (or, for rows without one, same routine and second)


def _batches(records: Iterable[SessionRecord], stamp: str) -> Iterator[list[tuple[Any, ...]]]:
    """`_IMPORT_ROW`'s parameters for `records`, a batch at a time."""
    batch: list[tuple[Any, ...]] = []
    text_chars = 0
    for record in records:
        # A `running` record becomes `interrupted`: no process here is running it.
        values = row_values(as_interrupted(record), owner=None, updated_at=stamp)
        derived = is_derived_uid(record.uid, record.routine, values[_STARTED_AT])
        batch.append((record.id, *values, derived))
        text_chars += len(record.note) + len(record.routine_name) + len(record.digest)
        if len(batch) >= IMPORT_BATCH_ROWS or text_chars >= IMPORT_BATCH_TEXT_CHARS:
            yield batch
            batch, text_chars = [], 0
    if batch:
        yield batch


def import_records(
    conn: sqlite3.Connection, records: Iterable[SessionRecord], stamp: str
) -> ImportCounts:
    """Add `records` in the transaction open on `conn`, read as they come and written in
    small batches (SQLite moves what does not fit its cache to the WAL file). `stamp`
    is now, as stored. sqlite3 errors propagate: the caller rolls back."""
    imported = read = 0
    for batch in _batches(records, stamp):
        imported += conn.executemany(_IMPORT_ROW, batch).rowcount
        read += len(batch)
    return ImportCounts(imported, read - imported)
