"""The history's SQLite file: one connection, in WAL with a full sync and the schema current.

Every trouble with the file is filed as a `Problem` and said once through `notice`:
writes that fail are the caller's to queue (`ensure_ready`, `fail`); reads raise
`HistoryError` (`read`, `error`). A file that must never be written (it is not a regular
file, it is damaged and could not be moved, it is from a newer Loosen) is `frozen`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from loosen.core.history.problems import (
    HistoryError,
    Problem,
    classify,
    describe,
    on_read_only_medium,
)
from loosen.core.history.schema import NewerSchemaError, migrate, user_version

Opener = Callable[[Path], sqlite3.Connection]
# What a query reads from a file at a schema version: its SQL, or None when the file is
# too old to hold any of it.
Query = Callable[[int], str | None]

# SQLite opens a file it cannot write read-only, and the connection stays so after the
# medium is writable again: only a new one can write.
_REOPEN_AFTER = (Problem.READ_ONLY, Problem.UNAVAILABLE)


def default_opener(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def why_unopenable(path: Path) -> str | None:
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


class Database:
    """The connection to the history file, and what is wrong with it. One thread only."""

    def __init__(
        self,
        path: Path,
        *,
        opener: Opener,
        busy_timeout_ms: int,
        notice: Callable[[str], None],
    ) -> None:
        self.path = path
        self.conn: sqlite3.Connection | None = None
        self.ready = False  # schema at our version and journal set: writes may go ahead
        self.frozen = False  # never write: see the module docstring
        self.problem: Problem | None = None  # the last problem met; None once writes succeed
        self.unopenable: str | None = None  # why the file cannot be opened at all
        self.closed = False  # closed by its store: never written again
        self._opener = opener
        self.busy_timeout_ms = busy_timeout_ms
        self._notice = notice

    def freeze(self, problem: Problem, detail: str = "") -> None:
        """Never write to this file again; say why."""
        self.frozen = True
        self.trouble(problem, detail)

    def check_openable(self) -> bool:
        """False (and frozen) when the path is no file SQLite could open."""
        self.unopenable = why_unopenable(self.path)
        if self.unopenable is not None:
            self.freeze(Problem.UNAVAILABLE, self.unopenable)
        return self.unopenable is None

    def connect(self) -> None:
        """Open the file and get it ready for writes; what fails is filed as a problem."""
        if self.unopenable is not None:
            return
        try:
            conn = self._opener(self.path)
        except sqlite3.Error as exc:
            self.fail(exc)
            return
        conn.isolation_level = None
        self.conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms:d}")
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            self.fail(exc)
            return
        self._prepare()

    def _prepare(self) -> bool:
        """WAL and the current schema; True when the file is ready for writes."""
        assert self.conn is not None
        if self.frozen:
            return False
        try:
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                # SQLite answers with the old mode when it may not change it.
                raise sqlite3.OperationalError("attempt to write a readonly database")
            self.conn.execute("PRAGMA synchronous = FULL")  # again: it is per journal mode
            migrate(self.conn)
        except NewerSchemaError:
            self.freeze(Problem.NEWER)
            return False
        except sqlite3.Error as exc:
            self.fail(exc)
            return False
        self.ready = True
        return True

    def ensure_ready(self) -> bool:
        """Connected, in WAL, schema current: one attempt (one busy wait at most)."""
        if self.frozen or self.closed:
            return False
        if self.conn is not None and not self.ready and self.problem in _REOPEN_AFTER:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            self.conn = None
        if self.conn is None:
            self.connect()
            return self.ready
        return self.ready or self._prepare()

    def writable(self) -> sqlite3.Connection:
        """The connection, ready for writes; HistoryError saying why when it is not."""
        if not self.ensure_ready():
            raise self._unavailable()
        assert self.conn is not None
        return self.conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        assert self.conn is not None
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def read(self, query: Query, params: tuple[Any, ...] = ()) -> list[Any]:
        """The rows of `query`, connecting if need be; HistoryError when they cannot be read."""
        if self.conn is None:
            self.connect()
        if self.conn is None:
            raise self._unavailable()
        try:
            return self._rows(self.conn, query, params)
        except sqlite3.Error as exc:
            rows = self._read_from_read_only_medium(query, params)
            if rows is None:
                raise self.error(exc) from None
            return rows

    def _rows(self, conn: sqlite3.Connection, query: Query, params: tuple[Any, ...]) -> list[Any]:
        version = user_version(conn)
        if not self.ready and version == 0:
            return []  # no table yet (a new file we could not write): nothing recorded
        sql = query(version)
        return [] if sql is None else conn.execute(sql, params).fetchall()

    def _read_from_read_only_medium(
        self, query: Query, params: tuple[Any, ...]
    ) -> list[Any] | None:
        """Rows read with SQLite's `immutable` flag, or None when that does not help.

        A WAL database needs its -shm file to be read, and on a read-only medium (a
        mount, a locked-down folder) that file cannot be made: every read fails with
        "unable to open database file". Nobody can write such a medium, so reading it
        as immutable (no locks, no -shm) is safe, and the user still sees the history.
        """
        if self.problem not in (None, Problem.READ_ONLY, Problem.UNAVAILABLE):
            return None
        try:
            with contextlib.closing(
                sqlite3.connect(f"{self.path.as_uri()}?immutable=1", uri=True)
            ) as conn:
                return self._rows(conn, query, params)
        except sqlite3.Error:
            return None

    def close(self) -> None:
        self.closed = True
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            self.conn = None

    # ------------------------------------------------------------------ trouble

    def _classify(self, exc: sqlite3.Error) -> Problem | None:
        problem = classify(exc)
        if problem is Problem.UNAVAILABLE and on_read_only_medium(self.path.parent):
            return Problem.READ_ONLY
        return problem

    def fail(self, exc: sqlite3.Error) -> None:
        """File a failed write as a problem; a bug in Loosen (no Problem) is raised."""
        problem = self._classify(exc)
        if problem is None:
            raise exc
        self.trouble(problem, str(exc))

    def error(self, exc: sqlite3.Error) -> HistoryError:
        """The HistoryError for a failed read or a write that must not be queued."""
        problem = self._classify(exc)
        if problem is None:
            raise exc
        return HistoryError(describe(problem, self.path, str(exc)), problem)

    def _unavailable(self) -> HistoryError:
        problem = self.problem or Problem.UNAVAILABLE
        return HistoryError(describe(problem, self.path, self.unopenable or ""), problem)

    def trouble(self, problem: Problem, detail: str = "") -> None:
        self.problem = problem
        message = describe(problem, self.path, detail)
        if problem is not Problem.NEWER:
            message += "; sessions are kept and will be saved when possible"
        self._notice(message)
