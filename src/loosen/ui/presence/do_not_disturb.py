"""Whether the desktop's do-not-disturb is on: GNOME's banners, freedesktop's Inhibited.

GNOME keeps it in the setting `org.gnome.desktop.notifications show-banners` (false =
do not disturb), read with `gsettings` in a process; KDE Plasma and others publish the
`Inhibited` property of the notification server.
"""

from __future__ import annotations

from loosen.ui.presence.bus import property_question, read_bool
from loosen.ui.presence.processes import CommandQuestion

NOTIFICATIONS_INHIBITED = property_question(
    what="do-not-disturb (org.freedesktop.Notifications Inhibited)",
    service="org.freedesktop.Notifications",
    path="/org/freedesktop/Notifications",
    interface="org.freedesktop.Notifications",
    name="Inhibited",
    reads=read_bool,
)


def banners_hidden(output: str) -> bool:
    """`gsettings get` prints "true" or "false"; banners hidden is do-not-disturb."""
    value = output.strip()
    if value not in ("true", "false"):
        raise ValueError(f"expected true or false, got {value!r}")
    return value == "false"


GNOME_BANNERS = CommandQuestion(
    what="do-not-disturb (GNOME show-banners)",
    program="gsettings",
    arguments=("get", "org.gnome.desktop.notifications", "show-banners"),
    reads=banners_hidden,
)
