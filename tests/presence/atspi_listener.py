"""Listens on an accessibility bus as a screen reader does: registers for apps'
announcements with the registry, then prints each one heard, a line each (its
arguments as JSON), after a first line "ready". Ends when its input ends.

Usage: atspi_listener.py A11Y_BUS_ADDRESS
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import SLOT, QCoreApplication, QObject, QSocketNotifier, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage

EVENTS = "org.a11y.atspi.Event.Object"
ANNOUNCEMENT = "object:announcement"


class Listener(QObject):
    @Slot(QDBusMessage)
    def heard(self, message: QDBusMessage) -> None:
        print(json.dumps([_plain(a) for a in message.arguments()]), flush=True)


def _plain(value: object) -> object:
    variant = getattr(value, "variant", None)  # a QDBusVariant: the text inside it
    if callable(variant):
        return _plain(variant())
    return value if isinstance(value, str | int | float | bool) else str(value)


def main() -> None:
    app = QCoreApplication(sys.argv[:1])
    bus = QDBusConnection.connectToBus(sys.argv[1], "a11y")
    if not bus.isConnected():
        sys.exit("cannot reach the accessibility bus")
    listener = Listener()
    bus.connect("", "", EVENTS, "Announcement", listener, SLOT("heard(QDBusMessage)"))
    register = QDBusMessage.createMethodCall(
        "org.a11y.atspi.Registry",
        "/org/a11y/atspi/registry",
        "org.a11y.atspi.Registry",
        "RegisterEvent",
    )
    register.setArguments([ANNOUNCEMENT])
    answer = bus.call(register)
    if answer.type() == QDBusMessage.MessageType.ErrorMessage:
        sys.exit(answer.errorMessage())
    print("ready", flush=True)
    ended = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    ended.activated.connect(app.quit)  # the test closed its end: done
    app.exec()


if __name__ == "__main__":
    main()
