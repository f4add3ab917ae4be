"""The session record: one row of the history, as a frozen value, and its time format."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum

TIGHTNESS_MIN = 0  # loose
TIGHTNESS_MAX = 10  # as tight as it gets
# The longest note, typed or imported. It is what the rating dialog always allowed (Qt's
# line-edit default), so every note Loosen ever stored still fits, edits and restores.
MAX_NOTE_CHARS = 32_767


class Status(StrEnum):
    RUNNING = "running"  # written when the session starts
    COMPLETED = "completed"  # reached the end
    PARTIAL = "partial"  # reached the end with less than half its work done (steps skipped)
    STOPPED = "stopped"  # the user stopped it early
    INTERRUPTED = "interrupted"  # found still running after its process had gone


FINISHED = (Status.COMPLETED, Status.PARTIAL, Status.STOPPED)
HAPPENED = (*FINISHED, Status.INTERRUPTED)  # took place, whatever became of it
# A session that reached its end with less than this share of its work phases done is
# `partial`: skipped through, it says nothing about what the routine does.
PARTIAL_BELOW = 0.5


def closing_status(completed: bool, work_share: float) -> Status:
    """How a session that ended is logged: stopped, or reached its end with enough done."""
    if not completed:
        return Status.STOPPED
    return Status.PARTIAL if work_share < PARTIAL_BELOW else Status.COMPLETED


def utc_now() -> datetime:
    """The real clock, for production; tests pass their own `now`."""
    return datetime.now(UTC)


class TimeOutOfRange(ValueError):
    """A time that falls outside years 1–9999 once in UTC (no calendar date holds it)."""


def to_utc(moment: datetime) -> datetime:
    """`moment` in UTC to the second; a naive datetime is refused (its zone is unknown).

    TimeOutOfRange (a ValueError) when the moment falls outside years 1–9999 in UTC.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware datetime")
    try:
        return moment.astimezone(UTC).replace(microsecond=0)
    except OverflowError:
        raise TimeOutOfRange("is outside years 1–9999 once in UTC") from None


def format_time(moment: datetime) -> str:
    """ISO 8601 in UTC to the second: "2026-11-21T14:03:00Z" (sorts as text).

    The year is always four digits (strftime writes year 26 as "26", which no ISO
    parser reads back).
    """
    return to_utc(moment).isoformat().removesuffix("+00:00") + "Z"


# The stored form; a year of fewer than four digits is what an older Loosen wrote for
# years before 1000, still read so that such a session is not lost.
_STORED_TIME = re.compile(r"(\d{1,4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z")


def parse_time(text: str) -> datetime:
    """The reverse of `format_time`; accepts any ISO 8601 time with a zone ("Z" or "+01:00").

    ValueError for anything else, and for a time outside years 1–9999 once in UTC.
    """
    if stored := _STORED_TIME.fullmatch(text):
        # Skips the general parser (listing 10,000 sessions reads 30,000 times).
        year, month, day, hour, minute, second = map(int, stored.groups())
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    moment = datetime.fromisoformat(text.strip())
    return to_utc(moment)


def local_time(moment: datetime, tz: tzinfo | None = None) -> datetime:
    """`moment` in `tz` (None = the computer's zone) for showing; UTC where that fails.

    A zone whose offset is a day or more (TZ=XYZ+25) cannot be a Python tzinfo, and a
    moment near year 1 or 9999 may fall outside the calendar once shifted.
    """
    try:
        return moment.astimezone(tz)
    except (ValueError, OverflowError):
        return moment.astimezone(UTC)


def one_newline(text: str) -> str:
    """Line breaks as LF only (CRLF and a lone CR become LF), so notes survive CSV round trips.

    A lone CR would end a CSV line unquoted, and Windows writes each LF as CRLF.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_tightness(value: int | None) -> int | None:
    """`value` if it is a whole number 0–10 (or None); ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"tightness must be a whole number 0–10, not {value!r}")
    if not TIGHTNESS_MIN <= value <= TIGHTNESS_MAX:
        raise ValueError(f"tightness must be 0–10, not {value}")
    return value


@dataclass(frozen=True)
class SessionRecord:
    """One session as the history keeps it.

    `uid` is the stable identity (it survives export and import); `id` is the row
    number in this database, None while the record waits to be written. Tightness is
    0 (loose) to 10 (as tight as it gets), None when the user gave none.
    """

    uid: str
    routine: str  # the routine's id
    routine_name: str
    kind: str  # "warm-up", "cooldown", "break", "strength", "run" (kept as text)
    started_at: datetime  # UTC, aware, whole seconds
    status: Status = Status.RUNNING
    ended_at: datetime | None = None
    planned_s: float | None = None  # None for a run that goes on until stopped
    active_s: float = 0.0
    steps_done: int = 0
    steps_skipped: int = 0
    tightness_before: int | None = None
    tightness_after: int | None = None
    note: str = ""
    digest: str = ""  # the routine content's digest when the session ran
    breaks: int = 0  # in a run: the breaks taken (each one's steps count in steps_done)
    id: int | None = None
    updated_at: datetime | None = None  # last write; an interrupted session ended about then

    @property
    def change(self) -> int | None:
        """How much the session loosened the back: before − after (positive = looser)."""
        if self.tightness_before is None or self.tightness_after is None:
            return None
        return self.tightness_before - self.tightness_after

    @property
    def end(self) -> datetime:
        """When it ended, or its best estimate (start + active time) when no end is known."""
        if self.ended_at is not None:
            return self.ended_at
        return self.started_at + timedelta(seconds=self.active_s)


def as_interrupted(record: SessionRecord) -> SessionRecord:
    """A session whose process died: it ended, as far as anyone knows, at its last write."""
    if record.status is not Status.RUNNING:
        return record
    return replace(record, status=Status.INTERRUPTED, ended_at=record.updated_at or record.end)
