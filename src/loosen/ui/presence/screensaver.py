"""Idle time and the locked screen as the desktop's own services tell them over D-Bus.

GNOME (Wayland or X11) answers through Mutter's IdleMonitor and org.gnome.ScreenSaver;
KDE Plasma, Xfce and others through org.freedesktop.ScreenSaver. GNOME also owns the
freedesktop name but answers GetSessionIdleTime with an error: that source is then
dropped and Mutter's is used.
"""

from __future__ import annotations

from loosen.ui.presence.bus import BusQuestion, read_bool, read_count

MS_PER_S = 1000.0

MUTTER_IDLE = BusQuestion(
    what="GNOME idle time (org.gnome.Mutter.IdleMonitor)",
    service="org.gnome.Mutter.IdleMonitor",
    path="/org/gnome/Mutter/IdleMonitor/Core",
    interface="org.gnome.Mutter.IdleMonitor",
    method="GetIdletime",
    reads=lambda value: read_count(value) / MS_PER_S,  # milliseconds
)

SCREENSAVER_IDLE = BusQuestion(
    what="idle time (org.freedesktop.ScreenSaver)",
    service="org.freedesktop.ScreenSaver",
    path="/org/freedesktop/ScreenSaver",
    interface="org.freedesktop.ScreenSaver",
    method="GetSessionIdleTime",
    reads=lambda value: float(read_count(value)),  # seconds
)

FREEDESKTOP_LOCKED = BusQuestion(
    what="locked screen (org.freedesktop.ScreenSaver)",
    service="org.freedesktop.ScreenSaver",
    path="/org/freedesktop/ScreenSaver",
    interface="org.freedesktop.ScreenSaver",
    method="GetActive",
    reads=read_bool,
)

GNOME_LOCKED = BusQuestion(
    what="locked screen (org.gnome.ScreenSaver)",
    service="org.gnome.ScreenSaver",
    path="/org/gnome/ScreenSaver",
    interface="org.gnome.ScreenSaver",
    method="GetActive",
    reads=read_bool,
)

# In order of preference: the first that answers is the idle time.
IDLE_QUESTIONS = (MUTTER_IDLE, SCREENSAVER_IDLE)
LOCK_QUESTIONS = (FREEDESKTOP_LOCKED, GNOME_LOCKED)
