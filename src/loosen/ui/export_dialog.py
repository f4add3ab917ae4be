"""Export a routine's audio guide from the app: pick a file, watch it render, cancel.

The work is `core.audio.export_guide`, the same function `loosen export-audio` runs,
in a worker thread: starting the voice (when the app has none to lend), waiting for
clips and writing the file all happen there, and the UI thread only receives the
worker's signals (progress, then done, cancelled or a one-line error).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
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
from loosen.core.plan import build_plan
from loosen.core.routine import Routine
from loosen.ui import a11y
from loosen.ui.save_dialog import ask_save_path

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
        routine: Routine,
        out: Path,
        synth: ClipSynthesizer | None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.routine = routine
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
            plan = build_plan(self.routine, words_per_minute=synth.rate_wpm)
            self.stage.emit("Rendering the voice…")
            info = export_guide(
                plan,
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


def file_filter() -> str:
    """The save dialog's filter: the formats the guide can be written in, and no other."""
    return ";;".join(f"{name} (*{ext})" for ext, name in GUIDE_FORMATS.items())


class ExportDialog(QDialog):
    """Shows one export: its progress, a Cancel that works, and how it ended."""

    exported = Signal(object)  # GuideInfo
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        routine: Routine,
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
        self.title = QLabel(routine.name, objectName="exportTitle", wordWrap=True)
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
        self.worker = ExportWorker(routine, self.out, synth, settings)
        self.worker.progressed.connect(self._progressed)
        self.worker.stage.connect(self.status_label.setText)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)

    @staticmethod
    def ask_path(
        parent: QWidget | None, suggested: Path, chosen: Callable[[Path], None]
    ) -> QFileDialog:
        """Where to write the guide: `chosen(path)` once picked (a window-modal dialog)."""

        def picked(path: Path) -> None:
            chosen(path if path.suffix else path.with_suffix(next(iter(GUIDE_FORMATS))))

        return ask_save_path(parent, "Export audio guide", suggested, file_filter(), picked)

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
        self.status_label.setStyleSheet("color: #b3261e;")
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
