"""Start-up time to a visible window, and resident memory, beside a bare PySide6 window.

Each figure is taken in a fresh process (a cold interpreter, warm disk cache), from
the moment the parent launches it to the end of the window's first paint, which is
when a user first sees it. The anchor is the least any
PySide6 app can do: a QApplication and one empty QWidget.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
TARGET_RATIO = 2.0  # start-up within twice a bare window's

# Prints {"rss_kb": …} once the first top-level window has painted, then quits.
_REPORT = """
import json
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched.isWindow():
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, report)  # once this paint is done
        return False

def report():
    rss_kb = int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmRSS")))
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    print(json.dumps({"rss_kb": rss_kb, "windows": len(shown)}), flush=True)
    QApplication.instance().quit()

app = QApplication.instance() or QApplication([])
first_paint = FirstPaint()
app.installEventFilter(first_paint)
"""

_BARE_WINDOW = """
from PySide6.QtWidgets import QWidget
window = QWidget()
window.setWindowTitle("bare")
window.resize(1100, 720)
window.show()
app.exec()
"""

_LOOSEN_WINDOW = """
from loosen.ui.app import run_app
run_app()
"""

BARE = _REPORT + _BARE_WINDOW
LOOSEN = _REPORT + _LOOSEN_WINDOW


def _launch(code: str, env: dict[str, str]) -> tuple[float, dict[str, int]]:
    """Seconds from launch to the child's report (not to its exit), and the report."""
    started = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("{"):
                elapsed_s = time.perf_counter() - started
                report = json.loads(line)
                break
        else:
            raise RuntimeError("the window was never reported shown")
        child.wait(timeout=60)
    return elapsed_s, report


def measure(runs: int = RUNS) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="loosen-bench-start-") as home:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env[variable] = str(Path(home) / variable.lower())
        for name, code in (("bare", BARE), ("loosen", LOOSEN)):
            _launch(code, env)  # warm the disk cache; not counted
            times, rss = [], []
            for _ in range(runs):
                elapsed_s, child = _launch(code, env)
                if child["windows"] < 1:
                    raise RuntimeError(f"{name}: no window was shown")
                times.append(elapsed_s)
                rss.append(child["rss_kb"])
            figures[name] = {
                "start_s": statistics.median(times),
                "rss_mb": statistics.median(rss) / 1024,
            }
    return figures


def report(runs: int = RUNS) -> str:
    figures = measure(runs)
    bare, app = figures["bare"], figures["loosen"]
    ratio = app["start_s"] / bare["start_s"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    rows = [
        f"  {label:<20} {figure['start_s'] * 1000:7.0f} ms   {figure['rss_mb']:6.1f} MB resident"
        for label, figure in (("bare PySide6 window", bare), ("Loosen", app))
    ]
    return "\n".join(
        [
            f"Start-up to a visible window (median of {runs} fresh processes, offscreen):",
            *rows,
            f"  ratio {ratio:.2f}× in time, {app['rss_mb'] / bare['rss_mb']:.2f}× in memory "
            f"(target ≤ {TARGET_RATIO:g}× in time: {verdict} it)",
        ]
    )
