"""A run's efforts in the editor's interval box: their list (reordered by dragging or by
Alt+Up and Alt+Down, one added with Ins and removed with Del) and the selected effort's
form, built from the schema's effort fields; the loader's messages under the field they
name. The window changes the document; this only shows it and says what the person did."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from loosen.core.routine_schema import EFFORT
from loosen.ui.editor.fields import FieldsForm, Mnemonics, error_label, show_messages
from loosen.ui.editor.step_list import StepList

LIST_ROWS = 4  # the efforts shown without scrolling: a cycle is a few of them
NO_EFFORTS = (
    "No efforts: the activity runs from break to break. Add efforts to make it repeats, "
    "such as a sprint and a walk back."
)


class EffortsEditor(QWidget):
    edited = Signal(str, object)  # key, Value | None: a field of the selected effort
    selected = Signal(int)  # the row the person picked
    moved = Signal(int, int)  # from, to
    add_requested = Signal()
    remove_requested = Signal(int)

    def __init__(self, mnemonics: Mnemonics) -> None:
        super().__init__()
        self.list = StepList("effort")
        self.list.picked.connect(self._row_picked)
        self.list.moved.connect(self.moved)
        self.list.add_requested.connect(self.add_requested)
        self.list.remove_requested.connect(self.remove_requested)
        rows = self.list.fontMetrics().lineSpacing() + 6
        self.list.setMinimumHeight(rows * 2)
        self.list.setMaximumHeight(rows * LIST_ROWS + 2 * self.list.frameWidth())
        self.list_errors = error_label()  # the efforts as a whole: too many, not a list

        self.add_button = QPushButton(mnemonics("Add effort"))
        self.add_button.setToolTip("Add an effort after the selected one (Ins in the list)")
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button = QPushButton(mnemonics("Remove effort"))
        self.remove_button.setToolTip("Remove the selected effort (Del in the list)")
        self.remove_button.clicked.connect(
            lambda: self.remove_requested.emit(self.list.currentRow())
        )
        self.up_button = QPushButton(mnemonics("Earlier"))
        self.up_button.setToolTip("Move the selected effort up (Alt+Up in the list)")
        self.up_button.clicked.connect(lambda: self._move_by(-1))
        self.down_button = QPushButton(mnemonics("Later"))
        self.down_button.setToolTip("Move the selected effort down (Alt+Down in the list)")
        self.down_button.clicked.connect(lambda: self._move_by(1))

        self.title = QLabel()
        self.title.setObjectName("effortTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.effort_errors = error_label()  # the effort's own messages and unknown keys
        self.form = FieldsForm(EFFORT.fields, mnemonics)
        self.form.layout_.setContentsMargins(0, 0, 0, 0)
        self.form.edited.connect(self.edited)
        self.empty = QLabel(NO_EFFORTS, wordWrap=True)

        heading = QLabel(mnemonics("Efforts, repeated in order"))
        heading.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.empty)
        layout.addWidget(self.list)
        layout.addWidget(self.list_errors)
        for pair in ((self.add_button, self.remove_button), (self.up_button, self.down_button)):
            buttons = QHBoxLayout()
            for button in pair:
                buttons.addWidget(button)
            layout.addLayout(buttons)
        layout.addWidget(self.title)
        layout.addWidget(self.effort_errors)
        layout.addWidget(self.form)
        self.show_efforts([], [], 0)

    def show_efforts(self, titles: Sequence[str], mistakes: Sequence[bool], current: int) -> None:
        """The efforts (one title each), those with mistakes marked, `current` selected."""
        self.list.show_steps(titles, mistakes, current)
        has_efforts = bool(titles)
        self.list.setVisible(has_efforts)
        self.empty.setVisible(not has_efforts)
        row = self.list.currentRow()
        self.remove_button.setEnabled(has_efforts)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(titles) - 1)

    def show_effort(self, value_of: Callable[[str], Any] | None, number: int = 0) -> None:
        """Fill the form from an effort (`value_of(key)`), or hide it when there is none."""
        self.title.setVisible(value_of is not None)
        self.form.setVisible(value_of is not None)
        if value_of is None:
            show_messages(self.effort_errors, [])
            return
        self.title.setText(f"Effort {number}")
        self.form.set_values(value_of)

    def show_errors(
        self,
        messages_at: Callable[[str], Sequence[str]],
        others: Sequence[str],
        about_all: Sequence[str],
    ) -> None:
        """`messages_at(key)` for each field of the selected effort; `others`: its messages
        that name no field of the form; `about_all`: those about the efforts as a whole."""
        self.form.show_errors(messages_at)
        show_messages(self.effort_errors, others)
        show_messages(self.list_errors, about_all)

    def focus_name(self) -> None:
        """The selected effort's name, ready to be typed over."""
        name = self.form.editors["name"]
        name.setFocus()
        name.line.selectAll()  # type: ignore[attr-defined]

    def _row_picked(self, row: int) -> None:
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(row < self.list.count() - 1)
        self.selected.emit(row)

    def _move_by(self, step: int) -> None:
        row = self.list.currentRow()
        if row >= 0 and 0 <= row + step < self.list.count():
            self.moved.emit(row, row + step)
