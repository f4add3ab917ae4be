"""A due reminder as a desktop notification with its answers on it (Take, Snooze, Skip).

Where the freedesktop notification server says it supports actions (`GetCapabilities`
lists "actions"), the reminder is sent with `Notify` and its buttons; the server's
`ActionInvoked` says which one was pressed, `NotificationClosed` that it went away.
Elsewhere (no server, no actions, Windows, macOS) `show()` answers False and the
reminders show themselves as before (the tray's message, or the small window).

`Notify` and `CloseNotification` take a D-Bus `uint32` id, which PySide cannot put in a
QtDBus message (a Python int goes out as `int32`, and servers built on GDBus, GNOME
Shell's among them, refuse the call). So those two calls are made by `busctl` (systemd's
D-Bus tool, given the signature outright) in a QProcess, answered through the event loop
and killed if slow; the capabilities and the signals go through QtDBus. Without
`busctl` there are no actions, as without a server.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import SLOT, QObject, QProcess, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage

from loosen.ui.presence import bus as dbus
from loosen.ui.presence import processes

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
NOTIFY_SIGNATURE = "susssasa{sv}i"  # the specification's Notify(...) -> u
APP_NAME = "Loosen"
APP_ICON = "loosen"
ACTIONS_CAPABILITY = "actions"


def read_capabilities(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"expected a list of strings, got {value!r}")
    return value


CAPABILITIES = dbus.BusQuestion(
    what="notification actions (org.freedesktop.Notifications GetCapabilities)",
    service=SERVICE,
    path=PATH,
    interface=INTERFACE,
    method="GetCapabilities",
    reads=read_capabilities,
)


class _SignalListener(QObject):
    """Hears the server's D-Bus signals for one `DesktopNotifications`; never deleted
    and never disconnected from the bus (`_LISTENERS` keeps it).

    QtDBus lets go of a signal's receiver on its own thread, calling back into it as it
    does (`disconnectNotify`, which for a Python object means Python code on that
    thread). Run while the main thread forks a child (busctl, pactl), that crashed the
    test run. So the bus keeps this small object to the end, and a notifier that closes
    only stops listening to it, on the UI thread.
    """

    heard = Signal(QDBusMessage)

    @Slot(QDBusMessage)
    def hear(self, message: QDBusMessage) -> None:
        self.heard.emit(message)


_LISTENERS: list[_SignalListener] = []
_HEAR = SLOT("hear(QDBusMessage)")


class DesktopNotifications(QObject):
    """Loosen's one reminder notification with actions: shown, replaced, withdrawn.

    `bus` is the connection that hears the server's signals (the session bus by default);
    `address` the bus `busctl` calls on (None: the user's session bus). Tests pass a
    private bus for both.
    """

    action_invoked = Signal(str)  # the key of the action pressed on Loosen's notification
    not_shown = Signal()  # a show() that answered True failed after all: show it otherwise
    capabilities_known = Signal(bool)  # the server answered (or not): actions or none

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        bus: QDBusConnection | None = None,
        address: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._bus = QDBusConnection.sessionBus() if bus is None else bus
        self._address = address
        self._busctl = shutil.which("busctl")
        self._actions = False  # until the server says it has them
        self._shown_id: int | None = None  # the notification on screen now
        self._sending = False  # a Notify call is under way
        self._withdraw_when_sent = False  # answered elsewhere before its id came back
        self._processes: set[QProcess] = set()
        self._closed = False
        self._listener: _SignalListener | None = None
        if self._busctl is None:
            log.info("notifications: busctl is not installed: reminders carry no actions")
            return
        if not self._bus.isConnected():
            return
        self._listener = _SignalListener()
        _LISTENERS.append(self._listener)
        self._listener.heard.connect(self._heard)
        for name in ("ActionInvoked", "NotificationClosed"):
            self._bus.connect("", PATH, INTERFACE, name, self._listener, _HEAR)
        dbus.ask(self._bus, CAPABILITIES, self._capabilities, self)

    def shown(self) -> int | None:
        """The server's id of the notification on screen now, None when none is."""
        return self._shown_id

    def offers_actions(self) -> bool:
        """Whether a reminder shown now carries its answers."""
        return self._actions and not self._closed

    def show(
        self, summary: str, body: str, actions: Sequence[tuple[str, str]], timeout_ms: int
    ) -> bool:
        """Show (or replace) the notification with `actions` (key, label); False, and
        nothing sent, where the server has no actions."""
        if not self.offers_actions():
            return False
        flat = [text for action in actions for text in action]
        replaces = self._shown_id or 0  # one reminder at a time: never a second one
        arguments = [
            "--json=short",
            *self._address_arguments(
                "Notify",
                NOTIFY_SIGNATURE,
                APP_NAME,
                str(replaces),
                APP_ICON,
                summary,
                body,
                str(len(flat)),
                *flat,
                # One hint: which app this is, so the desktop shows Loosen's name and icon.
                *("1", "desktop-entry", "s", "loosen"),
                str(timeout_ms),
            ),
        ]
        self._sending = True
        self._withdraw_when_sent = False
        self._call(arguments, self._sent)
        return True

    def withdraw(self) -> None:
        """The reminder was answered elsewhere (or is no longer due): take it away."""
        if self._sending:
            self._withdraw_when_sent = True
        if self._shown_id is None:
            return
        shown, self._shown_id = self._shown_id, None
        self._call(self._address_arguments("CloseNotification", "u", str(shown)), None)

    def close(self) -> None:
        """Withdraw what is shown and stop listening (the app quits)."""
        if self._closed:
            return
        self._closed = True
        for process in list(self._processes):
            processes.stop(process)
        self._processes.clear()
        if self._shown_id is not None and self._busctl is not None:
            # Left to finish on its own: it outlives the app, which is quitting.
            arguments = self._address_arguments("CloseNotification", "u", str(self._shown_id))
            closing = QProcess()
            closing.setProgram(self._busctl)
            closing.setArguments(arguments)
            closing.setStandardOutputFile(QProcess.nullDevice())
            closing.setStandardErrorFile(QProcess.nullDevice())
            closing.startDetached()
            self._shown_id = None
        if self._listener is not None:
            self._listener.heard.disconnect(self._heard)

    # -- answers ---------------------------------------------------------------------

    def _capabilities(self, value: Any, why: str | None) -> None:
        if why is not None:
            log.info("notifications: no server to show actions (%s)", why)
        else:
            self._actions = ACTIONS_CAPABILITY in value
            if not self._actions:
                log.info("notifications: the server shows no actions: reminders carry none")
        self.capabilities_known.emit(self._actions)

    def _sent(self, output: str | None) -> None:
        self._sending = False
        shown = _notification_id(output)
        if shown is None:
            if not self._closed:
                self.not_shown.emit()
            return
        self._shown_id = shown
        if self._withdraw_when_sent or self._closed:
            self.withdraw()

    def _heard(self, message: QDBusMessage) -> None:
        arguments = message.arguments()
        if self._shown_id is None or not arguments or arguments[0] != self._shown_id:
            return  # another program's notification, or one already taken away
        if message.member() == "ActionInvoked" and len(arguments) == 2:
            self._shown_id = None  # the server closes it (the specification says so)
            self.action_invoked.emit(str(arguments[1]))
        elif message.member() == "NotificationClosed":
            self._shown_id = None

    # -- busctl ------------------------------------------------------------------------

    def _address_arguments(self, method: str, signature: str, *values: str) -> list[str]:
        where = "--user" if self._address is None else f"--address={self._address}"
        limit = f"--timeout={processes.COMMAND_TIMEOUT_MS / 1000:g}"
        return [where, limit, "call", SERVICE, PATH, INTERFACE, method, signature, *values]

    def _call(self, arguments: list[str], then: Callable[[str | None], None] | None) -> None:
        """Run busctl with `arguments`; `then` gets its output, or None if it failed."""
        running: list[QProcess] = []

        def answered(output: str | None, why: str | None) -> None:
            self._processes.difference_update(running)
            if why is not None:
                log.info("notifications: busctl %s failed: %s", arguments[-1], why)
            if then is not None and not self._closed:
                then(output)

        question = processes.CommandQuestion(
            what="busctl", program="busctl", arguments=tuple(arguments), reads=str
        )
        process = processes.ask(question, answered, self)
        if process.state() != QProcess.ProcessState.NotRunning:  # not already answered
            running.append(process)
            self._processes.add(process)


def _notification_id(output: str | None) -> int | None:
    """The id in busctl's `{"type":"u","data":[ID]}`; None when it is not one."""
    if output is None:
        return None
    try:
        answer = json.loads(output)
        (shown,) = answer["data"]
    except (ValueError, KeyError, TypeError):
        return None
    return shown if isinstance(shown, int) and not isinstance(shown, bool) and shown > 0 else None
