"""Idle time, the locked screen and do-not-disturb read over a real private session bus,
from stand-in services in their own process; and from GNOME's settings via gsettings."""

from __future__ import annotations

import logging

import pytest
from desktops import need

from loosen.core.presence import UNKNOWN, Busy, Presence
from loosen.ui.presence import MISSING_TEXT

MUTTER = "org.gnome.Mutter.IdleMonitor"
MUTTER_IDLE = "/org/gnome/Mutter/IdleMonitor/Core org.gnome.Mutter.IdleMonitor.GetIdletime"
SCREENSAVER = "org.freedesktop.ScreenSaver"
SCREENSAVER_IDLE = "/org/freedesktop/ScreenSaver org.freedesktop.ScreenSaver.GetSessionIdleTime"
SCREENSAVER_ACTIVE = "/org/freedesktop/ScreenSaver org.freedesktop.ScreenSaver.GetActive"
GNOME_SCREENSAVER = "org.gnome.ScreenSaver"
GNOME_ACTIVE = "/org/gnome/ScreenSaver org.gnome.ScreenSaver.GetActive"
NOTIFICATIONS = "org.freedesktop.Notifications"
INHIBITED = "/org/freedesktop/Notifications org.freedesktop.Notifications.Inhibited"
NOT_SUPPORTED = {"error": "org.freedesktop.DBus.Error.NotSupported"}
LOG_NAME = "loosen.ui.presence.reader"
HUNG_SERVICE_LIMIT_MS = 2000  # what a short wait means to a reminder that is due


def look(qtbot, reader) -> Presence:
    with qtbot.waitSignal(reader.updated, timeout=5000) as looked:
        reader.refresh()
    return looked.args[0]


def test_gnome_on_wayland_gives_mutter_idle_time_in_seconds(qtbot, desktop_services, make_reader):
    # GNOME owns the freedesktop name too, but does not implement its idle time.
    desktop_services(
        [MUTTER, SCREENSAVER, GNOME_SCREENSAVER],
        {
            MUTTER_IDLE: 4200,
            SCREENSAVER_IDLE: NOT_SUPPORTED,
            SCREENSAVER_ACTIVE: False,
            GNOME_ACTIVE: False,
        },
    )
    reader = make_reader()
    assert look(qtbot, reader) == Presence(idle_s=4.2, locked=False, busy=None)
    assert reader.available() and reader.missing_text() is None


def test_kde_gives_screensaver_idle_time_and_its_lock(qtbot, desktop_services, make_reader):
    desktop_services([SCREENSAVER], {SCREENSAVER_IDLE: 75, SCREENSAVER_ACTIVE: True})
    reader = make_reader()
    assert look(qtbot, reader) == Presence(idle_s=75.0, locked=True, busy=None)
    assert reader.available()


def test_mutter_is_preferred_when_both_answer(qtbot, desktop_services, make_reader):
    desktop_services([MUTTER, SCREENSAVER], {MUTTER_IDLE: 1500, SCREENSAVER_IDLE: 99})
    assert look(qtbot, make_reader()).idle_s == 1.5


def test_gnome_lock_screen_is_locked(qtbot, desktop_services, make_reader):
    desktop_services([MUTTER, GNOME_SCREENSAVER], {MUTTER_IDLE: 0, GNOME_ACTIVE: True})
    assert look(qtbot, make_reader()) == Presence(idle_s=0.0, locked=True, busy=None)


def test_inhibited_notifications_are_do_not_disturb(qtbot, desktop_services, make_reader):
    desktop_services([SCREENSAVER, NOTIFICATIONS], {SCREENSAVER_IDLE: 3, INHIBITED: True})
    assert look(qtbot, make_reader()).busy is Busy.DO_NOT_DISTURB


def test_notifications_not_inhibited_are_not_busy(qtbot, desktop_services, make_reader):
    desktop_services([SCREENSAVER, NOTIFICATIONS], {SCREENSAVER_IDLE: 3, INHIBITED: False})
    assert look(qtbot, make_reader()).busy is None


def test_an_empty_desktop_says_it_cannot_tell_once_and_raises_nothing(qtbot, make_reader, caplog):
    caplog.set_level(logging.INFO, logger=LOG_NAME)
    reader = make_reader()
    assert reader.missing_text() is None  # nothing said before it has looked
    assert look(qtbot, reader) == UNKNOWN
    assert not reader.available()
    assert reader.missing_text() == MISSING_TEXT
    dropped = [record.getMessage() for record in caplog.records if record.name == LOG_NAME]
    assert any(MUTTER in line for line in dropped)
    assert any("org.freedesktop.ScreenSaver" in line for line in dropped)
    caplog.clear()
    assert look(qtbot, reader) == UNKNOWN  # asked again: the dropped sources stay quiet
    assert not [record for record in caplog.records if record.name == LOG_NAME]


def test_a_failing_source_is_dropped_and_the_next_one_answers(qtbot, desktop_services, make_reader):
    desktop_services(
        [MUTTER, SCREENSAVER],
        {MUTTER_IDLE: {"error": "org.freedesktop.DBus.Error.Failed"}, SCREENSAVER_IDLE: 12},
    )
    reader = make_reader()
    assert look(qtbot, reader).idle_s == 12.0
    assert look(qtbot, reader).idle_s == 12.0


def test_an_answer_of_the_wrong_kind_drops_that_source(qtbot, desktop_services, make_reader):
    desktop_services([MUTTER], {MUTTER_IDLE: "a while"})
    reader = make_reader()
    assert look(qtbot, reader) == UNKNOWN
    assert reader.missing_text() == MISSING_TEXT


def test_a_hung_service_costs_one_short_timeout_then_is_dropped(
    qtbot, desktop_services, make_reader
):
    desktop_services([MUTTER, SCREENSAVER], {MUTTER_IDLE: {"silent": True}, SCREENSAVER_IDLE: 5})
    reader = make_reader()
    # The refresh returns at once; the answer comes when the hung call times out.
    with qtbot.waitSignal(reader.updated, timeout=HUNG_SERVICE_LIMIT_MS) as looked:
        reader.refresh()
        assert reader.read() == UNKNOWN
    assert looked.args[0].idle_s == 5.0


@pytest.fixture
def gnome_settings(quiet_desktop, isolated_user_dirs, monkeypatch):
    """GNOME's settings in a key file (what dconf keeps), read by the real gsettings."""
    need("gsettings")
    monkeypatch.setenv("GSETTINGS_BACKEND", "keyfile")
    keyfile = isolated_user_dirs / "config" / "glib-2.0" / "settings" / "keyfile"
    keyfile.parent.mkdir(parents=True)

    def set_show_banners(shown: bool) -> None:
        keyfile.write_text(
            f"[org/gnome/desktop/notifications]\nshow-banners={str(shown).lower()}\n"
        )

    return set_show_banners


@pytest.mark.parametrize(("shown", "busy"), [(False, Busy.DO_NOT_DISTURB), (True, None)])
def test_gnome_banners_hidden_are_do_not_disturb(
    qtbot, make_reader, gnome_settings, desktop_services, shown, busy
):
    gnome_settings(shown)
    desktop_services([MUTTER], {MUTTER_IDLE: 10})
    assert look(qtbot, make_reader()) == Presence(idle_s=0.01, busy=busy)
