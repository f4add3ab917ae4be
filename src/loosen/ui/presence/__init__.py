"""What the desktop says about the user: idle time, a locked screen, a busy moment.

One module per source (X11, D-Bus, gsettings, PulseAudio, Windows and macOS), each
with one job; `PresenceReader` asks them all without blocking the UI thread and hands
the reminders one `loosen.core.presence.Presence`.
"""

from loosen.ui.presence.reader import MISSING_TEXT, PresenceReader

__all__ = ["MISSING_TEXT", "PresenceReader"]
