"""Journey: writing one's own routine and running it.

A person writes a TOML file into their routines folder with a text editor, gets it
wrong first (the library says the file failed to load, and why), fixes it, finds it
in the library, selects it with the mouse, clicks Start, skips with quick key presses,
rates the session, and finds it in the history, there again at the next launch.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from loosen.core.history import Status
from loosen.core.session import State
from loosen.ui.library_view import ROUTINE_ROLE
from loosen.ui.main_window import MainWindow
from loosen.ui.player_view import PlayerView
from player_journey import rate_with_keys

MINE = """\
format = 1
name = "My back routine"
kind = "cooldown"
summary = "What the physio showed me."

[defaults]
get_ready = "3s"
rest = "5s"

[[steps]]
name = "Knee hug"
duration = "10s"

[[steps]]
name = "Glute bridge"
reps = 4
tempo = "2s"

[[steps]]
name = "Child's pose"
duration = "8s"
"""
TYPO = MINE.replace('duration = "10s"', 'duraton = "10s"')
TICK_S = 0.25
RELOAD_WAIT_MS = 10_000  # the folder watcher, then a load off the UI thread


def row_of(tree, routine_id: str):
    for index in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(index)
        if item.data(0, ROUTINE_ROLE) == routine_id:
            return item
    return None


def click(qtbot, widget, pos=None) -> None:
    qtbot.mouseClick(
        widget, Qt.MouseButton.LeftButton, pos=widget.rect().center() if pos is None else pos
    )


def press(qtbot, window, key: Qt.Key) -> None:
    """A key as a person presses it: to whatever has the keyboard in the window."""
    qtbot.keyClick(QApplication.focusWidget() or window, key)


def let_time_pass(player: PlayerView, clock, seconds: float) -> None:
    for _ in range(round(seconds / TICK_S)):
        clock.advance(TICK_S)
        player.driver.timer.timeout.emit()


def sessions(window: MainWindow):
    return window.history.submit(lambda store: store.sessions()).result(timeout=10)


def test_write_a_routine_fix_it_run_it_and_find_it_in_history(
    qtbot, open_window, speaker, clock, user_routines
):
    window = open_window(speaker)
    window.activateWindow()
    qtbot.waitActive(window)
    view = window.library_view

    # Written with a typo: the library says which file, where, and what to write instead.
    with qtbot.waitSignal(window.library_loaded, timeout=RELOAD_WAIT_MS):
        (user_routines / "my-back.toml").write_text(TYPO, encoding="utf-8")
    assert view.banner.isVisible()
    banner = view.banner.text()
    assert "my-back.toml" in banner and "steps[1].duraton" in banner
    assert 'did you mean "duration"' in banner
    assert row_of(view.tree, "my-back") is None

    # Fixed and saved: it appears with the cooldowns, and the complaint goes.
    with qtbot.waitSignal(window.library_loaded, timeout=RELOAD_WAIT_MS):
        (user_routines / "my-back.toml").write_text(MINE, encoding="utf-8")
    assert not view.banner.isVisible()
    row = row_of(view.tree, "my-back")
    assert row is not None and row.text(0) == "My back routine" and row.text(2) == "3"

    click(qtbot, view.tree.viewport(), view.tree.visualItemRect(row).center())
    assert view.title.text() == "My back routine"
    assert "What the physio showed me." in view.summary.text()
    click(qtbot, view.start_button)
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    assert window.windowTitle() == "My back routine — Loosen"

    press(qtbot, window, Qt.Key.Key_Right)  # no need to get ready
    assert player.session.phase.step == "Knee hug"
    let_time_pass(player, clock, 10)  # the hug, held to its end
    assert player.session.phase.kind.value == "rest"
    press(qtbot, window, Qt.Key.Key_Right)  # rested enough
    assert player.session.phase.step == "Glute bridge"
    let_time_pass(player, clock, 8)  # four bridges, two seconds each
    press(qtbot, window, Qt.Key.Key_Right)  # and the rest again
    assert player.session.phase.step == "Child's pose"
    let_time_pass(player, clock, 2)
    press(qtbot, window, Qt.Key.Key_Right)  # enough of that: the session ends
    assert player.session.state is State.FINISHED
    rate_with_keys(qtbot, window, "2")  # the rating dialog has the keyboard

    assert window.stack.currentWidget() is window.summary_page
    assert "Your back now: 2 of 10." in window.summary_page.body.text()
    (record,) = sessions(window)
    assert (record.routine, record.routine_name, record.kind) == (
        "my-back",
        "My back routine",
        "cooldown",
    )
    assert record.status is Status.COMPLETED
    assert (record.steps_done, record.steps_skipped) == (2, 1)
    assert record.tightness_after == 2
    assert record.active_s == pytest.approx(10 + 8 + 2, abs=0.5)

    # The next launch: the routine is still there, done today.
    window.close()
    again = open_window(speaker)
    row = row_of(again.library_view.tree, "my-back")
    assert row is not None

    def done_today():
        assert row_of(again.library_view.tree, "my-back").text(3) == "today"

    qtbot.waitUntil(done_today)
    (same,) = sessions(again)
    assert same.uid == record.uid and same.tightness_after == 2
