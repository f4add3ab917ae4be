"""Telling a live session's process from a dead one: one OS-held lock file per store.

Each open store makes a random token and holds an exclusive lock on
`<folder>/<token>.lock` until it closes (`flock` on POSIX, `msvcrt.locking` on
Windows). Rows a store writes carry its token. The operating system drops the lock
when the process ends, however it ends (exit, crash, SIGKILL, power loss), so:

* lock file held by someone   -> the owner is alive: leave its `running` rows alone;
* lock free, or file missing  -> the owner is dead: its `running` rows are `interrupted`.

Why not a pid: pids are reused (a reboot, or a busy machine, gives the dead owner's pid
to a live stranger), and checking a pid's start time needs per-OS code. A lock is
exact, needs no clock, and also works between two stores in one process (both locks
are per open file). When in doubt (the lock file cannot be opened) the owner counts
as alive: a session wrongly left `running` is fixed at a later open, a live session
wrongly marked `interrupted` is not. Network file systems where locks are not honoured
are out of scope, as they are for SQLite itself.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import IO

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def _lock_path(folder: Path, token: str) -> Path:
    return folder / f"{token}.lock"


class OwnerLock:
    """The lock a live store holds; `release()` (or process death) frees it."""

    def __init__(self, path: Path, handle: IO[bytes], token: str) -> None:
        self.path = path
        self.token = token
        self._handle: IO[bytes] | None = handle

    @classmethod
    def acquire(cls, folder: Path, token: str) -> OwnerLock:
        """Create and lock `<folder>/<token>.lock`; OSError if the folder is not writable."""
        folder.mkdir(parents=True, exist_ok=True)
        path = _lock_path(folder, token)
        for _ in range(10):
            handle = path.open("a+b")
            if _try_lock(handle) and _same_file(handle, path):
                with contextlib.suppress(OSError):
                    handle.write(f"{os.getpid()}\n".encode())  # for people, not for the logic
                    handle.flush()
                return cls(path, handle, token)
            # A sweeper removed the file between our open and our lock: try again.
            handle.close()
        raise OSError(f"could not lock {path}")

    def release(self) -> None:
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # while still holding it, so nobody sees a free, live file
        self._handle.close()
        self._handle = None
        if sys.platform == "win32":  # pragma: no cover - Windows cannot unlink an open file
            with contextlib.suppress(OSError):
                self.path.unlink()


def _same_file(handle: IO[bytes], path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), path.stat())
    except OSError:
        return False


def owner_alive(folder: Path, token: str | None) -> bool:
    """True while the store that took `token` still runs (see the module docstring)."""
    if not token:
        return False
    path = _lock_path(folder, token)
    try:
        handle = path.open("r+b")
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: do not touch its sessions
    with handle:
        if not _try_lock(handle):
            return True
        # The owner is gone: tidy up its file, while holding the lock, so that no store
        # can lock a file that is about to disappear (see OwnerLock.acquire).
        with contextlib.suppress(OSError):
            path.unlink()
    if sys.platform == "win32":  # pragma: no cover - Windows cannot unlink an open file
        with contextlib.suppress(OSError):
            path.unlink()
    return False


def sweep(folder: Path, keep: str | None = None) -> None:
    """Remove the lock files of dead owners (a process that crashed leaves its file)."""
    try:
        names = [p.stem for p in folder.glob("*.lock")]
    except OSError:
        return
    for token in names:
        if token != keep:
            owner_alive(folder, token)
