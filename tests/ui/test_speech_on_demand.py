"""Speech loads when it is first needed, not with the window: the first sight of the
library does not wait for a sound back-end or a speech engine, nor pay their memory."""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

# The app as `loosen` starts it; once it has shown its window and started what comes
# after (the reminders), it says what it has loaded; then a click on the library, and
# it says it again, and quits.
OPEN_AND_REPORT = """
import json, multiprocessing, sys
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
import loosen.ui.tray as tray
from loosen.ui.app import run_app

start_reminders = tray.start_reminders

def report():
    print(json.dumps({
        "windows": [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()],
        "modules": sorted(sys.modules),
        "children": len(multiprocessing.active_children()),
    }), flush=True)

def started(window, *args):
    reminders = start_reminders(window, *args)
    def click():
        report()
        tree = window.library_view.tree.viewport()
        QTest.mouseClick(tree, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
        QTimer.singleShot(0, lambda: (report(), QApplication.instance().quit()))
    QTimer.singleShot(0, click)
    return reminders

tray.start_reminders = started
sys.exit(run_app())
"""


def test_the_window_opens_with_nothing_of_speech_loaded_and_the_first_click_starts_it():
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_REPORT],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    opened, clicked = (json.loads(line) for line in result.stdout.strip().splitlines()[-2:])
    assert "Loosen" in opened["windows"]
    loaded = set(opened["modules"])
    assert "PySide6.QtMultimedia" not in loaded  # no sound back-end
    assert "loosen.speech.synth" not in loaded and opened["children"] == 0  # no engine
    loaded = set(clicked["modules"])
    assert {"PySide6.QtMultimedia", "loosen.speech.synth"} <= loaded  # ready for Start


def test_the_first_click_anywhere_starts_what_a_session_will_need(qtbot):
    from PySide6.QtWidgets import QApplication

    from loosen.ui.app import on_first_input

    button = QPushButton("Somewhere")
    qtbot.addWidget(button)
    button.show()
    started: list[bool] = []
    on_first_input(QApplication.instance(), lambda: started.append(True))
    assert started == []
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    qtbot.waitUntil(lambda: started == [True])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert started == [True]  # once
