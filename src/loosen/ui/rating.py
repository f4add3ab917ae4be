"""How tight is the back? A row of 0–10 buttons, and the end-of-session rating dialog.

One keypress is enough: a digit picks 0–9 (10 by click, or by typing "1" then "0"),
Enter confirms, Esc skips. The dialog hands the rating to a `commit` callable before
it closes, which queues it for the history's thread: a quit right after still writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loosen.core.history.records import MAX_NOTE_CHARS
from loosen.ui import a11y
from loosen.ui.keymap import RATING_KEYS, key_for, matches
from loosen.ui.keys_help import bind_keys_help

TIGHTNESS_HINT = "0 = loose, 10 = as tight as it gets"
TEN_WINDOW_MS = 700  # "1" then "0" within this reads as ten
RATING_QUESTION = "How tight is your back now?"
RATING_KEYS_HINT = f"Press a digit, then Enter. {TIGHTNESS_HINT}; Esc skips."


RATING_BUTTON_PX = 44
RATING_BUTTON_MIN_PX = 24
RATING_GAP_PX = 4


class RatingRow(QWidget):
    """Eleven toggle buttons, 0 to 10; `rated` fires when one is picked."""

    rated = Signal(int)

    def __init__(self, question: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value: int | None = None
        self._pending_one = False  # "1" typed: a "0" soon after makes it ten
        self._ten_timer = QTimer(self, singleShot=True, interval=TEN_WINDOW_MS)
        self._ten_timer.setObjectName("rating-ten-window")
        self._ten_timer.timeout.connect(self._clear_pending_one)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if question:
            self.question = QLabel(question)
            self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.question.setWordWrap(True)  # a long question on a narrow screen
            layout.addWidget(self.question)
        row = QHBoxLayout()
        row.setSpacing(RATING_GAP_PX)
        row.addStretch()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QPushButton] = []
        for value in range(11):
            button = QPushButton(str(value))
            button.setCheckable(True)
            # 44 px wide where there is room, narrower on a small screen at a large scale
            # (400 px across), so the row never pushes the player wider than that.
            button.setMinimumWidth(RATING_BUTTON_MIN_PX)
            button.setMaximumWidth(RATING_BUTTON_PX)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(f"Tightness {value}")
            self.group.addButton(button, value)
            self.buttons.append(button)
            row.addWidget(button)
        row.addStretch()
        layout.addLayout(row)
        self.group.idClicked.connect(self.pick)

    def pick(self, value: int) -> None:
        self.value = value
        self.buttons[value].setChecked(True)
        self.rated.emit(value)

    def type_digit(self, digit: int) -> None:
        """A digit key: that value, or ten for "1" then "0" typed quickly."""
        if digit == 0 and self._pending_one:
            self._clear_pending_one()
            self.pick(10)
            return
        self.pick(digit)
        self._pending_one = digit == 1
        if self._pending_one:
            self._ten_timer.start()

    def _clear_pending_one(self) -> None:
        self._pending_one = False
        self._ten_timer.stop()


@dataclass(frozen=True)
class Rating:
    tightness: int | None  # None: skipped
    note: str


class RatingDialog(QDialog):
    """Asks how tight the back is after a session."""

    def __init__(
        self,
        commit: Callable[[Rating, Callable[[], None]], None],
        summary: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """`commit(rating, written)` runs as the user answers and calls `written()` once
        the rating is stored (or storing it failed and said so): only then does the
        dialog close, so nothing the user entered is lost in between. Show it with
        `open()` (window-modal) and hear the end from `finished`."""
        super().__init__(parent)
        self.setWindowTitle("How is your back? — Loosen")
        self.commit = commit
        self.result_rating: Rating | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        if summary:
            self.summary_label = QLabel(summary)
            self.summary_label.setObjectName("ratingSummary")
            layout.addWidget(self.summary_label)
        title = QLabel(RATING_QUESTION)
        title.setObjectName("ratingQuestion")
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setWeight(title_font.Weight.DemiBold)
        title.setFont(title_font)
        layout.addWidget(title)
        layout.addWidget(QLabel(RATING_KEYS_HINT))
        self.row = RatingRow()
        self.row.rated.connect(lambda _: self.ok_button.setEnabled(True))
        layout.addWidget(self.row)
        self.note = QLineEdit(placeholderText="A note, if you like (optional)")
        self.note.setObjectName("ratingNote")
        a11y.name(self.note, "Note", "Optional; Tab to it, Enter saves")
        self.note.setMaxLength(MAX_NOTE_CHARS)  # the limit every note editor and the import share
        # Digits must reach the rating, not the note: the dialog keeps the focus as it
        # opens, and the note takes it on a click or Tab.
        self.note.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addStretch()
        self.skip_button = QPushButton("Skip")
        self.ok_button = QPushButton("Save")
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        for button in (self.skip_button, self.ok_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.skip_button.clicked.connect(self.skip)
        self.ok_button.clicked.connect(self.confirm)
        bind_keys_help(self, "Rating", RATING_KEYS)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.ok_button)
        layout.addLayout(buttons)

    def rating(self) -> Rating:
        """What the user answered; skipped until they have."""
        return self.result_rating or Rating(None, "")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus()
        a11y.announce(self, f"{RATING_QUESTION} {RATING_KEYS_HINT}", urgent=True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        answers = (key_for(RATING_KEYS, "confirm"), key_for(RATING_KEYS, "skip"))
        if self.note.hasFocus() and not any(matches(entry, event) for entry in answers):
            super().keyPressEvent(event)
            return
        if text.isdigit() and len(text) == 1:
            self.row.type_digit(int(text))
            return
        if matches(key_for(RATING_KEYS, "confirm"), event):
            if self.row.value is not None:
                self.confirm()
            return
        if matches(key_for(RATING_KEYS, "skip"), event):
            self.skip()
            return
        super().keyPressEvent(event)

    def confirm(self) -> None:
        if self.row.value is None:
            return
        self._finish(Rating(self.row.value, self.note.text().strip()))

    def skip(self) -> None:
        # A note typed before Esc is still worth keeping.
        self._finish(Rating(None, self.note.text().strip()))

    def reject(self) -> None:
        """Closed by its window's button, or by the app: skipped, as Esc does."""
        if self.result_rating is None:
            self.skip()
        else:
            super().reject()

    def _finish(self, rating: Rating) -> None:
        if self.result_rating is not None:
            return  # answered once: a second key before it closes is not a second rating
        self.result_rating = rating
        for control in (self.row, self.note, self.ok_button, self.skip_button):
            control.setEnabled(False)  # answered: it closes as soon as it is written
        self.commit(rating, self._written)

    def _written(self) -> None:
        self.accept()
