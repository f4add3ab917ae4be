"""The main window: the library, the player, and the messages that must not block."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

# Qt (its namespace of enums) is imported where used: not needed before the first paint,
# it takes longer to load than that paint.
from PySide6.QtCore import QFileSystemWatcher, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from loosen import paths
from loosen.core.clock import Clock, MonotonicClock
from loosen.core.settings import Settings, save_settings
from loosen.ui.page_scroll import PageLayout, scrolled_page

# The window is first seen as a frame (MainWindow with no speaker and history yet): the
# library, the history, the player, the rating and the settings dialog are imported
# once they are needed, after that first sight of it.
if TYPE_CHECKING:
    from concurrent.futures import Future
    from datetime import datetime

    from loosen.core.history.advice import LibraryAdvice
    from loosen.core.library import Library
    from loosen.core.routine import Routine
    from loosen.core.session import Session, Summary
    from loosen.speech.speaker import Speaker
    from loosen.speech.synth import ClipSynthesizer
    from loosen.speech.voices import Voice
    from loosen.ui.editor.window import EditorWindow
    from loosen.ui.export_dialog import ExportDialog
    from loosen.ui.history_service import HistoryService
    from loosen.ui.history_view import HistoryView
    from loosen.ui.player_view import PlayerView
    from loosen.ui.rating import Rating, RatingDialog
    from loosen.ui.session_recorder import SessionRecorder
    from loosen.ui.settings_dialog import SettingsDialog

RELOAD_DELAY_MS = 300  # editors write a file in several steps: wait for the last
# The editor opens user files only: a built-in routine is changed through a copy of it.
BUILT_IN_NOT_EDITED = (
    "{name} is a built-in routine and is not changed in place: Duplicate it in the "
    "library, then edit your copy."
)
PREFERRED_SIZE = QSize(1100, 720)
WINDOW_FRAME = QSize(16, 48)  # room left for the window manager's title bar and borders


@dataclass
class ActiveSession:
    routine: Routine
    session: Session
    view: PlayerView
    recorder: SessionRecorder

    @property
    def uid(self) -> Future[str]:
        return self.recorder.uid


class MessageBar(QFrame):
    """Non-blocking messages at the top of the window, one line each, dismissable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt

        super().__init__(parent)
        self.setObjectName("messageBar")
        self.label = QLabel(wordWrap=True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(text="✕", autoRaise=True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.messages: list[str] = []
        self.setVisible(False)

    def show_message(self, text: str) -> None:
        if text in self.messages:
            return
        self.messages.append(text)
        self.label.setText("\n".join(self.messages))
        self.setVisible(True)

    def clear(self) -> None:
        self.messages.clear()
        self.setVisible(False)


class _PageStack(QStackedWidget):
    """The window's pages, asking for the room the page on show needs, not the largest
    page's: the player then fits across a small screen while the library scrolls."""

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint().expandedTo(page.minimumSize()) if page else QSize()


class MainWindow(QMainWindow):
    library_loaded = Signal(object)  # Library
    muted_changed = Signal(bool)  # Settings.muted, after any change (player, library, tray)
    voices_listed = Signal(list)  # the engine's voices, once it has listed them (any thread)
    _library_ready = Signal(object)

    def __init__(
        self,
        settings: Settings,
        speaker: Speaker | None = None,
        history: HistoryService | None = None,
        *,
        clock: Clock | None = None,
        library_loader: Callable[[], Library] | None = None,
        voices: Callable[[], Sequence[Voice]] | None = None,
        on_settings_changed: Callable[[Settings], None] | None = None,
        export_synth: ClipSynthesizer | None = None,
        preview_voice: Callable[[str, str | None, int], object] | None = None,
    ) -> None:
        """`export_synth`: the app's synthesizer, lent to audio guide exports (its voice,
        rate and clip cache); without it each export starts a voice of its own.
        `preview_voice(text, voice, rate)`: what the settings' Preview button calls.

        Without `speaker` and `history` this is the window's frame only, quick to show:
        `complete(speaker, history)` builds the rest (the app calls it once the frame
        has been painted)."""
        super().__init__()
        self.speaker: Speaker
        self.history: HistoryService
        self.setWindowTitle("Loosen")
        self.resize(first_size(self.screen().availableGeometry().size()))
        self.settings = settings
        self.clock = clock or MonotonicClock()
        self.library: Library | None = None
        self.active: ActiveSession | None = None
        self.completed = False
        self._pending_start: str | None = None
        self._closing = False
        self._stopping_quietly = False
        # What waits for the session on screen to be over (stopped, rated): a close, a
        # hide to the tray, a quit. Run once, when it is.
        self._after_session: list[Callable[[], None]] = []
        self.rating_dialog: RatingDialog | None = None  # open while a rating is asked
        self.settings_dialog: SettingsDialog | None = None
        # The line Settings shows when no source tells when the user is away (the
        # reminders set it: tray.start_reminders); None while one does.
        self.presence_missing: Callable[[], str | None] = lambda: None
        self._load_library = library_loader or _load_library_from_disk
        self._voices = voices or list
        self.voices_listed.connect(self._voices_listed)
        self._on_settings_changed = on_settings_changed
        self.preview_voice = preview_voice
        self.export_synth = export_synth
        self.export_dialog: ExportDialog | None = None
        self.history_view: HistoryView | None = None  # made when first opened
        self.editors: list[EditorWindow] = []  # the routine editors open
        self._select_after_load: str | None = None  # a routine just saved in an editor

        # Until `complete`, a quiet page where the library will be: the frame is built
        # from what the first sight needs only (no item views, no Qt namespace enums).
        self.stack = _PageStack()
        self._starting_page = QLabel("Loosen is opening your routines…", margin=24)
        self.stack.addWidget(self._starting_page)
        central = QWidget()
        self._central_layout = PageLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.addWidget(self.stack, 1)
        # Large text on a small screen (200 % of 800×600 is 400×300) scrolls the page
        # rather than pushing the window past the screen's edge.
        self.setCentralWidget(scrolled_page(central))
        if speaker is not None and history is not None:
            self.complete(speaker, history)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        library = getattr(self, "library_view", None)  # made once the frame is painted
        if library is not None:
            library.fit_width(self.width())

    def complete(self, speaker: Speaker, history: HistoryService) -> None:
        """Build what the frame waited for: the library (read off the UI thread), the
        messages, the history's figures, the watch on the user's routines folder."""
        from concurrent.futures import ThreadPoolExecutor

        from PySide6.QtCore import Qt

        from loosen.ui.library_view import LibraryView

        self.speaker = speaker
        self.history = history
        self.centralWidget().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scroll: keys go on
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="library")
        self.messages = MessageBar()
        self.library_view = LibraryView()
        self.library_view.fit_width(self.width())
        self.library_view.set_welcome_visible(not self.settings.seen_welcome)
        self.library_view.start_requested.connect(self.start_routine)
        self.library_view.export_requested.connect(self.export_audio)
        self.library_view.open_folder_requested.connect(self.open_routines_folder)
        self.library_view.welcome_dismissed.connect(self._welcome_seen)
        self.library_view.set_muted(self.settings.muted)
        self.library_view.unmute_requested.connect(lambda: self.set_muted(False))
        self.summary_page = _SummaryPage()
        self.summary_page.done.connect(self.show_library)
        self.settings_button = self.library_view.settings_button
        self.library_view.settings_requested.connect(self.open_settings)
        self.library_view.history_requested.connect(self.open_history)
        self.library_view.edit_requested.connect(self.open_editor)
        self.stack.addWidget(self.library_view)
        self.stack.addWidget(self.summary_page)
        self.stack.setCurrentWidget(self.library_view)
        self.stack.removeWidget(self._starting_page)
        self._starting_page.deleteLater()
        self._central_layout.insertWidget(0, self.messages)

        self.history.notice.connect(self.messages.show_message)
        self.history.stats_ready.connect(self.library_view.set_stats)
        self.history.advice_ready.connect(self._show_advice)
        self.library_view.safety_note_dismissed.connect(self._safety_note_dismissed)
        if speaker.notice:
            self.messages.show_message(speaker.notice)

        self.watcher = QFileSystemWatcher(self)
        self.reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self.reload_timer.setObjectName("library-reload")
        self.reload_timer.timeout.connect(self.reload_library)
        self.watcher.directoryChanged.connect(lambda _: self.reload_timer.start())
        self.watcher.fileChanged.connect(lambda _: self.reload_timer.start())
        # Queued even from this thread: a load that finishes before its done-callback is
        # added runs the callback here, and the library must still arrive from the event
        # loop, after __init__ (and after anyone waiting for library_loaded is ready).
        self._library_ready.connect(self._set_library, Qt.ConnectionType.QueuedConnection)
        from loosen.ui.library_actions import LibraryActions

        # The routine files' actions run on the library's thread, before its next load.
        self.library_actions = LibraryActions(
            self.library_view,
            self._loader,
            self.reload_library,
            self.messages.show_message,
            self.clock,
            self,
        )
        self._watch_user_folder()
        self.reload_library()
        self.refresh_stats()
        from loosen.ui.keymap import LIBRARY_KEYS, bind_keys

        bind_keys(
            self, LIBRARY_KEYS, {"quit": self.close}, context=Qt.ShortcutContext.WindowShortcut
        )
        self.completed = True

    # -- the library -----------------------------------------------------------------

    def _watch_user_folder(self) -> None:
        folder = paths.user_routines_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.messages.show_message(
                f"Cannot create your routines folder {folder}: {exc.strerror}"
            )
            return
        watched = [str(folder), *(str(p) for p in folder.glob("*.toml"))]
        current = set(self.watcher.directories()) | set(self.watcher.files())
        missing = [p for p in watched if p not in current]
        if missing:
            self.watcher.addPaths(missing)

    def reload_library(self) -> None:
        """Load (again) off the UI thread; the view updates when it is ready."""
        if self._closing:
            return  # a change to the files, or the folder watcher, as the window closes
        future = self._loader.submit(self._load_library)
        future.add_done_callback(lambda f: self._library_ready.emit(f))

    def _set_library(self, future: Future[Library]) -> None:
        if future.exception() is not None:
            self.messages.show_message(f"Could not read the routines: {future.exception()}")
            return
        self.library = future.result()
        self.library_view.set_library(self.library)
        self.refresh_stats()  # what may be suggested follows the library
        self._watch_user_folder()
        if self._select_after_load is not None:
            self.library_view.select(self._select_after_load)
            self._select_after_load = None
        self.library_loaded.emit(self.library)
        if self._pending_start is not None:
            routine_id, self._pending_start = self._pending_start, None
            self.start_routine(routine_id)

    def open_editor(self, path: Path) -> EditorWindow | None:
        """The routine editor on a user routine file (the library's Edit), in front if
        it is open already; None, with a message saying why, when it cannot be."""
        from loosen.core.routine_document import DocumentError
        from loosen.core.userfiles import real_path
        from loosen.ui.editor.window import EditorWindow

        if real_path(path).parent != real_path(paths.user_routines_dir()):
            self.messages.show_message(BUILT_IN_NOT_EDITED.format(name=path.name))
            return None
        for editor in self.editors:
            if real_path(editor.document.path) == real_path(path):
                editor.raise_()
                editor.activateWindow()
                return editor
        try:
            editor = EditorWindow.open_file(path, self.speaker, self)
        except DocumentError as exc:
            self.messages.show_message(f"Cannot edit {path.name}: {exc}")
            return None
        self.editors.append(editor)
        editor.saved.connect(self._routine_saved)
        editor.destroyed.connect(lambda: self.editors.remove(editor))
        editor.show()
        return editor

    def _routine_saved(self, routine_id: str) -> None:
        """An editor wrote a routine: the library shows it, selected."""
        self._select_after_load = routine_id
        self.reload_library()

    def refresh_stats(self) -> None:
        """Each routine's line of history, and the library's advice, off the UI thread."""
        from loosen.core.history.advice import RoutineChoice

        library = self.library
        choices = (
            [RoutineChoice(r.id, r.name, r.kind.value, library.planned_s(r)) for r in library]
            if library is not None
            else []
        )
        self.history.refresh_stats(choices)

    def _show_advice(self, advice: LibraryAdvice) -> None:
        from datetime import UTC, datetime

        from loosen.core.history.advice import note_due, safety_note

        self.library_view.set_suggestion(advice.suggestion)
        dismissed = _moment(self.settings.safety_note_dismissed_at)
        if advice.worry is not None and note_due(advice.worry, dismissed, datetime.now(UTC)):
            self.library_view.show_safety_note(safety_note(advice.worry, advice.gentlest))
        else:
            self.library_view.show_safety_note(None)

    def _safety_note_dismissed(self) -> None:
        """Closed: not again for two weeks (advice.NOTE_QUIET), across restarts."""
        from datetime import UTC, datetime

        from loosen.core.history.records import format_time

        now = format_time(datetime.now(UTC))
        self.settings = replace(self.settings, safety_note_dismissed_at=now)
        self._save_settings()

    def open_routines_folder(self) -> None:
        folder = paths.user_routines_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.library_view.show_folder_path(folder)  # no file manager: say where it is

    def show_library(self) -> None:
        self.setWindowTitle("Loosen")
        self.stack.setCurrentWidget(self.library_view)
        self.refresh_stats()

    def open_history(self) -> None:
        """The history page (its module, and pyqtgraph after it, load on first use)."""
        if self.active is not None:
            return
        if self.history_view is None:
            from loosen.ui.history_view import HistoryView

            self.history_view = HistoryView(
                self.history, existing=lambda: {routine.id for routine in self.library or ()}
            )
            self.history_view.back_requested.connect(self.show_library)
            self.stack.addWidget(self.history_view)
        self.setWindowTitle("History — Loosen")
        self.stack.setCurrentWidget(self.history_view)
        self.history_view.reload()

    def open_settings(self) -> None:
        """The settings dialog, window-modal; they apply when it is accepted."""
        from loosen.ui.settings_dialog import SettingsDialog

        if self.settings_dialog is not None:  # open already: the same dialog, in front
            self.settings_dialog.activateWindow()
            return
        dialog = SettingsDialog(
            self.settings, self._voices(), self, presence_missing=self.presence_missing()
        )
        self.settings_dialog = dialog

        def closed(result: int) -> None:
            self.settings_dialog = None
            dialog.deleteLater()
            if result == SettingsDialog.DialogCode.Accepted:
                self._apply_settings(dialog.chosen())

        dialog.finished.connect(closed)
        dialog.open()

    def _voices_listed(self, voices: list[Voice]) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.set_voices(voices)

    def _apply_settings(self, chosen: Settings) -> None:
        if chosen == self.settings:
            return
        from loosen.ui.style import apply_theme

        if chosen.start_at_login != self.settings.start_at_login:
            from loosen.core.autostart import set_autostart

            try:
                set_autostart(chosen.start_at_login)
            except OSError as exc:
                self.messages.show_message(f"Start at login could not be set: {exc.strerror}")
                chosen = replace(chosen, start_at_login=self.settings.start_at_login)
        self.settings = chosen
        self._save_settings()
        apply_theme(chosen.theme)
        self.speaker.set_volume(chosen.volume)
        self._show_muted()
        self.speaker.set_beeps(chosen.beeps)
        self.speaker.set_voice_enabled(chosen.speak)
        if self._on_settings_changed is not None:
            self._on_settings_changed(chosen)

    def _welcome_seen(self) -> None:
        self.settings = replace(self.settings, seen_welcome=True)
        self._save_settings()

    def _save_settings(self) -> None:
        try:
            save_settings(self.settings, paths.settings_file())
        except OSError as exc:
            self.messages.show_message(f"Settings could not be saved: {exc.strerror}")

    # -- an audio guide --------------------------------------------------------------

    def export_audio(self, routine_id: str) -> None:
        """Pick the routines (this one first) and the file, then write their audio guide
        in the background."""
        from loosen.core.library import RoutineNotFound
        from loosen.core.routine import with_countdown
        from loosen.ui.export_dialog import OutingPicker  # its first use loads it

        if self.library is None or (self.export_dialog and self.export_dialog.running):
            return  # one export at a time
        try:
            routine = self.library.find(routine_id)
        except RoutineNotFound as missing:
            self.messages.show_message(str(missing))
            return
        # The countdown the player would use: the guide says what the player would.
        available = [with_countdown(r, self.settings.countdown) for r in self.library]
        first = next(r for r in available if r.id == routine.id)
        picker = OutingPicker(available, first, self._export_to, folder=Path.home(), parent=self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.open()  # window-modal, and the event loop keeps running

    def _export_to(self, routines: list[Routine], out: Path) -> None:
        from loosen.ui.export_dialog import ExportDialog

        if self.export_dialog is not None and self.export_dialog.running:
            return  # one export at a time
        if self.export_dialog is not None:
            self.export_dialog.shutdown()  # long finished; its thread is joined at once
            self.export_dialog.deleteLater()
        dialog = ExportDialog(
            routines, out, synth=self.export_synth, settings=self.settings, parent=self
        )
        self.export_dialog = dialog
        dialog.open()  # window-modal, and the event loop keeps running
        dialog.start()

    # -- a session -------------------------------------------------------------------

    def start_routine(self, routine_id: str) -> None:
        if self.active is not None:
            return  # one session at a time
        if self.library is None:
            self._pending_start = routine_id  # `loosen run` before the library is read
            return
        from loosen.core.library import RoutineNotFound
        from loosen.core.plan import planned_length_s
        from loosen.core.routine import with_countdown
        from loosen.core.session import Session
        from loosen.ui.player_view import PlayerView
        from loosen.ui.session_recorder import SessionRecorder

        try:
            routine = self.library.find(routine_id)
        except RoutineNotFound as missing:
            self.messages.show_message(str(missing))
            return
        routine = with_countdown(routine, self.settings.countdown)

        session = Session(routine, self.clock, words_per_minute=self.settings.rate_wpm)
        view = PlayerView(session, self.speaker, muted=self.settings.muted)
        recorder = SessionRecorder(
            self.history, routine, session, planned_length_s(routine, session.plan), self
        )
        # Connected before the window's own slot (Qt calls them in that order): the end
        # is handed to the history before any rating of it can be.
        view.finished.connect(recorder.record_finish)
        view.before_rated.connect(recorder.record_before)
        view.driver.events.connect(recorder.record_progress)
        self.active = ActiveSession(routine, session, view, recorder)
        view.finished.connect(self._session_finished)
        view.mute_toggled.connect(self.set_muted)
        view.full_screen_toggled.connect(self.toggle_full_screen)
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        self.setWindowTitle(f"{routine.name} — Loosen")
        if self.settings.start_full_screen:
            self.showFullScreen()
        view.start()

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute cues, beeps and reminders, kept in the settings, and shown
        wherever Loosen is seen: the player, the library and the tray."""
        if muted != self.settings.muted:
            self.settings = replace(self.settings, muted=muted)
            self._save_settings()
        self._show_muted()

    def _show_muted(self) -> None:
        muted = self.settings.muted
        self.speaker.set_muted(muted)
        self.library_view.set_muted(muted)
        if self.active is not None:
            self.active.view.set_muted(muted)
        self.muted_changed.emit(muted)

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def _session_finished(self, summary: Summary, completed: bool) -> None:
        """Ask for the rating (the recorder has the end already); the summary follows it."""
        active = self.active
        assert active is not None
        if self._closing or self._stopping_quietly:
            self._leave_session(active)  # recorded as stopped; no questions on the way out
            if not self._closing:  # hidden, to the tray: the library when it comes back
                self.show_library()
            self._session_over()
            return
        if self.isFullScreen():
            self.showNormal()
        from loosen.ui.player_view import summary_text

        text = summary_text(summary, completed, run=active.routine.interval is not None)

        def commit(rating: Rating, written: Callable[[], None]) -> None:
            active.recorder.record_rating(rating.tightness, rating.note or None, written)

        if is_short_break(active.routine, summary):
            self._rate_lightly(active, text)
            return
        self.ask_rating(text, commit, lambda rating: self._rated(active, text, rating))

    def _rate_lightly(self, active: ActiveSession, text: str) -> None:
        """After a short desk break: one key in the player (or, if Settings says so, no
        question at all), never a dialog over the user's work."""
        from loosen.ui.rating import Rating

        if not self.settings.rate_short_breaks:
            self._rated(active, text, Rating(None, ""))
            return

        def answered(value: int | None) -> None:
            rating = Rating(value, "")
            if value is None:
                self._rated(active, text, rating)
                return
            # On to the summary once the rating is written, as the dialog does.
            active.recorder.record_rating(value, None, lambda: self._rated(active, text, rating))

        active.view.ask_after(answered)

    def ask_rating(
        self,
        summary: str,
        commit: Callable[[Rating, Callable[[], None]], None],
        answered: Callable[[Rating], None],
    ) -> None:
        """The rating dialog, window-modal (the event loop goes on): `commit(rating,
        written)` as the user answers, and it closes once written; `answered(rating)`
        once it has closed."""
        from loosen.ui.rating import RatingDialog

        dialog = RatingDialog(commit, summary, self)
        self.rating_dialog = dialog

        def closed() -> None:
            self.rating_dialog = None
            dialog.deleteLater()
            answered(dialog.rating())

        dialog.finished.connect(closed)
        dialog.open()

    def _rated(self, active: ActiveSession, text: str, rating: Rating) -> None:
        page = self.summary_page
        page.show_summary(active.routine.name, text, rating, active.view.rating_row.value)
        if rating.tightness is not None:
            # The comparison comes when the history has answered (never waited for).
            active.recorder.last_rating(lambda last: page.compare(rating, last))
        self.stack.setCurrentWidget(page)
        self._leave_session(active)
        self.setWindowTitle("Loosen")
        self._session_over()

    def _leave_session(self, active: ActiveSession) -> None:
        self.stack.removeWidget(active.view)
        active.view.deleteLater()
        active.recorder.deleteLater()  # its writes are queued already
        self.active = None

    def _session_over(self) -> None:
        waiting, self._after_session = self._after_session, []
        for then in waiting:
            then()

    def stop_active_session(self) -> None:
        """Stop the session on screen, recorded as stopped, without asking for a rating:
        the window is closing, or going out of sight to the tray. A rating dialog still
        open is answered as skipped (a note typed in it is kept)."""
        active = self.active
        if active is None:
            return
        if self.rating_dialog is not None:
            self.rating_dialog.skip()
            return
        if active.session.state.value not in ("running", "paused"):
            return
        from loosen.core.readout import PlayerAction  # loaded with the player already

        self._stopping_quietly = True
        try:
            active.view.act(PlayerAction.STOP)
        finally:
            self._stopping_quietly = False

    def end_session_asking(self, then: Callable[[], None]) -> None:
        """Before the window goes out of sight: a session on screen stops only if the
        user says so (Esc's question), and is then rated like any stopped session;
        `then()` once no session is on screen (at once when there is none). Never, if
        they chose to go on."""
        active = self.active
        if active is None:
            then()
            return
        self._after_session.append(then)

        def answered(over: bool) -> None:
            if not over and then in self._after_session:
                self._after_session.remove(then)  # the session goes on, as if never asked

        active.view.ask_stop(answered)

    def closeEvent(self, event: QCloseEvent) -> None:
        unsaved = [editor for editor in self.editors if editor.isWindowModified()]
        if unsaved and not self._closing:
            event.ignore()  # each editor asks what becomes of its changes, first
            for editor in unsaved:
                editor.activateWindow()
                editor.close()
            return
        if self.active is not None and not self._closing:
            event.ignore()  # closed again once the session is over, if the user says so
            self.end_session_asking(self.close)
            return
        self._closing = True
        if not self.completed:  # closed as it opened: there is nothing to keep yet
            super().closeEvent(event)
            return
        self._after_session.clear()  # closing anyway: what waited for it is moot
        self.stop_active_session()  # recorded as stopped, not lost
        self._loader.shutdown(wait=False)
        if self.export_dialog is not None:
            self.export_dialog.shutdown()  # cancelled: no half-written guide is left
        self.history.close()  # every write handed over is written before the window goes
        super().closeEvent(event)


def _load_library_from_disk() -> Library:
    from loosen.core.library import load_library

    return load_library(
        paths.builtin_routines_dir(),
        paths.user_routines_dir(),
        paths.pictures_dir(),
        cache_dir=paths.cache_dir(),
    )


def _moment(text: str | None) -> datetime | None:
    """A time kept in the settings, or None when there is none or it does not read."""
    from loosen.core.history.records import parse_time

    if not text:
        return None
    try:
        return parse_time(text)
    except ValueError:
        return None  # a hand-edited settings file: as if never dismissed


def is_short_break(routine: Routine, summary: Summary) -> bool:
    """A desk break short enough that a dialog after it would cost more than the break."""
    from loosen.core.routine import Kind
    from loosen.core.settings_schema import SHORT_BREAK_S

    return routine.kind is Kind.BREAK and summary.planned_s <= SHORT_BREAK_S


class _SummaryPage(QWidget):
    """After a session: what was done, and how the back compares with last time."""

    done = Signal()

    def __init__(self) -> None:
        from PySide6.QtCore import Qt

        super().__init__()
        self.title = QLabel(objectName="summaryTitle")
        self.body = QLabel(objectName="summaryBody", wordWrap=True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        self.title.setFont(font)
        back = QPushButton("Back to the library")
        back.setDefault(True)
        back.clicked.connect(self.done.emit)
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch()
        from loosen.ui.keymap import SUMMARY_KEYS, bind_keys
        from loosen.ui.keys_help import bind_keys_help

        bind_keys(
            self, SUMMARY_KEYS, {"done": self.done.emit}, context=Qt.ShortcutContext.WindowShortcut
        )
        bind_keys_help(self, "Summary", SUMMARY_KEYS)

        self.name = ""
        self.text = ""
        self.rating: Rating | None = None
        self.before: int | None = None

    def show_summary(self, name: str, text: str, rating: Rating, before: int | None) -> None:
        """`before`: how tight the back was as the session began, if the user said."""
        self.name, self.text, self.rating, self.before = name, text, rating, before
        self.title.setText(name)
        self._write(None)

    def compare(self, rating: Rating, last_after: int | None) -> None:
        """Add how the back compares with last time, when the history says (if this
        summary is still the one on the page)."""
        if rating is self.rating:
            self._write(last_after)

    def _write(self, last_after: int | None) -> None:
        rating = self.rating
        assert rating is not None
        name = self.name
        lines = [self.text]
        if rating.tightness is not None:
            from loosen.core.history.advice import before_after_text  # not needed at start-up

            lines.append(before_after_text(self.before, rating.tightness))
            if last_after is not None:
                change = last_after - rating.tightness
                if change > 0:
                    lines.append(f"{change} looser than after your last {name.lower()}.")
                elif change < 0:
                    lines.append(f"{-change} tighter than after your last {name.lower()}.")
                else:
                    lines.append(f"The same as after your last {name.lower()}.")
        else:
            lines.append("No rating this time; the session is in your history.")
        self.body.setText("\n".join(lines))


def first_size(available: QSize) -> QSize:
    """The window's size when it opens: the preferred one, made smaller where the screen
    is (an 800×600 screen), frame included, so no part of the window starts off screen."""
    return PREFERRED_SIZE.boundedTo(available - WINDOW_FRAME)
