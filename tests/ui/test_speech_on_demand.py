"""Speech loads when it is first needed, not with the window: the first sight of the
library does not wait for a sound back-end or a speech engine, nor pay their memory."""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

# The app as `loosen` starts it; once it has shown its window and started what comes
# after (the reminders), it says what it has loaded and quits.
OPEN_AND_REPORT = """
import json, multiprocessing, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import loosen.ui.tray as tray
from loosen.ui.app import run_app

start_reminders = tray.start_reminders

def started(*args):
    reminders = start_reminders(*args)
    def report():
        print(json.dumps({
            "windows": [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()],
            "modules": sorted(sys.modules),
            "children": len(multiprocessing.active_children()),
        }), flush=True)
        QApplication.instance().quit()
    QTimer.singleShot(0, report)
    return reminders

tray.start_reminders = started
sys.exit(run_app())
"""


def test_the_window_opens_with_nothing_of_speech_loaded():
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_REPORT],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "Loosen" in report["windows"]
    loaded = set(report["modules"])
    assert "PySide6.QtMultimedia" not in loaded  # no sound back-end
    assert "loosen.speech.synth" not in loaded and report["children"] == 0  # no engine


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
