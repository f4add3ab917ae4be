"""Export an audio guide from the app: pick the routines and the format, pick a file,
watch it render, cancel.

`OutingPicker` lists the routines of the guide in order (the one selected in the
library first): add, remove, move up and down, with the mouse or the keyboard, and a
format. The work is `core.audio.export_guide`, the same function `loosen export-audio`
runs, in a worker thread: planning, starting the voice (when the app has none to
lend), waiting for clips and encoding the file all happen there, and the UI thread
only receives the worker's signals (progress, then done, cancelled or a one-line error).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QThread, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loosen import paths
from loosen.core.audio import (
    CLIPS_SHARE,
    GUIDE_FORMATS,
    GuideCancelled,
    GuideError,
    GuideInfo,
    check_writable,
    export_guide,
)
from loosen.core.duration import format_clock
from loosen.core.outing import TITLE_JOINER, plan_outing
from loosen.core.plan import build_timeline
from loosen.core.routine import Routine
from loosen.ui import a11y
from loosen.ui.save_dialog import ask_save_path
from loosen.ui.style import show_as_error

if TYPE_CHECKING:
    from loosen.core.settings import Settings
    from loosen.speech.synth import ClipSynthesizer

READY_POLL_S = 0.1  # how often the wait for the voice to start looks for a cancel


class ExportWorker(QThread):
    """Writes one guide off the UI thread; `requestInterruption()` cancels it."""

    progressed = Signal(float)  # 0..1
    stage = Signal(str)  # what it is doing, in a few words
    succeeded = Signal(object)  # GuideInfo
    failed = Signal(str)  # one line for the user
    cancelled = Signal()

    def __init__(
        self,
        routines: Sequence[Routine],
        out: Path,
        synth: ClipSynthesizer | None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.routines = list(routines)
        self.out = out
        self.synth = synth
        self.settings = settings
        self._last = 0.0  # the last fraction reported, to say when the writing starts

    def run(self) -> None:
        own: ClipSynthesizer | None = None
        try:
            check_writable(self.out)  # before starting a voice: say so at once
            from loosen.speech.synth import LONGEST_CLIP_WAIT_S, start_synthesizer

            synth = self.synth
            if synth is None:
                synth = own = start_synthesizer(paths.cache_dir() / "clips", self.settings)
            self.stage.emit("Starting the voice…")
            self._wait_for_voice(synth, lending=own is None)
            # The cues are fitted at the voice's own rate, as in the player.
            outing = plan_outing(self.routines, words_per_minute=synth.rate_wpm)
            self.stage.emit("Rendering the voice…")
            info = export_guide(
                outing,
                synth,
                self.out,
                progress=self._progress,
                cancelled=self.isInterruptionRequested,
                clip_wait_s=LONGEST_CLIP_WAIT_S,
            )
        except GuideCancelled:
            self.cancelled.emit()
        except GuideError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug must still end the dialog with a line, not hang it
            self.failed.emit(f"The guide could not be written: {type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(info)
        finally:
            if own is not None:
                own.close()

    def _wait_for_voice(self, synth: ClipSynthesizer, *, lending: bool) -> None:
        from loosen.speech.synth import SynthState

        while True:
            if self.isInterruptionRequested():
                raise GuideCancelled("the export was cancelled")
            status = synth.wait_ready(READY_POLL_S)
            if status.state is not SynthState.STARTING:
                break
        if not status.available:
            reason = status.reason or "No voice: the speech engine did not start"
            # A voice started for this export alone needs no restart of the app.
            raise GuideError(reason if lending else reason.replace(" and restart Loosen", ""))

    def _progress(self, fraction: float) -> None:
        if fraction >= CLIPS_SHARE and self._last < CLIPS_SHARE:
            self.stage.emit("Writing the file…")
        self._last = fraction
        self.progressed.emit(fraction)


def file_filter(first: str | None = None) -> str:
    """The save dialog's filter: the formats the guide can be written in, and no other;
    the format named `first` leads (the dialog starts on it)."""
    formats = sorted(GUIDE_FORMATS.values(), key=lambda f: f.name != first)
    return ";;".join(f"{f.label} (*{f.extension})" for f in formats)


def guide_length_s(routines: Sequence[Routine]) -> float | None:
    """How long the guide of `routines` lasts (a run without a total plays 60 minutes)."""
    return sum(build_timeline(routine).total_s for routine in routines) if routines else None


class OutingPicker(QDialog):
    """Which routines go into the guide, in order, and in which format.

    Keys: Delete removes the selected routine, Ctrl+Up and Ctrl+Down move it, Insert
    adds the one shown in "Add"; Enter goes on to choose the file.
    """

    def __init__(
        self,
        available: Sequence[Routine],
        first: Routine,
        chosen: Callable[[list[Routine], Path], None],
        *,
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        """`chosen(routines, path)` once the file is picked (never when cancelled)."""
        super().__init__(parent)
        self.chosen = chosen
        self.setObjectName("outingPicker")
        self.setWindowTitle("Export audio guide — Loosen")
        self.setMinimumWidth(460)
        self.available = list(available)
        self.folder = folder
        self.routines: list[Routine] = [first]

        intro = QLabel(
            "The guide plays these routines one after another, with a chapter at each.",
            wordWrap=True,
        )
        self.list = QListWidget(objectName="outingRoutines")
        self.add_choice = QComboBox(objectName="outingAddChoice")
        for routine in self.available:
            self.add_choice.addItem(routine.name, routine.id)
        self.add_button = QPushButton("Add", objectName="outingAdd")
        self.remove_button = QPushButton("Remove", objectName="outingRemove")
        self.up_button = QPushButton("Up", objectName="outingUp")
        self.down_button = QPushButton("Down", objectName="outingDown")
        for button, key in (
            (self.add_button, "Insert"),
            (self.remove_button, "Delete"),
            (self.up_button, "Ctrl+Up"),
            (self.down_button, "Ctrl+Down"),
        ):
            button.setAutoDefault(False)
            button.setToolTip(f"Key: {key}")
        self.add_button.clicked.connect(self.add_current)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(+1))
        # The keys, where the focus is when they are meant (an event filter: a shortcut
        # would need the dialog to be the active window, and the list takes Ctrl+Up).
        self._keys: dict[tuple[Qt.Key, Qt.KeyboardModifier], Callable[[], None]] = {
            (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier): self.remove_selected,
            (Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier): lambda: self.move_selected(-1),
            (Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier): lambda: self.move_selected(+1),
            (Qt.Key.Key_Insert, Qt.KeyboardModifier.NoModifier): self.add_current,
        }
        self.list.installEventFilter(self)
        self.add_choice.installEventFilter(self)
        self.format_choice = QComboBox(objectName="outingFormat")
        for guide_format in GUIDE_FORMATS.values():
            self.format_choice.addItem(
                f"{guide_format.label} ({guide_format.extension})", guide_format.name
            )
        self.length_label = QLabel(objectName="outingLength")
        self.export_button = QPushButton("Export…", objectName="outingExport")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.accept)
        cancel = QPushButton("Cancel")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)

        adding = QHBoxLayout()
        adding.addWidget(self.add_choice, 1)
        adding.addWidget(self.add_button)
        moving = QHBoxLayout()
        for button in (self.remove_button, self.up_button, self.down_button):
            moving.addWidget(button)
        moving.addStretch()
        form = QFormLayout()
        form.addRow("Format", self.format_choice)
        buttons = QHBoxLayout()
        buttons.addWidget(self.length_label, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(moving)
        layout.addLayout(adding)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._show(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() is QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            action = self._keys.get((Qt.Key(event.key()), modifiers))
            if action is not None and (watched is self.list or event.key() == Qt.Key.Key_Insert):
                action()
                return True
        return super().eventFilter(watched, event)

    @property
    def format_name(self) -> str:
        return str(self.format_choice.currentData())

    def add_current(self) -> None:
        routine = self.available[self.add_choice.currentIndex()]
        self.routines.append(routine)
        self._show(len(self.routines) - 1)

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.routines) and len(self.routines) > 1:  # never an empty guide
            del self.routines[row]
            self._show(min(row, len(self.routines) - 1))

    def move_selected(self, by: int) -> None:
        row = self.list.currentRow()
        to = row + by
        if 0 <= row < len(self.routines) and 0 <= to < len(self.routines):
            self.routines[row], self.routines[to] = self.routines[to], self.routines[row]
            self._show(to)

    def _show(self, selected: int) -> None:
        self.list.clear()
        for number, routine in enumerate(self.routines, start=1):
            self.list.addItem(f"{number}. {routine.name}")
        self.list.setCurrentRow(selected)
        self.remove_button.setEnabled(len(self.routines) > 1)
        length = guide_length_s(self.routines)
        self.length_label.setText(f"{format_clock(length)} in all" if length else "")

    def suggested_path(self) -> Path:
        stem = "+".join(routine.id for routine in self.routines)
        return self.folder / f"{stem}{GUIDE_FORMATS[self.format_name].extension}"

    def accept(self) -> None:
        """Ask where to write the guide (window-modal); `chosen` follows once picked."""
        routines, chosen = list(self.routines), self.chosen
        extension = GUIDE_FORMATS[self.format_name].extension

        def picked(path: Path) -> None:  # the picker may be gone by now: no `self` here
            chosen(routines, path if path.suffix else path.with_suffix(extension))

        super().accept()
        ask_save_path(
            self.parentWidget(),
            "Export audio guide",
            self.suggested_path(),
            file_filter(self.format_name),
            picked,
        )


class ExportDialog(QDialog):
    """Shows one export: its progress, a Cancel that works, and how it ended."""

    exported = Signal(object)  # GuideInfo
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        routines: Routine | Sequence[Routine],
        out: Path,
        *,
        synth: ClipSynthesizer | None = None,
        settings: Settings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export audio guide — Loosen")
        self.setMinimumWidth(460)
        self.out = Path(out)
        routines = [routines] if isinstance(routines, Routine) else list(routines)
        title = TITLE_JOINER.join(routine.name for routine in routines)
        self.title = QLabel(title, objectName="exportTitle", wordWrap=True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.path_label = QLabel(f"To {self.out}", objectName="exportPath", wordWrap=True)
        self.status_label = QLabel("Starting…", objectName="exportStatus", wordWrap=True)
        self.progress_bar = QProgressBar(objectName="exportProgress")
        self.progress_bar.setRange(0, 100)
        a11y.name(self.progress_bar, "Export progress")
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("%p %")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.path_label)
        layout.addSpacing(6)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

        self.info: GuideInfo | None = None
        self.error: str | None = None
        self.worker = ExportWorker(routines, self.out, synth, settings)
        self.worker.progressed.connect(self._progressed)
        self.worker.stage.connect(self.status_label.setText)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)

    def start(self) -> None:
        self.worker.start()

    @property
    def running(self) -> bool:
        return self.worker.isRunning() and self.info is None and self.error is None

    def _progressed(self, fraction: float) -> None:
        self.progress_bar.setValue(round(fraction * 100))

    def _succeeded(self, info: GuideInfo) -> None:
        self.info = info
        self.progress_bar.setValue(100)
        size_mb = info.size_bytes / 1_000_000
        self.status_label.setText(
            f"Done: {format_clock(info.duration_s)} of audio, "
            f"{size_mb:.1f} MB. Copy it to your phone."
        )
        self._finished()
        self.exported.emit(info)

    def _failed(self, message: str) -> None:
        self.error = message
        self.status_label.setText(message)
        self.status_label.setProperty("error", True)
        show_as_error(self.status_label)
        self._finished()
        self.failed.emit(message)

    def _cancelled(self) -> None:
        self.status_label.setText("Cancelled: nothing was written.")
        self._finished()
        self.cancelled.emit()
        self.done(QDialog.DialogCode.Rejected)

    def _finished(self) -> None:
        self.cancel_button.setText("Close")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setDefault(True)

    def reject(self) -> None:
        """Cancel while it runs (the dialog closes when the worker has stopped), else close."""
        if self.worker.isRunning() and self.info is None and self.error is None:
            if not self.worker.isInterruptionRequested():
                self.worker.requestInterruption()
                self.status_label.setText("Cancelling…")
                self.cancel_button.setEnabled(False)
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.worker.isRunning():
            self.reject()
            event.ignore()  # closes itself once the worker has stopped
            return
        super().closeEvent(event)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop the worker and wait for it (the app is closing)."""
        self.worker.requestInterruption()
        self.worker.wait(timeout_ms)
