"""Journey: everything by keyboard, with F1 (or ?) showing the keys.

On each screen (library, player, rating, summary, history, editor) a person presses F1
and reads the keys of that screen, the same ones its shortcuts are made from; then
presses some of them and sees what they do. The keys window never blocks: the screen
behind it goes on.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from loosen.core.session import State
from loosen.ui.keymap import (
    EDITOR_KEYS,
    HISTORY_KEYS,
    LIBRARY_KEYS,
    PLAYER_KEYS,
    RATING_KEYS,
    SUMMARY_KEYS,
    Key,
)
from loosen.ui.keys_help import KeysHelp
from loosen.ui.player_view import PlayerView
from player_journey import back_to_window, click, click_routine, play, rating_dialog


def help_on(qtbot, screen, key=Qt.Key.Key_F1) -> KeysHelp:
    """Press F1 (or ?) where the keyboard is on `screen`; the keys window it opens."""
    target = QApplication.focusWidget()
    assert target is not None and (target is screen or screen.isAncestorOf(target)), target
    qtbot.keyClick(target, key)
    shown = screen.findChild(KeysHelp)
    assert shown is not None and shown.isVisible(), "F1 showed no keys"
    assert not shown.isModal()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown)  # the keys go to it
    return shown


def assert_lists(shown: KeysHelp, table: tuple[Key, ...]) -> None:
    """Every key of the screen is listed, with what it does, and nothing else is."""
    listed = shown.listed()
    assert listed == [(entry.label, entry.does) for entry in table]
    named = {key for keys, _ in listed for key in keys.replace(" or ", ", ").split(", ")}
    for entry in table:
        for key in () if entry.shown else entry.keys:
            # Each key is there by its own name ("Ctrl+D", "Del", "Space").
            assert QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) in named
    assert {"F1", "?"} <= named


def close_help(qtbot, shown: KeysHelp) -> None:
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert not shown.isVisible()


def test_the_player_lists_its_keys_and_each_works(qtbot, open_window, speaker, clock):
    window = open_window(speaker)
    window.activateWindow()
    qtbot.waitActive(window)
    library = window.library_view
    shown = help_on(qtbot, library)
    assert_lists(shown, LIBRARY_KEYS)
    for label in ("Ins or Ctrl+N", "Ctrl+D", "F2", "Del", "Ctrl+Z"):
        assert label in [keys for keys, _ in shown.listed()]
    close_help(qtbot, shown)
    back_to_window(qtbot, window)

    click_routine(qtbot, window, "Post-run cooldown")
    click(qtbot, library.start_button)
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    play(player, clock, 5 + 10)
    # ? too, as on many a web page; the session runs on behind the keys window.
    shown = help_on(qtbot, player, Qt.Key.Key_Question)
    assert_lists(shown, PLAYER_KEYS)
    assert ("Space", "Pause or resume") in shown.listed()
    play(player, clock, 2)
    assert player.time_label.text() == "0:28"
    close_help(qtbot, shown)
    back_to_window(qtbot, window)

    press = qtbot.keyClick
    press(player, Qt.Key.Key_Space)
    assert player.session.state is State.PAUSED
    press(player, Qt.Key.Key_Space)
    assert player.session.state is State.RUNNING
    first = player.side_label.text()
    press(player, Qt.Key.Key_N)
    assert player.kind_label.text() == "Switch sides"
    press(player, Qt.Key.Key_P)
    assert (player.kind_label.text(), player.side_label.text()) == ("Work", first)
    press(player, Qt.Key.Key_Right)
    press(player, Qt.Key.Key_Left)
    assert (player.kind_label.text(), player.side_label.text()) == ("Work", first)
    press(player, Qt.Key.Key_M)
    assert speaker.muted and player.mute_button.isVisible()
    press(player, Qt.Key.Key_M)
    assert not speaker.muted
    press(player, Qt.Key.Key_F)
    assert window.isFullScreen()
    press(player, Qt.Key.Key_F)
    assert not window.isFullScreen()

    # Esc asks; Yes stops; the rating asks next, and F1 lists its keys too.
    press(player, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: player.stop_question is not None and player.stop_question.isVisible())
    press(player.stop_question, Qt.Key.Key_Y)
    dialog = rating_dialog(qtbot, window)
    shown = help_on(qtbot, dialog)
    assert_lists(shown, RATING_KEYS)
    close_help(qtbot, shown)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    press(dialog, Qt.Key.Key_4)
    # Tab: into the note, where digits are words, not ratings.
    press(dialog, Qt.Key.Key_Tab)
    assert dialog.note.hasFocus()
    qtbot.keyClicks(dialog.note, "stiff 2 days")
    assert dialog.row.value == 4
    press(dialog.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.rating_dialog is None)

    back_to_window(qtbot, window)
    summary = window.summary_page
    qtbot.waitUntil(lambda: window.stack.currentWidget() is summary)
    summary.setFocus()
    shown = help_on(qtbot, summary)
    assert_lists(shown, SUMMARY_KEYS)
    close_help(qtbot, shown)
    back_to_window(qtbot, window)
    press(summary, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is library


def test_history_lists_its_keys_and_esc_goes_back(qtbot, open_window, speaker):
    window = open_window(speaker)
    window.activateWindow()
    qtbot.waitActive(window)
    click(qtbot, window.library_view.history_button)
    page = window.history_view
    assert page is not None and window.stack.currentWidget() is page
    page.table.setFocus()
    shown = help_on(qtbot, page)
    assert_lists(shown, HISTORY_KEYS)
    close_help(qtbot, shown)
    back_to_window(qtbot, window)
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.library_view


def test_the_editor_lists_its_keys_and_esc_closes_it(
    qtbot, open_window, speaker, user_routines: Path
):
    path = user_routines / "mine.toml"
    path.write_text(
        'format = 1\nname = "Mine"\nkind = "cooldown"\n\n[[steps]]\nname = "Hug"\n'
        'duration = "20s"\n',
        encoding="utf-8",
    )
    window = open_window(speaker)
    editor = window.open_editor(path)
    assert editor is not None
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    shown = help_on(qtbot, editor)
    assert_lists(shown, EDITOR_KEYS)
    assert ("Ctrl+S", "Save the routine") in shown.listed()
    close_help(qtbot, shown)
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not editor.isVisible())


def test_the_library_edits_with_ctrl_e_and_starts_with_enter(
    qtbot, open_window, speaker, user_routines: Path
):
    (user_routines / "mine.toml").write_text(
        'format = 1\nname = "Mine"\nkind = "cooldown"\n\n[[steps]]\nname = "Hug"\n'
        'duration = "20s"\n',
        encoding="utf-8",
    )
    window = open_window(speaker)
    window.activateWindow()
    qtbot.waitActive(window)
    library = window.library_view
    click_routine(qtbot, window, "Mine")
    qtbot.keyClick(library.tree, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    (editor,) = window.editors
    qtbot.waitUntil(editor.isVisible)
    editor.close()
    back_to_window(qtbot, window)
    # A built-in cannot be edited: Ctrl+E there opens nothing.
    click_routine(qtbot, window, "Post-run cooldown")
    qtbot.keyClick(library.tree, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.editors)
    qtbot.keyClick(library.tree, Qt.Key.Key_Return)
    assert isinstance(window.stack.currentWidget(), PlayerView)
    window.stop_active_session()
