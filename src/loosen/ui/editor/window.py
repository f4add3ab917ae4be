"""The routine editor window: the routine's fields at the top (a run's interval and its
efforts among them), its steps as a list, the selected step's form, and the live
timeline; the loader's messages beside the fields they name as the person types, Save
only while the routine is valid.

A check of a routine (the loader and the plan) takes a few milliseconds (5 ms for the
largest built-in on the development machine), so it runs on the UI thread, once the
typing pauses for CHECK_DELAY_MS. Every question is window-modal (`open()`), answered
by a callback: no event loop runs inside a slot.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from loosen import paths
from loosen.core.routine_document import (
    DEFAULTS_TABLE,
    INTERVAL_TABLE,
    CheckResult,
    DocumentError,
    LibraryContext,
    RoutineDocument,
    effort_place,
    field_place,
    import_picture,
    shipped_pictures,
    step_place,
)
from loosen.core.routine_schema import DEFAULTS, EFFORT, INTERVAL, MAX_EFFORTS, TOP, Kind, Shape
from loosen.speech.speaker import Speaker
from loosen.ui.editor.efforts import EffortsEditor
from loosen.ui.editor.fields import FieldsForm, Mnemonics, error_label, show_messages
from loosen.ui.editor.step_form import Measure, StepForm, example_value
from loosen.ui.editor.step_list import StepList
from loosen.ui.editor.timeline import Timeline
from loosen.ui.keymap import EDITOR_KEYS, bind_keys
from loosen.ui.keys_help import bind_keys_help
from loosen.ui.page_scroll import PageLayout, scrolled_page

CHECK_DELAY_MS = 150  # typing pauses this long before the routine is checked again
ROUTINE_KEYS = ("name", "kind", "summary", "caution")  # the top-level fields the form edits
NEW_STEP_NAME = "New step"
NEW_EFFORT_NAME = "New effort"
CHANGED_ON_DISK = "This file was changed outside the editor."
UNNAMED = "(no name)"
PANE_SHARES = (3, 4, 3)  # of the width: the routine and its steps, the step, the timeline
NARROW_PX = 640  # below this (large text on a small screen) the panes stand one above another
NARROW_PANE_PX = 300  # each then this tall at least, the window scrolling down them


class Answer:
    """What the person said to "save your changes?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def effort_title(value_of: Callable[[str], Any]) -> str:
    """An effort as the list shows it: "Sprint 100 metres — 20s"."""
    name = value_of("name") or UNNAMED
    duration = value_of("duration")
    return str(name) if duration is None else f"{name} — {duration}"


def step_title(value_of: Callable[[str], Any]) -> str:
    """A step as the list shows it: "Glute bridge — 12 reps", "Include: squat-and-fold"."""
    include = value_of("include")
    if include is not None:
        return f"Include: {include}"
    name = value_of("name") or UNNAMED
    if value_of("reps") is not None:
        return f"{name} — {value_of('reps')} reps"
    if value_of("duration") is not None:
        return f"{name} — {value_of('duration')}"
    return str(name)


class EditorWindow(QMainWindow):
    saved = Signal(str)  # the routine's id, once its file is written

    def __init__(
        self,
        document: RoutineDocument,
        context: LibraryContext,
        speaker: Speaker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("routineEditor")
        self.document = document
        self.context = context
        self.speaker = speaker
        self.result = CheckResult({})
        self.current = 0  # the selected step
        self.current_effort = 0  # the selected effort of a run
        self.question: QMessageBox | None = None  # "save your changes?" while open
        self._closing = False
        self._shown_once = False
        mnemonics = Mnemonics()

        # The buttons first: they get the letters people expect (Alt+S saves).
        self.save_button = QPushButton(mnemonics("Save"))
        self.save_button.setToolTip("Save (Ctrl+S); off while the routine has mistakes")
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(mnemonics("Close"))
        self.close_button.setToolTip("Close (Esc)")
        self.close_button.clicked.connect(self.close)
        self.hear_button = QPushButton(mnemonics("Hear it"))
        self.hear_button.setToolTip("Say the selected step's cues, as the player will")
        self.hear_button.clicked.connect(self.hear_step)
        self.add_button = QPushButton(mnemonics("Add step"))
        self.add_button.setToolTip("Add a step after the selected one (Ins)")
        self.add_button.clicked.connect(self.add_step)
        self.include_button = QPushButton(mnemonics("Include a routine"))
        self.include_button.setToolTip("Add a step that stands for another routine's steps")
        self.include_button.clicked.connect(self.add_include)
        self.remove_button = QPushButton(mnemonics("Remove step"))
        self.remove_button.setToolTip("Remove the selected step (Del)")
        self.remove_button.clicked.connect(lambda: self.remove_step(self.current))
        self.up_button = QPushButton(mnemonics("Move up"))
        self.up_button.setToolTip("Alt+Up")
        self.up_button.clicked.connect(lambda: self.move_step(self.current, self.current - 1))
        self.down_button = QPushButton(mnemonics("Move down"))
        self.down_button.setToolTip("Alt+Down")
        self.down_button.clicked.connect(lambda: self.move_step(self.current, self.current + 1))

        routine_ids = context.routine_ids()
        self.routine_form = FieldsForm([TOP[key] for key in ROUTINE_KEYS], mnemonics)
        self.routine_form.edited.connect(self._routine_edited)
        self.step_form = StepForm(
            mnemonics,
            routine_ids,
            shipped_pictures(paths.pictures_dir()),
            lambda source: import_picture(source, document.path.parent),
        )
        self.step_form.edited.connect(self._step_edited)
        self.step_form.measure_chosen.connect(self._measure_chosen)
        self.defaults_form = FieldsForm(DEFAULTS.fields, mnemonics)
        self.defaults_form.edited.connect(
            lambda key, value: self._table_edited(DEFAULTS_TABLE, key, value)
        )
        # The efforts (a list of tables) are edited in their own list, not as one field.
        interval_fields = tuple(f for f in INTERVAL.fields if f.shape is not Shape.TABLES)
        self.interval_form = FieldsForm(interval_fields, mnemonics, routine_ids=routine_ids)
        self.interval_form.edited.connect(
            lambda key, value: self._table_edited(INTERVAL_TABLE, key, value)
        )
        self.efforts = EffortsEditor(mnemonics)
        self.efforts.edited.connect(self._effort_edited)
        self.efforts.selected.connect(self._effort_selected)
        self.efforts.moved.connect(self.move_effort)
        self.efforts.add_requested.connect(self.add_effort)
        self.efforts.remove_requested.connect(self.remove_effort)

        self.step_list = StepList()
        self.step_list.currentRowChanged.connect(self._step_selected)
        self.step_list.moved.connect(self.move_step)
        self.step_list.add_requested.connect(self.add_step)
        self.step_list.remove_requested.connect(self.remove_step)
        self.timeline = Timeline()

        self.check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self.check_timer.setObjectName("editor-check")
        self.check_timer.timeout.connect(self.check)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        self._watch()

        self.setCentralWidget(scrolled_page(self._layout()))
        bind_keys(
            self,
            EDITOR_KEYS,
            {"save": self.save, "close": self.close},
            context=Qt.ShortcutContext.WindowShortcut,
        )
        bind_keys_help(self, "Editor", EDITOR_KEYS)
        self.resize(1100, 720)
        self._fill()
        self.check()

    @classmethod
    def open_file(cls, path: Path, speaker: Speaker, parent: QWidget | None = None) -> EditorWindow:
        """The editor on the routine file at `path`; DocumentError when it cannot be."""
        document = RoutineDocument.open(path)
        context = LibraryContext.read(
            paths.builtin_routines_dir(), paths.user_routines_dir(), paths.pictures_dir(), path
        )
        return cls(document, context, speaker, parent)

    # -- building ----------------------------------------------------------------------

    def _layout(self) -> QWidget:
        self.disk_banner = QFrame(objectName="diskBanner")
        self.disk_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.reload_button = QPushButton("&Reload theirs")
        self.reload_button.clicked.connect(self.reload_from_disk)
        self.keep_button = QPushButton("&Keep mine")
        self.keep_button.clicked.connect(self.keep_mine)
        banner = QHBoxLayout(self.disk_banner)
        banner.addWidget(QLabel(CHANGED_ON_DISK), 1)
        banner.addWidget(self.reload_button)
        banner.addWidget(self.keep_button)
        self.disk_banner.hide()
        self.problems = error_label()  # what names no field on screen
        self.problems.setObjectName("problems")

        self.defaults_box = QGroupBox("Defaults for every step")
        QVBoxLayout(self.defaults_box).addWidget(self.defaults_form)
        self.interval_box = QGroupBox("The run: its activity and its breaks")
        interval_column = QVBoxLayout(self.interval_box)
        interval_column.addWidget(self.interval_form)
        interval_column.addWidget(self.efforts)
        routine_page = QWidget()
        routine_column = QVBoxLayout(routine_page)
        routine_column.addWidget(self.routine_form)
        routine_column.addWidget(self.interval_box)
        routine_column.addWidget(self.defaults_box)
        routine_column.addStretch(1)

        self.steps_pane = QWidget()
        steps_column = QVBoxLayout(self.steps_pane)
        steps_column.setContentsMargins(0, 0, 0, 0)
        steps_column.addWidget(QLabel("Steps"))
        steps_column.addWidget(self.step_list, 1)
        for row in (
            (self.add_button, self.include_button),
            (self.remove_button, self.up_button, self.down_button),
        ):
            buttons = QHBoxLayout()
            for button in row:
                buttons.addWidget(button)
            steps_column.addLayout(buttons)

        left = QSplitter(Qt.Orientation.Vertical)
        self.routine_area = _scrolled(routine_page)
        left.addWidget(self.routine_area)
        left.addWidget(self.steps_pane)
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 1)
        left.setChildrenCollapsible(False)

        self.middle = QSplitter(Qt.Orientation.Horizontal)
        self.middle.addWidget(left)
        self.step_pane = _scrolled(self.step_form)
        self.middle.addWidget(self.step_pane)
        self.middle.addWidget(self.timeline)
        self.middle.setChildrenCollapsible(False)
        for pane, share in enumerate(PANE_SHARES):
            self.middle.setStretchFactor(pane, share)

        bottom = QHBoxLayout()
        bottom.addWidget(self.hear_button)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)

        page = QWidget()
        column = PageLayout(page)
        column.addWidget(self.disk_banner)
        column.addWidget(self.problems)
        column.addWidget(self.middle, 1)
        column.addLayout(bottom)
        return page

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = self.width() < NARROW_PX
        self.middle.setOrientation(Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal)
        for pane in range(self.middle.count()):
            self.middle.widget(pane).setMinimumHeight(NARROW_PANE_PX if narrow else 0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:  # the panes share the width, whatever their contents ask
            self._shown_once = True
            width = sum(self.middle.sizes())
            self.middle.setSizes([width * share // sum(PANE_SHARES) for share in PANE_SHARES])

    # -- showing the document ----------------------------------------------------------

    def _fill(self) -> None:
        """Every field and the step list from the document."""
        self.routine_form.set_values(self.document.get)
        self.defaults_form.set_values(lambda key: self.document.get(key, DEFAULTS_TABLE))
        self.interval_form.set_values(lambda key: self.document.get(key, INTERVAL_TABLE))
        self._show_steps()
        self._show_step()
        self._show_efforts()
        self._show_effort()
        self._show_sections()
        self._show_title()

    def _show_sections(self) -> None:
        is_run = self.document.get("kind") == Kind.RUN.value
        has_interval = self.document.get(INTERVAL.name) is not None
        self.interval_box.setVisible(is_run or has_interval)
        # A run with steps still shows them, so they can be removed.
        with_steps = not is_run or self.document.step_count() > 0
        self.steps_pane.setVisible(with_steps)
        self.step_pane.setVisible(with_steps)  # a run's width goes to its interval
        self.defaults_box.setVisible(not is_run or self.document.get(DEFAULTS.name) is not None)

    def _show_title(self) -> None:
        name = self.document.get("name") or UNNAMED
        self.setWindowTitle(f"Edit “{name}”[*] — Loosen")
        self.setWindowModified(self.document.modified)

    def _show_steps(self) -> None:
        count = self.document.step_count()
        self.current = max(0, min(self.current, count - 1))
        titles = [step_title(lambda key, i=i: self.document.step_get(i, key)) for i in range(count)]
        mistakes = [bool(self.result.in_step(i)) for i in range(count)]
        self.step_list.show_steps(titles, mistakes, self.current)
        for button in (self.remove_button, self.hear_button):
            button.setEnabled(count > 0)
        self.up_button.setEnabled(self.current > 0)
        self.down_button.setEnabled(self.current < count - 1)

    def _show_step(self) -> None:
        if self.document.step_count() == 0:
            self.step_form.show_step(None, is_include=False)
            return
        index = self.current
        self.step_form.show_step(
            lambda key: self.document.step_get(index, key),
            is_include=self.document.step_get(index, "include") is not None,
            number=index + 1,
        )
        self._show_step_errors()
        self.timeline.highlight(self.result.step_phases(index))

    def _show_step_errors(self) -> None:
        if self.document.step_count() == 0:
            return
        index = self.current
        own = step_place(index)
        shown = {
            key
            for form in (self.step_form.fields, self.step_form.include)
            if form.isVisibleTo(self.step_form)
            for key, editor in form.editors.items()
            if editor.isVisibleTo(form)
        }
        others = [
            message if place == own else f"{place.removeprefix(own + '.')}: {message}"
            for place, message in self.result.in_step(index)
            if place.removeprefix(own + ".") not in shown
        ]
        self.step_form.show_errors(lambda key: self.result.at(f"{own}.{key}"), others)

    def _show_efforts(self) -> None:
        count = self.document.effort_count()
        self.current_effort = max(0, min(self.current_effort, count - 1))
        titles = [
            effort_title(lambda key, i=i: self.document.effort_get(i, key)) for i in range(count)
        ]
        mistakes = [bool(self.result.in_effort(i)) for i in range(count)]
        self.efforts.show_efforts(titles, mistakes, self.current_effort)
        self.efforts.add_button.setEnabled(count < MAX_EFFORTS)

    def _show_effort(self) -> None:
        if self.document.effort_count() == 0:
            self.efforts.show_effort(None)
            return
        index = self.current_effort
        self.efforts.show_effort(lambda key: self.document.effort_get(index, key), index + 1)
        self._show_effort_errors()
        if not self.document.step_count():
            self.timeline.highlight(self.result.effort_phases(index))

    def _show_effort_errors(self) -> None:
        about_all = self.result.at(EFFORT.name)
        if self.document.effort_count() == 0:
            self.efforts.show_errors(lambda key: (), (), about_all)
            return
        own = effort_place(self.current_effort)
        others = [
            message if place == own else f"{place.removeprefix(own + '.')}: {message}"
            for place, message in self.result.in_effort(self.current_effort)
            if place.removeprefix(own + ".") not in EFFORT.keys
        ]
        self.efforts.show_errors(lambda key: self.result.at(f"{own}.{key}"), others, about_all)

    def _show_result(self) -> None:
        result = self.result
        self.routine_form.show_errors(result.at)
        self.defaults_form.show_errors(lambda key: result.at(field_place(key, DEFAULTS_TABLE)))
        self.interval_form.show_errors(lambda key: result.at(field_place(key, INTERVAL_TABLE)))
        on_screen = {
            *ROUTINE_KEYS,
            *(field_place(key, DEFAULTS_TABLE) for key in DEFAULTS.keys),
            *(field_place(key, INTERVAL_TABLE) for key in INTERVAL.keys),
        }
        elsewhere = [
            f"{place}: {message}" if place else message
            for place, messages in result.errors.items()
            if place not in on_screen
            and not place.startswith((f"{TOP['steps'].key}[", f"{EFFORT.name}["))
            for message in messages
        ]
        show_messages(self.problems, elsewhere)
        self.timeline.show_plan(result.plan)
        self._show_steps()
        self._show_step_errors()
        self._show_efforts()
        self._show_effort_errors()
        if self.document.step_count():
            self.timeline.highlight(result.step_phases(self.current))
        elif self.document.effort_count():
            self.timeline.highlight(result.effort_phases(self.current_effort))
        self.save_button.setEnabled(result.valid and self.document.modified)
        self.hear_button.setEnabled(result.valid and self.document.step_count() > 0)

    # -- edits ---------------------------------------------------------------------------

    def _changed(self) -> None:
        """After any edit: the title says so, and the routine is checked once typing pauses."""
        self._show_title()
        self.save_button.setEnabled(False)  # until the check says the routine is valid
        self.check_timer.start()

    def check(self) -> None:
        """Check the document now (the loader, then the plan) and show what it says."""
        self.check_timer.stop()
        self.result = self.document.check(self.context)
        self._show_result()

    def _routine_edited(self, key: str, value: Any) -> None:
        if self.document.set(key, value):
            if key == "kind":
                self._show_sections()
            self._changed()

    def _table_edited(self, table: str, key: str, value: Any) -> None:
        if self.document.set(key, value, table):
            self._changed()

    def _step_edited(self, key: str, value: Any) -> None:
        if self.document.step_count() and self.document.step_set(self.current, key, value):
            self._show_steps()
            self._changed()

    def _measure_chosen(self, measure: Measure) -> None:
        index = self.current
        changed = False
        for other in Measure:
            if other is not measure:
                for key in other.keys:
                    changed |= self.document.step_set(index, key, None)
        first = measure.keys[0]
        if self.document.step_get(index, first) is None:
            changed |= self.document.step_set(index, first, example_value(first))
        self._show_step()
        if changed:
            self._show_steps()
            self._changed()

    def _step_selected(self, row: int) -> None:
        if row < 0:
            return
        self.current = row
        self._show_step()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(row < self.document.step_count() - 1)

    def add_step(self) -> None:
        """A new timed step after the selected one, its name ready to be typed over."""
        at = self.current + 1 if self.document.step_count() else 0
        self.current = self.document.add_step(
            {"name": NEW_STEP_NAME, "duration": example_value("duration")}, at
        )
        self._structure_changed()
        name = self.step_form.fields.editors["name"]
        name.setFocus()
        name.line.selectAll()  # type: ignore[attr-defined]

    def add_include(self) -> None:
        """A step standing for another routine's steps, the routine to be picked."""
        at = self.current + 1 if self.document.step_count() else 0
        first = next(iter(self.context.routine_ids()), "squat-and-fold")
        self.current = self.document.add_step({"include": first}, at)
        self._structure_changed()
        self.step_form.include.editors["include"].setFocus()

    def remove_step(self, index: int) -> None:
        if 0 <= index < self.document.step_count():
            self.document.remove_step(index)
            self.current = min(index, self.document.step_count() - 1)
            self._structure_changed()

    def move_step(self, index: int, to: int) -> None:
        count = self.document.step_count()
        if not (0 <= index < count and 0 <= to < count) or index == to:
            self._show_steps()  # a drop outside the list puts the rows back as they are
            return
        self.document.move_step(index, to)
        self.current = to
        self._structure_changed()

    def _structure_changed(self) -> None:
        self._show_steps()
        self._show_step()
        self._show_sections()
        self._changed()

    # -- a run's efforts -----------------------------------------------------------------

    def _effort_edited(self, key: str, value: Any) -> None:
        if self.document.effort_count() and self.document.effort_set(
            self.current_effort, key, value
        ):
            self._show_efforts()
            self._changed()

    def _effort_selected(self, row: int) -> None:
        self.current_effort = row
        self._show_effort()

    def add_effort(self) -> None:
        """A new effort after the selected one, its name ready to be typed over."""
        count = self.document.effort_count()
        if count >= MAX_EFFORTS:
            return
        at = self.current_effort + 1 if count else 0
        self.current_effort = self.document.add_effort(
            {"name": NEW_EFFORT_NAME, "duration": example_value("duration", EFFORT)}, at
        )
        self._efforts_changed()
        self.efforts.focus_name()
        self.routine_area.ensureWidgetVisible(self.efforts.form)  # below the list, at 800×600

    def remove_effort(self, index: int) -> None:
        if 0 <= index < self.document.effort_count():
            self.document.remove_effort(index)
            self.current_effort = min(index, self.document.effort_count() - 1)
            self._efforts_changed()
            if self.document.effort_count() == 0:
                self.efforts.add_button.setFocus()  # the list it was in is gone

    def move_effort(self, index: int, to: int) -> None:
        count = self.document.effort_count()
        if not (0 <= index < count and 0 <= to < count) or index == to:
            self._show_efforts()  # a drop outside the list puts the rows back as they are
            return
        self.document.move_effort(index, to)
        self.current_effort = to
        self._efforts_changed()

    def _efforts_changed(self) -> None:
        self._show_efforts()
        self._show_effort()
        self._changed()

    # -- hearing -------------------------------------------------------------------------

    def hear_step(self) -> None:
        """Say the selected step's cues through the app's speaker (it never blocks)."""
        if self.check_timer.isActive():
            self.check()
        cues = self.result.step_cues(self.current)
        if cues:
            self.speaker.speak(" ".join(cues))

    # -- saving and the file on disk -----------------------------------------------------

    def save(self) -> bool:
        """Write the file if the routine is valid and nobody else's change would be lost;
        True when it was written."""
        if self.check_timer.isActive():
            self.check()
        if not self.result.valid or self.result.routine is None:
            return False
        try:
            if self.document.changed_on_disk():
                self.disk_banner.show()  # theirs or mine: the person says first
                return False
            self.document.save()
        except (OSError, DocumentError) as exc:
            show_messages(self.problems, [f"Could not save {self.document.path}: {exc}"])
            return False
        self._watch()
        self._show_title()
        self.save_button.setEnabled(False)  # nothing more to save
        self.saved.emit(self.result.routine.id)
        return True

    def _watch(self) -> None:
        path = str(self.document.path)
        if self.document.path.exists() and path not in self.watcher.files():
            self.watcher.addPath(path)

    def _file_changed(self, _path: str) -> None:
        self._watch()  # a file replaced whole (as editors save) is watched afresh
        self._notice_disk()

    def _notice_disk(self) -> None:
        try:
            changed = self.document.changed_on_disk()
        except DocumentError:
            changed = True
        if changed:
            self.disk_banner.show()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._notice_disk()  # coming back from the text editor that changed it

    def reload_from_disk(self) -> None:
        """Theirs: the file as it is now; the changes made here are dropped."""
        try:
            self.document.reload()
        except DocumentError as exc:
            show_messages(self.problems, [f"Could not reload: {exc}"])
            return
        self.disk_banner.hide()
        self._fill()
        self.check()

    def keep_mine(self) -> None:
        """Mine: the next save replaces what is on disk."""
        self.document.keep_mine()
        self.disk_banner.hide()

    # -- closing -------------------------------------------------------------------------

    @staticmethod
    def confirm_close(
        parent: QWidget, can_save: bool, answered: Callable[[str], None]
    ) -> QMessageBox:
        """Ask what becomes of unsaved changes, window-modal; `answered(Answer...)`."""
        buttons = QMessageBox.StandardButton
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Save your changes?",
            "This routine has changes that are not saved."
            + ("" if can_save else " It has mistakes, so it cannot be saved as it is."),
            buttons.Save | buttons.Discard | buttons.Cancel,
            parent,
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.button(buttons.Save).setEnabled(can_save)
        box.setDefaultButton(buttons.Save if can_save else buttons.Cancel)
        meaning = {
            buttons.Save: Answer.SAVE,
            buttons.Discard: Answer.DISCARD,
            buttons.Cancel: Answer.CANCEL,
        }
        box.finished.connect(
            lambda _: answered(meaning.get(box.standardButton(box.clickedButton()), Answer.CANCEL))
        )
        box.open()
        return box

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing or not self.document.modified:
            self.check_timer.stop()
            super().closeEvent(event)
            return
        event.ignore()
        if self.question is not None:
            self.question.activateWindow()
            return
        if self.check_timer.isActive():
            self.check()
        self.question = type(self).confirm_close(self, self.result.valid, self._answered)

    def close_discarding(self) -> None:
        """Close without asking; unsaved changes are lost (the app is going away)."""
        self._closing = True
        self.close()

    def _answered(self, answer: str) -> None:
        question, self.question = self.question, None
        if question is not None:
            question.deleteLater()
        if answer == Answer.SAVE and not self.save():
            return
        if answer in (Answer.SAVE, Answer.DISCARD):
            self.close_discarding()


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
