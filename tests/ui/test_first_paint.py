"""The window is first painted as a frame built from a few modules; the library, the
history, the speaker and the instance server come after that first paint, and the
window is then the library as before."""

from __future__ import annotations

import json
import subprocess
import sys

# `loosen` as a user starts it; at the window's first paint it says what it has loaded,
# then again once the library is listed, and quits.
OPEN_AND_REPORT = """
import json, sys
from PySide6.QtWidgets import QApplication
import loosen.ui.app as app

def report(window, **more):
    print(json.dumps({"title": window.windowTitle(), "modules": sorted(sys.modules), **more}),
          flush=True)

def listed():
    report(window, listed=window.library_view.tree.topLevelItemCount())
    QApplication.instance().quit()

def watched(shown, then):
    global window
    window = shown
    def painted():
        report(window)
        then()
        if window.library is None:
            window.library_loaded.connect(listed)
        else:  # read already
            listed()
    after_first_paint(window, painted)

after_first_paint, app.after_first_paint = app.after_first_paint, watched
from loosen.cli import main
sys.exit(main([]))
"""

# Each costs the first sight of the window time or memory, and none is needed for it.
NOT_BEFORE_THE_FIRST_PAINT = (
    "loosen.core.library",  # the routines are read after it, off the UI thread
    "loosen.core.history",
    "loosen.ui.history_service",
    "loosen.ui.library_view",
    "loosen.ui.tray",
    "loosen.speech.player",
    "PySide6.QtNetwork",  # the instance server listens after it
    "PySide6.QtSvg",
    # The settings are read before it: their schema, not the modules that use them.
    "loosen.core.reminders",
    "loosen.core.working_hours",
    "datetime",  # only the history, a crash log and a file set aside need a date
    "concurrent.futures",  # the library's reader thread starts after it
    # Ctrl-C's wake-up channel is a pipe, where the system has them (Windows has not).
    *(("socket",) if sys.platform != "win32" else ()),
)


def test_the_first_paint_needs_few_modules_and_the_library_follows(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_REPORT],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=tmp_path,
    )
    painted, listed = (json.loads(line) for line in result.stdout.strip().splitlines()[-2:])
    assert painted["title"] == "Loosen"
    loaded_at_paint = set(painted["modules"])
    assert [name for name in NOT_BEFORE_THE_FIRST_PAINT if name in loaded_at_paint] == []
    # Then the library, as it always was: the built-in routines under their headings.
    assert listed["title"] == "Loosen" and listed["listed"] > 5
    assert "loosen.ui.library_view" in listed["modules"]
    # The instance server listens by then: on a Unix socket, without QtNetwork.
    if sys.platform != "win32":
        assert "PySide6.QtNetwork" not in listed["modules"]
    # Digests come from Python's own SHA-256: OpenSSL's libcrypto is never loaded.
    assert "_hashlib" not in listed["modules"]
