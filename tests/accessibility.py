"""What a screen reader finds in a window, read through Qt's accessibility interfaces
(`QAccessible.queryAccessibleInterface`), as the platform bridge (AT-SPI, UIA) reads it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollBar,
    QTableView,
    QTextEdit,
    QToolButton,
    QTreeView,
    QWidget,
)

Role = QAccessible.Role

# What a person can operate, and the role each kind of control must have (most specific
# class first): a list, a table or a tree is named as a whole, its rows by their text.
CONTROL_ROLES: tuple[tuple[type[QWidget], frozenset[QAccessible.Role]], ...] = (
    (QCheckBox, frozenset({Role.CheckBox})),
    (QRadioButton, frozenset({Role.RadioButton})),
    (QAbstractButton, frozenset({Role.Button, Role.ButtonMenu, Role.ButtonDropDown})),
    (QComboBox, frozenset({Role.ComboBox})),
    (QAbstractSpinBox, frozenset({Role.SpinBox})),
    (QAbstractSlider, frozenset({Role.Slider, Role.ScrollBar})),
    (QLineEdit, frozenset({Role.EditableText})),
    (QPlainTextEdit, frozenset({Role.EditableText})),
    (QTextEdit, frozenset({Role.EditableText})),
    (QTableView, frozenset({Role.Table})),
    (QTreeView, frozenset({Role.Tree, Role.Table})),  # a flat tree reads as a table
    (QListView, frozenset({Role.List})),
)
# Read as a whole: a view's rows, a combo box's list, a spin box's line edit.
WHOLE = (QTableView, QTreeView, QListView, QComboBox, QAbstractSpinBox)


@dataclass(frozen=True)
class Control:
    kind: str  # the widget's class
    object_name: str
    role: QAccessible.Role
    name: str
    description: str
    expected: frozenset[QAccessible.Role]
    shows: str  # what a combo box shows chosen, "" for other controls
    labelled_by: tuple[str, ...]  # the labels a screen reader reads as its name (buddies)

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_name or '?'} ({self.role.name}) {self.name!r}"


def _expected_roles(widget: QWidget) -> frozenset[QAccessible.Role] | None:
    if isinstance(widget, QPushButton | QToolButton) and widget.isCheckable():
        return frozenset({Role.CheckBox})  # a toggle: pressed or not, as a check box says
    for kind, roles in CONTROL_ROLES:
        if isinstance(widget, kind):
            return roles
    return None


def controls(window: QWidget) -> list[Control]:
    """Every visible control in `window`'s accessibility tree, with its role and name."""
    root = QAccessible.queryAccessibleInterface(window)
    assert root is not None and root.isValid()
    found: list[Control] = []
    _walk(root, found)
    return found


def _walk(node: QAccessibleInterface, found: list[Control]) -> None:
    for index in range(node.childCount()):
        child = node.child(index)
        if child is None or not child.isValid() or child.state().invisible:
            continue
        widget = child.object()
        if isinstance(widget, QScrollBar):
            continue  # part of its scroll area, which a screen reader scrolls itself
        if isinstance(widget, QWidget):
            expected = _expected_roles(widget)
            if expected is not None:
                found.append(
                    Control(
                        type(widget).__name__,
                        widget.objectName(),
                        child.role(),
                        child.text(QAccessible.Text.Name),
                        child.text(QAccessible.Text.Description),
                        expected,
                        widget.currentText() if isinstance(widget, QComboBox) else "",
                        tuple(
                            label.text(QAccessible.Text.Name)
                            for label, _ in child.relations(QAccessible.RelationFlag.Label)
                        ),
                    )
                )
            if isinstance(widget, WHOLE):
                continue  # its rows, its line edit: named by their text, or by it
        _walk(child, found)


def unnamed(window: QWidget) -> list[str]:
    """The controls a screen reader could not name: no name, a name that is only a sign
    ("▶", "…", a digit) rather than words, or a combo box named by its choice alone."""
    return [
        str(c)
        for c in controls(window)
        if not any(ch.isalpha() for ch in c.name)
        # On Linux a combo box's name is its choice: what it chooses comes from its label.
        or (c.shows and c.name == c.shows and not any(c.labelled_by))
    ]


def wrong_roles(window: QWidget) -> list[str]:
    """Controls whose role is not the one their kind of control should have."""
    return [str(c) for c in controls(window) if c.role not in c.expected]
