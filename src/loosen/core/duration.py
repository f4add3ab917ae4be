"""Parse the durations and windows that routine files are written in ("45s", "1m30s", "15-20m")."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DURATION = re.compile(
    r"""^\s*
    (?:(?P<h>\d+)\s*h)?\s*
    (?:(?P<m>\d+)\s*m(?:in)?)?\s*
    (?:(?P<s>\d+(?:\.\d+)?)\s*s)?
    \s*$""",
    re.VERBOSE,
)
# "15-20m": the unit after the second number applies to both; "15m-20m" is fine too.
_WINDOW = re.compile(r"^\s*(?P<lo>[^-]+?)\s*-\s*(?P<hi>[^-]+?)\s*$")
_BARE_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
_TRAILING_UNIT = re.compile(r"(h|m|min|s)\s*$")

DURATION_HINT = 'use e.g. "45s", "1m30s", "2m" or whole seconds like 45'
WINDOW_HINT = 'use e.g. "15m" or a window like "15-20m"'


class DurationError(ValueError):
    """A value that is not a duration; the message says what is allowed."""


@dataclass(frozen=True)
class Window:
    """A span in which something is due: at `start_s` gently, at `end_s` firmly."""

    start_s: float
    end_s: float

    @property
    def fixed(self) -> bool:
        return self.start_s == self.end_s


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def parse_duration(value: object) -> float:
    """Seconds in `value`: a string like "1m30s" or a whole number of seconds.

    Raises DurationError for anything else, including booleans, floats and
    negative numbers (a TOML float like 2.5 is refused: write "2.5s").
    """
    if isinstance(value, bool):
        raise DurationError(f"{_describe(value)} is not a duration; {DURATION_HINT}")
    if isinstance(value, int):
        if value < 0:
            raise DurationError(f"{value} is not a duration (negative); {DURATION_HINT}")
        return float(value)
    if isinstance(value, float):
        raise DurationError(
            f'{value!r} is not a duration; write a string like "{value:g}s", or whole seconds'
        )
    if not isinstance(value, str):
        raise DurationError(f"{_describe(value)} is not a duration; {DURATION_HINT}")
    match = _DURATION.match(value)
    if not value.strip() or match is None or not any(match.groupdict().values()):
        if _BARE_NUMBER.match(value):
            raise DurationError(
                f'"{value}" has no unit; write "{value.strip()}s" for seconds '
                f'or "{value.strip()}m" for minutes'
            )
        raise DurationError(f"{_describe(value)} is not a duration; {DURATION_HINT}")
    hours = int(match["h"] or 0)
    minutes = int(match["m"] or 0)
    seconds = float(match["s"] or 0)
    return hours * 3600.0 + minutes * 60.0 + seconds


def parse_window(value: object) -> Window:
    """A fixed interval ("15m", 900) or a window ("15-20m", "15m-20m")."""
    if isinstance(value, str) and "-" in value.strip().lstrip("-"):
        match = _WINDOW.match(value)
        if match is None:
            raise DurationError(f"{_describe(value)} is not a window; {WINDOW_HINT}")
        lo_text, hi_text = match["lo"], match["hi"]
        unit = _TRAILING_UNIT.search(hi_text)
        if _BARE_NUMBER.match(lo_text) and unit:
            lo_text = lo_text + unit.group(1)
        try:
            lo, hi = parse_duration(lo_text), parse_duration(hi_text)
        except DurationError:
            raise DurationError(f"{_describe(value)} is not a window; {WINDOW_HINT}") from None
        if lo > hi:
            raise DurationError(
                f"{_describe(value)} ends before it starts; put the shorter time first"
            )
        return Window(lo, hi)
    try:
        seconds = parse_duration(value)
    except DurationError:
        raise DurationError(f"{_describe(value)} is not an interval; {WINDOW_HINT}") from None
    return Window(seconds, seconds)


def format_duration(seconds: float) -> str:
    """Compact, file-style text for a length: 45 -> "45s", 90 -> "1m30s", 3600 -> "1h"."""
    whole = round(seconds)
    if abs(seconds - whole) > 1e-9:
        return f"{seconds:g}s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs or not parts:
        parts.append(f"{secs}s")
    return "".join(parts)


def format_clock(seconds: float) -> str:
    """A countdown-style reading: 75 -> "1:15", 3725 -> "1:02:05"."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def format_length(seconds: float) -> str:
    """A length for people to read: 54 -> "54 s", 732 -> "12 min", 4500 -> "1 h 15 min"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
