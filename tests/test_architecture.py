"""The boundaries the design depends on, checked by tools rather than by review."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_core_imports_no_qt_and_layers_point_down():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def _modules_loaded_by(arguments: list[str], cwd: Path) -> tuple[int, set[str]]:
    """Run `loosen ARGUMENTS` in a fresh interpreter; its exit code and every module it
    had loaded by the end."""
    code = (
        "import contextlib, io, json, sys\n"
        "from loosen.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main({arguments!r})\n"
        "print(json.dumps([status, sorted(sys.modules)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd
    )
    status, modules = json.loads(result.stdout.strip().splitlines()[-1])
    return status, set(modules)


WINDOWLESS = {
    "list": ["list", "--json"],
    "validate": ["validate", str(REPO / "routines" / "squat-and-fold.toml")],
    "plan": ["plan", "post-run-cooldown", "--json"],
    "history": ["history", "--csv"],
    "export-audio": ["export-audio", "squat-and-fold", "{out}"],
}


@pytest.mark.parametrize("command", WINDOWLESS)
def test_sub_commands_that_show_no_window_load_no_qt(command, tmp_path):
    arguments = [a.format(out=tmp_path / "guide.wav") for a in WINDOWLESS[command]]
    status, modules = _modules_loaded_by(arguments, tmp_path)
    assert status == 0
    assert not {m for m in modules if m.startswith(("PySide6", "shiboken6"))}


def test_a_sub_command_loads_its_own_module_and_no_other(tmp_path):
    _, modules = _modules_loaded_by(["list"], tmp_path)
    others = ("history_cmd", "export_audio", "plan_cmd", "validate", "run", "app")
    assert not {f"loosen.commands.{name}" for name in others} & modules
    assert "loosen.core.history" not in modules and "loosen.core.audio" not in modules


def test_a_list_from_the_cache_reads_no_toml_plans_nothing_and_writes_nothing(tmp_path):
    _modules_loaded_by(["list"], tmp_path)  # reads the files, and keeps what it made of them
    status, modules = _modules_loaded_by(["list"], tmp_path)
    assert status == 0
    # The parser, the planner (lengths come from the cache), the near-miss finder and
    # the atomic writer are each a few milliseconds of a command meant to take 150.
    assert not {"tomllib", "loosen.core.plan", "difflib", "tempfile"} & modules


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
