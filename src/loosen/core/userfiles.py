"""Reading a file the user controls without trusting what it is, and writing one whole.

A name like `x.toml` or `settings.json` may be a named pipe (opening it for reading
waits for a writer forever), a device, a folder or a symbolic link that loops. Only a
regular file is ever opened, and never more than a given number of bytes is read.

Every text file Loosen writes whole (the settings, an export, the queue of unsaved
sessions) is written beside its target and renamed over it (`write_atomically`), so
a full disk or a crash leaves the earlier file as it was, never a partial one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

# O_NONBLOCK guards the moment between the check and the open: should the name be
# swapped for a pipe in between, the open still returns at once (and fstat refuses it).
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class UnreadableFile(Exception):
    """Why a file was not read, as words that follow its path ("is a named pipe ...").

    `not_a_file` is true when the name is not a regular file at all (a pipe, a device,
    a folder, a looping link): such a name can be moved aside without losing anything
    the user wrote in it.
    """

    def __init__(self, reason: str, *, not_a_file: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.not_a_file = not_a_file


def kind_of(mode: int) -> str:
    """What a file's mode says it is, in words: "a folder", "a named pipe (FIFO)"..."""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _unreadable(exc: OSError) -> UnreadableFile:
    if exc.errno == errno.ELOOP:
        return UnreadableFile("is a symbolic link that leads round in a loop", not_a_file=True)
    return UnreadableFile(f"cannot be read: {exc.strerror or exc}", not_a_file=False)


def real_path(path: Path) -> Path:
    """Where `path` leads, with links followed as far as they go; never fails on a loop
    (Path.resolve raises RuntimeError there before Python 3.13)."""
    return Path(os.path.realpath(path))


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """At most `max_bytes + 1` bytes of `path`, so a caller can tell a file over its limit.

    Raises FileNotFoundError when there is nothing at `path`, and UnreadableFile for
    anything else that keeps it from being read as a regular file.
    """
    try:
        found = path.stat()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _unreadable(exc) from exc
    if not stat.S_ISREG(found.st_mode):
        raise UnreadableFile(f"is {kind_of(found.st_mode)}, not a file", not_a_file=True)
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _unreadable(exc) from exc
    try:
        opened = os.fstat(handle)
        if not stat.S_ISREG(opened.st_mode):
            raise UnreadableFile(f"is {kind_of(opened.st_mode)}, not a file", not_a_file=True)
        chunks: list[bytes] = []
        wanted = max_bytes + 1
        while wanted > 0:
            chunk = os.read(handle, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise _unreadable(exc) from exc
    finally:
        os.close(handle)


@contextlib.contextmanager
def write_atomically(path: Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """A UTF-8 text handle whose content replaces `path` whole, or not at all.

    The text goes to a new file beside the target, on the disk (fsync) before it is
    renamed over it; if anything fails the new file is removed and the target is as
    it was. A symlink is followed (the link stays, the file it names is replaced); a
    target that exists and is not a regular file (a device, a FIFO) raises OSError
    and is never replaced. A new file gets the usual permissions (the umask's).
    """
    target = real_path(path)
    with contextlib.suppress(FileNotFoundError):
        if not stat.S_ISREG(target.stat().st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
    beside = target.with_name(f".{target.name}.{os.urandom(4).hex()}.partial")
    try:
        with beside.open("x", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            beside.chmod(stat.S_IMODE(target.stat().st_mode))  # an export keeps its mode
        beside.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            beside.unlink()
        raise
