"""Idle time and full-screen windows read from a real X server (Xvfb), moved by xdotool."""

from __future__ import annotations

import pytest
from desktops import move_mouse

from loosen.core.presence import Busy
from loosen.ui.presence.x11 import X11Desktop

IDLE_GROWTH_S = 0.3  # enough to tell growth from the server's millisecond rounding


@pytest.fixture
def desktop(on_x_display):
    opened = X11Desktop.open()
    assert opened is not None, "Xvfb has MIT-SCREEN-SAVER: the X11 source must open"
    yield opened
    opened.close()


def test_idle_time_grows_untouched_and_drops_when_the_mouse_moves(qtbot, on_x_display, desktop):
    move_mouse(on_x_display, 10, 10)
    start = desktop.idle_s()
    assert start is not None and start < 5.0

    def grown():
        idle = desktop.idle_s()
        assert idle is not None and idle >= start + IDLE_GROWTH_S

    qtbot.waitUntil(grown, timeout=5000)
    before_move = desktop.idle_s()
    move_mouse(on_x_display, 200, 150)
    after_move = desktop.idle_s()
    assert after_move is not None and before_move is not None
    assert after_move < before_move
    assert after_move < IDLE_GROWTH_S


def test_the_reader_takes_idle_time_from_x11_first(qtbot, on_x_display, make_reader):
    move_mouse(on_x_display, 30, 30)
    reader = make_reader()
    with qtbot.waitSignal(reader.updated) as looked:
        reader.refresh()
    presence = looked.args[0]
    assert presence.idle_s is not None and 0 <= presence.idle_s < 5.0
    assert reader.read() == presence
    assert reader.available() and reader.missing_text() is None


def test_a_bare_x_server_says_nothing_about_full_screen(on_x_display, desktop):
    # No window manager: nobody says which window is active.
    assert desktop.fullscreen_active() is None


def test_a_full_screen_window_is_busy_and_an_ordinary_one_is_not(
    qtbot, window_manager, x_window, desktop, make_reader
):
    def window_manager_says(fullscreen):
        def check():
            assert desktop.fullscreen_active() is fullscreen

        return check

    def reader_says(busy):
        def check():
            reader.refresh()
            assert reader.read().busy is busy

        return check

    qtbot.waitUntil(window_manager_says(False), timeout=5000)  # openbox is up
    reader = make_reader()
    with qtbot.waitSignal(reader.updated):
        reader.refresh()
    assert reader.read().busy is None
    tell(x_window, "full")
    qtbot.waitUntil(reader_says(Busy.FULLSCREEN), timeout=5000)
    tell(x_window, "normal")
    qtbot.waitUntil(reader_says(None), timeout=5000)


def tell(window, command: str) -> None:
    window.stdin.write(command + "\n")
    window.stdin.flush()


def test_no_x11_source_in_a_wayland_session(on_x_display, monkeypatch):
    # XWayland sees only X programs' input: a user typing elsewhere would look idle.
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert X11Desktop.open() is None
