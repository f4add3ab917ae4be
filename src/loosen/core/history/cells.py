"""Reading a history CSV's cells: each parser takes a cell's text to a value, or raises
ValueError saying what is wrong with it (the import puts the column's name in front)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from loosen.core.history.records import (
    MAX_NOTE_CHARS,
    TIGHTNESS_MAX,
    TIGHTNESS_MIN,
    Status,
    TimeOutOfRange,
    one_newline,
    parse_time,
)


def _quoted(text: str) -> str:
    return f'"{text}"'


# ASCII digits only ("²".isdigit() is true), and few enough to fit SQLite's integers.
_WHOLE = re.compile(r"[0-9]{1,18}")
_UID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_ROUTINE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
_KIND = re.compile(r"^[a-z0-9-]{0,40}$")


def row_id(text: str) -> int:
    value = text.strip()
    if not _WHOLE.fullmatch(value) or int(value) < 1:
        raise ValueError(f"{_quoted(text)} is not a positive whole number")
    return int(value)


def count(text: str) -> int:
    value = text.strip()
    if not _WHOLE.fullmatch(value):
        raise ValueError(f"{_quoted(text)} is not a whole number 0 or more")
    return int(value)


def seconds(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{_quoted(text)} is not a number of seconds") from None
    if not 0 <= value < 10**9:  # also refuses nan and inf
        raise ValueError(f"{_quoted(text)} is not a number of seconds 0 or more")
    return value


def tightness(text: str) -> int:
    value = text.strip()
    if not _WHOLE.fullmatch(value) or not TIGHTNESS_MIN <= int(value) <= TIGHTNESS_MAX:
        raise ValueError(f"{_quoted(text)} is not 0–10")
    return int(value)


def moment(text: str) -> datetime:
    try:
        return parse_time(text)
    except TimeOutOfRange as exc:
        raise ValueError(f"{_quoted(text)} {exc}") from None
    except ValueError:
        raise ValueError(
            f"{_quoted(text)} is not an ISO 8601 time with a zone; use e.g. 2026-11-21T14:03:00Z"
        ) from None


def status(text: str) -> Status:
    try:
        return Status(text.strip())
    except ValueError:
        allowed = ", ".join(s.value for s in Status)
        raise ValueError(f"{_quoted(text)} is not one of {allowed}") from None


def _matching(pattern: re.Pattern[str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not pattern.match(text.strip()):
            raise ValueError(f"{_quoted(text)} is not {what}")
        return text.strip()

    return parse


routine_id = _matching(_ROUTINE_ID, "a routine id (lower-case letters, digits, -)")
kind = _matching(_KIND, "a kind such as cooldown or run")
_given_uid = _matching(_UID, "a uid (letters, digits, - or _)")


def uid(text: str) -> str | None:
    """None for a blank cell: the import derives the uid from routine and start."""
    return None if text.strip() == "" else _given_uid(text)


def note(text: str) -> str:
    if len(text) > MAX_NOTE_CHARS:
        raise ValueError(f"is longer than {MAX_NOTE_CHARS} characters")
    return one_newline(text)


def plain(text: str) -> str:
    """Text without the spaces around it (a digest)."""
    return one_newline(text.strip())


def exact(text: str) -> str:
    """Text as written, spaces and all (a routine's name)."""
    return one_newline(text)
