"""The history table's model: sessions newest first, filtered by routine and kind, read-only.

One QAbstractTableModel over a Python list, so 10,000 sessions cost one list and the
view asks only for the rows it paints. Changes come back from the HistoryService as
whole records (`replace`, `remove`, `insert`); the model never writes the store.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from loosen.core.history import SessionRecord, Status

COLUMNS = ("Date", "Routine", "Status", "Time", "Back", "Note")
DATE, ROUTINE, STATUS, TIME, BACK, NOTE = range(len(COLUMNS))
RECORD_ROLE = Qt.ItemDataRole.UserRole

_STATUS_TEXT = {
    Status.COMPLETED: "Completed",
    Status.PARTIAL: "Partial",
    Status.STOPPED: "Stopped",
    Status.INTERRUPTED: "Interrupted",
    Status.RUNNING: "Running",
}
_TOOLTIPS = {
    BACK: "How tight your back was before → after, 0 (loose) to 10 (very tight)",
    TIME: "Active time (pauses left out)",
}

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root: a flat table has no other parent


def date_text(moment: datetime) -> str:
    """Local date and time, e.g. "Sat 21 Nov 2026 15:03"."""
    return moment.astimezone().strftime("%a %-d %b %Y %H:%M")


def time_text(seconds: float) -> str:
    """Active time as a clock reads: "12:07", "1:02:05"."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def back_text(before: int | None, after: int | None) -> str:
    """ "6 → 3"; a missing rating is a dash."""
    if before is None and after is None:
        return ""
    return f"{'–' if before is None else before} → {'–' if after is None else after}"


def _newest_first(record: SessionRecord) -> tuple[float, int]:
    # Sort key for a list kept ascending, so bisect finds where a restored session goes.
    return (-record.started_at.timestamp(), -(record.id or 0))


class HistoryTableModel(QAbstractTableModel):
    """Sessions newest first; `set_filter` narrows them to one routine and/or one kind."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[SessionRecord] = []
        self._rows: list[SessionRecord] = []  # the filtered sessions shown, newest first
        self._routine: str | None = None
        self._kind: str | None = None

    # -- Qt's model interface --------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NOTE and record.note:
                return record.note
            if column == ROUTINE:
                return f"{record.routine_name} ({record.kind})"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (TIME, BACK):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == RECORD_ROLE:
            return record
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _TOOLTIPS.get(section)
        return None

    @staticmethod
    def _display(record: SessionRecord, column: int) -> str:
        if column == DATE:
            return date_text(record.started_at)
        if column == ROUTINE:
            return record.routine_name
        if column == STATUS:
            return _STATUS_TEXT[record.status]
        if column == TIME:
            return time_text(record.active_s)
        if column == BACK:
            return back_text(record.tightness_before, record.tightness_after)
        return record.note.replace("\n", " ")

    # -- filling and filtering -------------------------------------------------------

    def set_records(self, records: list[SessionRecord]) -> None:
        """All sessions (any order); the filter in force is applied."""
        self.beginResetModel()
        self._all = sorted(records, key=_newest_first)
        self._rows = [r for r in self._all if self._accepts(r)]
        self.endResetModel()

    def set_filter(self, routine: str | None = None, kind: str | None = None) -> None:
        """Only sessions of `routine` and of `kind` (None = any)."""
        if (routine, kind) == (self._routine, self._kind):
            return
        self.beginResetModel()
        self._routine, self._kind = routine, kind
        self._rows = [r for r in self._all if self._accepts(r)]
        self.endResetModel()

    def _accepts(self, record: SessionRecord) -> bool:
        return (self._routine is None or record.routine == self._routine) and (
            self._kind is None or record.kind == self._kind
        )

    @property
    def all_records(self) -> list[SessionRecord]:
        return self._all

    @property
    def shown(self) -> list[SessionRecord]:
        """The sessions that pass the filter, newest first."""
        return self._rows

    def routines(self) -> list[tuple[str, str]]:
        """(id, latest name) of every routine in the history, by name."""
        names: dict[str, str] = {}
        for record in self._all:  # newest first: the first name seen is the latest
            names.setdefault(record.routine, record.routine_name)
        return sorted(names.items(), key=lambda item: item[1].casefold())

    def kinds(self) -> list[str]:
        return sorted({r.kind for r in self._all if r.kind})

    # -- changes committed by the store ----------------------------------------------

    def record(self, row: int) -> SessionRecord:
        return self._rows[row]

    def row_of(self, uid: str) -> int | None:
        for row, record in enumerate(self._rows):
            if record.uid == uid:
                return row
        return None

    def replace(self, record: SessionRecord) -> None:
        """A session changed in the store (an edited rating or note)."""
        for i, old in enumerate(self._all):
            if old.uid == record.uid:
                self._all[i] = record
                break
        row = self.row_of(record.uid)
        if row is not None:
            self._rows[row] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def remove(self, uid: str) -> None:
        """A session was deleted from the store."""
        self._all = [r for r in self._all if r.uid != uid]
        row = self.row_of(uid)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def insert(self, record: SessionRecord) -> int | None:
        """A session came back (undo of a delete): at its place by date. Its row, if shown."""
        if any(r.uid == record.uid for r in self._all):
            self.replace(record)
            return self.row_of(record.uid)
        key = _newest_first(record)
        self._all.insert(bisect_left(self._all, key, key=_newest_first), record)
        if not self._accepts(record):
            return None
        row = bisect_left(self._rows, key, key=_newest_first)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, record)
        self.endInsertRows()
        return row
