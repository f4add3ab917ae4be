"""The boundaries the design depends on, checked by tools rather than by review."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_core_imports_no_qt_and_layers_point_down():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_sub_commands_that_show_no_window_load_no_qt():
    code = (
        "import sys\n"
        "from loosen.cli import main\n"
        "main(['list', '--json'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print('QT:' + ','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip().splitlines()[-1] == "QT:"


# The only event loops the app may run: the app's own, and the bug box when no loop is
# running (a failure before the app started or after it ended), where it is the only one.
ALLOWED_LOOPS = {("app.py", "return app.exec()"), ("app.py", "box.exec()")}
# Qt's convenience functions that run a modal loop of their own until answered.
BLOCKING_ASKS = re.compile(
    r"\bQEventLoop\b|\.exec_?\(|QMessageBox\.(question|information|warning|critical|about)\("
    r"|QFileDialog\.get\w+\(|QInputDialog\.get\w+\(|QColorDialog\.getColor\(|QFontDialog\.getFont\("
)


def test_the_ui_runs_no_event_loop_inside_the_apps_own():
    """Questions open window-modal and answer by signal; the history answers by
    callback: nothing in ui/ spins a loop of its own inside a slot."""
    found = sorted(
        (path.name, line.strip())
        for path in (REPO / "src" / "loosen" / "ui").rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if BLOCKING_ASKS.search(line) and not line.strip().startswith("#")
    )
    assert [spot for spot in found if spot not in ALLOWED_LOOPS] == []
