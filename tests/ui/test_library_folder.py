""" "Open my routines folder" where no file manager answers: the path, with a Copy button."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication

from loosen import paths


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())


# The offscreen platform has no desktop services at all: openUrl fails there, as it does
# on a machine with no file manager, and Qt says so.
@pytest.mark.qt_log_ignore("does not support QPlatformServices")
def test_without_a_file_manager_the_path_is_shown_to_copy(qtbot, open_window, speaker):
    window = open_window(speaker)
    click(qtbot, window.library_view.folder_button)
    dialog = window.library_view.folder_dialog
    assert dialog is not None and dialog.isVisible()
    folder = str(paths.user_routines_dir())
    assert dialog.path.text() == folder
    assert dialog.path.width() >= dialog.path.fontMetrics().horizontalAdvance(folder)
    QGuiApplication.clipboard().clear()
    click(qtbot, dialog.copy_button)
    assert QGuiApplication.clipboard().text() == folder
    assert dialog.copy_button.text() == "Copied"


class FileManager(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toLocalFile())


def test_with_a_file_manager_the_folder_simply_opens(qtbot, open_window, speaker):
    manager = FileManager()
    QDesktopServices.setUrlHandler("file", manager, "open")
    try:
        window = open_window(speaker)
        click(qtbot, window.library_view.folder_button)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert manager.opened == [str(paths.user_routines_dir())]
    assert window.library_view.folder_dialog is None
