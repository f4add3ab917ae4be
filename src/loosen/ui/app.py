"""Start the Qt application: settings, voice, history, the main window, and the crash net."""

from __future__ import annotations

import contextlib
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from loosen import __version__, paths
from loosen.core.settings import Settings, load_settings
from loosen.speech.player import ClipSpeaker
from loosen.ui.history_service import HistoryService
from loosen.ui.style import apply_theme, install_style

if TYPE_CHECKING:
    from loosen.speech.synth import ClipSynthesizer

NO_VOICE = (
    "No voice: cues are shown on screen, with beeps. To hear them, reinstall Loosen "
    "(its pyttsx3 package is missing)."
)


def make_speaker(settings: Settings) -> ClipSpeaker:
    """The clip speaker, waiting for its engine (see start_speech)."""
    speaker = ClipSpeaker(None, paths.cache_dir() / "beeps", volume=settings.volume,
                          muted=settings.muted, beeps=settings.beeps)  # fmt: skip
    speaker.set_voice_enabled(settings.speak)
    return speaker


def start_speech(speaker: ClipSpeaker, settings: Settings) -> ClipSynthesizer | None:
    """Start the speech engine for `speaker`; None (and a notice) when there is none.

    The engine starts in the background: the speaker queues cues at once, and turns
    to beeps (with a notice) if the engine turns out not to start.
    """
    try:
        from loosen.speech.synth import start_synthesizer
    except ImportError:
        speaker.no_voice(NO_VOICE)
        return None
    synth = start_synthesizer(paths.cache_dir() / "clips", settings)
    speaker.attach(synth)
    synth.add_status_listener(speaker.synth_status)
    return synth


def apply_voice_settings(synth: ClipSynthesizer, settings: Settings,
                         speaker: ClipSpeaker | None = None) -> None:  # fmt: skip
    """Clips asked for from now on use the chosen voice and rate; `speaker` forgets the
    clips it has, so the cues already heard sound in the new voice too."""
    before = (synth.voice, synth.rate_wpm)
    with contextlib.suppress(ValueError):  # a voice gone since: the default speaks
        synth.set_voice(settings.voice)
    synth.set_rate(settings.rate_wpm)
    if speaker is not None and (synth.voice, synth.rate_wpm) != before:
        speaker.reset_clips()


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
    app.setWindowIcon(QIcon(str(paths.assets_dir() / "icons" / "loosen.svg")))
    install_style(app)

    settings, problems = load_settings(paths.settings_file())
    apply_theme(settings.theme)

    from loosen.ui.main_window import MainWindow

    history = HistoryService(paths.history_db())
    speaker = make_speaker(settings)
    synth: ClipSynthesizer | None = None  # both started once the window is up
    reminders = None

    def settings_changed(chosen: Settings) -> None:
        if synth is not None:
            apply_voice_settings(synth, chosen, speaker)
        if reminders is not None:
            reminders.apply_settings(chosen)

    window = MainWindow(
        settings,
        speaker,
        history,
        voices=lambda: synth.voices() if synth else [],
        on_settings_changed=settings_changed,
        preview_voice=speaker.preview,
    )
    speaker.notice_changed.connect(window.messages.show_message)
    for problem in problems:
        window.messages.show_message(problem)

    def save_session() -> None:
        if window.active is not None:
            window.active.view.act("stop")

    install_crash_handler([save_session])

    def start_the_rest() -> None:
        """What the first sight of the window need not wait for."""
        nonlocal synth, reminders
        synth = window.export_synth = start_speech(speaker, settings)
        from loosen.ui.tray import start_reminders

        reminders = start_reminders(window, settings, speaker)

    window.show()
    QTimer.singleShot(0, start_the_rest)
    if routine_id is not None:
        window.start_routine(routine_id)
    try:
        return app.exec()
    finally:
        if synth is not None:
            synth.close()
