"""The user's settings: what they are, their defaults, and reading and writing them safely.

Stored as JSON in the config dir. A value that is wrong is reported (file and key) and
replaced by its default; the rest of the file still counts. A file that is not JSON
at all is moved aside, not overwritten, so nothing the user wrote is lost.

The app reads them before its window is first seen: what only some files need (the
working hours' parser, the date that names a file set aside) is imported when one does.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loosen.core.duration import DurationError, format_duration, parse_window
from loosen.core.schema import Field, Shape
from loosen.core.settings_schema import (
    BEEPS,
    COUNTDOWN,
    MUTED,
    RATE_SHORT_BREAKS,
    RATE_WPM,
    REMINDER_EVERY,
    REMINDER_ROUTINE,
    REMINDERS,
    SAFETY_NOTE_DISMISSED_AT,
    SEEN_WELCOME,
    SETTINGS,
    SPEAK,
    START_AT_LOGIN,
    START_FULL_SCREEN,
    THEME,
    VOICE,
    VOLUME,
    WORKING_HOURS,
)
from loosen.core.userfiles import UnreadableFile, read_regular_file, write_atomically

if TYPE_CHECKING:
    from loosen.core.working_hours import WorkingHours

MAX_SETTINGS_BYTES = 1024 * 1024  # a hundred times what every setting takes


@dataclass(frozen=True)
class Settings:
    """The user's settings; what each means, allows and defaults to is in settings_schema."""

    speak: bool = SPEAK.default
    voice: str | None = VOICE.default
    rate_wpm: int = RATE_WPM.default
    volume: float = VOLUME.default
    muted: bool = MUTED.default
    beeps: bool = BEEPS.default
    countdown: int | None = COUNTDOWN.default  # overrides every routine's; None = as written
    start_full_screen: bool = START_FULL_SCREEN.default
    theme: str = THEME.default
    seen_welcome: bool = SEEN_WELCOME.default
    reminders: bool = REMINDERS.default
    reminder_routine: str = REMINDER_ROUTINE.default
    reminder_every: str = REMINDER_EVERY.default
    working_hours: str = WORKING_HOURS.default  # "" = any time
    start_at_login: bool = START_AT_LOGIN.default
    rate_short_breaks: bool = RATE_SHORT_BREAKS.default
    safety_note_dismissed_at: str | None = SAFETY_NOTE_DISMISSED_AT.default


def reminder_every_ok(value: str) -> bool:
    """True for an interval or a window that the reminders setting allows."""
    return _valid(REMINDER_EVERY, value)


def working_hours(text: str) -> WorkingHours | None:
    """The working hours a setting's text names; None for any time (empty).
    HoursError, saying what is allowed, for anything else."""
    if not text.strip():
        return None
    from loosen.core.working_hours import parse_hours

    return parse_hours(text)


def working_hours_problem(text: str) -> str | None:
    """Why `text` is not working hours, in words; None when it is (or is empty)."""
    if not text.strip():
        return None
    from loosen.core.working_hours import HoursError

    try:
        working_hours(text)
    except HoursError as exc:
        return str(exc)
    return None


def _within(field: Field, value: float) -> bool:
    low, high = field.bounds()
    return low <= value <= high


def _valid(field: Field, value: Any) -> bool:
    """Whether `value` is one the field allows; true is never a number here."""
    if value is None:
        return field.nullable
    match field.shape:
        case Shape.FLAG:
            return isinstance(value, bool)
        case Shape.TEXT:
            return isinstance(value, str) and _within(field, len(value))
        case Shape.COUNT:
            return isinstance(value, int) and not isinstance(value, bool) and _within(field, value)
        case Shape.FRACTION:
            return (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and _within(field, value)
            )
        case Shape.CHOICE:
            return isinstance(value, str) and value in field.values
        case Shape.ROUTINE_ID:
            return isinstance(value, str) and re.fullmatch(field.pattern, value) is not None
        case Shape.WINDOW:
            if not isinstance(value, str):
                return False
            try:
                window = parse_window(value)
            except DurationError:
                return False
            low, high = field.bounds()
            return window.start_s >= low and window.end_s <= high
        case Shape.HOURS:
            return isinstance(value, str) and working_hours_problem(value) is None
    raise AssertionError(f"{field.key}: no check for {field.shape}")  # pragma: no cover


def allowed(field: Field) -> str:
    """What a setting allows, in the words a problem with it is reported in."""
    match field.shape:
        case Shape.FLAG:
            return "true or false"
        case Shape.TEXT:
            return f"{field.noun} or null" if field.nullable else field.noun
        case Shape.COUNT:
            least, most = (int(limit) for limit in field.bounds())
            if field.nullable:
                return f"{least} to {most}, or null"
            return f"a whole number from {least} to {most}"
        case Shape.FRACTION:
            return "a number from {:g} to {:g}".format(*field.bounds())
        case Shape.CHOICE:
            return " | ".join(field.values)
        case Shape.ROUTINE_ID:
            return f"a routine id like {field.example}"
        case Shape.WINDOW:
            shortest, longest = (format_duration(limit) for limit in field.bounds())
            return (
                f'a time from {shortest} to {longest} like "15m", or a window like {field.example}'
            )
        case Shape.HOURS:
            return f'days and hours like {field.example}, or "" for any time'
    raise AssertionError(f"{field.key}: no words for {field.shape}")  # pragma: no cover


def _set_aside(path: Path, why: str) -> str:
    """Move what is at `path` out of the way, whole, and say so in one line."""
    from datetime import UTC, datetime

    aside = path.with_name(f"{path.name}.unreadable-{datetime.now(UTC):%Y%m%d-%H%M%S}")
    with contextlib.suppress(OSError):
        path.replace(aside)
    return f"{path}: {why}; kept it as {aside.name} and started from the defaults"


def _read_settings_text(path: Path) -> str:
    """The file's text; UnreadableFile, ValueError (not settings) or FileNotFoundError."""
    data = read_regular_file(path, MAX_SETTINGS_BYTES)
    if len(data) > MAX_SETTINGS_BYTES:
        raise ValueError(f"over {MAX_SETTINGS_BYTES // 1024} KiB")
    return data.decode("utf-8")


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    """The settings in `path` (defaults where missing), and one line per problem found."""
    try:
        text = _read_settings_text(path)
    except FileNotFoundError:
        return Settings(), []
    except UnreadableFile as trouble:
        if trouble.not_a_file:  # a pipe, a folder, a loop: nothing of the user's in it
            return Settings(), [_set_aside(path, trouble.reason)]
        return Settings(), [f"{path}: {trouble.reason}; using the default settings"]
    except UnicodeDecodeError as exc:
        return Settings(), [f"{path}: cannot be read ({exc}); using the default settings"]
    except ValueError:
        return Settings(), [_set_aside(path, "is not valid settings")]
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except (ValueError, RecursionError):  # RecursionError: nested deeper than json can go
        return Settings(), [_set_aside(path, "is not valid settings")]
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in SETTINGS:
            continue  # a setting from a newer version: keep quiet, it is kept on save
        field = SETTINGS[key]
        if _valid(field, value):
            values[key] = float(value) if field.shape is Shape.FRACTION else value
        else:
            problems.append(
                f"{path}: {key}: {json.dumps(value)} is not allowed; use "
                f"{allowed(field)} (using the default)"
            )
    return replace(Settings(), **values), problems


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically, keeping keys this version does not know (from a newer one)."""
    existing: dict[str, Any] = {}
    with contextlib.suppress(OSError, UnreadableFile, ValueError, RecursionError):
        loaded = json.loads(_read_settings_text(path))
        if isinstance(loaded, dict):
            existing = loaded
    data = {**existing, **asdict(settings)}
    path.parent.mkdir(parents=True, exist_ok=True)
    if not _is_regular_file(path):
        _set_aside(path, "is not a file")  # a pipe or a loop holds nothing of the user's
    with write_atomically(path) as out:
        json.dump(data, out, indent=2, sort_keys=True)
        out.write("\n")


def _is_regular_file(path: Path) -> bool:
    """True when `path` is a file, or a link to one, or nothing at all (a new file)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        return not os.path.lexists(path)  # a link to nothing is set aside, not followed
    except OSError:
        return False
