"""Journey: a desk break taken from a reminder, as a person answers it, by clicking.

The app is wired as `loosen` wires it (the main window and its reminders); offscreen
there is no tray, so the small reminder window carries the reminders. Time is a fake
clock; each timer's timeout is fired at its moment, as Qt would. The user snoozes one
reminder, skips it, closes the main window, takes the next one: the break runs to its
end in the player and is rated. The history then holds the session and the answers.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desk_stand_in import DeskStandIn
from loosen.core.history import Status
from loosen.core.reminders import SNOOZE_S
from loosen.core.settings import Settings
from loosen.ui.main_window import MainWindow
from loosen.ui.player_view import PlayerView
from loosen.ui.tray import RESYNC_MS, ReminderController, start_reminders
from player_journey import rate_in_player

MIN = 60.0
GENTLE = "Break time soon: Squat and fold, at your next natural pause."
FIRM = "Time for your break now: Squat and fold."
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",  # the offscreen platform cannot raise a window
)


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


class ReminderTimers:
    """Qt's side of the reminders on a fake clock: each timer fires at its moment."""

    def __init__(self, qtbot, controller: ReminderController, clock) -> None:
        self.qtbot = qtbot
        self.controller = controller
        self.clock = clock
        self.due_at: float | None = None
        self.resync_at = clock.now() + RESYNC_MS / 1000
        controller.changed.connect(self._armed)  # every refresh sets the due timer again
        self._armed()

    def _armed(self) -> None:
        timer = self.controller.due_timer
        self.due_at = self.clock.now() + timer.interval() / 1000 if timer.isActive() else None

    def let_pass(self, seconds: float) -> None:
        """`seconds` go by with the app idle; the timers fire on the way, in order."""
        end = self.clock.now() + seconds
        while True:
            due = self.due_at if self.due_at is not None else math.inf
            moment = min(due, self.resync_at)
            if moment > end:
                break
            self.clock.advance(max(0.0, moment - self.clock.now()))
            timer = self.controller.due_timer if moment == due else self.controller.resync_timer
            if moment == due:
                self.due_at = None
            else:
                self.resync_at += RESYNC_MS / 1000
            # The app looks at the desktop first; it checks when the desktop answers.
            with self.qtbot.waitSignal(self.controller.changed):
                timer.timeout.emit()
        self.clock.advance(max(0.0, end - self.clock.now()))


def play_to_end(player: PlayerView, clock) -> None:
    """Time passes in the player as its driver's timer wakes it, until the session ends."""
    session = player.session
    for _ in range(10_000):
        if session.state.value != "running":
            return
        wait = session.seconds_to_next_change()
        clock.advance(min(wait if wait else 0.001, 1.0))
        player.driver.timer.timeout.emit()
    raise AssertionError("the session never ended")


def answers(window: MainWindow) -> list[tuple[str, str]]:
    rows = window.history.submit(lambda store: store.reminders()).result(timeout=10)
    return [(row.outcome, row.routine) for row in rows]


def test_a_desk_break_taken_from_a_reminder(qtbot, open_window, speaker, clock):
    window = open_window(speaker)
    quits: list[bool] = []
    controller = start_reminders(
        window,
        Settings(reminders=True),
        speaker,
        quit_event_loop=lambda: quits.append(True),
        presence=DeskStandIn(clock, idle_known=False),  # a desktop that cannot tell idle
    )
    qtbot.addWidget(controller.menu)
    timers = ReminderTimers(qtbot, controller, clock)
    reminders = controller.window
    assert reminders is not None and reminders.isVisible()  # no tray offscreen: the window
    qtbot.addWidget(reminders)
    assert reminders.status.text().startswith("Next break at ")
    assert reminders.status.text().endswith("(in 15 min): Squat and fold")
    assert not reminders.snooze_button.isEnabled() and not reminders.message.isVisible()

    # 15 minutes: the gentle reminder, shown and said once.
    timers.let_pass(15 * MIN)
    assert speaker.spoken == [GENTLE]
    assert reminders.message.isVisible() and reminders.message.text() == GENTLE
    assert reminders.snooze_button.isEnabled()

    # Snoozed by a click: quiet for five minutes, by when the window has closed: the
    # firm reminder, once.
    click(qtbot, reminders.snooze_button)
    assert reminders.status.text().startswith("Snoozed: Squat and fold at ")
    assert not reminders.message.isVisible() and not reminders.snooze_button.isEnabled()
    timers.let_pass(SNOOZE_S - MIN)
    assert speaker.spoken == [GENTLE]
    timers.let_pass(MIN)
    assert speaker.spoken == [GENTLE, FIRM] and reminders.message.text() == FIRM

    # Unanswered, it never stacks or nags: nothing more, however long it stays on screen.
    timers.let_pass(45 * MIN)
    assert speaker.spoken == [GENTLE, FIRM] and not controller.due_timer.isActive()
    assert reminders.message.text() == FIRM

    # Skipped by a click: a new count of 15 minutes starts now.
    click(qtbot, reminders.skip_button)
    assert reminders.status.text().endswith("(in 15 min): Squat and fold")
    assert window.active is None

    # The main window closed: reminders go on in their window, which stays.
    window.close()
    assert not window.isVisible() and reminders.isVisible()
    timers.let_pass(15 * MIN)
    assert speaker.spoken[-1] == GENTLE and reminders.message.text() == GENTLE

    # Take, by a click: the main window comes back with the break in its player.
    taken_at = datetime.fromtimestamp(clock.wall(), UTC).replace(microsecond=0)
    click(qtbot, reminders.take_button)
    assert window.isVisible() and window.windowTitle() == "Squat and fold — Loosen"
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView) and window.active.routine.id == "squat-and-fold"
    assert reminders.status.text().endswith("(in 15 min): Squat and fold")
    assert not reminders.message.isVisible()
    play_to_end(player, clock)

    # A minute's break: no dialog over the desk, one key in the player; the summary
    # says what was done.
    rate_in_player(qtbot, window, "2")
    assert window.stack.currentWidget() is window.summary_page
    assert "Your back now: 2 of 10." in window.summary_page.body.text()
    click(qtbot, window.summary_page.findChild(QPushButton))  # "Back to the library"
    assert window.stack.currentWidget() is window.library_view

    (record,) = window.history.submit(lambda store: store.sessions()).result(timeout=10)
    assert (record.routine, record.kind, record.status) == (
        "squat-and-fold",
        "break",
        Status.COMPLETED,
    )
    assert record.tightness_after == 2 and record.steps_skipped == 0
    assert answers(window) == [
        ("snoozed", "squat-and-fold"),
        ("skipped", "squat-and-fold"),
        ("taken", "squat-and-fold"),
    ]
    rows = window.history.submit(lambda store: store.reminders()).result(timeout=10)
    assert rows[-1].answered_at == taken_at

    controller.quit_action.trigger()  # "Quit Loosen": in the tray menu only
    assert quits == [True] and not window.isVisible() and not reminders.isVisible()
