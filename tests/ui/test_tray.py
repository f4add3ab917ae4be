"""Desk-break reminders on screen: the tray and its menu, the fallback window, answers, the log.

No real waiting: the fake clock moves and the test fires the timers' timeout itself.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from desk_stand_in import DeskStandIn
from loosen import paths
from loosen.core.presence import Busy
from loosen.core.reminders import PAUSE_S, SNOOZE_S
from loosen.core.settings import Settings
from loosen.ui.history_service import HistoryService
from loosen.ui.main_window import MainWindow
from loosen.ui.tray import (
    PREPARE_AHEAD_S,
    PRESENCE_LOOK_S,
    RESYNC_MS,
    CloseToReminders,
    ReminderController,
    start_reminders,
)
from player_journey import answer_stop_question, rate_in_player

MIN = 60.0
ON = Settings(reminders=True)
GENTLE = "Break time soon: Squat and fold, at your next natural pause."
FIRM = "Time for your break now: Squat and fold."
# What the offscreen platform says, not ours to fix: it has no tray (showing an icon
# anyway, with the tray injected, says so) and cannot raise a window.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "QPlatformNativeInterface::systemTrayWindowChanged",
)


def at(wall: float) -> str:
    return datetime.fromtimestamp(wall).strftime("%H:%M")


@pytest.fixture
def main_window(qtbot, clock, speaker):
    history = HistoryService(paths.history_db())
    window = MainWindow(Settings(), speaker, history, clock=clock)
    # The test is over when pytest-qt closes it: no one is there to answer.
    qtbot.addWidget(window, before_close_func=MainWindow.stop_active_session)
    window.show()
    # Not waitSignal: a library read before __init__ returns is announced before any wait.
    qtbot.waitUntil(lambda: window.library is not None, timeout=10_000)
    yield window
    for guard in window.findChildren(CloseToReminders):
        guard.quitting = True
    if not window._closing:  # hidden by a test is not closed: the history is still open
        window.stop_active_session()  # the test is over: no one is there to answer
        window.close()


@pytest.fixture
def make_controller(qtbot, clock, speaker, main_window):
    made: list[ReminderController] = []
    quits: list[bool] = []

    def make(settings: Settings = ON, **kwargs) -> ReminderController:
        controller = ReminderController(
            settings,
            speaker,
            main_window.history,
            clock=clock,
            start_break=main_window.start_routine,
            show_main=main_window.show,
            quit_app=lambda: quits.append(True),
            routine_name=lambda rid: main_window.library.find(rid).name,
            busy=lambda: main_window.active is not None,
            main_visible=main_window.isVisible,
            **kwargs,
        )
        qtbot.addWidget(controller.menu)
        if controller.window is not None:
            qtbot.addWidget(controller.window)
        made.append(controller)
        return controller

    make.quits = quits
    yield make
    for controller in made:
        controller.stop()


def logged(main_window: MainWindow) -> list[tuple[str, str, datetime]]:
    rows = main_window.history.submit(lambda store: store.reminders()).result(timeout=10)
    return [(r.outcome, r.routine, r.answered_at) for r in rows]


def fire(controller: ReminderController, clock, seconds: float) -> None:
    """Let `seconds` pass and fire the single-shot timer, as Qt would at its moment."""
    clock.advance(seconds)
    assert controller.due_timer.isActive()
    controller.due_timer.timeout.emit()


def test_without_a_tray_a_small_window_shows_what_comes_and_the_reminders(
    make_controller, clock, speaker
):
    controller = make_controller()
    assert controller.tray is None and controller.window is not None  # offscreen: no tray
    controller.show_window()
    window = controller.window
    assert window.isVisible()
    due = clock.wall() + 15 * MIN
    assert window.status.text() == f"Next break at {at(due)} (in 15 min): Squat and fold"
    assert not window.message.isVisible()
    assert controller.due_timer.interval() == 15 * 60 * 1000  # one timer, to the moment
    assert controller.resync_timer.isActive() and controller.resync_timer.interval() == 60_000
    assert not window.snooze_button.isEnabled()

    fire(controller, clock, 15 * MIN)
    assert speaker.spoken == [GENTLE]
    assert window.message.isVisible() and window.message.text() == GENTLE
    assert window.status.text() == "Break due now: Squat and fold"
    assert window.snooze_button.isEnabled()
    fire(controller, clock, 5 * MIN)
    assert speaker.spoken == [GENTLE, FIRM]
    assert not controller.due_timer.isActive()  # nothing more until answered: no nagging
    controller.resync_timer.timeout.emit()
    assert speaker.spoken == [GENTLE, FIRM]


def test_take_the_break_runs_the_break_routine_in_the_main_window(
    qtbot, make_controller, clock, main_window
):
    controller = make_controller()
    fire(controller, clock, 16 * MIN)
    qtbot.mouseClick(controller.window.take_button, Qt.MouseButton.LeftButton)
    assert main_window.active is not None
    assert main_window.active.routine.id == "squat-and-fold"
    assert main_window.windowTitle() == "Squat and fold — Loosen"
    answered = datetime.fromtimestamp(clock.wall(), UTC).replace(microsecond=0)
    assert logged(main_window) == [("taken", "squat-and-fold", answered)]
    assert controller.window.status.text().startswith(
        f"Next break at {at(clock.wall() + 15 * MIN)}"
    )


def test_one_key_in_the_reminder_window_takes_the_break(qtbot, make_controller, clock, main_window):
    controller = make_controller()
    fire(controller, clock, 15 * MIN)
    window = controller.window
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert main_window.active is not None and main_window.active.routine.id == "squat-and-fold"


def test_the_tray_menu_has_its_actions_and_the_tooltip_follows_each_answer(
    make_controller, clock, main_window
):
    controller = make_controller(tray_available=True)
    tray = controller.tray
    assert tray is not None and controller.window is None
    assert tray.isVisible() and tray.contextMenu() is controller.menu
    texts = [a.text() for a in controller.menu.actions() if not a.isSeparator()]
    assert texts == [
        f"Next break at {at(clock.wall() + 15 * MIN)} (in 15 min): Squat and fold",
        "&Take the break",
        "&Snooze 5 minutes",
        "S&kip this one",
        "&Pause reminders for an hour",
        "&Mute Loosen",
        "&Open Loosen",
        "&Quit Loosen",
    ]
    assert tray.toolTip() == f"Loosen — {texts[0]}"

    fire(controller, clock, 15 * MIN)
    assert tray.toolTip() == "Loosen — Break due now: Squat and fold"
    controller.snooze_action.trigger()
    snoozed_until = clock.wall() + SNOOZE_S
    assert tray.toolTip() == f"Loosen — Snoozed: Squat and fold at {at(snoozed_until)} (in 5 min)"
    assert controller.due_timer.interval() == SNOOZE_S * 1000

    controller.skip_action.trigger()
    assert tray.toolTip() == (
        f"Loosen — Next break at {at(clock.wall() + 15 * MIN)} (in 15 min): Squat and fold"
    )

    controller.pause_action.trigger()
    assert tray.toolTip() == f"Loosen — Reminders paused until {at(clock.wall() + PAUSE_S)}"
    assert controller.pause_action.text() == "&Resume reminders"
    controller.pause_action.trigger()
    assert controller.pause_action.text() == "&Pause reminders for an hour"
    assert [outcome for outcome, _, _ in logged(main_window)] == ["snoozed", "skipped"]


def test_a_notification_is_shown_and_its_click_takes_only_a_due_break(
    make_controller, clock, main_window, speaker
):
    controller = make_controller(tray_available=True)
    shown = []
    controller.tray.showMessage = lambda *args: shown.append(args[:2])
    controller.tray.messageClicked.emit()  # Linux: another program's notification
    assert main_window.active is None
    fire(controller, clock, 20 * MIN)
    assert shown == [("Loosen", FIRM)] and speaker.spoken == [FIRM]
    controller.tray.messageClicked.emit()
    assert main_window.active is not None and main_window.active.routine.id == "squat-and-fold"


def test_no_reminder_while_a_session_is_on_and_the_count_restarts(
    make_controller, clock, main_window, speaker
):
    controller = make_controller()
    main_window.start_routine("squat-and-fold")
    speaker.spoken.clear()
    fire(controller, clock, 15 * MIN)
    assert FIRM not in speaker.spoken and GENTLE not in speaker.spoken
    assert controller.scheduler.next_due_wall() == clock.wall() + 15 * MIN
    assert logged(main_window) == []


def test_after_the_clock_jumps_the_resync_gives_the_overdue_reminder_once(
    make_controller, clock, speaker
):
    controller = make_controller()
    clock.advance(2 * MIN)
    clock.jump_wall(3 * 60 * MIN)  # the single-shot timer's moment passed: the resync notices
    controller.resync_timer.timeout.emit()
    assert speaker.spoken == [FIRM]
    controller.resync_timer.timeout.emit()
    clock.advance(MIN)
    controller.resync_timer.timeout.emit()
    assert speaker.spoken == [FIRM]


def test_turning_reminders_off_stops_both_timers_and_hides_the_tray(make_controller):
    controller = make_controller(tray_available=True)
    controller.apply_settings(replace(ON, reminders=False))
    assert not controller.due_timer.isActive() and not controller.resync_timer.isActive()
    assert not controller.tray.isVisible()
    assert controller.tray.toolTip() == "Loosen — Break reminders are off"
    controller.apply_settings(replace(ON, reminder_every="30m"))
    assert controller.tray.isVisible() and controller.due_timer.interval() == 30 * 60 * 1000


def test_closing_the_main_window_keeps_reminders_in_their_window(make_controller, main_window):
    controller = make_controller()
    guard = CloseToReminders(main_window, controller)
    main_window.close()
    assert not main_window.isVisible() and controller.window.isVisible()  # never no window
    assert logged(main_window) == []  # the history is still open
    controller.open_action.trigger()
    assert main_window.isVisible()
    main_window.close()
    controller.window.close()  # now the last window: closing it quits
    assert make_controller.quits == [True]
    guard.quitting = True


def test_the_settings_dialog_edits_the_reminders(qtbot, main_window):
    from loosen.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(), [], main_window)
    qtbot.addWidget(dialog)
    assert dialog.chosen() == Settings()
    assert dialog.reminder_routine.currentData() == "squat-and-fold"
    assert not dialog.reminder_every.isEnabled()  # off: nothing to set
    dialog.reminders.setChecked(True)
    dialog.reminder_every.setText("10s")
    assert not dialog.ok_button.isEnabled() and "Not an interval" in dialog.every_hint.text()
    dialog.reminder_every.setText("20-25m")
    assert dialog.ok_button.isEnabled()
    dialog.reminder_routine.setCurrentIndex(dialog.reminder_routine.findData("post-run-cooldown"))
    chosen = dialog.chosen()
    assert (chosen.reminders, chosen.reminder_routine, chosen.reminder_every) == (
        True,
        "post-run-cooldown",
        "20-25m",
    )


def test_the_app_wiring_takes_the_break_and_quits_from_the_reminders(
    qtbot, main_window, speaker, clock
):
    quits: list[bool] = []
    controller = start_reminders(
        main_window,
        ON,
        speaker,
        quit_event_loop=lambda: quits.append(1),
        presence=DeskStandIn(clock),
    )
    qtbot.addWidget(controller.menu)
    qtbot.addWidget(controller.window)
    assert controller.window.isVisible()  # no tray offscreen: the window, from the start
    main_window.close()
    assert not main_window.isVisible() and controller.window.isVisible()
    controller.take_action.trigger()
    assert main_window.isVisible() and main_window.active.routine.id == "squat-and-fold"
    uid = main_window.active.uid.result(timeout=10)
    player = main_window.active.view
    controller.quit_action.trigger()
    assert quits == [] and main_window.isVisible()  # quitting mid-break asks as Esc does
    answer_stop_question(qtbot, player, "Yes")
    rate_in_player(qtbot, main_window, "2")
    assert quits == [1] and main_window._closing and not main_window.isVisible()
    assert main_window.active is None  # the break was stopped and recorded, not lost
    from loosen.core.history import HistoryStore

    with HistoryStore.open(paths.history_db()) as store:
        assert (store.get(uid).status.value, store.get(uid).tightness_after) == ("stopped", 2)
    assert not controller.resync_timer.isActive() and not controller.window.isVisible()


def test_closing_the_window_mid_session_asks_then_records_it_rated_before_hiding(
    qtbot, make_controller, main_window
):
    controller = make_controller()
    CloseToReminders(main_window, controller)
    main_window.start_routine("squat-and-fold")
    active = main_window.active
    assert active is not None
    uid = active.uid.result(timeout=10)
    main_window.close()
    assert main_window.isVisible()  # asked first, as Esc asks
    answer_stop_question(qtbot, active.view, "Yes")
    rate_in_player(qtbot, main_window, "3")
    assert not main_window.isVisible() and main_window.active is None
    assert main_window.stack.currentWidget() is main_window.library_view  # when it is back
    record = main_window.history.submit(lambda store: store.get(uid)).result(timeout=10)
    # Not left running, unseen, in a hidden window; and the user's answer is kept.
    assert (record.status.value, record.tightness_after) == ("stopped", 3)


def test_closing_the_window_mid_session_and_going_on_keeps_it_on_screen(
    qtbot, make_controller, main_window
):
    controller = make_controller()
    CloseToReminders(main_window, controller)
    main_window.start_routine("squat-and-fold")
    player = main_window.active.view
    main_window.close()
    answer_stop_question(qtbot, player, "No")
    assert main_window.isVisible() and main_window.stack.currentWidget() is player
    assert player.session.state.value == "running"


def test_take_during_a_session_starts_nothing_and_logs_nothing(make_controller, main_window, clock):
    controller = make_controller()
    main_window.start_routine("core-and-hips")
    due_before = controller.scheduler.next_due_wall()
    main_window.hide()
    controller.take_action.trigger()
    assert main_window.isVisible()  # the session comes forward instead
    assert main_window.active is not None and main_window.active.routine.id == "core-and-hips"
    assert logged(main_window) == []
    assert controller.scheduler.next_due_wall() == due_before


def test_the_reminder_lines_are_rendered_shortly_before_their_moment(
    make_controller, speaker, clock
):
    controller = make_controller()
    assert speaker.prepared == []  # 15 minutes away: no speech engine started for it yet
    ahead_ms = controller.due_timer.interval() - controller.speech_timer.interval()
    assert ahead_ms == PREPARE_AHEAD_S * 1000
    clock.advance(controller.speech_timer.interval() / 1000)
    controller.speech_timer.timeout.emit()
    assert GENTLE in speaker.prepared and FIRM in speaker.prepared  # ready at the moment


def test_muted_shows_in_the_tray_menu_and_one_click_there_undoes_it(
    qtbot, main_window, speaker, clock
):
    controller = start_reminders(
        main_window,
        ON,
        speaker,
        quit_event_loop=lambda: None,
        tray_available=True,
        presence=DeskStandIn(clock),
    )
    qtbot.addWidget(controller.menu)
    mute = controller.mute_action
    assert mute.isCheckable() and not mute.isChecked() and mute in controller.menu.actions()
    main_window.start_routine("squat-and-fold")
    qtbot.keyClick(main_window.active.view, Qt.Key.Key_M)  # muted in the player...
    assert mute.isChecked() and "muted" in controller.tray.toolTip()  # ...shows in the tray
    mute.trigger()  # one click in the menu
    assert not main_window.settings.muted and not speaker.muted
    assert not main_window.active.view.mute_button.isVisible()
    assert "muted" not in controller.tray.toolTip()
    mute.trigger()
    assert main_window.settings.muted and main_window.library_view.muted_button.isVisibleTo(
        main_window.library_view
    )
    controller.stop()


def test_a_long_sleep_is_a_break_taken_away_from_the_desk_not_a_reminder(
    make_controller, clock, speaker
):
    controller = make_controller()
    clock.advance(2 * MIN)
    clock.suspend(3 * 60 * MIN)  # lunch, the lid closed: the user was away from it
    controller.resync_timer.timeout.emit()
    assert speaker.spoken == []
    assert controller.scheduler.next_due_wall() == clock.wall() + 15 * MIN


# -- the working day (issue 17): what the desktop says ------------------------------


def watched(make_controller, main_window, clock, **kwargs):
    """A controller that looks at a desktop stand-in, with the break routine's real length."""
    library = main_window.library
    desk = DeskStandIn(clock)
    controller = make_controller(
        presence=desk,
        break_length_s=lambda rid: library.planned_s(library.find(rid)),
        **kwargs,
    )
    return controller, desk


def look(qtbot, controller: ReminderController, clock, seconds: float) -> None:
    """`seconds` pass and the due timer fires; the check runs when the desktop answers."""
    clock.advance(seconds)
    assert controller.due_timer.isActive()
    with qtbot.waitSignal(controller.changed):
        controller.due_timer.timeout.emit()


def test_time_away_as_long_as_the_break_is_logged_away_and_no_reminder_comes(
    qtbot, make_controller, main_window, clock, speaker
):
    controller, desk = watched(make_controller, main_window, clock)
    break_s = main_window.library.planned_s(main_window.library.find("squat-and-fold"))
    assert controller.scheduler.away_after_s == break_s  # the break routine's planned length
    clock.advance(10 * MIN)
    desk.touch()  # the last key press; then the user walks off
    look(qtbot, controller, clock, 5 * MIN)
    assert speaker.spoken == [] and controller.last_text == ""
    assert [(outcome, routine) for outcome, routine, _ in logged(main_window)] == [
        ("away", "squat-and-fold")
    ]
    # While away, the desktop is looked at every PRESENCE_LOOK_S, not faster.
    assert controller.due_timer.interval() == PRESENCE_LOOK_S * 1000
    look(qtbot, controller, clock, PRESENCE_LOOK_S)
    assert speaker.spoken == [] and len(logged(main_window)) == 1  # one absence, one entry
    desk.touch()  # back at the desk: a new count from this key press
    look(qtbot, controller, clock, PRESENCE_LOOK_S)
    assert controller.due_timer.interval() == (15 * MIN - PRESENCE_LOOK_S) * 1000
    clock.advance(15 * MIN - PRESENCE_LOOK_S - 10)
    desk.touch()  # at work, ten seconds before the moment
    look(qtbot, controller, clock, 10)
    assert speaker.spoken == [GENTLE]
    row = main_window.history.submit(lambda store: store.reminders()).result(timeout=10)[0]
    assert (row.given_at, row.stage) == (None, None)  # never given


def test_a_break_due_in_a_call_is_owed_and_offered_once_quietly_at_the_gap(
    qtbot, make_controller, main_window, clock, speaker
):
    controller, desk = watched(make_controller, main_window, clock)
    controller.show_window()
    desk.busy = Busy.CALL
    clock.advance(15 * MIN)
    desk.touch()  # talking, and typing now and then
    look(qtbot, controller, clock, 0)
    assert speaker.spoken == [] and not controller.window.message.isVisible()
    assert [outcome for outcome, _, _ in logged(main_window)] == ["deferred"]
    clock.advance(PRESENCE_LOOK_S)
    desk.touch()
    look(qtbot, controller, clock, 0)  # still in the call: nothing more
    assert speaker.spoken == [] and len(logged(main_window)) == 1
    desk.busy = None  # the call ended
    desk.touch()
    look(qtbot, controller, clock, PRESENCE_LOOK_S)
    assert speaker.spoken == []  # offered quietly: shown, not said
    assert controller.window.message.isVisible() and controller.window.message.text() == GENTLE
    controller.take_action.trigger()
    rows = main_window.history.submit(lambda store: store.reminders()).result(timeout=10)
    assert [(r.outcome, r.stage) for r in rows] == [("deferred", "gentle"), ("taken", "gentle")]
    assert rows[1].given_at is not None


def test_idle_the_desktop_is_looked_at_only_on_the_resync_and_at_the_due_moment(
    qtbot, make_controller, main_window, clock
):
    controller, desk = watched(make_controller, main_window, clock)
    for _ in range(10):  # ten minutes with the user at work
        clock.advance(RESYNC_MS / 1000)
        desk.touch()
        with qtbot.waitSignal(controller.changed):
            controller.resync_timer.timeout.emit()
    assert desk.looks == 10
    look(qtbot, controller, clock, 5 * MIN)
    assert desk.looks == 11


def test_the_reader_is_closed_with_the_reminders(make_controller, main_window, clock):
    controller, desk = watched(make_controller, main_window, clock)
    controller.stop()
    assert desk.closed


def test_no_reminder_outside_the_working_hours_set(make_controller, clock, speaker):
    today = datetime.fromtimestamp(clock.wall()).weekday()
    other_day = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[(today + 2) % 7]
    controller = make_controller(replace(ON, working_hours=f"{other_day} 09:00-17:00"))
    assert controller.scheduler.next_due_wall() > clock.wall() + 24 * 3600  # that day, not today
    clock.advance(20 * MIN)
    controller.resync_timer.timeout.emit()
    assert speaker.spoken == []
    controller.apply_settings(ON)  # any time again: a new count
    fire(controller, clock, 15 * MIN)
    assert speaker.spoken == [GENTLE]


# -- the count over a restart ---------------------------------------------------------


def test_the_count_survives_a_restart_of_the_app(make_controller, clock, speaker):
    first = make_controller()
    clock.advance(10 * MIN)
    first.tick()
    first.stop()  # quit: the count is saved
    clock.advance(MIN)  # the app starts again a minute later
    second = make_controller()
    assert second.scheduler.next_due_wall() == clock.wall() + 4 * MIN  # not 15 from now
    fire(second, clock, 4 * MIN)
    assert speaker.spoken == [GENTLE]


def test_a_snoozed_reminder_stays_snoozed_after_a_restart_saved_at_the_answer(
    make_controller, clock, speaker
):
    first = make_controller()
    fire(first, clock, 15 * MIN)
    first.snooze()
    saved = paths.reminder_state_file().read_text()  # written at the answer, not only at quit
    assert json.loads(saved)["snoozed_until_wall"] == clock.wall() + SNOOZE_S
    clock.advance(MIN)
    second = make_controller()  # the first one was killed: never stopped
    assert second.scheduler.next_due_wall() == clock.wall() + SNOOZE_S - MIN


def test_a_bad_saved_count_is_ignored_with_one_log_line(make_controller, clock, caplog):
    path = paths.reminder_state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"{not json")
    with caplog.at_level("INFO", logger="loosen.ui.tray"):
        controller = make_controller()
    assert controller.scheduler.next_due_wall() == clock.wall() + 15 * MIN
    assert [r.getMessage() for r in caplog.records if "saved count" in r.getMessage()] == [
        f"reminders: {path} is not a saved count (Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1)); a new count starts"
    ]


# -- without a tray: the reminder window on a small screen ------------------------------


def test_the_reminder_window_shows_small_in_the_corner_and_stays_wholly_on_screen(
    qtbot, make_controller, clock
):
    controller = make_controller()
    controller.show_window()
    window = controller.window
    qtbot.waitExposed(window)
    free = window.screen().availableGeometry()
    frame = window.frameGeometry()
    assert free.contains(frame)
    assert free.right() - frame.right() < 40 and free.bottom() - frame.bottom() < 40  # corner
    assert window.height() == window.sizeHint().height()  # as small as its words
    # The user puts it at the very bottom; the reminder's words make it grow.
    window.move(frame.left(), free.bottom() + 1 - frame.height())
    fire(controller, clock, 20 * MIN)
    assert window.message.isVisible()
    assert free.contains(window.frameGeometry()), (window.frameGeometry(), free)
    assert window.height() == window.sizeHint().height()
    controller.skip()  # answered: it shrinks back, and stays where it was put
    assert free.contains(window.frameGeometry())
    assert window.height() == window.sizeHint().height()
