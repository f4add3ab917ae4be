"""The small reminder window, where there is no system tray: what comes next, and one click each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from loosen.ui.tray import ReminderController


class ReminderWindow(QWidget):
    """Shows the controller's status and its actions as buttons (the tray menu's twins).

    Closing it while the main window is hidden quits Loosen: it is then the last
    window, and the app never lives on without one where there is no tray.
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

        def button(action) -> QToolButton:
            made = QToolButton()
            made.setDefaultAction(action)
            made.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            made.setMinimumHeight(32)
            return made

        self.take_button = button(controller.take_action)
        self.take_button.setObjectName("takeBreak")
        self.snooze_button = button(controller.snooze_action)
        self.skip_button = button(controller.skip_action)
        self.pause_button = button(controller.pause_action)
        self.open_button = button(controller.open_action)

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

        # One key takes the break, as the player's keys do.
        QShortcut(QKeySequence(Qt.Key.Key_Return), self, activated=controller.take_action.trigger)
        QShortcut(QKeySequence(Qt.Key.Key_Enter), self, activated=controller.take_action.trigger)
        controller.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.status.setText(self.controller.status())
        self.message.setText(self.controller.last_text)
        self.message.setVisible(bool(self.controller.last_text))

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.controller.window_closed()
