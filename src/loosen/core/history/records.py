"""The session record: one row of the history, as a frozen value, and its time format."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

TIGHTNESS_MIN = 0  # loose
TIGHTNESS_MAX = 10  # as tight as it gets


class Status(StrEnum):
    RUNNING = "running"  # written when the session starts
    COMPLETED = "completed"  # reached the end
    STOPPED = "stopped"  # the user stopped it early
    INTERRUPTED = "interrupted"  # found still running after its process had gone


FINISHED = (Status.COMPLETED, Status.STOPPED)


def utc_now() -> datetime:
    """The real clock, for production; tests pass their own `now`."""
    return datetime.now(UTC)


def to_utc(moment: datetime) -> datetime:
    """`moment` in UTC to the second; a naive datetime is refused (its zone is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware datetime")
    return moment.astimezone(UTC).replace(microsecond=0)


def format_time(moment: datetime) -> str:
    """ISO 8601 in UTC to the second: "2026-11-21T14:03:00Z" (sorts as text)."""
    return to_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """The reverse of `format_time`; accepts any ISO 8601 time with a zone ("Z" or "+01:00")."""
    if len(text) == 20 and text[19] == "Z" and text[10] == "T":
        # The stored form: skip the general parser (listing 10,000 sessions reads 30,000).
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(text[:19]).replace(tzinfo=UTC)
    moment = datetime.fromisoformat(text.strip())
    return to_utc(moment)


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
