"""The library: routines grouped by kind, a detail pane, and Start.

Routines that failed to load show as a quiet banner with their errors. The first
time, a calm panel says what Loosen is and that it is not medical advice; it never
stands in the way of starting.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette, QShowEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loosen.core.counts import count_of
from loosen.core.duration import format_duration, format_length
from loosen.core.history.routine_stats import RoutineStats
from loosen.core.library import Library
from loosen.core.plan import build_timeline, planned_length_s
from loosen.core.routine import Routine, Step

ROUTINE_ROLE = Qt.ItemDataRole.UserRole

WELCOME = (
    "<b>Welcome to Loosen.</b> It talks you through short routines that keep a runner's "
    "lower back loose: a warm-up before you run, a cooldown on the mat, a squat-and-fold "
    "break every 15–20 minutes. Press Start and follow the voice; afterwards, say how "
    "tight your back feels, and over the weeks your history shows what helps.<br><br>"
    "Loosen is not medical advice. Stretch to a mild pull, never into pain. If pain is "
    "sharp, shoots down a leg, comes with numbness or tingling, or does not settle over "
    "a few weeks, stop and see a physiotherapist or doctor."
)


def length_text(routine: Routine) -> str:
    seconds = planned_length_s(routine)
    return "until you stop" if seconds is None else format_length(seconds)


def breaks_text(routine: Routine) -> str:
    """A run's planned breaks, e.g. "2 breaks", or "every 15-20 min" when it has no end."""
    assert routine.interval is not None
    if routine.interval.total_s is None:
        window = routine.interval.every
        return f"every {format_window_minutes(window.start_s, window.end_s)}"
    count = len({p.break_number for p in build_timeline(routine).phases if p.break_number})
    return count_of(count, "break")


def format_window_minutes(start_s: float, end_s: float) -> str:
    low, high = round(start_s / 60), round(end_s / 60)
    return f"{low} min" if low == high else f"{low}-{high} min"


def step_amount(step: Step) -> str:
    if step.duration_s is not None:
        amount = format_duration(step.duration_s)
    elif step.tempo_s is not None:
        amount = f"{count_of(step.reps, 'rep')} × {format_duration(step.tempo_s)}"
    else:
        amount = f"{count_of(step.reps, 'rep')}, your pace"
    if step.sides:
        amount += " each side"
    if step.sets > 1:
        amount = f"{step.sets} × {amount}"
    return amount


def change_text(stats: RoutineStats) -> str:
    if stats.change is None or stats.sessions == 0:
        return ""
    direction = "looser" if stats.change > 0 else "tighter" if stats.change < 0 else "same"
    return f"{abs(stats.change):.1f} {direction} ({stats.sessions})"


class LibraryView(QWidget):
    start_requested = Signal(str)  # routine id
    export_requested = Signal(str)  # routine id: write its audio guide
    open_folder_requested = Signal()
    settings_requested = Signal()
    history_requested = Signal()
    welcome_dismissed = Signal()
    safety_note_dismissed = Signal()
    unmute_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library: Library | None = None
        self.stats: dict[str, RoutineStats] = {}
        self.folder_dialog: FolderPathDialog | None = None

        self.welcome = QFrame(objectName="welcome")
        self.welcome.setFrameShape(QFrame.Shape.StyledPanel)
        welcome_text = QLabel(WELCOME, wordWrap=True)
        welcome_text.setTextFormat(Qt.TextFormat.RichText)
        dismiss = QPushButton("Got it")
        dismiss.clicked.connect(self._dismiss_welcome)
        welcome_layout = QHBoxLayout(self.welcome)
        welcome_layout.addWidget(welcome_text, 1)
        welcome_layout.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignBottom)

        # Said once, plainly, when the ratings show the tightness is not easing.
        self.safety_note = QFrame(objectName="safetyNote")
        self.safety_note.setFrameShape(QFrame.Shape.StyledPanel)
        self.safety_text = QLabel(objectName="safetyText", wordWrap=True)
        close_note = QPushButton("Close")
        close_note.setAccessibleName("Close the safety note")
        close_note.clicked.connect(self._dismiss_safety_note)
        note_layout = QHBoxLayout(self.safety_note)
        note_layout.addWidget(self.safety_text, 1)
        note_layout.addWidget(close_note, 0, Qt.AlignmentFlag.AlignBottom)
        self.safety_note.setVisible(False)
        # One quiet line: what helped most, or what has not been done for longest.
        self.suggestion = QLabel(objectName="suggestion")
        self.suggestion.setVisible(False)

        self.banner = QLabel(objectName="loadErrors", wordWrap=True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setVisible(False)

        self.tree = QTreeWidget(objectName="routines")
        self.tree.setHeaderLabels(["Routine", "Length", "Steps", "Last done", "Change"])
        self.tree.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        header = self.tree.header()
        header.setStretchLastSection(False)  # the name takes the room, not "Change"
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self._show_detail())
        self.tree.itemActivated.connect(lambda *_: self._start_current())

        self.detail = QWidget(objectName="detail")
        self.detail_layout = QVBoxLayout(self.detail)
        self.title = QLabel(objectName="routineTitle", wordWrap=True)
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(title_font)
        self.summary = QLabel(objectName="routineSummary", wordWrap=True)
        self.caution = QLabel(objectName="routineCaution", wordWrap=True)
        caution_font = QFont(self.caution.font())
        caution_font.setPointSizeF(caution_font.pointSizeF() * 0.9)
        self.caution.setFont(caution_font)
        self.steps_box = QWidget()
        self.steps_layout = QVBoxLayout(self.steps_box)
        self.steps_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.steps_box)
        self.start_button = QPushButton("Start", objectName="startButton")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(40)
        self.start_button.clicked.connect(self._start_current)
        self.export_button = QPushButton("Export audio guide…", objectName="exportButton")
        self.export_button.setToolTip(
            "The whole session as one spoken WAV file, to carry on a phone"
        )
        self.export_button.setMinimumHeight(40)
        self.export_button.clicked.connect(self._export_current)
        actions = QHBoxLayout()
        actions.addWidget(self.start_button, 2)
        actions.addWidget(self.export_button, 1)
        self.detail_layout.addWidget(self.title)
        self.detail_layout.addWidget(self.summary)
        self.detail_layout.addWidget(scroll, 1)
        self.detail_layout.addWidget(self.caution)
        self.detail_layout.addLayout(actions)

        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 440])
        splitter.setChildrenCollapsible(False)
        self.detail.setMinimumWidth(320)

        self.folder_button = QPushButton("Open my routines folder")
        self.folder_button.clicked.connect(self.open_folder_requested.emit)
        self.settings_button = QPushButton("Settings…")
        self.settings_button.clicked.connect(self.settings_requested.emit)
        self.history_button = QPushButton("History")
        self.history_button.setToolTip("Your sessions, and what loosens your back")
        self.history_button.clicked.connect(self.history_requested.emit)
        # Muted is a setting that outlives the session it was pressed in: say so here.
        self.muted_button = QPushButton("Muted — click to unmute", objectName="mutedIndicator")
        self.muted_button.setToolTip("Cues, beeps and reminders are silent")
        self.muted_button.setStyleSheet(
            "#mutedIndicator { font-weight: 600; border: 2px solid palette(highlight);"
            " border-radius: 6px; padding: 4px 12px; }"
        )
        self.muted_button.clicked.connect(self.unmute_requested.emit)
        self.muted_button.setVisible(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.folder_button)
        bottom.addStretch()
        bottom.addWidget(self.muted_button)
        bottom.addWidget(self.history_button)
        bottom.addWidget(self.settings_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.welcome)
        layout.addWidget(self.safety_note)
        layout.addWidget(self.banner)
        layout.addWidget(self.suggestion)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._show_detail()

    def showEvent(self, event: QShowEvent) -> None:
        """The routine list takes the keys whenever the library comes into view (at
        start, and back from a session), unless the user is already in the library."""
        super().showEvent(event)
        if not self.isAncestorOf(QApplication.focusWidget()):
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.library is not None:
            selected = self.current_id()
            self._fill()  # the group headings take the new theme's text colour
            self.select(selected or "")

    # -- filling ---------------------------------------------------------------------

    def set_muted(self, muted: bool) -> None:
        self.muted_button.setVisible(muted)

    def set_welcome_visible(self, visible: bool) -> None:
        self.welcome.setVisible(visible)

    def set_suggestion(self, text: str | None) -> None:
        self.suggestion.setText(text or "")
        self.suggestion.setVisible(bool(text))

    def show_safety_note(self, text: str | None) -> None:
        """The note, or None to take it away."""
        self.safety_text.setText(text or "")
        self.safety_note.setVisible(bool(text))

    def _dismiss_safety_note(self) -> None:
        self.safety_note.setVisible(False)
        self.safety_note_dismissed.emit()

    def _dismiss_welcome(self) -> None:
        self.welcome.setVisible(False)
        self.welcome_dismissed.emit()

    def set_library(self, library: Library) -> None:
        selected = self.current_id()
        self.library = library
        if library.errors:
            lines = "<br>".join(_escape(str(e)) for e in library.errors)
            self.banner.setText(
                f"Some routine files could not be loaded; the others are "
                f"fine.<br><small>{lines}</small>"
            )
        self.banner.setVisible(bool(library.errors))
        self._fill()
        self.select(selected or "")

    def set_stats(self, stats: dict[str, RoutineStats]) -> None:
        self.stats = stats
        selected = self.current_id()
        self._fill()
        self.select(selected or "")

    def _fill(self) -> None:
        self.tree.clear()
        if self.library is None:
            return
        bold = QFont(self.tree.font())
        bold.setWeight(QFont.Weight.DemiBold)
        heading = self.tree.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
        for kind, routines in self.library.by_kind().items():
            if not routines:
                continue
            group = QTreeWidgetItem([kind.label])
            # Disabled, so neither keys nor clicks ever stop on it (the detail pane would
            # go blank); drawn in the normal text colour, as a heading, not greyed out.
            group.setFlags(Qt.ItemFlag.NoItemFlags)
            group.setForeground(0, heading)
            group.setFont(0, bold)
            group.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(group)
            for routine in routines:
                stats = self.stats.get(routine.id, RoutineStats())
                steps = breaks_text(routine) if routine.interval else str(len(routine.steps))
                item = QTreeWidgetItem(
                    [routine.name, length_text(routine), steps, stats.last_done, change_text(stats)]
                )
                item.setData(0, ROUTINE_ROLE, routine.id)
                item.setToolTip(0, routine.summary)
                self.tree.addTopLevelItem(item)
        if self.tree.currentItem() is None:
            self._select_first()

    def _select_first(self) -> None:
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item.data(0, ROUTINE_ROLE):
                self.tree.setCurrentItem(item)
                return

    def select(self, routine_id: str) -> bool:
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item.data(0, ROUTINE_ROLE) == routine_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def current_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, ROUTINE_ROLE) if item else None

    def current_routine(self) -> Routine | None:
        routine_id = self.current_id()
        return self.library.get(routine_id) if self.library and routine_id else None

    def show_folder_path(self, folder: Path) -> FolderPathDialog:
        """Where no file manager opens the folder: its path, to copy (never blocks)."""
        self.folder_dialog = FolderPathDialog(folder, self)
        self.folder_dialog.open()
        return self.folder_dialog

    # -- detail ----------------------------------------------------------------------

    def _show_detail(self) -> None:
        routine = self.current_routine()
        self.start_button.setEnabled(routine is not None)
        self.export_button.setEnabled(routine is not None)
        while self.steps_layout.count():
            child = self.steps_layout.takeAt(0)
            if child.widget():
                child.widget().deleteLater()
        if routine is None:
            self.title.setText("")
            self.summary.setText("")
            self.caution.setText("")
            return
        self.title.setText(routine.name)
        self.summary.setText(f"{length_text(routine)} · {routine.summary}")
        self.caution.setText(f"⚠ {routine.caution}" if routine.caution else "")
        steps = routine.steps
        if routine.interval is not None:
            interval = routine.interval
            every = format_duration(interval.every.start_s)
            if not interval.every.fixed:
                every += f"–{format_duration(interval.every.end_s)}"
            self.steps_layout.addWidget(
                QLabel(
                    f"{interval.activity}, with a {interval.break_routine.name.lower()} break "
                    f"every {every}:",
                    wordWrap=True,
                )
            )
            steps = interval.break_routine.steps
        for step in steps:
            self.steps_layout.addWidget(_StepRow(step))
        self.steps_layout.addStretch()

    def _start_current(self) -> None:
        routine_id = self.current_id()
        if routine_id:
            self.start_requested.emit(routine_id)

    def _export_current(self) -> None:
        routine_id = self.current_id()
        if routine_id:
            self.export_requested.emit(routine_id)


class FolderPathDialog(QDialog):
    """The routines folder's path with a Copy button, for a desktop with no file manager."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your routines folder — Loosen")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        text = QLabel(
            "No file manager could open your routines folder. Put your routine "
            "files (.toml) here; Loosen picks them up as you save them:",
            wordWrap=True,
        )
        self.path = QLineEdit(str(folder), objectName="folderPath", readOnly=True)
        self.path.setMinimumWidth(self.path.fontMetrics().horizontalAdvance(str(folder)) + 24)
        self.copy_button = QPushButton("Copy", objectName="copyPath")
        self.copy_button.clicked.connect(self._copy)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.copy_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.copy_button.setFocus()

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.path.text())
        self.copy_button.setText("Copied")


class _StepRow(QWidget):
    def __init__(self, step: Step) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        picture = QSvgWidget()
        picture.setFixedSize(QSize(48, 48))
        if step.image is not None:
            picture.load(str(step.image))
            picture.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        layout.addWidget(picture)
        text = QLabel(f"<b>{_escape(step.name)}</b><br>{_escape(step_amount(step))}")
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        layout.addWidget(text, 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
