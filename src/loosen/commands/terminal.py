"""Text for the terminal: output that never fails on its encoding, and no raw control characters.

A terminal may not speak UTF-8 (a Latin-1 or plain C locale), and a file name may
not be UTF-8 at all (Python keeps its bytes as lone surrogates): printing either
must never raise. Names and notes are the user's text, and an ESC or BEL in them
would move the cursor or retitle the terminal, so human output shows them escaped.
"""

from __future__ import annotations

import contextlib
import io
import sys
import unicodedata
from collections.abc import Iterator
from typing import TextIO


def never_fail_on_encoding() -> None:
    """Print what the terminal cannot show as `\\u2013`-style escapes, never raise.

    Called once at the command line's start.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):  # replaced or closed
            stream.reconfigure(errors="backslashreplace")


def speaks_utf8(stream: TextIO) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding in ("utf8", "utf8sig")


def json_ascii_only() -> bool:
    """Whether JSON must escape non-ASCII (`\\u00e9`): on a terminal that is not UTF-8,
    that keeps it both exact and valid."""
    return not speaks_utf8(sys.stdout)


@contextlib.contextmanager
def utf8_stdout() -> Iterator[TextIO]:
    """Standard output as UTF-8 whatever the locale: a CSV is read back as UTF-8."""
    if speaks_utf8(sys.stdout) or not hasattr(sys.stdout, "buffer"):
        yield sys.stdout
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield stream
    finally:
        stream.flush()
        stream.detach()  # leave sys.stdout's buffer open


def _shown(char: str) -> str:
    if unicodedata.category(char) != "Cc":
        return char
    return char.encode("unicode_escape").decode("ascii")


def escape_controls(text: str) -> str:
    """`text` with control characters (ESC, BEL, CR, C1…) written as `\\x1b`, for the terminal."""
    if text.isprintable():
        return text
    return "".join(_shown(char) for char in text)
