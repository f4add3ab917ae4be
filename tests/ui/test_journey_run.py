"""Journey: a run with a break taken early, then stopped, as a person does it.

A sprint hour run as one block of activity between breaks (the built-in one is made
of efforts: tests/ui/test_journey_sprints.py) is started with two clicks; B, pressed
quickly and more than once, takes one break before the window is due; the activity
resumes and the count to the next break starts again; Esc asks, No goes on, Esc again
and Yes stops, and the rating dialog is answered by clicking. Time is a fake clock and
the player's timer is fired at each moment it asks for.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from efforts_testing import PLAIN_RUN_ID, PLAIN_RUN_NAME, PLAIN_RUN_TOML
from loosen.core.history import Status
from loosen.core.phases import PhaseKind
from loosen.core.plan import break_length_s
from loosen.ui.library_view import ROUTINE_ROLE
from loosen.ui.main_window import MainWindow
from loosen.ui.player_view import PlayerView
from player_journey import answer_stop_question, rate_by_clicking, rating_dialog

RUN = PLAIN_RUN_ID
MIN = 60.0


def click(qtbot, widget, pos=None) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())


def start_by_clicking(qtbot, window: MainWindow, routine_id: str) -> PlayerView:
    """Click the routine in the library, then Start."""
    tree = window.library_view.tree
    item = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).data(0, ROUTINE_ROLE) == routine_id
    )
    tree.scrollToItem(item)
    click(qtbot, tree.viewport(), tree.visualItemRect(item).center())
    click(qtbot, window.library_view.start_button)
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    return player


def play_until(player: PlayerView, clock, active_s: float) -> None:
    """Move time on as the driver's timer would wake, up to `active_s` of the session."""
    session = player.session
    while session.state.value == "running" and session.active_s() < active_s - 1e-6:
        wait = session.seconds_to_next_change()
        clock.advance(min(wait if wait else 0.001, active_s - session.active_s()))
        player.driver.timer.timeout.emit()


def back_from_the_question(qtbot, window: MainWindow, player: PlayerView) -> None:
    """The window manager gives the keyboard back to the window once the question box
    closes; the offscreen platform has none, so the test does what it would."""
    if QApplication.activeWindow() is not window:
        with qtbot.waitActive(window):
            window.activateWindow()
    assert QApplication.focusWidget() is player  # the keys go to the player again


def test_a_run_with_a_break_taken_early_then_stopped(
    qtbot, open_window, speaker, clock, user_routines
):
    (user_routines / f"{RUN}.toml").write_text(PLAIN_RUN_TOML, encoding="utf-8")
    window = open_window(speaker)
    player = start_by_clicking(qtbot, window, RUN)
    assert window.windowTitle() == f"{PLAIN_RUN_NAME} — Loosen"
    click(qtbot, player.rating_row.buttons[6])  # how tight before, asked as the run starts

    play_until(player, clock, 5 * MIN)
    assert player.kind_label.text() == "Run" and player.time_label.text() == "5:00"
    assert player.side_label.text() == "Since the start"
    assert player.reps_label.text() == "Break due from 15:00, at 20:00 at the latest"

    # B, quickly, three times: one break, taken early.
    for _ in range(3):
        qtbot.keyClick(player, Qt.Key.Key_B)
    assert player.session.phase.kind is PhaseKind.GET_READY
    assert player.position_label.text() == "Break 1 · starting"
    break_s = break_length_s(player.session.routine)
    ready_s = player.session.phase.duration_s
    play_until(player, clock, 5 * MIN + ready_s + 1)
    assert player.position_label.text() == "Break 1 · step 1 of 2"

    # The run resumes, its count to the next break started again.
    back_at = 5 * MIN + break_s
    play_until(player, clock, back_at + 1)
    assert player.session.phase.kind is PhaseKind.ACTIVITY and player.kind_label.text() == "Run"
    assert player.time_label.text() == "0:01"
    assert player.side_label.text() == "Since your last break"
    assert player.reps_label.text() == "Break due from 15:00, at 20:00 at the latest"
    play_until(player, clock, back_at + 15 * MIN)
    assert player.time_label.text() == "15:00"
    assert player.reps_label.text().startswith("Break due: take it at your next pause (B)")

    # Esc asks; No goes on from where it was.
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    assert answer_stop_question(qtbot, player, "No").startswith("Stop now?")
    assert player.session.state.value == "running" and window.active is not None
    back_from_the_question(qtbot, window, player)
    play_until(player, clock, back_at + 16 * MIN)
    assert player.time_label.text() == "16:00"

    # Esc again, Yes: stopped, rated, and kept with its one break.
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    answer_stop_question(qtbot, player, "Yes")
    assert rating_dialog(qtbot, window).summary_label.text() == (
        f"Stopped · {_clock(back_at + 16 * MIN)} · 2 steps done, 0 skipped · 1 break taken"
    )
    rate_by_clicking(qtbot, window, 3)
    assert window.stack.currentWidget() is window.summary_page
    assert window.summary_page.body.text().startswith("Stopped · ")

    (record,) = window.history.submit(lambda store: store.sessions()).result(timeout=10)
    assert (record.routine, record.kind, record.status) == (RUN, "run", Status.STOPPED)
    assert record.breaks == 1 and record.steps_done == 2 and record.steps_skipped == 0
    assert record.active_s == pytest.approx(back_at + 16 * MIN, abs=0.5)
    assert (record.tightness_before, record.tightness_after) == (6, 3)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
