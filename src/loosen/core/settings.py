"""The user's settings: what they are, their defaults, and reading and writing them safely.

Stored as JSON in the config dir. A value that is wrong is reported (file and key) and
replaced by its default; the rest of the file still counts. A file that is not JSON
at all is moved aside, not overwritten, so nothing the user wrote is lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE, MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.duration import DurationError, parse_window
from loosen.core.reminders import MIN_INTERVAL_S
from loosen.core.routine_schema import ID_PATTERN
from loosen.core.userfiles import UnreadableFile, read_regular_file, write_atomically

THEMES = ("system", "light", "dark")
MAX_SETTINGS_BYTES = 1024 * 1024  # a hundred times what every setting takes


@dataclass(frozen=True)
class Settings:
    speak: bool = True  # spoken cues; off = beeps and on-screen text only
    voice: str | None = None  # an engine voice id; None = the engine's default
    rate_wpm: int = DEFAULT_WORDS_PER_MINUTE  # speaking rate, MIN_RATE_WPM to MAX_RATE_WPM
    volume: float = 0.8  # 0.0 – 1.0
    muted: bool = False
    beeps: bool = True
    countdown: int | None = None  # overrides every routine's countdown; None = as written
    start_full_screen: bool = False
    theme: str = "system"  # system | light | dark
    seen_welcome: bool = False
    # Desk-break reminders: off until the user asks, so the app never nags unasked.
    reminders: bool = False
    reminder_routine: str = "squat-and-fold"  # a routine id
    reminder_every: str = "15-20m"  # a fixed interval or a window, as in routine files


MAX_REMINDER_S = 24 * 3600.0


def reminder_every_ok(value: str) -> bool:
    """True for an interval or window reminders may use: no shorter than a minute, a day at most."""
    try:
        window = parse_window(value)
    except DurationError:
        return False
    return window.start_s >= MIN_INTERVAL_S and window.end_s <= MAX_REMINDER_S


_CHECKS: dict[str, tuple[type | tuple[type, ...], Any, str]] = {
    # key: (types, validator, what is allowed)
    "speak": (bool, lambda v: True, "true or false"),
    "voice": ((str, type(None)), lambda v: v is None or 0 < len(v) < 200, "a voice id or null"),
    "rate_wpm": (
        int,
        lambda v: MIN_RATE_WPM <= v <= MAX_RATE_WPM,
        f"a whole number from {MIN_RATE_WPM} to {MAX_RATE_WPM}",
    ),
    "volume": ((int, float), lambda v: 0 <= v <= 1, "a number from 0 to 1"),
    "muted": (bool, lambda v: True, "true or false"),
    "beeps": (bool, lambda v: True, "true or false"),
    "countdown": ((int, type(None)), lambda v: v is None or 0 <= v <= 10, "0 to 10, or null"),
    "start_full_screen": (bool, lambda v: True, "true or false"),
    "theme": (str, lambda v: v in THEMES, " | ".join(THEMES)),
    "seen_welcome": (bool, lambda v: True, "true or false"),
    "reminders": (bool, lambda v: True, "true or false"),
    "reminder_routine": (
        str,
        lambda v: ID_PATTERN.fullmatch(v) is not None,
        'a routine id like "squat-and-fold"',
    ),
    "reminder_every": (
        str,
        reminder_every_ok,
        'a time from 1m to 24h like "15m", or a window like "15-20m"',
    ),
}


def _valid(key: str, value: Any) -> bool:
    types, check, _ = _CHECKS[key]
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        return False  # true is not a number here
    return isinstance(value, types) and check(value)


def _set_aside(path: Path, why: str) -> str:
    """Move what is at `path` out of the way, whole, and say so in one line."""
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
    known = {f.name for f in fields(Settings)}
    for key, value in data.items():
        if key not in known:
            continue  # a setting from a newer version: keep quiet, it is kept on save
        if _valid(key, value):
            values[key] = float(value) if key == "volume" else value
        else:
            problems.append(
                f"{path}: {key}: {json.dumps(value)} is not allowed; use "
                f"{_CHECKS[key][2]} (using the default)"
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
