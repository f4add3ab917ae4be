"""What a person does in the library and the player, for the journey tests: click a row,
click Start, let time pass on the fake clock, answer the questions the app asks (the stop
question, the rating dialog) on the open dialogs themselves, with keys and clicks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPushButton

from loosen.ui.main_window import MainWindow
from loosen.ui.player_view import PlayerView
from loosen.ui.rating import Rating, RatingDialog


def click_routine(qtbot, window: MainWindow, name: str) -> None:
    """Click the routine's row in the library, where it is drawn."""
    tree = window.library_view.tree
    (item,) = tree.findItems(name, Qt.MatchFlag.MatchExactly, 0)
    tree.scrollToItem(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())


def play(player: PlayerView, clock, seconds: float) -> None:
    """Let `seconds` pass as Qt would: each time the driver's timer is due, the clock
    moves on by its interval and the timer fires (never a real wait)."""
    end = clock.now() + seconds
    while player.session.phase is not None and clock.now() < end:
        timer = player.driver.timer
        if not timer.isActive():  # paused, or waiting for "done": time passes unseen
            clock.advance(end - clock.now())
            return
        clock.advance(min(max(timer.interval(), 1) / 1000, end - clock.now()))
        timer.timeout.emit()


def rating_dialog(qtbot, window: MainWindow) -> RatingDialog:
    """The rating dialog the session's end opened, once it has the keyboard."""
    qtbot.waitUntil(lambda: _shown(window.rating_dialog))
    dialog = window.rating_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)  # the keys go to it
    return dialog


def rate_with_keys(qtbot, window: MainWindow, keys: str, final=Qt.Key.Key_Return) -> Rating:
    """Answer the open rating dialog with keys, as a person does: digits, then Enter."""
    dialog = rating_dialog(qtbot, window)
    if keys:
        qtbot.keyClicks(dialog, keys)
    qtbot.keyClick(dialog, final)
    rating = dialog.rating()
    qtbot.waitUntil(lambda: window.rating_dialog is None)  # closed, once the rating is written
    return rating


def rate_in_player(qtbot, window: MainWindow, key: str) -> None:
    """After a short desk break: the one key the player asks for, as a person presses it."""
    active = window.active
    assert active is not None
    player = active.view
    qtbot.waitUntil(player.after_row.isVisible)
    assert window.rating_dialog is None  # no dialog over the desk
    back_to_window(qtbot, window)
    qtbot.keyClicks(player, key)
    qtbot.waitUntil(lambda: window.active is None)  # written, and the session left


def rate_by_clicking(qtbot, window: MainWindow, value: int) -> Rating:
    """Click a value in the open rating dialog, then Save."""
    dialog = rating_dialog(qtbot, window)
    click(qtbot, dialog.row.buttons[value])
    click(qtbot, dialog.ok_button)
    rating = dialog.rating()
    qtbot.waitUntil(lambda: window.rating_dialog is None)  # closed, once the rating is written
    return rating


def answer_stop_question(qtbot, player: PlayerView, answer: str) -> str:
    """Click `answer` ("Yes" or "No") on the question Esc (or a close) opened; its text."""
    qtbot.waitUntil(lambda: _shown(player.stop_question))
    box = player.stop_question
    assert box is not None
    text = box.text()
    (button,) = [b for b in box.buttons() if b.text().replace("&", "") == answer]
    click(qtbot, button)
    assert player.stop_question is None
    return text


def back_to_window(qtbot, window: MainWindow) -> None:
    """A window manager gives the keyboard back to the window once a dialog over it has
    closed; the offscreen platform has none, so the test does what it would."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _shown(widget) -> bool:
    return widget is not None and widget.isVisible()


def records(window: MainWindow):
    return window.history.submit(lambda store: store.sessions()).result(timeout=10)


def save_dialog(qtbot, parent) -> QFileDialog:
    """The save dialog open over `parent` (window-modal, so the app runs on meanwhile)."""

    def shown() -> QFileDialog | None:
        return next((d for d in parent.findChildren(QFileDialog) if d.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None)
    dialog = shown()
    assert dialog is not None and dialog.isModal()
    return dialog


def save_as(qtbot, parent, path: Path) -> None:
    """Paste `path` into the open save dialog's file name and click Save. (Pasted, not
    typed: each key typed would open the name completer's popup.)"""
    dialog = save_dialog(qtbot, parent)
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    name.setText(str(path))
    (save,) = [b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Save"]
    qtbot.waitUntil(save.isEnabled)  # once the dialog has looked at the folder typed
    click(qtbot, save)
    assert not dialog.isVisible()


def cancel_save(qtbot, parent) -> None:
    """Click Cancel in the open save dialog."""
    dialog = save_dialog(qtbot, parent)
    (cancel,) = [
        b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Cancel"
    ]
    click(qtbot, cancel)
    assert not dialog.isVisible()
