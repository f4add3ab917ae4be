"""Small real file systems for the reliability tests: a tmpfs that fills, one made read-only.

Mounting needs root (CAP_SYS_ADMIN); where it is refused the callers fall back to
simulating the failure at the write call, and say so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def tmpfs(folder: Path, size_kb: int) -> Iterator[Path | None]:
    """A tmpfs of `size_kb` at `folder`, or None where mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    if not _run("mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=755", "tmpfs", str(folder)):
        yield None
        return
    try:
        yield folder
    finally:
        _run("umount", "-l", str(folder))


def set_read_only(folder: Path, read_only: bool) -> None:
    option = "remount,ro" if read_only else "remount,rw"
    if not _run("mount", "-o", option, str(folder)):
        raise RuntimeError(f"could not {option} {folder}")


def fill(folder: Path) -> Path:
    """Write a file until the disk is full; returns it (delete it to free the space)."""
    filler = folder / "filler"
    block = b"\0" * 4096
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        while True:
            os.write(descriptor, block)
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
    finally:
        os.close(descriptor)
    return filler
