"""Start the Qt application: settings, voice, history, the main window, and the crash net.

One Loosen per user (ui/instance.py): a second start hands its request to the app
already running and exits.
"""

from __future__ import annotations

import contextlib
import linecache
import signal
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from loosen import __version__, paths
from loosen.core.settings import Settings, load_settings
from loosen.ui.instance import InstanceLock, InstanceServer, Request
from loosen.ui.quit_signals import QuitSignals, exit_code_for

# What the first sight of the window does not need (the speaker, the history, the
# style's focus ring, the reminders) is imported once it has been painted.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from loosen.speech.player import ClipSpeaker
    from loosen.speech.synth import ClipSynthesizer, SynthStatus
    from loosen.speech.voices import Voice
    from loosen.ui.main_window import MainWindow
    from loosen.ui.tray import ReminderController

# The rest of the window, and the reminders, come once it is painted, or after this if
# it never is.
LATEST_REST_MS = 1000

NO_VOICE = (
    "No voice: cues are shown on screen, with beeps. To hear them, reinstall Loosen "
    "(its pyttsx3 package is missing)."
)


class _FirstPaint(QObject):
    """Calls `then` once, from the event loop, after `window`'s first paint."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(LATEST_REST_MS, self, self.fire)  # a window never painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.fire)  # once this paint is on screen
        return False

    def fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """Run `then` once the window has first been painted: what the first sight of it
    need not wait for waits for it."""
    _FirstPaint(window, then)


class _FirstInput(QObject):
    """Calls `then` once, from the event loop, on the user's first click or key press
    in any of the app's windows; watches nothing after that."""

    def __init__(self, app: QApplication, then: Callable[[], None]) -> None:
        super().__init__(app)
        self._app = app
        self._then = then
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress):
            self._app.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)
        return False


def on_first_input(app: QApplication, then: Callable[[], None]) -> None:
    """Run `then` at the user's first click or key press: a person about to press
    Start has by then usually clicked a routine, so what the session will need can
    start before it does."""
    _FirstInput(app, then)


def forget_module_sources() -> None:
    """PySide reads the source of each module imported after it (looking for its
    `__feature__` imports) into linecache, and keeps it there: about 5 MB by the time
    the window is complete. Dropped after each batch of imports, its room is reused by
    what comes next rather than staying resident; a traceback reads the files again."""
    linecache.clearcache()


def make_speaker(
    settings: Settings, start_engine: Callable[[], object] | None = None
) -> ClipSpeaker:
    """The clip speaker, waiting for its engine: `start_engine` (which calls
    start_speech) when a phrase is first wanted, or start_speech called by hand."""
    from loosen.speech.player import ClipSpeaker

    speaker = ClipSpeaker(
        None,
        paths.cache_dir() / "beeps",
        volume=settings.volume,
        muted=settings.muted,
        beeps=settings.beeps,
        start_engine=start_engine,
    )
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


def apply_voice_settings(
    synth: ClipSynthesizer, settings: Settings, speaker: ClipSpeaker | None = None
) -> None:
    """Clips asked for from now on use the chosen voice and rate; `speaker` forgets the
    clips it has, so the cues already heard sound in the new voice too."""
    before = (synth.voice, synth.rate_wpm)
    with contextlib.suppress(ValueError):  # a voice gone since: the default speaks
        synth.set_voice(settings.voice)
    synth.set_rate(settings.rate_wpm)
    if speaker is not None and (synth.voice, synth.rate_wpm) != before:
        speaker.reset_clips()


# What a second `loosen` is told, once the running app has done what it asked.
BROUGHT_FORWARD = "Loosen is already open: its window is brought forward"
OPENED = "Opened {name} in the Loosen already open"
OPENING = "Opening {name} in the Loosen already open"
BUSY = "A session of {name} is on: brought it forward; finish or stop it to start another"
IN_DIALOG = "Loosen is waiting for an answer in a dialog: brought it forward"


def bring_forward(window: MainWindow) -> None:
    """Shown (out of the tray too), not minimised, raised, and given the keyboard."""
    from PySide6.QtCore import Qt  # not before the first paint: its enums take a while

    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def handle_request(window: MainWindow, request: Request) -> str:
    """Do what a second `loosen` asked, in this app's window; what to tell its user.
    A session on is never stopped for it, nor a question left unanswered."""
    bring_forward(window)
    dialog = QApplication.activeModalWidget()
    if dialog is not None:
        dialog.raise_()
        dialog.activateWindow()
        return IN_DIALOG
    if request.routine_id is None:
        return BROUGHT_FORWARD
    if window.active is not None:
        message = BUSY.format(name=window.active.routine.name)
        window.messages.show_message(message)
        return message
    if window.library is None:  # still being read: it starts when it is
        window.start_routine(request.routine_id)
        return OPENING.format(name=request.routine_id)
    routine = window.library.get(request.routine_id)
    window.start_routine(request.routine_id)
    if routine is None or window.active is None:
        return f'Loosen could not open "{request.routine_id}": see its window'
    return OPENED.format(name=routine.name)


def _exit_code(exit: SystemExit) -> int:
    """What the process would exit with, by Python's rule: None is 0, a message is 1."""
    if exit.code is None:
        return 0
    return exit.code if isinstance(exit.code, int) else 1


def install_crash_handler(on_crash: list, quit_app: Callable[[int], None]) -> None:
    """A bug (not a user's mistake) ends in a dialog that says where the log is.

    KeyboardInterrupt and SystemExit are no bugs: the person asked to stop (a Ctrl-C
    that came before QuitSignals took SIGINT over, or an exit called in a slot), so
    the app quits as on a signal, with no dialog.
    """

    def handle(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            quit_app(exit_code_for(signal.SIGINT))
            return
        if isinstance(value, SystemExit):
            quit_app(_exit_code(value))
            return
        for save in on_crash:
            with contextlib.suppress(Exception):  # already on the crash path
                save()  # the session's record first: nothing the user did is lost
        from datetime import UTC, datetime  # a crash's, not the start's, to import

        log = paths.log_dir() / f"crash-{datetime.now(UTC):%Y%m%d-%H%M%S}.log"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text("".join(traceback.format_exception(kind, value, tb)))
            where = f"The details are in {log}."
        except OSError:
            where = "The details could not be written to a log."
            traceback.print_exception(kind, value, tb)
        show_bug_dialog(
            f"Something went wrong inside Loosen: {value}\n\n{where}\n"
            "Your session so far has been saved. Please report this with the log."
        )

    sys.excepthook = handle


_bug_dialogs: list[QMessageBox] = []  # kept alive while they show (they have no parent)


def show_bug_dialog(text: str) -> None:
    """Say a bug happened. Inside the running event loop (a slot failed) the box opens
    and this returns, so no second loop runs inside the first; with no loop running (a
    failure before the app started, or after it ended) its own loop is the only one."""
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, "Loosen ran into a bug", text)
    if QThread.currentThread().loopLevel() == 0:
        box.exec()
        return
    _bug_dialogs.append(box)
    box.finished.connect(lambda _: _bug_dialogs.remove(box))
    box.open()


def quit_without_asking(
    app: QApplication, window: MainWindow, reminders: ReminderController | None, exit_code: int
) -> None:
    """The tray's Quit minus its question: a session on is recorded as stopped (no
    rating asked), the reminders stop, the window and its history close, the event
    loop ends with `exit_code`."""
    window.stop_active_session()
    if reminders is not None:
        reminders.quit_action.trigger()  # the tray's own path; it asks nothing now
    else:
        window.close()
    app.exit(exit_code)  # whatever the path above asked for, this is the code


def run_app(
    routine_id: str | None = None,
    lock: InstanceLock | None = None,
    quit_signals: QuitSignals | None = None,
    *,
    quiet: bool = False,
) -> int:
    """The app; `lock`, when held, makes it the one Loosen that a second start hands its
    request to (commands/app.py holds the election before Qt's heavier modules load).
    `quit_signals`, set up before the app started, keeps a Ctrl-C that came meanwhile.
    `quiet` (`loosen --quiet`, the start at login) shows no main window: the tray, or
    the small reminder window where there is none (tray.show_quietly)."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Loosen")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("loosen")
    settings, problems = load_settings(paths.settings_file())
    from loosen.ui.style import apply_theme

    apply_theme(settings.theme)  # "system" too: the desktop's scheme, followed live

    from loosen.ui.main_window import MainWindow

    # The frame first: the rest is built once it has been painted (start_the_rest).
    window = MainWindow(
        settings, voices=lambda: voices(), on_settings_changed=lambda s: settings_changed(s)
    )
    speaker: ClipSpeaker | None = None  # made once the window is painted
    synth: ClipSynthesizer | None = None  # started when a phrase is first wanted
    reminders: ReminderController | None = None  # started once the window is painted
    server: InstanceServer | None = None  # listens once the window is painted

    def start_engine() -> None:
        """A session, a reminder or a preview wants a voice: the engine starts, in the
        voice and at the rate chosen by then. Not at launch: the window comes sooner,
        and the engine's process costs nothing for as long as the library is all
        the user looks at."""
        nonlocal synth
        assert speaker is not None
        synth = window.export_synth = start_speech(speaker, window.settings)

    def voices() -> list[Voice]:
        """The engine's voices, for the Settings dialog, as known now: never waited for.
        Its first opening starts the engine; the voices reach the open dialog once the
        engine has listed them (`voices_listed`, from the engine's thread)."""
        assert speaker is not None
        speaker.want_voice()
        if synth is None:
            return []
        listed = synth.voices()
        if not listed:
            engine = synth

            def listed_later(status: SynthStatus) -> None:
                if status.available:
                    window.voices_listed.emit(engine.voices())

            engine.add_status_listener(listed_later)
        return listed

    def settings_changed(chosen: Settings) -> None:
        if synth is not None:
            apply_voice_settings(synth, chosen, speaker)
        if reminders is not None:
            reminders.apply_settings(chosen)

    def save_session() -> None:
        if window.active is not None:
            from loosen.core.readout import PlayerAction  # loaded with the player already

            window.active.view.act(PlayerAction.STOP)

    def quit_app(exit_code: int) -> None:
        quit_without_asking(app, window, reminders, exit_code)

    install_crash_handler([save_session], quit_app)
    # Ctrl-C in the terminal and `kill` quit as the tray's Quit does, without its question.
    if quit_signals is None:
        quit_signals = QuitSignals()
    quit_signals.received.connect(lambda signum: quit_app(exit_code_for(signum)))
    quit_signals.watch()

    def start_the_rest() -> None:
        """What the first sight of the window need not wait for."""
        nonlocal speaker, reminders, server
        if not window.isVisible() and not quiet:
            return  # closed (or quit) before it was ever painted
        forget_module_sources()  # the frame's
        from loosen.ui.history_service import HistoryService
        from loosen.ui.style import install_style
        from loosen.ui.tray import show_quietly, start_reminders

        install_style(app)
        app.setWindowIcon(QIcon(str(paths.assets_dir() / "icons" / "loosen.svg")))
        speaker = make_speaker(settings, start_engine)
        window.preview_voice = speaker.preview
        window.complete(speaker, HistoryService(paths.history_db()))
        speaker.notice_changed.connect(window.messages.show_message)
        for problem in problems:
            window.messages.show_message(problem)
        reminders = start_reminders(window, window.settings, speaker)
        if quiet:
            show_quietly(window, reminders)
        forget_module_sources()  # the library view's, the history's and the tray's
        if routine_id is not None:
            # Its player opens once the library is read: the engine starts now, so that
            # the session's first cue, due as the player opens, is ready by then.
            QTimer.singleShot(0, speaker.want_voice)
            window.start_routine(routine_id)
        server = InstanceServer(lambda request: handle_request(window, request))
        server.listen(paths.instance_server_name(), owner=lock is not None and lock.held)
        # The engine takes a few tenths of a second to say its first cue: started at
        # the first click, it is ready when the click on Start comes (and opening the
        # player starts it anyway, should that be the first click). Watched from now:
        # no click comes before the window is seen, and until then the filter would
        # only slow the start, every event of it passing through Python.
        on_first_input(app, speaker.want_voice)

    if quiet:
        QTimer.singleShot(0, start_the_rest)  # no window to be painted first
    else:
        after_first_paint(window, start_the_rest)
        window.show()
    try:
        return app.exec()
    finally:
        quit_signals.close()
        if server is not None:
            server.close()
        if lock is not None:
            lock.release()
        if synth is not None:
            synth.close()
