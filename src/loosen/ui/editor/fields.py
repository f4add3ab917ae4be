"""One editor per routine field, chosen by the field's shape in the schema, with the
loader's messages for that field shown right under it.

Each editor emits `edited(value)` only when the person changes it (never when the
window fills it in), with the value as the file would hold it, or None to leave the
key out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from loosen.core.routine_document import Value
from loosen.core.schema import Field, Shape, describe_default
from loosen.ui.a11y import label_field
from loosen.ui.style import follow_theme, picture_icon, show_as_error

PICTURE_ICON_PX = 48  # the shipped pictures' thumbnails in the picture list


class Mnemonics:
    """Gives each label of a window its own Alt+letter: the first letter not yet taken."""

    def __init__(self, taken: str = "") -> None:
        self.taken = set(taken.lower())

    def __call__(self, text: str) -> str:
        for position, letter in enumerate(text):
            if letter.isalpha() and letter.lower() not in self.taken:
                self.taken.add(letter.lower())
                return f"{text[:position]}&{text[position:]}"
        return text


def narrow(combo: QComboBox) -> QComboBox:
    """A combo box as narrow as its column allows, whatever its longest item."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo


def error_label() -> QLabel:
    label = QLabel(wordWrap=True)
    show_as_error(label)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_messages(label: QLabel, messages: Sequence[str]) -> None:
    label.setText("\n".join(messages))
    label.setVisible(bool(messages))


class FieldEditor(QWidget):
    """A field's control and, under it, what the loader says is wrong with it."""

    edited = Signal(object)  # Value | None

    def __init__(self, spec: Field, control: QWidget) -> None:
        super().__init__()
        self.spec = spec
        self.control = control
        control.setToolTip(spec.help)
        control.setObjectName(f"field-{spec.key}")
        self.errors = error_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(control)
        layout.addWidget(self.errors)
        self.setFocusProxy(control)

    def show_errors(self, messages: Sequence[str]) -> None:
        show_messages(self.errors, messages)
        self._fit_errors()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_errors()

    def _fit_errors(self) -> None:
        # A form lays its rows out without asking a wrapped label how tall it is at the
        # width it gets: the label says so itself, or its last lines are cut off.
        if self.errors.text():
            wanted = self.errors.heightForWidth(max(self.width(), 1))
            if wanted != self.errors.minimumHeight():
                self.errors.setMinimumHeight(wanted)

    def set_value(self, value: Any) -> None:
        """Show `value` (as the file holds it; None: not there) without emitting `edited`."""
        self.control.blockSignals(True)
        try:
            self._show(value)
        finally:
            self.control.blockSignals(False)

    def _show(self, value: Any) -> None:
        raise NotImplementedError


class TextEditor(FieldEditor):
    def __init__(self, spec: Field) -> None:
        if spec.multiline:
            self.box: QPlainTextEdit | None = QPlainTextEdit()
            self.box.setTabChangesFocus(True)  # Tab moves on, as everywhere else
            self.box.setFixedHeight(self.box.fontMetrics().lineSpacing() * 4)
            self.box.textChanged.connect(lambda: self.edited.emit(self._typed()))
            super().__init__(spec, self.box)
        else:
            self.box = None
            self.line = QLineEdit()
            self.line.textEdited.connect(lambda _: self.edited.emit(self._typed()))
            super().__init__(spec, self.line)

    def _typed(self) -> str | None:
        text = self.box.toPlainText() if self.box is not None else self.line.text()
        return text if text.strip() else None

    def _show(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.box is not None:
            if self.box.toPlainText() != text:
                self.box.setPlainText(text)
        elif self.line.text() != text:
            self.line.setText(text)


class DurationEditor(FieldEditor):
    """Durations and windows as text, as in the file: "45s", "1m30s", "15-20m"."""

    def __init__(self, spec: Field) -> None:
        self.line = QLineEdit()
        default = describe_default(spec)
        example = spec.example.strip('"') or "45s"
        self.line.setPlaceholderText(
            f"default {default.strip(chr(34))}" if default else f"e.g. {example}"
        )
        self.line.textEdited.connect(lambda text: self.edited.emit(duration_value(text)))
        super().__init__(spec, self.line)

    def _show(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.line.text() != text:
            self.line.setText(text)


def duration_value(text: str) -> Value | None:
    """What the file gets for a duration typed as `text`: whole seconds stay a number."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text


class CountEditor(FieldEditor):
    """A whole number; the value below the least allowed means "not set" (the default)."""

    def __init__(self, spec: Field) -> None:
        self.spin = QSpinBox()
        low, high = spec.bounds()
        self.unset = int(low) - 1
        self.spin.setRange(self.unset, int(high))
        default = describe_default(spec)
        self.spin.setSpecialValueText(f"default ({default})" if default else "not set")
        if spec.unit:
            self.spin.setSuffix(spec.unit)
        self.spin.valueChanged.connect(
            lambda number: self.edited.emit(None if number == self.unset else number)
        )
        super().__init__(spec, self.spin)

    def _show(self, value: Any) -> None:
        number = value if isinstance(value, int) and not isinstance(value, bool) else self.unset
        self.spin.setValue(number)


class FlagEditor(FieldEditor):
    """A check box; unticked leaves the key out when that is what the default says."""

    def __init__(self, spec: Field, text: str) -> None:
        self.box = QCheckBox(text)
        self.box.clicked.connect(self._clicked)
        super().__init__(spec, self.box)

    def _clicked(self, checked: bool) -> None:
        self.edited.emit(True if checked else (None if spec_default_off(self.spec) else False))

    def _show(self, value: Any) -> None:
        self.box.setChecked(value is True)


def spec_default_off(spec: Field) -> bool:
    return spec.default is None or spec.default is False


class ChoiceEditor(FieldEditor):
    def __init__(self, spec: Field) -> None:
        self.combo = narrow(QComboBox())
        self.combo.addItem("not set", None)
        for choice in spec.choices:
            self.combo.addItem(choice.label, choice.value)
        self.combo.activated.connect(lambda index: self.edited.emit(self.combo.itemData(index)))
        super().__init__(spec, self.combo)

    def _show(self, value: Any) -> None:
        index = self.combo.findData(value)
        if index < 0 and value is not None:  # a value the file has that is not a choice
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))


class RoutineIdEditor(FieldEditor):
    """Another routine, picked from the library's ids or typed."""

    def __init__(self, spec: Field, routine_ids: Sequence[str]) -> None:
        self.combo = narrow(QComboBox(editable=True))
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItems(list(routine_ids))
        self.combo.setCurrentIndex(-1)
        line = self.combo.lineEdit()
        line.setPlaceholderText(f"e.g. {spec.example.strip(chr(34))}")
        line.textEdited.connect(lambda text: self.edited.emit(text.strip() or None))
        self.combo.activated.connect(
            lambda index: self.edited.emit(self.combo.itemText(index) or None)
        )
        super().__init__(spec, self.combo)

    def _show(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.combo.currentText() != text:
            self.combo.setEditText(text)


class PictureEditor(FieldEditor):
    """The shipped pictures as thumbnails, or a file the person picks (copied next to
    the routine by `import_picture`, which returns the name it was given)."""

    NO_PICTURE = "No picture"

    def __init__(
        self, spec: Field, shipped: Sequence[Path], import_picture: Callable[[Path], str]
    ) -> None:
        self.import_picture = import_picture
        self.combo = QComboBox()
        self.combo.setIconSize(QSize(PICTURE_ICON_PX, PICTURE_ICON_PX))
        self.combo.addItem(self.NO_PICTURE, None)
        for picture in shipped:
            self.combo.addItem(picture.stem.replace("-", " "), picture.name)

        def draw_icons() -> None:  # in the theme's inks, again when the theme changes
            for row, picture in enumerate(shipped, start=1):
                self.combo.setItemIcon(row, picture_icon(picture, PICTURE_ICON_PX))

        draw_icons()
        follow_theme(self.combo, draw_icons)
        self.combo.activated.connect(lambda index: self.edited.emit(self.combo.itemData(index)))
        self.choose = QPushButton("Choose a &file…")
        self.choose.setToolTip("Pick a picture of your own; it is copied next to the routine")
        self.choose.clicked.connect(self._choose)
        self.trouble = error_label()
        narrow(self.combo)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.combo)
        column.addWidget(self.choose, 0, Qt.AlignmentFlag.AlignLeft)
        super().__init__(spec, box)
        self.layout().addWidget(self.trouble)
        self.setFocusProxy(self.combo)
        self.dialog: QFileDialog | None = None

    def set_value(self, value: Any) -> None:
        self.combo.blockSignals(True)
        try:
            self._show(value)
        finally:
            self.combo.blockSignals(False)

    def _show(self, value: Any) -> None:
        index = self.combo.findData(value)
        if index < 0 and isinstance(value, str):  # the routine's own picture
            self.combo.addItem(value, value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))

    def _choose(self) -> None:
        suffixes = " ".join(f"*{suffix}" for suffix in self.spec.suffixes)
        dialog = QFileDialog(self, "Choose a picture", str(Path.home()), f"Pictures ({suffixes})")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: self.picked(Path(name)))
        dialog.destroyed.connect(lambda: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def picked(self, source: Path) -> None:
        """A file was chosen: copy it, and make it the step's picture."""
        try:
            name = self.import_picture(source)
        except (OSError, ValueError) as exc:
            show_messages(self.trouble, [f"Could not use that picture: {exc}"])
            return
        show_messages(self.trouble, [])
        self.set_value(name)
        self.edited.emit(name)


def editor_for(
    spec: Field,
    *,
    routine_ids: Sequence[str] = (),
    shipped_pictures: Sequence[Path] = (),
    import_picture: Callable[[Path], str] | None = None,
    flag_text: str = "",
) -> FieldEditor:
    """The editor the field's shape calls for."""
    if spec.shape is Shape.TEXT:
        return TextEditor(spec)
    if spec.shape in (Shape.DURATION, Shape.WINDOW):
        return DurationEditor(spec)
    if spec.shape is Shape.COUNT:
        return CountEditor(spec)
    if spec.shape is Shape.FLAG:
        return FlagEditor(spec, flag_text or spec.label)
    if spec.shape is Shape.CHOICE:
        return ChoiceEditor(spec)
    if spec.shape is Shape.ROUTINE_ID:
        return RoutineIdEditor(spec, routine_ids)
    if spec.shape is Shape.PICTURE:
        assert import_picture is not None
        return PictureEditor(spec, shipped_pictures, import_picture)
    raise ValueError(f"{spec.key}: no editor for {spec.shape}")


class FieldsForm(QWidget):
    """A form of some of a schema table's fields, in the schema's order: a label with
    its own Alt+letter, the editor, and the editor's messages."""

    edited = Signal(str, object)  # key, Value | None

    def __init__(
        self,
        fields: Sequence[Field],
        mnemonics: Mnemonics,
        *,
        routine_ids: Sequence[str] = (),
        shipped_pictures: Sequence[Path] = (),
        import_picture: Callable[[Path], str] | None = None,
    ) -> None:
        super().__init__()
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow window a label goes above its field rather than squeezing it.
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.editors: dict[str, FieldEditor] = {}
        for spec in fields:
            flag_text = mnemonics(spec.label) if spec.shape is Shape.FLAG else ""
            editor = editor_for(
                spec,
                routine_ids=routine_ids,
                shipped_pictures=shipped_pictures,
                import_picture=import_picture,
                flag_text=flag_text,
            )
            editor.edited.connect(lambda value, key=spec.key: self.edited.emit(key, value))
            self.editors[spec.key] = editor
            if spec.shape is Shape.FLAG:
                self.layout_.addRow("", editor)
            else:
                label = QLabel(mnemonics(spec.label))
                label_field(label, editor.focusProxy() or editor)
                label.setToolTip(spec.help)
                self.layout_.addRow(label, editor)

    def set_values(self, value_of: Callable[[str], Any]) -> None:
        for key, editor in self.editors.items():
            editor.set_value(value_of(key))

    def show_errors(self, messages_at: Callable[[str], Sequence[str]]) -> None:
        for key, editor in self.editors.items():
            editor.show_errors(messages_at(key))

    def set_row_visible(self, key: str, visible: bool) -> None:
        self.layout_.setRowVisible(self.editors[key], visible)
