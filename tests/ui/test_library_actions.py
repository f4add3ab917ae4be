"""The library's routine-file actions one by one: New asks a name and asks for the editor,
Edit asks for it, Undo is offered for a time on the clock, errors are one line, and the
context menu and keys do what the buttons do."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from loosen import paths
from loosen.ui.library_actions import NEW_NAME, UNDO_SHOWN_S
from loosen.ui.library_view import READ_ONLY_TIP, ROUTINE_ROLE

MINE = 'format = 1\nname = "Mine"\nkind = "break"\n\n[[steps]]\nname = "Squat"\nreps = 2\n'


@pytest.fixture
def mine(user_routines: Path) -> Path:
    path = user_routines / "mine.toml"
    path.write_text(MINE, encoding="utf-8")
    return path


@pytest.fixture
def window(qtbot, open_window, speaker, user_routines):
    made = open_window(speaker)
    with qtbot.waitActive(made):
        made.activateWindow()
    return made


def row_of(tree, routine_id: str):
    for index in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(index)
        if item.data(0, ROUTINE_ROLE) == routine_id:
            return item
    return None


def listed(window, routine_id: str) -> bool:
    return row_of(window.library_view.tree, routine_id) is not None


def keys(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    window.library_view.tree.setFocus()
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def button(view, text: str):
    return next(b for action, b in view.file_buttons.items() if action.text() == text)


def test_new_asks_a_name_makes_the_file_and_asks_for_the_editor(qtbot, window, user_routines):
    view = window.library_view
    keys(qtbot, window, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: window.library_actions.name_dialog is not None)
    dialog = window.library_actions.name_dialog
    assert dialog.field.text() == NEW_NAME and dialog.field.selectedText() == NEW_NAME

    dialog.field.clear()
    assert not dialog.ok_button.isEnabled()
    assert "empty" in dialog.problem.text()
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # refused: the dialog stays
    assert dialog.isVisible()

    qtbot.keyClicks(dialog.field, "Lunch stretch")
    with qtbot.waitSignal(view.edit_requested) as asked:
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    made = user_routines / "lunch-stretch.toml"
    assert asked.args == [made]
    assert made.is_file()
    qtbot.waitUntil(lambda: view.current_id() == "lunch-stretch")
    assert view.title.text() == "Lunch stretch"
    assert window.library.errors == ()


def test_ctrl_n_also_asks_for_a_new_routine_and_cancel_makes_nothing(qtbot, window, user_routines):
    keys(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.library_actions.name_dialog is not None)
    window.library_actions.name_dialog.reject()
    assert window.library_actions.name_dialog is None
    assert list(user_routines.iterdir()) == []


def test_edit_asks_for_the_editor_with_a_user_file_and_never_a_built_in(
    qtbot, window, mine, user_routines
):
    view = window.library_view
    qtbot.waitUntil(lambda: listed(window, "mine"))
    view.select("post-run-cooldown")
    edit = button(view, "Edit…")
    assert not edit.isEnabled() and edit.toolTip() == READ_ONLY_TIP
    view.select("mine")
    with qtbot.waitSignal(view.edit_requested) as asked:
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    assert asked.args == [mine]


def test_undo_is_offered_for_its_time_on_the_clock_then_withdrawn(qtbot, window, mine, clock):
    view, actions = window.library_view, window.library_actions
    qtbot.waitUntil(lambda: listed(window, "mine"))
    view.select("mine")
    keys(qtbot, window, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: view.undo_bar.isVisible() and not listed(window, "mine"))

    clock.advance(UNDO_SHOWN_S - 0.5)
    actions.undo_timer.timeout.emit()
    assert view.undo_bar.isVisible() and actions.undo_timer.isActive()
    clock.advance(0.5)
    actions.undo_timer.timeout.emit()
    assert not view.undo_bar.isVisible()

    keys(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not mine.exists()
    kept = list(paths.deleted_routines_dir().iterdir())
    assert [p.read_text(encoding="utf-8") for p in kept] == [MINE]  # still there, by hand


def test_the_next_change_withdraws_the_offer_to_undo(qtbot, window, mine, user_routines):
    view = window.library_view
    qtbot.waitUntil(lambda: listed(window, "mine"))
    view.select("mine")
    qtbot.mouseClick(button(view, "Delete"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.undo_bar.isVisible())
    view.select("squat-and-fold")
    keys(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not view.undo_bar.isVisible()
    qtbot.waitUntil(lambda: view.current_id() == "squat-and-fold-copy")
    assert sorted(p.name for p in user_routines.iterdir()) == ["squat-and-fold-copy.toml"]


def test_a_change_that_fails_is_one_line_naming_the_file(qtbot, window, mine):
    view = window.library_view
    blocked = paths.deleted_routines_dir()
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    qtbot.waitUntil(lambda: listed(window, "mine"))
    view.select("mine")
    keys(qtbot, window, Qt.Key.Key_Delete)

    def told() -> None:
        assert window.messages.isVisible()
        assert window.messages.messages == [
            f"mine.toml could not be set aside: {blocked} cannot be made (File exists)"
        ]

    qtbot.waitUntil(told)
    assert mine.read_text(encoding="utf-8") == MINE
    assert listed(window, "mine") and not view.undo_bar.isVisible()


# A popup menu asks the platform for these; the offscreen one has neither.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_the_context_menu_offers_the_same_actions_under_the_pointer(qtbot, window, mine):
    view, tree = window.library_view, window.library_view.tree
    qtbot.waitUntil(lambda: listed(window, "mine"))
    spot = tree.visualItemRect(row_of(tree, "mine")).center()
    tree.customContextMenuRequested.emit(spot)  # what a right click on the row sends
    menu = view.context_menu
    qtbot.waitUntil(lambda: menu.isVisible())
    assert view.current_id() == "mine"
    offered = [a.text() for a in menu.actions() if a.isVisible() and a.text()]
    assert offered == ["New…", "Duplicate", "Edit…", "Rename…", "Delete", "Undo"]
    duplicate = next(a for a in menu.actions() if a.text() == "Duplicate")
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(duplicate).center())
    qtbot.waitUntil(lambda: view.current_id() == "mine-copy")
    assert view.title.text() == "Mine (copy)"


def test_a_built_in_file_is_never_renamed_or_moved_even_when_asked(
    qtbot, open_window, speaker, tmp_path, monkeypatch
):
    """The page never asks (its buttons and keys are off for built-ins); the actions
    refuse anyway, so no caller can move a file out of Loosen's own folder."""
    import shutil

    builtins = tmp_path / "routines"
    shutil.copytree(paths.builtin_routines_dir(), builtins)
    monkeypatch.setattr(paths, "builtin_routines_dir", lambda: builtins)
    before = {p.name: p.read_bytes() for p in builtins.iterdir()}
    window = open_window(speaker)
    actions = window.library_actions

    actions.delete("post-run-cooldown")
    actions.rename("post-run-cooldown", "Mine now")
    actions.ask_rename("post-run-cooldown")
    assert actions.name_dialog is None
    actions.duplicate("squat-and-fold")  # allowed: goes to the user's folder
    qtbot.waitUntil(lambda: listed(window, "squat-and-fold-copy"))

    assert {p.name: p.read_bytes() for p in builtins.iterdir()} == before
    assert window.messages.messages == []
