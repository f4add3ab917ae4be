"""How fast the history page opens and scrolls at 10,000 sessions, in a fresh process.

Run on its own (`python -m benchmarks.history_view`) it prints its figures as JSON;
`python -m benchmarks history` runs it and prints them with the other history
figures. A fresh process, so the first open pays for importing the page and
pyqtgraph, as it does in the app.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

TARGET_OPEN_MS = 300.0


def _wait(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the history view did not get there in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)


def measure(folder: Path, n: int = 10_000) -> dict[str, float]:
    """Milliseconds: open to table painted, to charts drawn, a filter, and scrolling."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from benchmarks.history_scale import filled_history
    from loosen.core.history import HistoryStore
    from loosen.ui.history_service import HistoryService

    db = folder / "history.sqlite3"
    now = filled_history(db, n)
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    # Its own spare folder: a benchmark never touches the user's waiting sessions.
    opener = partial(HistoryStore.open, spare_dir=folder / "state")
    service = HistoryService(db, opener=opener)
    service.submit(lambda store: None).result(timeout=30)  # opened, as after app start-up
    figures: dict[str, float] = {"sessions": float(n)}

    t0 = time.perf_counter()
    from loosen.ui.history_view import HistoryView  # the main window imports it on first open

    view = HistoryView(service, today=lambda: now.date())
    view.resize(1280, 800)
    view.show()
    view.reload()
    loaded: list[bool] = []
    charted: list[bool] = []
    view.loaded.connect(lambda: loaded.append(True))
    view.charts_ready.connect(lambda: charted.append(True))
    _wait(lambda: bool(loaded))
    view.repaint()  # the first frame with the table filled
    figures["open_table_ms"] = (time.perf_counter() - t0) * 1000
    _wait(lambda: bool(charted))
    view.repaint()
    figures["open_charts_ms"] = (time.perf_counter() - t0) * 1000
    assert view.model.rowCount() == n, view.model.rowCount()

    charted.clear()
    t0 = time.perf_counter()
    view.set_filter(routine="post-run-cooldown")
    view.repaint()
    figures["filter_table_ms"] = (time.perf_counter() - t0) * 1000
    _wait(lambda: bool(charted))
    view.repaint()
    figures["filter_charts_ms"] = (time.perf_counter() - t0) * 1000
    charted.clear()
    view.set_filter()
    _wait(lambda: bool(charted))

    bar = view.table.verticalScrollBar()
    frames: list[float] = []
    for step in range(200):
        t0 = time.perf_counter()
        bar.setValue(step * bar.pageStep() // 2 % max(bar.maximum(), 1))
        view.table.viewport().repaint()
        frames.append((time.perf_counter() - t0) * 1000)
    figures["scroll_frame_mean_ms"] = sum(frames) / len(frames)
    figures["scroll_frame_max_ms"] = max(frames)
    view.close()
    service.close()
    return figures


def report() -> str:
    """The figures, measured in a child process, as lines for the benchmark's output."""
    import subprocess

    from benchmarks import child_environment

    env = child_environment()
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.history_view"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return f"History view at 10,000 sessions: could not measure ({last})"
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    lines = [f"History view at 10,000 sessions (target: table open under {TARGET_OPEN_MS:.0f} ms):"]
    labels = {
        "open_table_ms": "open, table painted",
        "open_charts_ms": "open, charts drawn",
        "filter_table_ms": "filter, table",
        "filter_charts_ms": "filter, charts",
        "scroll_frame_mean_ms": "scroll frame, mean",
        "scroll_frame_max_ms": "scroll frame, worst",
    }
    for key, label in labels.items():
        lines.append(f"  {label:<20} {figures[key]:9.1f} ms")
    return "\n".join(lines)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        figures = measure(Path(folder))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
