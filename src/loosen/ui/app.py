"""Start the Qt application and show the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from loosen import __version__


def run_app(routine_id: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Loosen")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("loosen")

    from loosen.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    if routine_id is not None:
        window.select_routine(routine_id)
    return app.exec()
