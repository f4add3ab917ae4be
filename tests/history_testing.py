"""Tools for tests of code that keeps history: a clock moved by hand, a read-only opener."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

START = datetime(2026, 11, 21, 14, 3, tzinfo=UTC)


class FixedNow:
    """`now` for a HistoryStore: a fixed UTC moment that moves only by `advance`."""

    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment


def read_only_opener(path: Path) -> sqlite3.Connection:
    """Opens the file as a read-only medium would: every write fails for real."""
    return sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)


@contextlib.contextmanager
def raw_connection(path: Path, **kwargs: Any) -> Iterator[sqlite3.Connection]:
    """A plain autocommit connection to the file, closed on exit."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None, **kwargs)) as conn:
        yield conn


def raw_rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows straight from the file, bypassing the store."""
    with raw_connection(path) as conn:
        return conn.execute(sql, params).fetchall()
