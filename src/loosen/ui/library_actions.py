"""The library's routine-file actions carried out: New, Duplicate, Rename, Delete, Undo and
Restore built-in.

Each change runs on the library's own thread (the one that loads it), never on the UI
thread: a file written with fsync can take a while on a busy disk. Then the library
loads again, on that same thread and so after the change, and the routine changed is
selected. What goes wrong is one line in the window's message bar. A delete (or a
built-in restored) offers Undo for UNDO_SHOWN_S, timed on the window's clock, or until
the next change.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from loosen import paths
from loosen.core.clock import Clock
from loosen.core.library import Library
from loosen.core.routine import Routine, Source
from loosen.core.routine_files import (
    Deleted,
    RoutineFileError,
    delete,
    duplicate,
    ids_in_use,
    name_problem,
    new_routine,
    rename,
    restore_builtin,
    undo,
)
from loosen.ui import a11y
from loosen.ui.library_view import RESTORE_UNDO, LibraryView

UNDO_SHOWN_S = 10.0  # how long Undo is offered after a delete
NEW_NAME = "My routine"  # what a new routine is called until the user says otherwise


class RoutineNameDialog(QDialog):
    """Asks for a routine's name, window-modal with `open()`; OK stays off while the
    loader would refuse the name, and its reason shows under the field."""

    def __init__(self, title: str, prompt: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} — Loosen")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.field = QLineEdit(name, objectName="routineName")
        a11y.name(self.field, "Routine name", prompt)
        self.field.selectAll()
        self.field.setMinimumWidth(self.field.fontMetrics().averageCharWidth() * 40)
        self.problem = QLabel(objectName="nameProblem", wordWrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt, wordWrap=True))
        layout.addWidget(self.field)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.field.textChanged.connect(self._check)
        self._check(name)

    def _check(self, text: str) -> None:
        problem = name_problem(text)
        self.problem.setText(f"The name {problem}." if problem else "")
        self.problem.setVisible(problem is not None)
        self.ok_button.setEnabled(problem is None)

    def accept(self) -> None:
        if self.ok_button.isEnabled():  # Enter in the field, with a name refused
            super().accept()

    def name(self) -> str:
        return self.field.text().strip()


class LibraryActions(QObject):
    """Carries out what the library page asks of the routine files."""

    _finished = Signal(object, object)  # the change's Future, and what follows it

    def __init__(
        self,
        view: LibraryView,
        worker: Executor,
        reload: Callable[[], None],
        tell: Callable[[str], None],
        clock: Clock,
        parent: QObject | None = None,
    ) -> None:
        """`worker`: the library's one thread; `reload()` loads the library on it again;
        `tell(line)` shows a message; `clock` times the Undo offer."""
        super().__init__(parent)
        self.view = view
        self.worker = worker
        self.reload = reload
        self.tell = tell
        self.clock = clock
        self.name_dialog: RoutineNameDialog | None = None
        self.undoable: Deleted | None = None
        self._undo_until = 0.0
        self.undo_timer = QTimer(self, singleShot=True)
        self.undo_timer.setObjectName("library-undo")
        self.undo_timer.timeout.connect(self._undo_time_check)
        # Queued: a change done before its callback is added must still answer from the
        # event loop, on the UI thread.
        self._finished.connect(self._done, Qt.ConnectionType.QueuedConnection)
        view.new_requested.connect(self.ask_new)
        view.duplicate_requested.connect(self.duplicate)
        view.rename_requested.connect(self.ask_rename)
        view.delete_requested.connect(self.delete)
        view.restore_requested.connect(self.restore_builtin)
        view.undo_requested.connect(self.undo)

    # -- what the page asks ----------------------------------------------------------

    def ask_new(self) -> None:
        self._ask_name("New routine", "Name your new routine:", NEW_NAME, self.create)

    def create(self, name: str) -> None:
        folder, known = paths.user_routines_dir(), self._known_ids()

        def made(path: Path) -> None:
            self.view.select_when_loaded(path.stem)
            self.view.request_edit(path)

        self._change(lambda: new_routine(folder, name, taken=ids_in_use(folder, known)), made)

    def duplicate(self, routine_id: str) -> None:
        routine = self.view.library.get(routine_id) if self.view.library else None
        if routine is None:
            return
        folder, known = paths.user_routines_dir(), self._known_ids()
        self._change(
            lambda: duplicate(routine, folder, taken=ids_in_use(folder, known)),
            lambda path: self.view.select_when_loaded(path.stem),
        )

    def ask_rename(self, routine_id: str) -> None:
        routine = self._users(routine_id)
        if routine is None:
            return
        self._ask_name(
            "Rename routine",
            f"A new name for “{routine.name}”:",
            routine.name,
            lambda name: self.rename(routine_id, name),
        )

    def rename(self, routine_id: str, name: str) -> None:
        routine = self._users(routine_id)
        if routine is None or routine.path is None:
            return
        path = routine.path
        self._change(lambda: rename(path, name), lambda _: self.view.select_when_loaded(routine_id))

    def delete(self, routine_id: str) -> None:
        routine = self._users(routine_id)
        if routine is None or routine.path is None:
            return
        path, trash, name = routine.path, paths.deleted_routines_dir(), routine.name
        after = self.view.neighbour_id(routine_id)

        def deleted(done: Deleted) -> None:
            if after is not None:
                self.view.select_when_loaded(after)
            self._offer_undo(done, f"Deleted “{name}”.")

        self._change(lambda: delete(path, trash), deleted)

    def restore_builtin(self, routine_id: str) -> None:
        folder, trash = paths.user_routines_dir(), paths.deleted_routines_dir()

        def restored(done: Deleted) -> None:
            self.view.select_when_loaded(routine_id)
            self._offer_undo(done, f"The built-in routine is back; {RESTORE_UNDO}")

        self._change(lambda: restore_builtin(routine_id, folder, trash), restored)

    def undo(self) -> None:
        deleted = self.undoable
        if deleted is None:
            return
        self._withdraw_undo()
        self._change(
            lambda: undo(deleted), lambda _: self.view.select_when_loaded(deleted.routine_id)
        )

    # -- how -------------------------------------------------------------------------

    def _users(self, routine_id: str) -> Routine | None:
        """The routine if it is the user's own file: a built-in's is never changed (the
        page offers no such change; this holds for any caller)."""
        routine = self.view.library.get(routine_id) if self.view.library else None
        return routine if routine is not None and routine.source is Source.USER else None

    def _known_ids(self) -> set[str]:
        library: Library | None = self.view.library
        if library is None:
            return set()
        # A file that failed to load still has its id (or name): it may load tomorrow.
        return {*library.routines, *(error.path.stem for error in library.errors)}

    def _ask_name(self, title: str, prompt: str, name: str, then: Callable[[str], None]) -> None:
        if self.name_dialog is not None:  # one question at a time, the open one in front
            self.name_dialog.activateWindow()
            return
        dialog = RoutineNameDialog(title, prompt, name, self.view)
        self.name_dialog = dialog

        def closed(result: int) -> None:
            self.name_dialog = None
            if result == QDialog.DialogCode.Accepted:
                then(dialog.name())

        dialog.finished.connect(closed)
        dialog.open()

    def _change(self, change: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Run `change` on the library's thread; `then(its result)` on this one, and the
        library loaded again. A new change ends the offer to undo the last."""
        self._withdraw_undo()
        future = self.worker.submit(change)
        future.add_done_callback(lambda f: self._finished.emit(f, then))

    def _done(self, future: Future[Any], then: Callable[[Any], None]) -> None:
        trouble = future.exception()
        if isinstance(trouble, RoutineFileError):
            self.tell(str(trouble))
        elif trouble is not None:
            raise trouble  # a bug: the app's crash report, not a message
        else:
            then(future.result())
        self.reload()

    def _offer_undo(self, deleted: Deleted, text: str) -> None:
        self.undoable = deleted
        self._undo_until = self.clock.now() + UNDO_SHOWN_S
        self.view.show_undo(text)
        self._undo_time_check()

    def _undo_time_check(self) -> None:
        """Withdraw the offer once its time is up, by the clock; else look again then."""
        left_s = self._undo_until - self.clock.now()
        if left_s <= 0:
            self._withdraw_undo()
        else:
            self.undo_timer.start(max(1, round(left_s * 1000)))

    def _withdraw_undo(self) -> None:
        self.undoable = None
        self.undo_timer.stop()
        self.view.hide_undo()
