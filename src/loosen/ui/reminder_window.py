"""The small reminder window, where there is no system tray: what comes next, and one click each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from loosen.ui.keymap import REMINDER_KEYS, bind_keys
from loosen.ui.keys_help import bind_keys_help

if TYPE_CHECKING:
    from loosen.ui.tray import ReminderController


WIDTH = 440  # wide enough for the firm reminder's words on one or two lines
SCREEN_MARGIN = 16  # from the screen's edges, where it first shows


class ReminderWindow(QWidget):
    """Shows the controller's status and its actions as buttons (the tray menu's twins).

    Closing it while the main window is hidden quits Loosen: it is then the last
    window, and the app never lives on without one where there is no tray.

    It first shows in the bottom-right corner of the screen's free area, where a
    notification would be, as small as its words allow; when it grows (a reminder's
    words) or shrinks it keeps to its content's size and stays wholly on screen.
    """

    def __init__(self, controller: ReminderController) -> None:
        super().__init__()
        self.controller = controller
        self.setWindowTitle("Break reminders — Loosen")
        self.setWindowIcon(controller.icon)
        self.setObjectName("reminderWindow")

        heading = QLabel("Break reminders", objectName="reminderHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        self.status = QLabel(objectName="reminderStatus", wordWrap=True)
        self.message = QLabel(objectName="reminderMessage", wordWrap=True)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.message.setFont(font)

        self.take_button = _ActionButton(controller.take_action)
        self.take_button.setObjectName("takeBreak")
        self.take_button.setDefault(True)  # drawn as the one to press
        font = self.take_button.font()
        font.setBold(True)
        self.take_button.setFont(font)
        self.snooze_button = _ActionButton(controller.snooze_action)
        self.skip_button = _ActionButton(controller.skip_action)
        self.pause_button = _ActionButton(controller.pause_action)
        self.open_button = _ActionButton(controller.open_action)

        answers = QHBoxLayout()
        answers.addWidget(self.take_button)
        answers.addWidget(self.snooze_button)
        answers.addWidget(self.skip_button)
        answers.addStretch()
        more = QHBoxLayout()
        more.addWidget(self.pause_button)
        more.addStretch()
        more.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        layout.addLayout(answers)
        layout.addLayout(more)

        self.setMinimumWidth(WIDTH)
        self._placed = False
        # One key takes the break, as in the player (a default button works only in dialogs).
        bind_keys(self, REMINDER_KEYS, {"take": controller.take_action.trigger})
        bind_keys_help(self, "Reminder", REMINDER_KEYS)
        controller.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.status.setText(self.controller.status())
        # When due, the reminder's own words say it; the status line would repeat them.
        due = bool(self.controller.last_text)
        self.message.setText(self.controller.last_text)
        self.message.setVisible(due)
        self.status.setVisible(not due)
        if self.isVisible():
            self.adjustSize()  # as small as its words: a hidden line gives its room back
            self._keep_on_screen()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.adjustSize()
        if not self._placed:
            self._placed = True
            free = self._free_area()
            frame = self.frameGeometry()
            self.move(
                free.right() + 1 - frame.width() - SCREEN_MARGIN,
                free.bottom() + 1 - frame.height() - SCREEN_MARGIN,
            )
        self._keep_on_screen()

    def _free_area(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry()

    def _keep_on_screen(self) -> None:
        """Moved only as far as needed to be wholly within the screen's free area."""
        free = self._free_area()
        frame = self.frameGeometry()
        x = max(free.left(), min(frame.left(), free.right() + 1 - frame.width()))
        y = max(free.top(), min(frame.top(), free.bottom() + 1 - frame.height()))
        if QPoint(x, y) != frame.topLeft():
            self.move(x, y)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.controller.window_closed()


class _ActionButton(QPushButton):
    """A push button that is the twin of a menu action: same text, same enabled state."""

    def __init__(self, action: QAction) -> None:
        super().__init__()
        self.action = action
        self.setMinimumHeight(32)
        self.clicked.connect(action.trigger)
        action.changed.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.setText(self.action.text())
        self.setEnabled(self.action.isEnabled())
