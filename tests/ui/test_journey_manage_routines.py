"""Journey: managing routines without a text editor, with the mouse and the keys.

A person with some history clicks a built-in routine and duplicates it with the
Duplicate button, renames the copy with F2 (typing fast, OK clicked), deletes it with
Del and takes it back with the Undo button; finds that built-ins cannot be renamed or
deleted; puts a built-in back over their own copy of it with Restore built-in, and
Ctrl+Z brings the copy back; renames again and closes the window with the question
open. The files hold what the person asked, byte for byte, and the history never
changes.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from history_testing import FixedNow
from loosen import paths
from loosen.core.history import HistoryStore, Status
from loosen.ui.library_view import RESTORE_TIP, ROUTINE_ROLE
from loosen.ui.main_window import MainWindow

DONE = [  # (routine, name, kind): a session of each, rated
    ("post-run-cooldown", "Post-run cooldown", "cooldown"),
    ("squat-and-fold", "Squat and fold", "break"),
]
MY_SQUATS = "My squats"


@pytest.fixture
def some_history() -> None:
    now = FixedNow(datetime(2026, 11, 16, 18, tzinfo=UTC))
    with HistoryStore.open(paths.history_db(), now=now) as store:
        for routine, name, kind in DONE:
            record = store.start_session(routine, name, kind, planned_s=600.0, tightness_before=6)
            now.advance(minutes=10)
            store.finish_session(record.uid, Status.COMPLETED, active_s=600.0, steps_done=6)
            store.rate(record.uid, 4, "looser")
            now.advance(days=1)


def sessions(window: MainWindow):
    return window.history.submit(lambda store: store.sessions()).result(timeout=10)


def row_of(tree, routine_id: str):
    for index in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(index)
        if item.data(0, ROUTINE_ROLE) == routine_id:
            return item
    return None


def click(qtbot, widget, pos=None) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(
        widget, Qt.MouseButton.LeftButton, pos=widget.rect().center() if pos is None else pos
    )


def click_row(qtbot, tree, routine_id: str) -> None:
    item = row_of(tree, routine_id)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )


def back_to(qtbot, window) -> None:
    """The window active again once a dialog over it closed (a window manager does this;
    the offscreen platform does not)."""
    with qtbot.waitActive(window):
        window.activateWindow()


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def test_duplicate_rename_delete_undo_and_restore_a_built_in(
    qtbot, open_window, speaker, user_routines, some_history
):
    builtin_cooldown = paths.builtin_routines_dir() / "post-run-cooldown.toml"
    window = open_window(speaker)
    back_to(qtbot, window)
    view, tree = window.library_view, window.library_view.tree
    history = sessions(window)
    assert len(history) == 2

    def shown(routine_id: str, name: str) -> None:
        item = row_of(tree, routine_id)
        assert item is not None and item.text(0) == name
        assert view.current_id() == routine_id and view.title.text() == name

    def buttons():
        return {action.text(): button for action, button in view.file_buttons.items()}

    # Duplicate a built-in: the copy is the user's, selected, every line but two alike.
    click_row(qtbot, tree, "post-run-cooldown")
    assert not buttons()["Rename…"].isEnabled() and not buttons()["Delete"].isEnabled()
    click(qtbot, buttons()["Duplicate"])
    qtbot.waitUntil(lambda: shown("post-run-cooldown-copy", "Post-run cooldown (copy)"))
    copy = user_routines / "post-run-cooldown-copy.toml"
    original_lines = builtin_cooldown.read_text(encoding="utf-8").splitlines()
    copy_lines = copy.read_text(encoding="utf-8").splitlines()
    assert [a for a, b in zip(original_lines, copy_lines, strict=True) if a != b] == [
        'id = "post-run-cooldown"',
        'name = "Post-run cooldown"',
    ]
    assert sessions(window) == history

    # Rename it with F2, typing fast; the id and the file stay.
    tree.setFocus()
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.library_actions.name_dialog is not None)
    dialog = window.library_actions.name_dialog
    assert dialog.field.text() == "Post-run cooldown (copy)"
    qtbot.keyClicks(dialog.field, "Evening cooldown")  # replaces the selected name
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: shown("post-run-cooldown-copy", "Evening cooldown"))
    renamed = copy.read_bytes()
    assert b'id = "post-run-cooldown-copy"' in renamed
    assert b'name = "Evening cooldown"' in renamed
    assert sorted(p.name for p in user_routines.iterdir()) == ["post-run-cooldown-copy.toml"]

    # Delete it with Del: gone, with an Undo bar; the Undo button brings back its bytes.
    back_to(qtbot, window)
    tree.setFocus()
    press(qtbot, window, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: row_of(tree, "post-run-cooldown-copy") is None)
    qtbot.waitUntil(lambda: view.undo_bar.isVisible())
    assert "Evening cooldown" in view.undo_text.text()
    assert not copy.exists()
    assert view.current_routine() is not None  # a neighbour, never a blank pane
    click(qtbot, view.undo_button)
    qtbot.waitUntil(lambda: shown("post-run-cooldown-copy", "Evening cooldown"))
    assert copy.read_bytes() == renamed
    assert not view.undo_bar.isVisible()
    assert sessions(window) == history

    # Built-ins: F2 and Del do nothing, and the buttons say why.
    click_row(qtbot, tree, "squat-and-fold")
    press(qtbot, window, Qt.Key.Key_F2)
    press(qtbot, window, Qt.Key.Key_Delete)
    assert window.library_actions.name_dialog is None
    assert row_of(tree, "squat-and-fold") is not None
    assert "Duplicate" in buttons()["Rename…"].toolTip()
    assert not buttons()["Restore built-in"].isVisible()

    # The user's own copy of a built-in (written with an editor): Restore built-in.
    builtin_squats = paths.builtin_routines_dir() / "squat-and-fold.toml"
    mine = user_routines / "my-squats.toml"
    mine_text = builtin_squats.read_text(encoding="utf-8").replace(
        'name = "Squat and fold"', f'name = "{MY_SQUATS}"'
    )
    mine.write_text(mine_text, encoding="utf-8")
    qtbot.waitUntil(lambda: row_of(tree, "squat-and-fold").text(0) == MY_SQUATS, timeout=10_000)
    click_row(qtbot, tree, "squat-and-fold")
    assert not buttons()["Delete"].isVisible()
    restore = buttons()["Restore built-in"]
    assert restore.toolTip() == RESTORE_TIP
    assert "Your copy replaces the built-in." in RESTORE_TIP
    click(qtbot, restore)
    qtbot.waitUntil(lambda: shown("squat-and-fold", "Squat and fold"))
    qtbot.waitUntil(lambda: view.undo_bar.isVisible())
    assert not mine.exists()
    assert buttons()["Duplicate"].isEnabled() and not buttons()["Rename…"].isEnabled()
    tree.setFocus()
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shown("squat-and-fold", MY_SQUATS))
    assert mine.read_text(encoding="utf-8") == mine_text
    assert sessions(window) == history

    # Rename again, and close the window with the question open: nothing changes.
    click_row(qtbot, tree, "post-run-cooldown-copy")
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.library_actions.name_dialog is not None)
    qtbot.keyClicks(window.library_actions.name_dialog.field, "Never saved")
    window.close()
    assert copy.read_bytes() == renamed
    assert mine.read_text(encoding="utf-8") == mine_text
    with HistoryStore.open(paths.history_db()) as store:
        assert store.sessions() == history
