"""Start the Qt application: settings, voice, history, the main window, and the crash net."""

from __future__ import annotations

import contextlib
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from loosen import __version__, paths
from loosen.core.settings import Settings, load_settings
from loosen.speech.player import ClipSpeaker
from loosen.ui.history_service import HistoryService
from loosen.ui.style import apply_theme

NO_VOICE = (
    "No voice: cues are shown on screen, with beeps. To hear them, install espeak-ng "
    "(sudo apt install espeak-ng) and restart Loosen."
)


def make_speaker(settings: Settings) -> ClipSpeaker:
    """The clip speaker, with a voice when an engine starts; beeps and text otherwise."""
    clips = None
    notice = NO_VOICE
    try:
        from loosen.speech.synth import start_synthesizer
    except ImportError:
        start_synthesizer = None
    if start_synthesizer is not None:
        synth = start_synthesizer(paths.cache_dir() / "clips", settings)
        if synth.status.available:
            clips = synth
        else:
            notice = synth.status.message
    return ClipSpeaker(clips, paths.cache_dir() / "beeps", voice_notice=notice,
                          volume=settings.volume, muted=settings.muted,
                          beeps=settings.beeps)  # fmt: skip


def install_crash_handler(on_crash: list) -> None:
    """A bug (not a user's mistake) ends in a dialog that says where the log is."""

    def handle(kind: type[BaseException], value: BaseException,
               tb: TracebackType | None) -> None:  # fmt: skip
        for save in on_crash:
            with contextlib.suppress(Exception):  # already on the crash path
                save()  # the session's record first: nothing the user did is lost
        log = paths.log_dir() / f"crash-{datetime.now(UTC):%Y%m%d-%H%M%S}.log"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text("".join(traceback.format_exception(kind, value, tb)))
            where = f"The details are in {log}."
        except OSError:
            where = "The details could not be written to a log."
            traceback.print_exception(kind, value, tb)
        QMessageBox.critical(
            None,
            "Loosen ran into a bug",
            f"Something went wrong inside Loosen: {value}\n\n{where}\n"
            "Your session so far has been saved. Please report this with the log.",
        )

    sys.excepthook = handle


def run_app(routine_id: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Loosen")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("loosen")
    app.setStyle("Fusion")

    settings, problems = load_settings(paths.settings_file())
    apply_theme(settings.theme)

    from loosen.ui.main_window import MainWindow

    history = HistoryService(paths.history_db())
    speaker = make_speaker(settings)
    window = MainWindow(settings, speaker, history)
    for problem in problems:
        window.messages.show_message(problem)

    def save_session() -> None:
        if window.active is not None:
            window.active.view.act("stop")

    install_crash_handler([save_session])
    window.show()
    if routine_id is not None:
        window.start_routine(routine_id)
    return app.exec()
