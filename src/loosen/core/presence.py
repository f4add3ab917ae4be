"""Whether the user is at the desk and free for a break: what the reminders ask the desktop.

Plain values only; the readers that fill them in (X11, D-Bus, Windows, macOS) live in the
UI layer, and the reminder policy (reminders.py) decides what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Busy(StrEnum):
    """Why a break must wait: the user cannot take it, or be spoken to, now."""

    FULLSCREEN = "full-screen"  # a full-screen window is active (a film, a presentation)
    DO_NOT_DISTURB = "do-not-disturb"  # the desktop's notifications are silenced
    CALL = "call"  # a microphone is being recorded


@dataclass(frozen=True)
class Presence:
    """One look at the desktop.

    `idle_s` is the time since the last key press or mouse move, None when no source
    can tell (reminders then behave as if the user were always there). A locked screen
    is away whatever `idle_s` says.
    """

    idle_s: float | None = None
    locked: bool = False
    busy: Busy | None = None


UNKNOWN = Presence()
