"""Screenshots of Loosen in a real window, for the README and for looking at.

Run under a virtual screen:

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python packaging/screenshots.py docs/screenshots

It starts the real main window (on a temporary home, so no user data is touched),
moves a fake clock to each moment worth seeing, and grabs the window from the screen
at 1280×800 and 800×600: the library, the player in get-ready, work and rest, and the
rating dialog.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="loosen-shots-"))
for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[variable] = str(HOME / variable.lower())

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from loosen import paths  # noqa: E402
from loosen.core.clock import FakeClock  # noqa: E402
from loosen.core.phases import PhaseKind  # noqa: E402
from loosen.core.settings import Settings  # noqa: E402
from loosen.speech.player import ClipSpeaker  # noqa: E402
from loosen.ui.history_service import HistoryService  # noqa: E402
from loosen.ui.main_window import MainWindow  # noqa: E402
from loosen.ui.player_view import PlayerView  # noqa: E402
from loosen.ui.rating import RatingDialog  # noqa: E402

SIZES = ((1280, 800), (800, 600))


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def grab(widget: QWidget, out: Path) -> None:
    settle()
    screen = widget.screen()
    image = screen.grabWindow(widget.winId())
    image.save(str(out))
    print(f"wrote {out} ({image.width()}×{image.height()})")


def advance_to(player: PlayerView, clock: FakeClock, kind: PhaseKind, into_s: float) -> None:
    """Move the fake clock until the player is `into_s` seconds into a phase of `kind`."""
    session = player.session
    for _ in range(20_000):
        phase = session.phase
        if phase is not None and phase.kind is kind and session.phase_elapsed_s() >= into_s:
            break
        clock.advance(0.25)
        player.driver.timer.timeout.emit()
    player.refresh()


def main(out_dir: str) -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setStyle("Fusion")
    for width, height in SIZES:
        suffix = f"{width}x{height}"
        clock = FakeClock()
        speaker = ClipSpeaker(None, paths.cache_dir() / "beeps", voice_notice=None)
        history = HistoryService(paths.history_db())
        window = MainWindow(Settings(seen_welcome=width < 1000), speaker, history, clock=clock)
        window.resize(width, height)
        window.show()
        settle(800)
        window.library_view.select("post-run-cooldown")
        grab(window, out / f"library-{suffix}.png")

        MainWindow.ask_rating = staticmethod(lambda commit, summary: None)  # not shown here
        window.start_routine("post-run-cooldown")
        player = window.stack.currentWidget()
        assert isinstance(player, PlayerView)
        advance_to(player, clock, PhaseKind.GET_READY, 1.5)
        grab(window, out / f"player-get-ready-{suffix}.png")
        advance_to(player, clock, PhaseKind.WORK, 13.2)
        grab(window, out / f"player-work-{suffix}.png")
        advance_to(player, clock, PhaseKind.REST, 4.6)
        grab(window, out / f"player-rest-{suffix}.png")

        dialog = RatingDialog(lambda rating: None,
                              "Completed · 12:12 · 8 steps done, 0 skipped", window)
        dialog.show()
        dialog.row.pick(3)
        dialog.note.setText("hips looser than last week")
        grab(dialog, out / f"rating-{suffix}.png")
        dialog.close()
        player.session.stop()
        window.active = None
        window.close()
        settle()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
