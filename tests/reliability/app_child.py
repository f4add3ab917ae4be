"""The real main window, offscreen, playing sessions back to back on a fast fake clock.

Run by the reliability tests as a separate process, to be killed or watched:

    python app_child.py ROUTINE_ID [SESSIONS]

Each tick of a 5 ms timer moves the clock on a second and wakes the player, so a
one-minute routine plays in a third of a second through the whole app: player,
history service thread, rating dialog (answered at once), summary page. It prints a
line the moment something is known to be on disk:

    started UID        the session's row is written
    rated UID N        its rating of N is committed (written, or kept in the store's queue)
    notice TEXT        a message the window shows the user
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for helpers

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from loosen import paths
from loosen.core.clock import FakeClock
from loosen.core.settings import Settings
from loosen.ui.history_service import HistoryService
from loosen.ui.main_window import MainWindow
from loosen.ui.rating import Rating

from helpers import RecordingSpeaker

TICK_MS = 5


def main() -> int:
    routine_id = sys.argv[1]
    sessions_left = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    app = QApplication([])
    clock = FakeClock()
    window = MainWindow(
        Settings(seen_welcome=True),
        RecordingSpeaker(),
        HistoryService(paths.history_db()),
        clock=clock,
    )
    window.history.notice.connect(lambda text: print("notice", text, flush=True))
    counter = iter(range(1_000_000))

    def rate_at_once(self, summary: str, commit, answered) -> None:
        active = window.active
        assert active is not None
        rating = Rating(next(counter) % 11, "rated by the reliability test")
        uid = active.uid

        def on_disk() -> None:  # the store has it: what the dialog waits for to close
            print("rated", uid.result(), rating.tightness, flush=True)
            answered(rating)

        commit(rating, on_disk)

    MainWindow.ask_rating = rate_at_once

    def rate_lightly_at_once(self, active, text: str) -> None:
        """After a short break the player asks for one key: pressed at once, too."""

        def commit(rating, written) -> None:
            active.recorder.record_rating(rating.tightness, None, written)

        rate_at_once(self, text, commit, lambda rating: self._rated(active, text, rating))

    MainWindow._rate_lightly = rate_lightly_at_once

    def tick() -> None:
        nonlocal sessions_left
        active = window.active
        if active is not None:
            clock.advance(1.0)
            active.view.driver.timer.timeout.emit()
        elif window.library is not None:
            if sessions_left == 0:
                window.close()
                app.quit()
                return
            sessions_left -= 1
            window.start_routine(routine_id)
            started = window.active
            if started is not None:
                started.uid.add_done_callback(lambda f: print("started", f.result(), flush=True))

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
