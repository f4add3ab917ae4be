"""The history page: every session in a table, filters, edits, delete with undo, export, charts.

Every store call goes through the HistoryService (one worker thread); the page only
shows what the store committed. An edit is never dropped: leaving its row in any way
(another row, a filter, another page, closing the window) saves it as Save does.
The table comes first; the charts (pyqtgraph, imported on first use) are drawn right
after, their series computed off the UI thread, so opening the page stays quick even
with years of sessions.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from concurrent.futures import Future
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loosen.core.counts import count_of
from loosen.core.history import HistoryStore, SessionRecord, csvio
from loosen.core.history.break_weeks import RECENT_WEEKS, break_weeks, breaks_text, monday_of
from loosen.core.history.insights import habit_text
from loosen.core.history.records import MAX_NOTE_CHARS, TIGHTNESS_MAX
from loosen.core.history.trends import HistoryTrends, trends
from loosen.core.userfiles import write_atomically
from loosen.ui import a11y
from loosen.ui.history_model import BACK, DATE, ROUTINE, STATUS, TIME, HistoryTableModel
from loosen.ui.history_service import HistoryService
from loosen.ui.keymap import HISTORY_KEYS, bind_keys
from loosen.ui.keys_help import bind_keys_help
from loosen.ui.rating import TIGHTNESS_HINT
from loosen.ui.save_dialog import ask_save_path

if TYPE_CHECKING:
    from loosen.ui.history_charts import ChartsPanel

T = TypeVar("T")
NO_RATING = -1  # the spin boxes' "–": no rating given
EditorValues = tuple[int | None, int | None, str]  # before, after, note (stripped)


def kind_label(kind: str) -> str:
    return kind[:1].upper() + kind[1:] if kind else "Other"


def export_csv(store: HistoryStore, path: Path) -> str:
    """Write every session, oldest first, as `loosen history --csv` does; a one-line result."""
    try:
        records = store.sessions(newest_first=False)
        with write_atomically(path, newline="") as handle:  # an earlier export survives a failure
            csvio.write_csv(records, handle)
    except OSError as exc:
        return f"Could not export to {path}: {exc.strerror or exc}"
    return f"Exported {count_of(len(records), 'session')} to {path}"


def edit_session(
    store: HistoryStore, uid: str, before: int | None, after: int | None, note: str | None
) -> SessionRecord:
    """Both ratings and the note (None: the stored note stays as it is)."""
    store.set_before(uid, before)
    return store.rate(uid, after, note)


def _spin() -> QSpinBox:
    spin = QSpinBox(minimum=NO_RATING, maximum=TIGHTNESS_MAX)
    spin.setSpecialValueText("–")
    spin.setToolTip(f"{TIGHTNESS_HINT}; – = not rated")
    return spin


def _rating(spin: QSpinBox) -> int | None:
    return None if spin.value() == NO_RATING else spin.value()


EMPTY_NOTE = (
    "No sessions yet. Start a routine from the library: each one you do appears here, "
    "with how tight your back was before and after."
)


class HistoryView(QWidget):
    back_requested = Signal()
    loaded = Signal()  # the table holds the store's sessions
    charts_ready = Signal()  # the charts show the sessions the table shows
    committed = Signal(str)  # an edit, delete or undo reached the store: what was done
    _settled = Signal()  # from the history thread: a submitted call ended, well or not
    _edit_failed = Signal(str)  # from the history thread: the uid whose edit was not saved

    def __init__(
        self,
        history: HistoryService,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        tz: tzinfo | None = None,
        existing: Callable[[], Collection[str]] = frozenset,
    ) -> None:
        super().__init__(parent)
        self.history = history
        self._existing = existing  # the routine ids in the library now: others are "removed"
        self._today = today
        self._tz = tz
        self._generation = 0  # drops chart results computed for an older filter
        self.deleted: list[SessionRecord] = []  # undo stack, most recent last
        self.trends: HistoryTrends | None = None
        self.charts: ChartsPanel | None = None
        self._restoring = False
        self._sized = False
        # The session the editors were filled from, and what they showed then: any
        # difference is an edit not yet sent to the store (None: one the store refused).
        self._shown: SessionRecord | None = None
        self._shown_values: EditorValues | None = None
        self._shown_note = ""  # the note's text as filled, to tell a note left untouched
        self._saving: dict[str, int] = {}  # uid: its edits sent and not yet answered
        self._settled.connect(self._settle)
        self._edit_failed.connect(self._unsaved)
        self.chart_timer = QTimer(self, singleShot=True, interval=0)
        self.chart_timer.setObjectName("history-charts")
        self.chart_timer.timeout.connect(self._update_charts)

        self.back_button = QPushButton("← Library")
        self.back_button.clicked.connect(self.back_requested.emit)
        title = QLabel("History")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        self.routine_filter = QComboBox()
        self.routine_filter.setMinimumContentsLength(14)
        self.routine_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.kind_filter = QComboBox()
        # Its kinds arrive after it is first shown: sized then, "Cooldown" was cut off.
        self.kind_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Every session, as `loosen history --csv` writes it")
        self.export_button.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(8)
        top.addWidget(title)
        top.addStretch()
        # Labelled, so a screen reader says what each chooses, not only its choice.
        for text, chooser in (("&Routine", self.routine_filter), ("&Kind", self.kind_filter)):
            label = QLabel(text)
            label.setBuddy(chooser)
            top.addWidget(label)
            top.addWidget(chooser)
        top.addWidget(self.export_button)

        self.insight = QLabel(objectName="insight", wordWrap=True)
        insight_font = QFont(self.insight.font())
        insight_font.setPointSizeF(insight_font.pointSizeF() * 1.15)
        self.insight.setFont(insight_font)
        # The habits compared, each with its n and interval (insights.habit_text).
        self.habits = QLabel(objectName="habits", wordWrap=True)
        habits_font = QFont(self.habits.font())
        habits_font.setPointSizeF(habits_font.pointSizeF() * 0.9)
        self.habits.setFont(habits_font)
        self.habits.setVisible(False)
        # Desk breaks taken per week, of those given (the reminder log, not the sessions).
        self.breaks = QLabel(objectName="breaks", wordWrap=True)
        self.breaks.setFont(habits_font)
        self.breaks.setVisible(False)

        self.chart_area = QStackedWidget()
        self.chart_placeholder = QLabel("Drawing the charts…")
        self.chart_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_area.addWidget(self.chart_placeholder)

        self.model = HistoryTableModel(self)
        self.table = QTableView(objectName="sessions")
        a11y.name(self.table, "Sessions", "Select one to change its ratings or note; Del deletes")
        self.table.setModel(self.model)
        self._set_up_table()
        # The editors follow the selection, the highlight a person sees. Not the current
        # index: a mouse click moves it before it selects, a ctrl-click deselects without
        # moving it, and a model reset or removed row drops the selection silently.
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.model.modelReset.connect(self._show_selected)
        self.model.rowsRemoved.connect(lambda *_: self._show_selected())

        self.before = _spin()
        self.after = _spin()
        self.note = QLineEdit(placeholderText="Note")
        a11y.name(self.note, "Note")
        self.note.setMaxLength(MAX_NOTE_CHARS)
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save_edit)
        self.note.returnPressed.connect(self.save_edit)
        for spin in (self.before, self.after):
            spin.lineEdit().returnPressed.connect(self.save_edit)  # Enter saves there too
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_selected)
        for edit in (self.before, self.after):
            edit.valueChanged.connect(lambda _: self._update_buttons())
        self.note.textChanged.connect(lambda _: self._update_buttons())
        edit_row = QHBoxLayout()
        for text, spin, name in (
            ("Back &before", self.before, "Tightness before"),
            ("&after", self.after, "Tightness after"),
        ):
            label = QLabel(text)
            label.setBuddy(spin)
            # "after" alone says little to a screen reader: the whole name, and its scale.
            a11y.name(spin, name, TIGHTNESS_HINT)
            edit_row.addWidget(label)
            edit_row.addWidget(spin)
        edit_row.addWidget(self.note, 1)
        edit_row.addWidget(self.save_button)
        edit_row.addWidget(self.delete_button)

        self.status = QLabel(objectName="historyStatus", wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo_button = QPushButton("Undo")
        self.undo_button.clicked.connect(self.undo_delete)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.undo_button)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.empty_note = QLabel(EMPTY_NOTE, objectName="emptyHistory", wordWrap=True)
        self.empty_note.setVisible(False)
        lower_layout.addWidget(self.empty_note)
        lower_layout.addWidget(self.table, 1)
        lower_layout.addLayout(edit_row)
        lower_layout.addLayout(status_row)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.chart_area)
        self.splitter.addWidget(lower)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.insight)
        layout.addWidget(self.habits)
        layout.addWidget(self.breaks)
        layout.addWidget(self.splitter, 1)

        self.routine_filter.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.kind_filter.currentIndexChanged.connect(lambda _: self._apply_filter())
        # In the whole window while this page shows (an editor's own field keeps its keys).
        anywhere = Qt.ShortcutContext.WindowShortcut
        bind_keys(self.table, HISTORY_KEYS, {"delete": self.delete_selected}, context=anywhere)
        bind_keys(
            self,
            HISTORY_KEYS,
            {"undo": self.undo_delete, "back": self.back_requested.emit},
            context=anywhere,
        )
        bind_keys_help(self, "History", HISTORY_KEYS)
        self._fill_filters()
        self._show_selected()
        self._set_status("")
        # Closing the window closes the service: an edit still in the editors goes first.
        history.closing.connect(self.save_edit)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True  # once: after that the user's splitter position stands
            height = self.splitter.height()
            self.splitter.setSizes([height * 2 // 5, height - height * 2 // 5])

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_edit()  # another page, or the window hidden to the tray
        super().hideEvent(event)

    def _set_up_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = table.verticalHeader()
        rows.setVisible(False)
        # Fixed heights: the view never measures 10,000 rows to lay them out.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the note takes what is left
        header.setHighlightSections(False)
        metrics = table.fontMetrics()
        samples = {
            DATE: "Wed 30 Sep 2026 23:59",
            ROUTINE: "Hip flexors and hamstrings",
            STATUS: "Interrupted",
            TIME: "1:00:00",
            BACK: "10 → 10",
        }
        for column, sample in samples.items():
            table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)

    # -- loading ---------------------------------------------------------------------

    def _submit(
        self, work: Callable[[HistoryStore], T], then: Callable[[T], None]
    ) -> Future[T] | None:
        """`work` on the history thread; None once the service has closed (window closing)."""
        try:
            future = self.history.submit(work, then)
        except RuntimeError:  # the executor is shut down: nothing left to show
            return None
        # After `then` (both are queued to this thread in order): a failed call, which
        # the service reports as a notice, leaves its buttons usable again.
        future.add_done_callback(lambda _: self._settled.emit())
        return future

    def reload(self) -> None:
        """Read every session from the store (on the history thread) into the table."""
        self._set_status("")
        self._submit(lambda store: store.sessions(), self._set_records)

    def _set_records(self, records: list[SessionRecord]) -> None:
        kept = self.selected()
        self.model.set_records(records)
        self.empty_note.setVisible(not records)
        self._fill_filters()
        self._reselect(kept)
        self.loaded.emit()
        self.chart_timer.start()  # after this event: the table paints first, then the charts

    def _fill_filters(self) -> None:
        chosen_routine = self.routine_filter.currentData()
        chosen_kind = self.kind_filter.currentData()
        for combo in (self.routine_filter, self.kind_filter):
            combo.blockSignals(True)
            combo.clear()
        self.routine_filter.addItem("All routines", None)
        for routine, name in self.model.routines():
            self.routine_filter.addItem(name, routine)
        self.kind_filter.addItem("All kinds", None)
        for kind in self.model.kinds():
            self.kind_filter.addItem(kind_label(kind), kind)
        for combo, chosen in (
            (self.routine_filter, chosen_routine),
            (self.kind_filter, chosen_kind),
        ):
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)
        self._filter_model()

    def set_filter(self, routine: str | None = None, kind: str | None = None) -> None:
        """Show only sessions of `routine` and `kind` (None = any), as the combo boxes do."""
        for combo, value in ((self.routine_filter, routine), (self.kind_filter, kind)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self._apply_filter()

    def _apply_filter(self) -> None:
        self._filter_model()
        self._update_charts()

    def _filter_model(self) -> None:
        """Narrow the table to the combo boxes' choice; a selected session still shown stays
        selected, one filtered out leaves nothing selected (and the editors empty)."""
        kept = self.selected()
        self.model.set_filter(self.routine_filter.currentData(), self.kind_filter.currentData())
        self._reselect(kept)

    def _reselect(self, record: SessionRecord | None) -> None:
        row = None if record is None else self.model.row_of(record.uid)
        if row is not None and self.selected() is None:
            self.select_row(row)

    # -- charts ----------------------------------------------------------------------

    def _update_charts(self) -> None:
        """Compute the series for what the table shows, off the UI thread, then draw."""
        self._generation += 1
        generation = self._generation
        shown = list(self.model.shown)
        today, tz, existing = self._today(), self._tz, self._existing()
        self._submit(
            lambda _store: trends(shown, today, tz, existing),
            lambda result: self._draw(generation, result),
        )
        since = datetime.combine(
            monday_of(today) - timedelta(weeks=RECENT_WEEKS), datetime.min.time(), UTC
        )  # a week early: the weeks drop what is not theirs, in any zone
        self._submit(
            lambda store: breaks_text(break_weeks(store.reminders(since=since), today, tz)),
            self._show_breaks,
        )

    def _show_breaks(self, text: str) -> None:
        self.breaks.setText(text)
        self.breaks.setVisible(bool(text))

    def _draw(self, generation: int, result: HistoryTrends) -> None:
        if generation != self._generation:
            return  # a newer filter's series is on its way
        self.trends = result
        self.insight.setText(result.insight)
        compared = [habit_text(h) for h in result.habits if h.with_.n + h.without.n]
        self.habits.setText("\n".join(compared))
        self.habits.setVisible(bool(compared))
        if self.charts is None:
            from loosen.ui.history_charts import ChartsPanel  # pyqtgraph: only now

            self.charts = ChartsPanel()
            self.chart_area.addWidget(self.charts)
            self.chart_area.setCurrentWidget(self.charts)
        self.charts.set_trends(result)
        self.charts_ready.emit()

    # -- editing ---------------------------------------------------------------------

    def selected(self) -> SessionRecord | None:
        """The highlighted session, the one the editors show; None when no row is."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _show_selected(self) -> None:
        """The editors leave the session they showed (saving any edit) for the selected one."""
        self.save_edit()
        self._fill_editors(self.selected())

    def _fill_editors(self, record: SessionRecord | None) -> None:
        for widget in (self.before, self.after, self.note):
            widget.blockSignals(True)
        self.before.setValue(
            NO_RATING
            if record is None or record.tightness_before is None
            else record.tightness_before
        )
        self.after.setValue(
            NO_RATING
            if record is None or record.tightness_after is None
            else record.tightness_after
        )
        self.note.setText(record.note if record else "")
        for widget in (self.before, self.after, self.note):
            widget.blockSignals(False)
            widget.setEnabled(record is not None)
        self._shown = record
        self._shown_values = self._edited_values()
        self._shown_note = self.note.text()
        self._update_buttons()

    def _edited_values(self) -> EditorValues:
        return _rating(self.before), _rating(self.after), self.note.text().strip()

    def _has_edit(self) -> bool:
        return self._shown is not None and self._edited_values() != self._shown_values

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.selected() is not None)
        self.save_button.setEnabled(self._has_edit())
        self.undo_button.setVisible(bool(self.deleted))

    def save_edit(self) -> None:
        """Commit the editors' ratings and note for their session through the service.

        The one way an edit is saved: by Save and Enter, and whenever the editors are
        about to leave the session (another row, a filter, another page, the window
        closing), so nothing typed is dropped.
        """
        record = self._shown
        if record is None or not self._has_edit():
            return
        values = before, after, note = self._edited_values()
        # A note left untouched stays as stored, whole: the editor may show it cut to
        # its length limit.
        sent_note = None if self.note.text() == self._shown_note else note
        uid = record.uid
        self._shown_values = values  # on its way: not sent twice
        self.save_button.setEnabled(False)
        future = self._submit(
            lambda store: edit_session(store, uid, before, after, sent_note), self._edited
        )
        if future is None:  # the service has closed: the edit stays pending, not dropped
            self._shown_values = None
        else:
            self._saving[uid] = self._saving.get(uid, 0) + 1
            future.add_done_callback(
                lambda done: (
                    None
                    if done.cancelled() or done.exception() is None
                    else self._edit_failed.emit(uid)
                )
            )

    def _edited(self, record: SessionRecord) -> None:
        self._answered(record.uid)
        self.model.replace(record)
        if self._shown is not None and self._shown.uid == record.uid:
            if self._has_edit() or self._saving.get(record.uid):
                self._shown = record  # typed on since: the editors keep the newer values
            else:
                self._fill_editors(record)  # as stored (a note trimmed, say)
        self._set_status(f"Saved: {record.routine_name}, {_when(record)}.")
        self._data_changed()
        self.committed.emit("edit")

    def _unsaved(self, uid: str) -> None:
        """The store refused an edit (the service says why): if its session is still in
        the editors, they keep it and Save stays on for another try."""
        self._answered(uid)
        if self._shown is not None and self._shown.uid == uid:
            self._shown_values = None
            self._update_buttons()

    def _answered(self, uid: str) -> None:
        left = self._saving.pop(uid, 0) - 1
        if left > 0:
            self._saving[uid] = left

    def delete_selected(self) -> None:
        record = self.selected()
        if record is None:
            return
        self.save_edit()  # first: an undo brings the session back as the user left it
        uid = record.uid
        self.delete_button.setEnabled(False)
        self._submit(lambda store: store.delete(uid), self._deleted)

    def _deleted(self, record: SessionRecord) -> None:
        row = self.model.row_of(record.uid)
        self.deleted.append(record)
        self.model.remove(record.uid)
        if row is not None and self.selected() is None and self.model.rowCount():
            self.select_row(min(row, self.model.rowCount() - 1))  # the next one down
        self._set_status(f"Deleted: {record.routine_name}, {_when(record)}.")
        self._data_changed()
        self.committed.emit("delete")

    def undo_delete(self) -> None:
        """Put back the session deleted last, ratings and note included."""
        if not self.deleted or self._restoring:
            return
        record = self.deleted[-1]  # off the stack only once the store has it back
        self._restoring = True
        self.undo_button.setEnabled(False)
        if self._submit(lambda store: store.restore(record), self._restored) is None:
            self._restoring = False

    def _restored(self, record: SessionRecord) -> None:
        self.deleted = [r for r in self.deleted if r.uid != record.uid]
        row = self.model.insert(record)
        if row is not None:
            self.select_row(row)
        self._set_status(f"Restored: {record.routine_name}, {_when(record)}.")
        self._data_changed()
        self.committed.emit("undo")

    def _settle(self) -> None:
        self._restoring = False
        self.undo_button.setEnabled(True)
        self._update_buttons()

    def _data_changed(self) -> None:
        self._fill_filters()
        self._update_charts()

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.undo_button.setVisible(bool(self.deleted))

    # -- export ----------------------------------------------------------------------

    def export(self) -> None:
        """Ask where (window-modal), then write the CSV on the history thread."""
        default = Path.home() / f"loosen-history-{date.today():%Y-%m-%d}.csv"
        ask_save_path(self, "Export history as CSV", default, "CSV files (*.csv)", self.export_to)

    def export_to(self, path: Path) -> None:
        self.save_edit()  # the file holds what the table shows
        self._set_status(f"Exporting to {path}…")
        self._submit(lambda store: export_csv(store, path), self._set_status)


def _when(record: SessionRecord) -> str:
    return record.started_at.astimezone().strftime("%a %-d %b %H:%M")
