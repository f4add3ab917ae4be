"""A plain window on a real X display for the full-screen tests, run in its own process.

    QT_QPA_PLATFORM=xcb DISPLAY=:N python x_window.py

It reads commands from its standard input, one a line: "full" shows it full screen,
"normal" as an ordinary window. It prints "shown" once it is first on screen.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication, QLabel


def main() -> int:
    app = QApplication([])
    window = QLabel("A film, say")
    window.resize(320, 200)
    window.show()
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)

    def command() -> None:
        line = sys.stdin.readline()
        if not line:
            app.quit()
        elif line.strip() == "full":
            window.showFullScreen()
        elif line.strip() == "normal":
            window.showNormal()

    notifier.activated.connect(command)
    print("shown", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
