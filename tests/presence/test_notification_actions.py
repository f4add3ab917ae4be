"""A due reminder's notification offers Take, Snooze and Skip where the server has actions.

A real private session bus (its own dbus-daemon) with a stand-in notification server on
it; the reminders' answers are read back from the reminder log.
"""

from __future__ import annotations

import pytest
from notification_server import NotificationServer, register
from PySide6.QtCore import Qt
from PySide6.QtDBus import QDBusConnection

from loosen import paths
from loosen.core.clock import FakeClock
from loosen.core.settings import Settings
from loosen.ui.history_service import HistoryService
from loosen.ui.notifications import DesktopNotifications
from loosen.ui.tray import ReminderController

from helpers import RecordingSpeaker

MIN = 60.0
ANSWERS = ["take", "Take the break", "snooze", "Snooze 5 minutes", "skip", "Skip this one"]
GENTLE = "Break time soon: Squat and fold, at your next natural pause."
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints", "This plugin does not support raise"
)


_KEPT: list[tuple[str, NotificationServer]] = []


@pytest.fixture
def serve(qapp, bus_address):
    """Puts a stand-in notification server with `capabilities` on the private bus."""
    names: list[str] = []
    servers: list[NotificationServer] = []

    def start(capabilities: list[str]) -> NotificationServer:
        name = f"notification-server-{len(names)}-{bus_address}"
        connection = QDBusConnection.connectToBus(bus_address, name)
        assert connection.isConnected()
        server = NotificationServer(capabilities)
        register(connection, server)
        names.append(name)
        servers.append(server)
        return server

    yield start
    # Neither disconnected nor let go: QtDBus would let go of the exported object on its
    # own thread, calling into Python as the main thread forks the next test's daemon,
    # and crash the run (seen under load). Each dies with its private bus's daemon.
    _KEPT.extend(zip(names, servers, strict=True))


@pytest.fixture
def reminders(qtbot, quiet_desktop, bus, bus_address):
    """A reminder controller (no tray: the small window) whose notifications go to the
    private bus; every 15 minutes, on a fake clock."""
    made: list[tuple[ReminderController, HistoryService, list[str]]] = []

    def make() -> tuple[ReminderController, HistoryService, list[str]]:
        history = HistoryService(paths.history_db())
        started: list[str] = []
        notifications = DesktopNotifications(bus=bus, address=bus_address)
        controller = ReminderController(
            Settings(reminders=True),
            RecordingSpeaker(),
            history,
            clock=FakeClock(),
            start_break=started.append,
            show_main=lambda: None,
            quit_app=lambda: None,
            routine_name=lambda routine_id: "Squat and fold",
            tray_available=False,
            notifications=notifications,
        )
        qtbot.addWidget(controller.menu)
        assert controller.window is not None
        qtbot.addWidget(controller.window)
        made.append((controller, history, started))
        return controller, history, started

    yield make
    for controller, history, _ in made:
        controller.stop()
        history.close()


def give_reminder(controller: ReminderController) -> None:
    """Fifteen minutes pass and the timer fires, as Qt would fire it at its moment."""
    controller.clock.advance(15 * MIN)
    controller.due_timer.timeout.emit()


def shown_on_screen(server: NotificationServer, notifications: DesktopNotifications, count: int):
    """A check that the `count`th notification was sent and its id came back."""

    def check() -> None:
        assert len(server.shown) == count
        assert notifications.shown() == server.shown[-1].id

    return check


def outcomes(history: HistoryService) -> list[str]:
    return [r.outcome for r in history.submit(lambda store: store.reminders()).result(10)]


def test_the_notification_offers_the_answers_and_each_is_logged(qtbot, serve, reminders):
    server = serve(["body", "actions", "body-markup"])
    controller, history, started = reminders()
    notifications = controller.notifications
    qtbot.waitUntil(notifications.offers_actions, timeout=5000)

    give_reminder(controller)
    qtbot.waitUntil(lambda: notifications.shown() is not None, timeout=5000)
    (shown,) = server.shown
    assert (shown.app_name, shown.summary, shown.body) == ("Loosen", "Loosen", GENTLE)
    assert shown.actions == ANSWERS
    assert shown.hints == {"desktop-entry": "loosen"}

    server.invoke(shown.id, "snooze")  # pressed on the notification
    qtbot.waitUntil(lambda: outcomes(history) == ["snoozed"], timeout=5000)
    assert notifications.shown() is None

    controller.clock.advance(5 * MIN)  # the snooze ends: the reminder comes again
    controller.due_timer.timeout.emit()
    qtbot.waitUntil(shown_on_screen(server, notifications, 2), timeout=5000)
    server.invoke(server.shown[-1].id, "take")
    qtbot.waitUntil(lambda: outcomes(history) == ["snoozed", "taken"], timeout=5000)
    assert started == ["squat-and-fold"]  # the break starts as from the menu

    give_reminder(controller)
    qtbot.waitUntil(shown_on_screen(server, notifications, 3), timeout=5000)
    server.invoke(server.shown[-1].id, "skip")
    qtbot.waitUntil(lambda: outcomes(history) == ["snoozed", "taken", "skipped"], timeout=5000)
    assert server.closed == []  # the server closes what was answered on it itself


def test_a_reminder_answered_elsewhere_is_taken_off_the_screen(qtbot, serve, reminders):
    server = serve(["actions"])
    controller, history, _ = reminders()
    notifications = controller.notifications
    qtbot.waitUntil(notifications.offers_actions, timeout=5000)
    give_reminder(controller)
    qtbot.waitUntil(lambda: notifications.shown() is not None, timeout=5000)
    shown = notifications.shown()

    qtbot.mouseClick(controller.window.skip_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: server.closed == [shown], timeout=5000)
    assert outcomes(history) == ["skipped"]
    server.invoke(shown, "take")  # a late press on a notification already gone: nothing
    give_reminder(controller)  # the next one, to have something to wait for
    qtbot.waitUntil(lambda: len(server.shown) == 2, timeout=5000)
    assert outcomes(history) == ["skipped"]


@pytest.mark.parametrize("capabilities", [["body", "persistence"], None])
def test_without_actions_nothing_is_sent_and_the_window_reminds(
    qtbot, serve, reminders, capabilities
):
    server = serve(capabilities) if capabilities is not None else None
    controller, _, _ = reminders()
    notifications = controller.notifications
    with qtbot.waitSignal(notifications.capabilities_known) as known:
        pass
    assert known.args == [False]

    give_reminder(controller)

    assert controller.window.isVisible() and controller.window.message.text() == GENTLE
    assert notifications.shown() is None
    if server is not None:
        assert server.asked_capabilities == 1
        assert server.shown == []
