"""F1 (or ?): a small window listing the keys of the screen it was pressed on, read from
that screen's table in ui/keymap.py. It opens beside the screen, never modal, and Esc
or Close puts it away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loosen.ui.keymap import HELP, Key, bind_keys

TAB_NOTE = (
    "Tab and Shift+Tab move between the controls; Space or Enter presses the one with the focus."
)


class KeysHelp(QDialog):
    """The keys of one screen, as a table of two columns: the keys, what they do."""

    def __init__(self, screen: str, table: tuple[Key, ...], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("keysHelp")
        self.setWindowTitle(f"Keys: {screen} — Loosen")
        self.setModal(False)
        self.table = QTableWidget(len(table), 2, objectName="keysTable")
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
        self.table.setAccessibleName(f"Keys on the {screen.lower()} screen")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, entry in enumerate(table):
            self.table.setItem(row, 0, QTableWidgetItem(entry.label))
            self.table.setItem(row, 1, QTableWidgetItem(entry.does))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        note = QLabel(TAB_NOTE, wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(520, 120 + 30 * len(table))

    def listed(self) -> list[tuple[str, str]]:
        """What the table shows, row by row: (keys, what they do)."""
        return [
            (self.table.item(row, 0).text(), self.table.item(row, 1).text())
            for row in range(self.table.rowCount())
        ]


def show_keys_help(screen_widget: QWidget, screen: str, table: tuple[Key, ...]) -> KeysHelp:
    """The screen's keys window, made once and brought to the front each time."""
    shown = screen_widget.findChild(KeysHelp, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if shown is None:
        shown = KeysHelp(screen, table, screen_widget)
    shown.show()
    shown.activateWindow()
    return shown


def bind_keys_help(screen_widget: QWidget, screen: str, table: tuple[Key, ...]) -> None:
    """F1 and ? on `screen_widget` (wherever the keyboard is inside it) show its keys."""
    assert HELP in table, f"the {screen} screen's keys list F1 too"
    bind_keys(
        screen_widget, (HELP,), {HELP.action: lambda: show_keys_help(screen_widget, screen, table)}
    )
