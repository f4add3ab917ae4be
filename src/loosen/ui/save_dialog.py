"""Where to save a file, asked without stopping the app: a window-modal save dialog
whose answer arrives as a callback (the event loop runs on meanwhile)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget


def ask_save_path(
    parent: QWidget | None,
    title: str,
    suggested: Path,
    name_filter: str,
    chosen: Callable[[Path], None],
) -> QFileDialog:
    """Open the dialog on `suggested`; `chosen(path)` once a file is picked, never when
    it is cancelled. Returns the open dialog."""
    dialog = QFileDialog(parent, title, str(suggested.parent), name_filter)
    dialog.setObjectName("saveDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.selectFile(suggested.name)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda name: chosen(Path(name)))
    dialog.open()
    return dialog
