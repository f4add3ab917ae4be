"""The library: routines grouped by kind, a detail pane, and Start.

Routines that failed to load show as a quiet banner with their errors. The first
time, a calm panel says what Loosen is and that it is not medical advice; it never
stands in the way of starting. Under the list, the routine files' actions (New…,
Duplicate, Edit…, Rename…, Delete, Restore built-in), in a context menu and on keys
too; this page only asks for them (ui/library_actions.py carries them out).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QGuiApplication,
    QPalette,
    QShowEvent,
)
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
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
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
from loosen.core.routine import Routine, Source, Step
from loosen.ui import a11y
from loosen.ui.keymap import LIBRARY_KEYS, key_for
from loosen.ui.keys_help import bind_keys_help
from loosen.ui.style import picture_svg

ROUTINE_ROLE = Qt.ItemDataRole.UserRole
NARROW_PX = 640  # below this the routine's detail goes under the list, not beside it
NARROW_LIST_PX = 180  # then the list shows five routines or so
NARROW_DETAIL_PX = 460  # and the detail its text, a few steps, the caution and Start

WELCOME = (
    "<b>Welcome to Loosen.</b> It talks you through short routines that keep a runner's "
    "lower back loose: a warm-up before you run, a cooldown on the mat, a squat-and-fold "
    "break every 15–20 minutes. Press Start and follow the voice; afterwards, say how "
    "tight your back feels, and over the weeks your history shows what helps.<br><br>"
    "Loosen is not medical advice. Stretch to a mild pull, never into pain. If pain is "
    "sharp, shoots down a leg, comes with numbness or tingling, or does not settle over "
    "a few weeks, stop and see a physiotherapist or doctor."
)


READ_ONLY_TIP = "Built-in routines cannot be changed; Duplicate makes your own copy to change"
RESTORE_UNDO = "your copy can be brought back with Undo."
RESTORE_TIP = f"Your copy replaces the built-in. Restoring puts the built-in back; {RESTORE_UNDO}"


def _keys(action: str) -> str:
    return key_for(LIBRARY_KEYS, action).label


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
    # The routine files' actions, asked for here and carried out by LibraryActions.
    new_requested = Signal()
    duplicate_requested = Signal(str)  # routine id
    rename_requested = Signal(str)  # routine id
    delete_requested = Signal(str)  # routine id
    restore_requested = Signal(str)  # the id of a built-in the user's file replaces
    undo_requested = Signal()
    edit_requested = Signal(Path)  # a user routine's file, for the routine editor

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
        a11y.name(self.tree, "Routines", "Enter starts the selected routine; F1 lists the keys")
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
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_context_menu)
        self.context_menu: QMenu | None = None
        self.pending_selection: str | None = None  # selected once a reload brings it

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

        self._make_file_actions()
        self.undo_bar = QFrame(objectName="undoBar")
        self.undo_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.undo_text = QLabel(objectName="undoText", wordWrap=True)
        self.undo_button = QPushButton("Undo", objectName="undoButton")
        self.undo_button.setToolTip(_keys("undo"))
        self.undo_button.clicked.connect(self.undo_action.trigger)
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(8, 2, 2, 2)
        undo_layout.addWidget(self.undo_text, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.setVisible(False)
        routines_pane = QWidget()
        pane_layout = QVBoxLayout(routines_pane)
        pane_layout.setContentsMargins(0, 0, 0, 0)
        pane_layout.addWidget(self.tree, 1)
        pane_layout.addWidget(self.undo_bar)
        pane_layout.addLayout(self._file_buttons())

        self.splitter = splitter = QSplitter()
        splitter.addWidget(routines_pane)
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
        bind_keys_help(self, "Library", LIBRARY_KEYS)
        self._show_detail()

    def fit_width(self, width: int) -> None:
        """Lay the page out for `width` pixels across (its window's, which its own
        minimum may exceed). Narrow (large text on a small screen): the routine above
        its detail, and the names whole, the list scrolling sideways to the others."""
        narrow = width < NARROW_PX
        # One above the other, each keeps the room to read it; the page scrolls instead.
        self.tree.setMinimumHeight(NARROW_LIST_PX if narrow else 0)
        self.detail.setMinimumHeight(NARROW_DETAIL_PX if narrow else 0)
        self.splitter.setOrientation(
            Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal
        )
        self.tree.header().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents if narrow else QHeaderView.ResizeMode.Stretch
        )

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

    # -- the routine files' actions ---------------------------------------------------

    def _make_file_actions(self) -> None:
        """One QAction each: the same on the buttons, in the context menu, on its keys
        (wherever the keyboard is on this page)."""

        def action(text: str, keys: str, then: Callable[[], object]) -> QAction:
            made = QAction(text, self)
            made.setShortcuts(key_for(LIBRARY_KEYS, keys).sequences)
            made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            made.triggered.connect(then)
            self.addAction(made)
            return made

        self.new_action = action("New…", "new", self.new_requested.emit)
        self.new_action.setToolTip(f"A new routine of your own ({_keys('new')})")
        self.duplicate_action = action(
            "Duplicate", "duplicate", lambda: self._for_current(self.duplicate_requested.emit)
        )
        self.edit_action = action("Edit…", "edit", self._edit_current)
        self.rename_action = action(
            "Rename…", "rename", lambda: self._for_current(self.rename_requested.emit)
        )
        self.delete_action = action(
            "Delete", "delete", lambda: self._for_current(self.delete_requested.emit)
        )
        self.restore_action = QAction("Restore built-in", self)
        self.restore_action.triggered.connect(
            lambda: self._for_current(self.restore_requested.emit)
        )
        self.restore_action.setToolTip(RESTORE_TIP)
        self.undo_action = action("Undo", "undo", self.undo_requested.emit)
        self.undo_action.setEnabled(False)
        self.file_actions = (
            self.new_action,
            self.duplicate_action,
            self.edit_action,
            self.rename_action,
            self.delete_action,
            self.restore_action,
        )

    def _file_buttons(self) -> QHBoxLayout:
        """A button per file action, enabled, shown and explained as its action is."""
        row = QHBoxLayout()
        self.file_buttons: dict[QAction, QPushButton] = {}
        for action in self.file_actions:
            button = QPushButton(action.text())
            button.setObjectName(f"{action.text().rstrip('…').replace(' ', '')}Button")
            button.clicked.connect(action.trigger)
            # As narrow as its words where room is short (an 800×600 screen); the
            # style's wider minimum where there is room.
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(action.text()) + 16)
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

            def follow(action: QAction = action, button: QPushButton = button) -> None:
                button.setEnabled(action.isEnabled())
                button.setVisible(action.isVisible())
                button.setToolTip(action.toolTip())

            action.changed.connect(follow)
            follow()
            self.file_buttons[action] = button
            row.addWidget(button)
        row.addStretch()
        return row

    def _update_file_actions(self, routine: Routine | None) -> None:
        """Built-ins are read-only (Duplicate first); the user's copy of a built-in is
        put aside with Restore built-in, in Delete's place."""
        mine = routine is not None and routine.source is Source.USER
        overrides = mine and self.library is not None and routine.id in self.library.overridden
        self.new_action.setEnabled(self.library is not None)
        self.duplicate_action.setEnabled(routine is not None)
        for action, verb in ((self.edit_action, "Edit"), (self.rename_action, "Rename")):
            action.setEnabled(mine)
            action.setToolTip(
                f"{verb} your routine ({_keys(verb.lower())})" if mine else READ_ONLY_TIP
            )
        self.delete_action.setVisible(not overrides)
        self.delete_action.setEnabled(mine)
        self.delete_action.setToolTip(
            f"Delete your routine ({_keys('delete')}); Undo brings it back"
            if mine
            else READ_ONLY_TIP
        )
        self.restore_action.setVisible(overrides)
        self.duplicate_action.setToolTip(f"A copy of your own, to change ({_keys('duplicate')})")

    def _for_current(self, then: Callable[[str], object]) -> None:
        routine_id = self.current_id()
        if routine_id:
            then(routine_id)

    def _edit_current(self) -> None:
        routine = self.current_routine()
        if routine is not None and routine.source is Source.USER and routine.path is not None:
            self.edit_requested.emit(routine.path)

    def request_edit(self, path: Path) -> None:
        """The editor, asked for a routine just made (New…)."""
        self.edit_requested.emit(path)

    def _show_context_menu(self, pos: QPoint) -> None:
        """The file actions at the pointer; popped up, never run as a loop of its own."""
        item = self.tree.itemAt(pos)
        if item is not None and item.data(0, ROUTINE_ROLE):
            self.tree.setCurrentItem(item)
        menu = QMenu(self.tree)
        menu.addActions([a for a in self.file_actions if a.isVisible()])
        menu.addSeparator()
        menu.addAction(self.undo_action)
        self.context_menu = menu
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    def show_undo(self, text: str) -> None:
        self.undo_text.setText(text)
        self.undo_bar.setVisible(True)
        self.undo_action.setEnabled(True)

    def hide_undo(self) -> None:
        self.undo_bar.setVisible(False)
        self.undo_action.setEnabled(False)

    def select_when_loaded(self, routine_id: str) -> None:
        """Select the routine now if it is listed, else once a reload brings it."""
        self.pending_selection = None if self.select(routine_id) else routine_id

    def neighbour_id(self, routine_id: str) -> str | None:
        """The routine listed after `routine_id` (before it, if it is last): what to
        select once it is gone."""
        ids = self.routine_ids()
        if routine_id not in ids or len(ids) < 2:
            return None
        at = ids.index(routine_id)
        return ids[at + 1] if at + 1 < len(ids) else ids[at - 1]

    def routine_ids(self) -> list[str]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item.data(0, ROUTINE_ROLE) for item in items if item.data(0, ROUTINE_ROLE)]

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
        wanted = self.pending_selection
        if wanted is not None and self.select(wanted):
            self.pending_selection = None
        else:
            self.select(selected or "")
        self._update_file_actions(self.current_routine())  # overrides follow the library

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
        # The page's palette: the list's own, set by its style sheet, lags a theme change.
        heading = self.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
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
        self._update_file_actions(routine)
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
        a11y.name(self.path, "Your routines folder")
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
            picture.load(picture_svg(step.image))  # in the theme's inks
            picture.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        layout.addWidget(picture)
        text = QLabel(f"<b>{_escape(step.name)}</b><br>{_escape(step_amount(step))}")
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        layout.addWidget(text, 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
