"""What can go wrong with the history file, as one-line messages a user can act on."""

from __future__ import annotations

import os
import sqlite3
from enum import StrEnum
from pathlib import Path


class Problem(StrEnum):
    LOCKED = "locked"  # another program holds the write lock past the busy timeout
    READ_ONLY = "read-only"  # the file, its folder or the medium refuses writes
    FULL = "full"  # the disk is full
    CORRUPT = "corrupt"  # not a database, or a damaged one
    NEWER = "newer"  # written by a newer Loosen: read, never changed
    UNAVAILABLE = "unavailable"  # cannot be opened at all (missing folder, I/O error, …)


class HistoryError(Exception):
    """An expected problem with the history (locked, read-only, damaged…); one line."""

    def __init__(self, message: str, problem: Problem = Problem.UNAVAILABLE) -> None:
        super().__init__(message)
        self.problem = problem


# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26

_BY_CODE = {
    _SQLITE_BUSY: Problem.LOCKED,
    _SQLITE_LOCKED: Problem.LOCKED,
    _SQLITE_READONLY: Problem.READ_ONLY,
    _SQLITE_PERM: Problem.READ_ONLY,
    _SQLITE_FULL: Problem.FULL,
    _SQLITE_CORRUPT: Problem.CORRUPT,
    _SQLITE_NOTADB: Problem.CORRUPT,
    _SQLITE_IOERR: Problem.UNAVAILABLE,
    _SQLITE_CANTOPEN: Problem.UNAVAILABLE,
}
_BY_TEXT = (
    ("locked", Problem.LOCKED),
    ("readonly", Problem.READ_ONLY),
    ("read-only", Problem.READ_ONLY),
    ("disk is full", Problem.FULL),
    ("malformed", Problem.CORRUPT),
    ("not a database", Problem.CORRUPT),
)


def classify(exc: sqlite3.Error) -> Problem | None:
    """The Problem behind an sqlite3 error, or None when the error is a bug in Loosen.

    Constraint violations, misuse of the API and the like are bugs: they must surface,
    not be filed away as "will retry later".
    """
    if isinstance(
        exc,
        sqlite3.IntegrityError
        | sqlite3.ProgrammingError
        | sqlite3.InterfaceError
        | sqlite3.NotSupportedError,
    ):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _BY_CODE:
        return _BY_CODE[code & 0xFF]
    text = str(exc).lower()
    for needle, problem in _BY_TEXT:
        if needle in text:
            return problem
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError):
        return Problem.UNAVAILABLE
    return None


def on_read_only_medium(folder: Path) -> bool:
    """Is `folder` on a file system mounted read-only? (SQLite says only "unable to open".)"""
    statvfs = getattr(os, "statvfs", None)  # not on Windows
    if statvfs is None:
        return False
    try:
        return bool(statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def describe(problem: Problem, path: Path, detail: str = "") -> str:
    """One line for the user: what is wrong with the history at `path`."""
    if problem is Problem.LOCKED:
        return f"history is busy in another program ({path})"
    if problem is Problem.READ_ONLY:
        return f"history is read-only ({path})"
    if problem is Problem.FULL:
        return f"history cannot be written: the disk is full ({path})"
    if problem is Problem.CORRUPT:
        return f"history file is damaged ({path})"
    if problem is Problem.NEWER:
        return f"history was written by a newer Loosen ({path}); it is read but not changed"
    suffix = f": {detail}" if detail else ""
    return f"history cannot be opened ({path}){suffix}"
