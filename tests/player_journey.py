"""What a person does in the library and the player, for the journey tests: click a row,
click Start, let time pass on the fake clock, answer the rating with keys."""

from __future__ import annotations

from PySide6.QtCore import Qt

from loosen.ui.main_window import MainWindow
from loosen.ui.player_view import PlayerView
from loosen.ui.rating import RatingDialog


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


def rate_with_keys(qtbot, keys: str, final=Qt.Key.Key_Return):
    """Stands in for MainWindow.ask_rating: the real dialog, answered with keys."""

    def ask(commit, summary):
        dialog = RatingDialog(commit, summary)
        qtbot.addWidget(dialog)
        dialog.show()
        with qtbot.waitActive(dialog):  # as exec() would make it
            dialog.activateWindow()
        if keys:
            qtbot.keyClicks(dialog, keys)
        qtbot.keyClick(dialog, final)
        return dialog.result_rating

    return staticmethod(ask)


def records(window: MainWindow):
    return window.history.submit(lambda store: store.sessions()).result(timeout=10)
