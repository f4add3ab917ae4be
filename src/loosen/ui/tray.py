"""Desk-break reminders on screen: the tray icon and its menu (or a small window), and two timers.

The scheduler (core/reminders.py) decides; this module only asks it at the right
moments and shows the answer. Idle, it costs next to nothing: ONE single-shot timer
set to the next due moment, and a resync once a minute that notices a sleep or a
clock change (a single-shot QTimer counts monotonic time, which stops in suspend).

On Linux the tray is a StatusNotifierItem: the panel keeps clicks on the icon for
itself and shows the menu, so everything is in the menu (GNOME shows no menu-less
icon at all), and `messageClicked` may come for another program's notification, so
it starts a break only while a reminder is actually due.

What the desktop says (idle time, a locked screen, a full-screen window, a call) is
read only around the moments that matter: before each due check, on the resync, and
every PRESENCE_LOOK_S while the user is away, or a break is held or owed. Each look is
asked of the PresenceReader and the check runs when its answer comes, never waited for.

Where the desktop's notification server has actions, a due reminder is a notification
with Take, Snooze and Skip on it (ui/notifications.py): a press there triggers the
menu's own action, and an answer given elsewhere takes the notification away.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from loosen import paths
from loosen.core.clock import Clock, MonotonicClock
from loosen.core.duration import parse_window
from loosen.core.library import RoutineNotFound
from loosen.core.presence import Presence
from loosen.core.reminders import (
    MIN_AWAY_S,
    Answer,
    Reminder,
    ReminderScheduler,
    Stage,
    State,
    reminder_text,
    status_text,
)
from loosen.core.settings import Settings, working_hours
from loosen.core.userfiles import UnreadableFile, read_regular_file, write_atomically
from loosen.core.working_hours import HoursError, WorkingHours
from loosen.speech.speaker import Speaker
from loosen.ui.history_service import HistoryService
from loosen.ui.notifications import DesktopNotifications
from loosen.ui.presence import PresenceReader

if TYPE_CHECKING:
    from loosen.ui.main_window import MainWindow

log = logging.getLogger(__name__)

RESYNC_MS = 60_000  # notices a sleep or a clock change within a minute
NOTIFICATION_MS = 15_000  # a hint to the notification server; it never blocks us
MAX_TIMER_MS = 2**31 - 1  # QTimer's interval is a C int
# The spoken reminder lines are asked for this long before they are due: the speech
# engine starts then (it takes well under a second), not with the app.
PREPARE_AHEAD_S = 60
# While the user is away, or a break is held or owed, the desktop is looked at this often
# (the scheduler would look every few seconds; a look may start two small commands, and
# the user will not mind a reminder some seconds after coming back).
PRESENCE_LOOK_S = 15.0
MAX_STATE_BYTES = 64 * 1024  # the saved count is a few hundred bytes
# What the saved count holds that changes by merely looking: not a reason to write it.
_LOOKED_KEYS = ("seen_wall", "seen_suspended", "boot_wall")


def app_icon() -> QIcon:
    """Loosen's icon, drawn: a green disc with a person in a forward fold."""
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#2e7d5b"))
        painter.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
        pen = QPen(QColor("white"), max(1.5, size / 11))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        s = size / 64
        body = QPainterPath(QPointF(24 * s, 52 * s))  # legs up to the hips, high,
        body.lineTo(QPointF(32 * s, 17 * s))
        body.quadTo(QPointF(41 * s, 20 * s), QPointF(42 * s, 38 * s))  # the back folded down
        painter.drawPath(body)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("white"))
        painter.drawEllipse(QPointF(42 * s, 46 * s), 5.5 * s, 5.5 * s)  # the head, hanging
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _utc(wall: float) -> datetime:
    return datetime.fromtimestamp(wall, UTC)


def _hours(settings: Settings) -> WorkingHours | None:
    """The working hours set; any time when the text is empty or (edited by hand) wrong,
    which the settings file reports when it is read."""
    try:
        return working_hours(settings.working_hours)
    except HoursError:
        return None


def _default_name(routine_id: str) -> str:
    return routine_id.replace("-", " ").capitalize()


class ReminderController(QObject):
    """Owns the scheduler, its two timers, the menu's actions, and the tray or window."""

    reminded = Signal(object)  # Reminder, after it was shown and spoken
    changed = Signal()  # status text, actions or next due moment changed

    def __init__(
        self,
        settings: Settings,
        speaker: Speaker,
        history: HistoryService | None,
        *,
        start_break: Callable[[str], None],
        show_main: Callable[[], None],
        quit_app: Callable[[], None],
        clock: Clock | None = None,
        routine_name: Callable[[str], str] = _default_name,
        busy: Callable[[], bool] = lambda: False,
        main_visible: Callable[[], bool] = lambda: True,
        set_muted: Callable[[bool], None] = lambda muted: None,
        tray_available: bool | None = None,
        presence: PresenceReader | None = None,
        break_length_s: Callable[[str], float | None] = lambda routine_id: None,
        notifications: DesktopNotifications | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`presence` tells when the user is away or busy (None: reminders as if always
        there); `break_length_s` gives a routine's planned length, the time away that
        counts as its break; `notifications` shows a reminder with its answers on it
        where the desktop can (None: the tray's message, or the window, as always)."""
        super().__init__(parent)
        self.clock = clock or MonotonicClock()
        self.speaker = speaker
        self.history = history
        self._start_break = start_break
        self._show_main = show_main
        self._quit_app = quit_app
        self._routine_name = routine_name
        self._busy = busy
        self._main_visible = main_visible
        self._break_length_s = break_length_s
        self._stopped = False
        self.has_tray = (
            QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None else tray_available
        )
        self.scheduler = ReminderScheduler(
            self.clock,
            parse_window(settings.reminder_every),
            settings.reminder_routine,
            enabled=settings.reminders,
            away_after_s=self._away_after_s(settings.reminder_routine),
            hours=_hours(settings),
        )
        self._saved: dict[str, object] | None = None  # the count as last written
        self._restore_count()
        self.presence = presence
        if presence is not None:
            presence.setParent(self)  # owned: closed with the controller
            presence.updated.connect(self._check)
        self.notifications = notifications
        if notifications is not None:
            notifications.setParent(self)  # owned: closed with the controller
            notifications.action_invoked.connect(self._notification_answered)
            notifications.not_shown.connect(self._show_message)
        self.icon = app_icon()
        self.last_text = ""  # the last reminder's line, for the window

        self.due_timer = QTimer(self, singleShot=True, objectName="reminder-due")
        self.due_timer.setTimerType(Qt.TimerType.PreciseTimer)  # coarse could be 45 s off
        self.due_timer.timeout.connect(self.tick)
        self.resync_timer = QTimer(self, interval=RESYNC_MS, objectName="reminder-resync")
        self.resync_timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self.resync_timer.timeout.connect(self.tick)
        self.speech_timer = QTimer(self, singleShot=True, objectName="reminder-speech")
        self.speech_timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one may be late
        self.speech_timer.timeout.connect(self._prepare_lines)

        self.status_action = QAction(self)
        self.status_action.setEnabled(False)  # a heading, not a command
        heading = self.status_action.font()
        heading.setBold(True)
        self.status_action.setFont(heading)
        self.take_action = QAction("&Take the break", self, triggered=self.take)
        self.snooze_action = QAction("&Snooze 5 minutes", self, triggered=self.snooze)
        self.skip_action = QAction("S&kip this one", self, triggered=self.skip)
        self.pause_action = QAction(
            "&Pause reminders for an hour", self, triggered=self.toggle_pause
        )
        # Checked while Loosen is muted (a setting the main window owns): seen, and undone,
        # from the tray too, since muted reminders would otherwise go silent with no sign.
        self.mute_action = QAction(
            "&Mute Loosen", self, checkable=True, checked=settings.muted, triggered=set_muted
        )
        self.open_action = QAction("&Open Loosen", self, triggered=self._show_main)
        self.quit_action = QAction("&Quit Loosen", self, triggered=self._quit_app)
        self.menu = QMenu()
        self.menu.addAction(self.status_action)
        self.menu.addSeparator()
        for action in (self.take_action, self.snooze_action, self.skip_action, self.pause_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.mute_action)
        self.menu.addAction(self.open_action)
        self.menu.addAction(self.quit_action)

        self.tray: QSystemTrayIcon | None = None
        self.window: QWidget | None = None
        if self.has_tray:
            self.tray = QSystemTrayIcon(self.icon, self)
            self.tray.setContextMenu(self.menu)  # set before show(): GNOME needs it
            self.tray.messageClicked.connect(self._message_clicked)
            self.tray.activated.connect(self._activated)
        else:
            from loosen.ui.reminder_window import ReminderWindow

            self.window = ReminderWindow(self)
        self._apply_enabled()

    # -- timers --------------------------------------------------------------------

    def tick(self) -> None:
        """Look at the desktop, then check (when the look's answer comes, or at once with
        no presence reader): a reminder if one is due, and the timer for the next moment."""
        if self._stopped:
            return
        if self.presence is None:
            self._check(None)
        else:
            self.presence.refresh()  # `updated` → _check

    def _check(self, presence: Presence | None) -> None:
        if self._stopped:
            return
        reminder = self.scheduler.check(presence)
        for answer in self.scheduler.take_log():  # away, deferred: no one answered them
            self._log(answer)
        if reminder is not None:
            self._remind(reminder)
        self.refresh()

    def _arm(self) -> None:
        at = self.scheduler.next_due_wall()
        if at is None:
            self.due_timer.stop()
            return
        delay_s = max(0.0, at - self.clock.wall())
        scheduler = self.scheduler
        if scheduler.away_since_wall is not None or scheduler.held or scheduler.owed:
            delay_s = max(delay_s, PRESENCE_LOOK_S)  # looking to see the user back, or free
        self.due_timer.start(min(math.ceil(delay_s * 1000), MAX_TIMER_MS))

    def _prepare_lines(self) -> None:
        """Have the spoken lines rendered ahead, so the reminder is said at its moment
        (the speaker says a clip on time or not at all), once it is PREPARE_AHEAD_S
        away; until then, wait for that moment. Asking again costs nothing."""
        if self._stopped:
            return
        at = self.scheduler.next_due_wall()
        ahead_s = None if at is None else at - self.clock.wall() - PREPARE_AHEAD_S
        if ahead_s is not None and ahead_s > 0:
            self.speech_timer.start(min(math.ceil(ahead_s * 1000), MAX_TIMER_MS))
            return
        self.speech_timer.stop()
        self.speaker.prepare([reminder_text(stage, self.routine_name) for stage in Stage])

    # -- showing -------------------------------------------------------------------

    @property
    def routine_name(self) -> str:
        return self._routine_name(self.scheduler.routine_id)

    def status(self) -> str:
        return status_text(self.scheduler, self.routine_name)

    def refresh(self) -> None:
        """Bring the tooltip, the menu and the window up to date; re-arm the timer."""
        if self._stopped:
            return  # quitting: a late signal (a library reload) must not start a timer
        state = self.scheduler.state()
        text = self.status()
        self.status_action.setText(text)
        if state is State.OFF:
            self.speech_timer.stop()
        else:
            self._prepare_lines()
        self.snooze_action.setEnabled(state is State.DUE)
        self.take_action.setEnabled(state is not State.OFF)
        self.skip_action.setEnabled(state in (State.WAITING, State.DUE, State.SNOOZED))
        self.pause_action.setEnabled(state is not State.OFF)
        self.pause_action.setText(
            "&Resume reminders" if state is State.PAUSED else "&Pause reminders for an hour"
        )
        if self.tray is not None:
            muted = " (muted)" if self.mute_action.isChecked() else ""
            self.tray.setToolTip(f"Loosen{muted} — {text}")
        if state is not State.DUE:
            self.last_text = ""
            if self.notifications is not None:
                self.notifications.withdraw()  # answered elsewhere, or no longer due
        self._arm()
        self._save_count()
        self.changed.emit()

    def _remind(self, reminder: Reminder) -> None:
        if self._busy():
            # A session is on in the player: the user is moving already. This one is
            # moot; a new count starts, and nothing is logged (the session is).
            self.scheduler.skip()
            return
        text = reminder_text(reminder.stage, self.routine_name)
        self.last_text = text
        if not reminder.quiet:  # a break owed from a busy moment is shown, not spoken
            self.speaker.speak(text)
        answers = self._notification_answers()
        shown = self.notifications is not None and self.notifications.show(
            "Loosen",
            text,
            [(key, _label(action)) for key, action in answers.items()],
            NOTIFICATION_MS,
        )
        if not shown:
            self._show_message()
        if self.window is not None:
            self.window.show()
            self.window.raise_()  # no activateWindow(): never take the keyboard mid-sentence
        self.reminded.emit(reminder)

    def _show_message(self) -> None:
        """The reminder as the tray's own message (no answers on it, a click takes it)."""
        if self.tray is not None and self.last_text:
            self.tray.showMessage("Loosen", self.last_text, self.icon, NOTIFICATION_MS)

    def _notification_answers(self) -> dict[str, QAction]:
        """The answers a notification offers, by the key the server hands back: the
        menu's own actions, so an answer there goes the way a click in the menu does."""
        return {"take": self.take_action, "snooze": self.snooze_action, "skip": self.skip_action}

    def _notification_answered(self, key: str) -> None:
        action = self._notification_answers().get(key)
        # A notification left over from a reminder answered since asks nothing now.
        if action is not None and self.scheduler.state() is State.DUE and action.isEnabled():
            action.trigger()

    def _apply_enabled(self) -> None:
        on = self.scheduler.enabled
        if on:
            self.resync_timer.start()
        else:
            self.resync_timer.stop()
        if self.tray is not None:
            self.tray.setVisible(on)
        elif self.window is not None and not on:
            self.window.hide()
        self.refresh()

    def show_window(self) -> None:
        """The fallback window, when there is no tray (run_app shows it at start)."""
        if self.window is not None and self.scheduler.enabled:
            self.window.show()

    def show_muted(self, muted: bool) -> None:
        self.mute_action.setChecked(muted)
        self.refresh()

    # -- answers -------------------------------------------------------------------

    def take(self) -> None:
        if self._busy():
            # A session is on: no break can start over it, so nothing is taken or
            # logged; the window with the session comes forward instead.
            self._show_main()
            return
        answer = self.scheduler.take()
        self._log(answer)
        self._start_break(answer.routine_id)
        self.refresh()

    def snooze(self) -> None:
        answer = self.scheduler.snooze()
        if answer is not None:
            self._log(answer)
        self.refresh()

    def skip(self) -> None:
        self._log(self.scheduler.skip())
        self.refresh()

    def toggle_pause(self) -> None:
        if self.scheduler.state() is State.PAUSED:
            self.scheduler.resume()
        else:
            self.scheduler.pause()
        self.refresh()

    def _message_clicked(self) -> None:
        if self.scheduler.state() is State.DUE:
            self.take()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # Where the platform passes a left click on (XEmbed trays, Windows) it opens
        # the app; the menu is on the right button everywhere.
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self._show_main()

    def _log(self, answer: Answer) -> None:
        if self.history is None:
            return
        routine, outcome = answer.routine_id, str(answer.outcome)
        due, answered = _utc(answer.due_wall), _utc(answer.answered_wall)
        given = None if answer.given_wall is None else _utc(answer.given_wall)
        stage = None if answer.stage is None else str(answer.stage)
        # On the history thread, like every database call; never waited for here.
        self.history.submit(
            lambda store: store.log_reminder(
                routine, outcome, due, answered, given_at=given, stage=stage
            )
        )

    # -- settings and shutting down --------------------------------------------------

    def _away_after_s(self, routine_id: str) -> float:
        """Time away that counts as the break: the break routine's planned length."""
        return self._break_length_s(routine_id) or MIN_AWAY_S

    def break_length_known(self) -> None:
        """The library is (re)loaded: the break routine's length may be known now."""
        self.scheduler.away_after_s = max(MIN_AWAY_S, self._away_after_s(self.scheduler.routine_id))
        self.refresh()

    def apply_settings(self, settings: Settings) -> None:
        self.scheduler.reconfigure(
            parse_window(settings.reminder_every),
            settings.reminder_routine,
            settings.reminders,
            away_after_s=self._away_after_s(settings.reminder_routine),
            hours=_hours(settings),
        )
        self._apply_enabled()
        if settings.reminders:
            self.show_window()

    def keeps_running(self) -> bool:
        """True while reminders need the app alive with its main window closed."""
        return self.scheduler.enabled

    def window_closed(self) -> None:
        """The reminder window was closed: quit if it was the last window."""
        if not self._stopped and not self._main_visible():
            self._quit_app()

    # -- the count over a restart ------------------------------------------------------

    def _restore_count(self) -> None:
        """Carry on the count the last run saved; a file that is not one is ignored."""
        path = paths.reminder_state_file()
        try:
            saved = json.loads(read_regular_file(path, MAX_STATE_BYTES).decode("utf-8"))
        except FileNotFoundError:
            return
        except (UnreadableFile, ValueError, RecursionError) as exc:  # UnicodeError is one
            log.warning("reminders: %s is not a saved count (%s); a new count starts", path, exc)
            return
        if not isinstance(saved, dict) or not self.scheduler.restore(saved):
            log.info("reminders: %s is for other reminders; a new count starts", path)
            return
        for answer in self.scheduler.take_log():  # the computer was off: time away
            self._log(answer)

    def _save_count(self, *, always: bool = False) -> None:
        """Write the count when it changed (or `always`, at quit); never raises."""
        snapshot = self.scheduler.snapshot()
        counted = {k: v for k, v in snapshot.items() if k not in _LOOKED_KEYS}
        if not always and counted == self._saved:
            return
        path = paths.reminder_state_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with write_atomically(path) as out:
                json.dump(snapshot, out)
        except OSError as exc:
            log.warning("reminders: the count could not be saved in %s: %s", path, exc)
            return
        self._saved = counted

    def stop(self) -> None:
        if not self._stopped:
            self._save_count(always=True)
        self._stopped = True
        self.due_timer.stop()
        self.resync_timer.stop()
        self.speech_timer.stop()
        if self.presence is not None:
            self.presence.close()
        if self.notifications is not None:
            self.notifications.close()
        if self.tray is not None:
            self.tray.hide()
        if self.window is not None:
            self.window.close()


class CloseToReminders(QObject):
    """Closing the main window while reminders are on hides it instead, so they go on.

    Never the last window hidden where there is no tray: the reminder window is
    shown first. With a tray, the app may then live on with no window at all, until
    the main window shows again. An event filter, so the main window needs no change.
    """

    def __init__(self, window: MainWindow, controller: ReminderController) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.quitting = False
        window.installEventFilter(self)

    def close_all(self) -> None:
        """Close for real: the reminders stop and the main window closes, its history too
        (a session still on, at a logout, is recorded as stopped without a question)."""
        if self.quitting:
            return
        self.quitting = True
        self.controller.stop()
        self.window.stop_active_session()
        self.window.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() is QEvent.Type.Show:
            QApplication.setQuitOnLastWindowClosed(True)
        elif (
            event.type() is QEvent.Type.Close
            and not self.quitting
            and self.controller.keeps_running()
            and isinstance(watched, QWidget)
        ):
            if self.window.active is not None:
                # Out of sight is not a session going on unseen: ask, as Esc does, and
                # close again once it is recorded (and rated); the user may go on instead.
                self.window.end_session_asking(lambda: self._close_after_session(watched))
                event.ignore()
                return True
            if self.controller.has_tray:
                QApplication.setQuitOnLastWindowClosed(False)
            else:
                self.controller.show_window()
            watched.hide()
            event.ignore()
            return True
        return False

    def _close_after_session(self, watched: QWidget) -> None:
        self.window.show_library()  # what the window shows when it comes back
        watched.close()


def start_reminders(
    window: MainWindow,
    settings: Settings,
    speaker: Speaker,
    *,
    quit_event_loop: Callable[[], None] = QApplication.quit,
    tray_available: bool | None = None,
    presence: PresenceReader | None = None,
    notifications: DesktopNotifications | None = None,
) -> ReminderController:
    """The reminders for the app's main window: its player, its history, its clock; what
    the desktop says from `presence` (by default a PresenceReader of this desktop); its
    notifications through `notifications` (by default this desktop's, on Linux)."""

    def show_main() -> None:
        window.show()
        window.raise_()
        window.activateWindow()

    def start_break(routine_id: str) -> None:
        show_main()
        window.start_routine(routine_id)

    def routine_name(routine_id: str) -> str:
        if window.library is not None:
            with contextlib.suppress(RoutineNotFound):
                return window.library.find(routine_id).name
        return _default_name(routine_id)

    def break_length_s(routine_id: str) -> float | None:
        if window.library is not None:
            with contextlib.suppress(RoutineNotFound):
                return window.library.planned_s(window.library.find(routine_id))
        return None

    def quit_app() -> None:
        def quit_now() -> None:
            guard.close_all()
            quit_event_loop()

        # Never, if the user goes on with the session on screen.
        window.end_session_asking(quit_now)

    controller = ReminderController(
        settings,
        speaker,
        window.history,
        clock=window.clock,
        start_break=start_break,
        show_main=show_main,
        quit_app=quit_app,
        routine_name=routine_name,
        busy=lambda: window.active is not None,
        main_visible=window.isVisible,
        set_muted=window.set_muted,
        tray_available=tray_available,
        presence=PresenceReader() if presence is None else presence,
        break_length_s=break_length_s,
        notifications=_desktop_notifications() if notifications is None else notifications,
        parent=window,
    )
    window.muted_changed.connect(controller.show_muted)
    if controller.presence is not None:
        window.presence_missing = controller.presence.missing_text
    guard = CloseToReminders(window, controller)
    app = QApplication.instance()
    if app is not None:  # logging out with the window in the tray: still close it properly
        app.aboutToQuit.connect(guard.close_all)  # a method: disconnected with the window
    # The routine's real name, and its length: the time away that counts as the break.
    window.library_loaded.connect(lambda _: controller.break_length_known())
    controller.show_window()
    return controller


def show_quietly(window: MainWindow, controller: ReminderController) -> None:
    """A quiet start (at login): the tray icon alone, or where there is no tray the small
    reminder window (start_reminders showed it). With reminders off neither shows, so
    the main window does, minimised: the app never runs with no window and no icon."""
    if controller.scheduler.enabled and (controller.has_tray or controller.window is not None):
        return
    window.showMinimized()


def _desktop_notifications() -> DesktopNotifications | None:
    """The freedesktop notification server, on the desktops that have one."""
    if sys.platform in ("win32", "darwin"):
        return None
    return DesktopNotifications()


def _label(action: QAction) -> str:
    """A menu action's words without the mnemonic's ampersand."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
