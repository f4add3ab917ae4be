"""Odd things under a file's name, made for real, and ways to try them that cannot hang.

A named pipe opened for reading waits for a writer forever, so every test that puts
one where a file should be runs the code under test with a deadline: in a thread
(released by opening the pipe for writing) or as a child process (killed).
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

DEADLINE_S = 30.0  # far above what any of these takes; only a hang gets near it

T = TypeVar("T")


def make_fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def make_link_loop(path: Path) -> Path:
    """`path` -> `path`.again -> `path`: opening or resolving either loops."""
    partner = path.with_name(path.name + ".again")
    partner.symlink_to(path.name)
    path.symlink_to(partner.name)
    return path


def has_reader(fifo: Path) -> bool:
    """True if some code holds the pipe open for reading (it should never be opened)."""
    try:
        handle = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # the kernel's "nobody is reading"
            return False
        raise
    os.close(handle)  # gives the reader an end of file, so it stops waiting
    return True


def release_readers(folder: Path) -> None:
    """Unblock any reader stuck on a pipe under `folder` (a failing test must not hang)."""
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_fifo():
                has_reader(path)


def within_deadline(work: Callable[[], T], pipes_under: Path) -> T:
    """`work()`, run in a thread; fails the test if it has not returned by the deadline."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the test thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(DEADLINE_S)
    if worker.is_alive():
        release_readers(pipes_under)
        worker.join(DEADLINE_S)
        raise AssertionError(f"still running after {DEADLINE_S:.0f} s: it hung")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def loosen(
    *argv: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The `loosen` command as a child process, killed (failing the test) if it hangs."""
    return subprocess.run(
        [sys.executable, "-m", "loosen", *argv],
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
        check=False,
        cwd=cwd,
        env=env if env is not None else dict(os.environ),
    )
