"""A stand-in freedesktop notification server, on the test's private bus, in the test's process.

It is as strict as a real one: QtDBus answers only calls whose arguments have the
specification's types (a `Notify` whose id is an int32 is refused, as GNOME Shell
refuses it). It remembers what it was asked, and the test makes it say what a server
says: that an action was pressed (`invoke`), or that a notification was closed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import ClassInfo, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CLOSED_BY_CALL = 3  # NotificationClosed's reason: closed by CloseNotification


@dataclass(frozen=True)
class Shown:
    id: int
    app_name: str
    replaces_id: int
    summary: str
    body: str
    actions: list[str]
    hints: dict
    timeout_ms: int


@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
class NotificationServer(QObject):
    ActionInvoked = Signal("uint", str)
    NotificationClosed = Signal("uint", "uint")

    def __init__(self, capabilities: list[str]) -> None:
        super().__init__()
        self.capabilities = capabilities
        self.asked_capabilities = 0
        self.shown: list[Shown] = []
        self.closed: list[int] = []
        self._next_id = 0

    @Slot(result="QStringList")
    def GetCapabilities(self) -> list[str]:
        self.asked_capabilities += 1
        return self.capabilities

    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(self, app_name, replaces_id, icon, summary, body, actions, hints, timeout_ms) -> int:
        if replaces_id:
            shown = replaces_id
        else:
            self._next_id += 1
            shown = self._next_id
        self.shown.append(
            Shown(shown, app_name, replaces_id, summary, body, list(actions), hints, timeout_ms)
        )
        return shown

    @Slot("uint")
    def CloseNotification(self, shown: int) -> None:
        self.closed.append(shown)
        self.NotificationClosed.emit(shown, CLOSED_BY_CALL)

    def invoke(self, shown: int, key: str) -> None:
        """As a person pressing the button `key` on notification `shown`."""
        self.ActionInvoked.emit(shown, key)


def register(connection: QDBusConnection, server: NotificationServer) -> None:
    options = (
        QDBusConnection.RegisterOption.ExportAllSlots
        | QDBusConnection.RegisterOption.ExportAllSignals
    )
    assert connection.registerObject(PATH, server, options)
    assert connection.registerService(SERVICE)
