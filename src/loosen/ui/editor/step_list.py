"""The routine's steps (or a run's efforts) as a list: reordered by dragging or by Alt+Up
and Alt+Down, one added with Ins and removed with Del; one with a mistake in it is marked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from loosen.ui.keymap import EDITOR_KEYS, key_for, matches

MISTAKE_MARK = "⚠ "  # before a step the loader has something to say about


class StepList(QListWidget):
    moved = Signal(int, int)  # from, to
    add_requested = Signal()  # Ins
    remove_requested = Signal(int)  # Del, on the current step
    picked = Signal(int)  # the current row, changed by the person (not by show_steps)

    def __init__(self, noun: str = "step") -> None:
        """`noun`: what an entry is ("step", "effort"), as the tooltips say it."""
        super().__init__()
        self.noun = noun
        self.setObjectName(f"{noun}s")
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName(f"{noun.capitalize()}s")
        up, down, add, remove = (
            key_for(EDITOR_KEYS, action).label
            for action in ("step_up", "step_down", "add_step", "remove_step")
        )
        self.setToolTip(
            f"Drag to reorder, or {up} and {down}; {add} adds a {noun}, {remove} removes"
        )
        self.model().rowsMoved.connect(self._rows_moved)
        self.currentRowChanged.connect(self._row_changed)
        self._filling = False

    def show_steps(self, titles: Sequence[str], mistakes: Sequence[bool], current: int) -> None:
        """Show the entries (one title each), marking those with mistakes, and select one."""
        self._filling = True
        try:
            if self.count() != len(titles):
                self.clear()
                for _ in titles:
                    self.addItem(QListWidgetItem())
            for number, (title, mistake) in enumerate(zip(titles, mistakes, strict=True)):
                item = self.item(number)
                item.setText(f"{MISTAKE_MARK if mistake else ''}{number + 1}. {title}")
                item.setToolTip(
                    f"This {self.noun} has a mistake; select it to see" if mistake else ""
                )
            if titles:
                self.setCurrentRow(max(0, min(current, len(titles) - 1)))
        finally:
            self._filling = False

    def _row_changed(self, row: int) -> None:
        # While the rows are refilled, the current row passes through rows that are gone.
        if not self._filling and row >= 0:
            self.picked.emit(row)

    def _rows_moved(
        self, _parent: QModelIndex, start: int, _end: int, _dest: QModelIndex, row: int
    ) -> None:
        if self._filling:
            return
        to = row - 1 if row > start else row  # the drop row counts the moved row itself
        if to != start:
            self.moved.emit(start, to)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentRow()
        if matches(key_for(EDITOR_KEYS, "step_up"), event) and row > 0:
            self.moved.emit(row, row - 1)
        elif matches(key_for(EDITOR_KEYS, "step_down"), event) and 0 <= row < self.count() - 1:
            self.moved.emit(row, row + 1)
        elif matches(key_for(EDITOR_KEYS, "add_step"), event):
            self.add_requested.emit()
        elif matches(key_for(EDITOR_KEYS, "remove_step"), event) and row >= 0:
            self.remove_requested.emit(row)
        else:
            super().keyPressEvent(event)
            return
        event.accept()
