"""The selected step's form, built from the schema's step fields: a timed hold or counted
reps (with a tempo, or open-ended), and the rest; or, for an include, the routine it
stands for. The loader's messages sit under the field they name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from loosen.core.routine_schema import INCLUDE, STEP
from loosen.core.schema import Table
from loosen.ui.a11y import label_field
from loosen.ui.editor.fields import FieldsForm, Mnemonics, error_label, show_messages

HOLD_KEYS = ("duration",)
REPS_KEYS = ("reps", "tempo")


class Measure(StrEnum):
    """How a step is measured: one of these, never both."""

    HOLD = "Timed hold"
    REPS = "Counted reps"

    @property
    def keys(self) -> tuple[str, ...]:
        return HOLD_KEYS if self is Measure.HOLD else REPS_KEYS


def example_value(key: str, table: Table = STEP) -> str | int:
    """The schema's example for a field of a step (or of `table`), as a new one gets it."""
    example = table[key].example
    return int(example) if example.isdigit() else example.strip('"')


class StepForm(QWidget):
    edited = Signal(str, object)  # key, Value | None
    measure_chosen = Signal(object)  # Measure

    def __init__(
        self,
        mnemonics: Mnemonics,
        routine_ids: Sequence[str],
        shipped_pictures: Sequence[Path],
        import_picture: Callable[[Path], str],
    ) -> None:
        super().__init__()
        self.title = QLabel()
        self.title.setObjectName("stepTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.step_errors = error_label()  # the step's own messages and unknown keys

        self.measure = QComboBox()
        self.measure.addItems([measure.value for measure in Measure])
        self.measure.setToolTip("A hold lasts a time; reps are counted (at a tempo, or until done)")
        self.measure.activated.connect(lambda index: self.measure_chosen.emit(list(Measure)[index]))
        measure_label = QLabel(mnemonics("Measured by"))
        label_field(measure_label, self.measure)

        self.fields = FieldsForm(
            STEP.fields,
            mnemonics,
            shipped_pictures=shipped_pictures,
            import_picture=import_picture,
        )
        self.fields.layout_.setContentsMargins(0, 0, 0, 0)
        # The measure goes right after the name.
        self.fields.layout_.insertRow(1, measure_label, self.measure)
        QWidget.setTabOrder(self.fields.editors["name"].control, self.measure)
        self.fields.edited.connect(self.edited)
        self.include = FieldsForm((INCLUDE,), mnemonics, routine_ids=routine_ids)
        self.include.layout_.setContentsMargins(0, 0, 0, 0)
        self.include.edited.connect(self.edited)
        self.empty = QLabel("No steps yet: add one.")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.step_errors)
        layout.addWidget(self.fields)
        layout.addWidget(self.include)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.show_step(None, is_include=False)

    def show_step(
        self, value_of: Callable[[str], Any] | None, *, is_include: bool, number: int = 0
    ) -> None:
        """Fill the form from a step (`value_of(key)`), or show that there is none."""
        self.empty.setVisible(value_of is None)
        self.title.setVisible(value_of is not None)
        self.fields.setVisible(value_of is not None and not is_include)
        self.include.setVisible(value_of is not None and is_include)
        if value_of is None:
            show_messages(self.step_errors, [])
            return
        self.title.setText(f"Step {number}: another routine" if is_include else f"Step {number}")
        if is_include:
            self.include.set_values(value_of)
            return
        self.fields.set_values(value_of)
        measure = Measure.REPS if value_of("reps") is not None else Measure.HOLD
        self.measure.setCurrentIndex(list(Measure).index(measure))
        for key in HOLD_KEYS:
            self.fields.set_row_visible(key, measure is Measure.HOLD)
        for key in REPS_KEYS:
            self.fields.set_row_visible(key, measure is Measure.REPS)

    def show_errors(
        self, messages_at: Callable[[str], Sequence[str]], others: Sequence[str]
    ) -> None:
        """`messages_at(key)` for each field; `others`: the step's messages that name no
        field of the form (the step as a whole, an unknown key)."""
        self.fields.show_errors(messages_at)
        self.include.show_errors(messages_at)
        show_messages(self.step_errors, others)
