"""The days and hours desk-break reminders may come: "Mon-Fri 09:00-17:30".

Local time, the user's own (tz None = the computer's zone, per moment, so summer time is
right). Hours within one day; an end before the start is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS_HINT = 'use e.g. "Mon-Fri 09:00-17:30" or "Mon,Wed,Fri 08:00-12:00"'
EVERY_DAY = frozenset(range(7))

_SPEC = re.compile(
    r"^\s*(?P<days>[A-Za-z]{3}(?:\s*[-,]\s*[A-Za-z]{3})*)\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$"
)


class HoursError(ValueError):
    """Text that is not working hours; the message says what is allowed."""


@dataclass(frozen=True)
class WorkingHours:
    days: frozenset[int]  # 0 = Monday … 6 = Sunday
    start: time
    end: time

    def contains(self, wall: float, tz: tzinfo | None = None) -> bool:
        moment = datetime.fromtimestamp(wall, tz)
        return moment.weekday() in self.days and self.start <= moment.time() < self.end

    def next_start(self, wall: float, tz: tzinfo | None = None) -> float:
        """The wall moment the hours next begin, at or after `wall` (within a week)."""
        today = datetime.fromtimestamp(wall, tz).date()
        for ahead in range(8):
            day = today + timedelta(days=ahead)
            if day.weekday() not in self.days:
                continue
            begins = _at(day, self.start, tz)
            if begins >= wall:
                return begins
        raise ValueError("working hours with no day")  # refused when parsed

    def started_at(self, wall: float, tz: tzinfo | None = None) -> float:
        """When today's hours began (call only when `contains(wall)`)."""
        return _at(datetime.fromtimestamp(wall, tz).date(), self.start, tz)

    def text(self) -> str:
        return f"{_days_text(self.days)} {self.start:%H:%M}-{self.end:%H:%M}"


def _at(day: date, clock_time: time, tz: tzinfo | None) -> float:
    naive = datetime.combine(day, clock_time)
    # A naive datetime's timestamp() reads it in the computer's zone, summer time included.
    return naive.timestamp() if tz is None else naive.replace(tzinfo=tz).timestamp()


def _days_text(days: frozenset[int]) -> str:
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{DAY_NAMES[ordered[0]]}-{DAY_NAMES[ordered[-1]]}"
    return ",".join(DAY_NAMES[d] for d in ordered)


def parse_hours(text: str) -> WorkingHours:
    """ "Mon-Fri 09:00-17:30" → WorkingHours; HoursError saying why for anything else."""
    found = _SPEC.match(text) if isinstance(text, str) else None
    if found is None:
        raise HoursError(f"{text!r} is not working hours; {HOURS_HINT}")
    days = _parse_days(found["days"], text)
    start, end = _clock(found["start"], text), _clock(found["end"], text)
    if end <= start:
        raise HoursError(f"{text!r}: the hours end before they start; {HOURS_HINT}")
    return WorkingHours(days, start, end)


def _day(name: str, text: str) -> int:
    try:
        return DAY_NAMES.index(name.strip().capitalize())
    except ValueError:
        raise HoursError(f"{text!r}: {name.strip()!r} is not a day; use Mon … Sun") from None


def _parse_days(spec: str, text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in spec.split(","):
        if "-" in part:
            first, last = (_day(name, text) for name in part.split("-"))
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
            days.update(span)
        else:
            days.add(_day(part, text))
    return frozenset(days)


def _clock(value: str, text: str) -> time:
    hours, minutes = (int(part) for part in value.split(":"))
    if hours > 23 or minutes > 59:
        if (hours, minutes) != (24, 0):
            raise HoursError(f"{text!r}: {value} is not a time of day; {HOURS_HINT}")
        return time.max  # "24:00": to the end of the day
    return time(hours, minutes)
