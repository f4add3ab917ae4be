"""The library by keyboard and mouse: the list has focus at start, keys and clicks never
land on a group header, and the focused control is plain to see."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from loosen.ui.library_view import ROUTINE_ROLE


def routine_rows(tree) -> list[str]:
    items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item.data(0, ROUTINE_ROLE) for item in items if item.data(0, ROUTINE_ROLE)]


def focused():
    return QApplication.focusWidget()


def shown_window(qtbot, open_window, speaker):
    window = open_window(speaker)
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def assert_a_routine_is_shown(view) -> None:
    routine = view.current_routine()
    assert routine is not None, "the detail pane is blank"
    assert view.title.text() == routine.name
    assert view.start_button.isEnabled()


def test_the_routine_list_has_focus_at_start_with_the_first_routine(qtbot, open_window, speaker):
    window = shown_window(qtbot, open_window, speaker)
    view = window.library_view

    def list_focused():
        assert focused() is view.tree

    qtbot.waitUntil(list_focused)
    assert view.current_id() == routine_rows(view.tree)[0]
    assert_a_routine_is_shown(view)


def test_down_and_up_pressed_quickly_go_from_routine_to_routine(qtbot, open_window, speaker):
    window = shown_window(qtbot, open_window, speaker)
    view = window.library_view
    qtbot.waitUntil(lambda: focused() is view.tree)
    rows = routine_rows(view.tree)
    visited = [view.current_id()]
    for _ in range(len(rows) + 2):  # past the end: it stays on the last routine
        qtbot.keyClick(focused(), Qt.Key.Key_Down)
        assert_a_routine_is_shown(view)
        visited.append(view.current_id())
    assert list(dict.fromkeys(visited)) == rows
    for _ in range(len(rows) + 2):
        qtbot.keyClick(focused(), Qt.Key.Key_Up)
        assert_a_routine_is_shown(view)
    assert view.current_id() == rows[0]
    qtbot.keyClick(focused(), Qt.Key.Key_End)
    qtbot.keyClick(focused(), Qt.Key.Key_Home)
    assert view.current_id() == rows[0]
    assert_a_routine_is_shown(view)


def test_clicking_a_group_header_keeps_the_routine_on_show(qtbot, open_window, speaker):
    window = shown_window(qtbot, open_window, speaker)
    view, tree = window.library_view, window.library_view.tree
    header = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0) == "Cooldowns"
    )
    before = view.current_id()
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(header).center()
    )
    assert view.current_id() == before
    assert_a_routine_is_shown(view)
    assert header.text(0) == "Cooldowns" and tree.visualItemRect(header).height() > 0


def ring_pixels(widget) -> int:
    """How many pixels of the focus colour the widget shows."""
    from loosen.ui.style import focus_colour

    image = widget.grab().toImage()
    colour = focus_colour().rgb()
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixel(x, y) == colour
    )


@pytest.fixture
def app_style(qapp):
    """The app's own style, as `loosen` installs it; the previous one back afterwards."""
    from loosen.ui.style import install_style

    before = qapp.style().name()
    install_style(qapp)
    yield
    qapp.setStyle(before)


def test_the_focused_control_has_a_ring_plain_to_see(qtbot, app_style, open_window, speaker):
    window = shown_window(qtbot, open_window, speaker)
    view = window.library_view
    for widget in (view.start_button, view.history_button, view.tree):
        widget.setFocus()
        qtbot.waitUntil(lambda widget=widget: focused() is widget)
        size = widget.size()
        assert ring_pixels(widget) >= 2 * (size.width() + size.height()), widget.objectName()
    view.start_button.setFocus()
    qtbot.waitUntil(lambda: focused() is view.start_button)
    assert ring_pixels(view.history_button) == 0  # only the focused one has it
