"""A stand-in for the desktop's D-Bus services, run in its own process by the presence tests.

    python desktop_service.py ADDRESS SPEC_JSON

SPEC_JSON is {"names": [bus names to own], "answers": {"PATH INTERFACE.MEMBER": answer}}.
A property is keyed by its own interface and name ("PATH INTERFACE.NAME") and is read
through org.freedesktop.DBus.Properties.Get. An answer is a value to reply with, or
{"error": "org.freedesktop.DBus.Error..."} to fail, or {"silent": true} never to reply
(a hung service). Anything else asked is an unknown method. It prints "ready" once its
names are owned, and runs until it is stopped.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusVariant, QDBusVirtualObject

PROPERTIES = "org.freedesktop.DBus.Properties"


class Service(QDBusVirtualObject):
    def __init__(self, answers: dict[str, object]) -> None:
        super().__init__()
        self.answers = answers

    def introspect(self, path: str) -> str:
        return ""

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:
        arguments = message.arguments()
        is_property = message.interface() == PROPERTIES and message.member() == "Get"
        if is_property:
            key = f"{message.path()} {arguments[0]}.{arguments[1]}"
        else:
            key = f"{message.path()} {message.interface()}.{message.member()}"
        if key not in self.answers:
            reply = message.createErrorReply(
                "org.freedesktop.DBus.Error.UnknownMethod", f"no {key} here"
            )
        elif isinstance(answer := self.answers[key], dict) and answer.get("silent"):
            return True  # never answers
        elif isinstance(answer, dict):
            reply = message.createErrorReply(answer["error"], "the stand-in fails on purpose")
        else:
            reply = message.createReply(QDBusVariant(answer) if is_property else answer)
        connection.send(reply)
        return True


def main(address: str, spec_json: str) -> int:
    spec = json.loads(spec_json)
    app = QCoreApplication([])
    bus = QDBusConnection.connectToBus(address, "stand-in")
    service = Service(spec["answers"])
    for path in {key.split(" ")[0] for key in spec["answers"]}:
        if not bus.registerVirtualObject(path, service):
            return 1
    for name in spec["names"]:
        if not bus.registerService(name):
            return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
