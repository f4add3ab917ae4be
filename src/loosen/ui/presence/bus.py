"""One question to a desktop service on D-Bus, asked without blocking the UI thread.

The call is asynchronous (`asyncCall` and a `QDBusPendingCallWatcher`) and bounded by a
short timeout, so a hung or slow service costs the UI thread nothing; services are
never started on demand (no D-Bus activation) just to be asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtDBus import (
    QDBusConnection,
    QDBusMessage,
    QDBusPendingCallWatcher,
    QDBusVariant,
)

ANSWER_TIMEOUT_MS = 200  # a desktop service answers in a millisecond or two, or not at all
PROPERTIES_INTERFACE = "org.freedesktop.DBus.Properties"


@dataclass(frozen=True)
class BusQuestion:
    """A method call whose first reply value, read by `reads`, is the answer."""

    what: str  # names the source in the one log line written when it is dropped
    service: str
    path: str
    interface: str
    method: str
    reads: Callable[[Any], Any]  # raises TypeError or ValueError on an answer it cannot read
    arguments: tuple[Any, ...] = ()


def property_question(
    what: str, service: str, path: str, interface: str, name: str, reads: Callable[[Any], Any]
) -> BusQuestion:
    """The question for one D-Bus property (org.freedesktop.DBus.Properties.Get)."""
    return BusQuestion(what, service, path, PROPERTIES_INTERFACE, "Get", reads, (interface, name))


# Called with (value, None) on an answer, (None, why) on an error or a timeout.
OnAnswer = Callable[[Any, str | None], None]


def ask(bus: QDBusConnection, question: BusQuestion, on_answer: OnAnswer, owner: QObject) -> None:
    """Ask `question` on `bus`; `on_answer` is called once, later, on this thread."""
    if not bus.isConnected():
        on_answer(None, "no session bus")
        return
    message = QDBusMessage.createMethodCall(
        question.service, question.path, question.interface, question.method
    )
    message.setAutoStartService(False)
    if question.arguments:
        message.setArguments(list(question.arguments))
    watcher = QDBusPendingCallWatcher(bus.asyncCall(message, ANSWER_TIMEOUT_MS), owner)

    def finished(done: QDBusPendingCallWatcher) -> None:
        done.deleteLater()
        reply = done.reply()
        if reply.type() != QDBusMessage.MessageType.ReplyMessage:
            on_answer(None, f"{reply.errorName()}: {reply.errorMessage()}")
            return
        values = reply.arguments()
        if not values:
            on_answer(None, "an empty answer")
            return
        try:
            answer = question.reads(unwrapped(values[0]))
        except (TypeError, ValueError) as error:
            on_answer(None, f"an answer it cannot read ({error})")
            return
        on_answer(answer, None)

    watcher.finished.connect(finished)


def unwrapped(value: Any) -> Any:
    """A property's value arrives wrapped in a variant; the rest as they are."""
    return value.variant() if isinstance(value, QDBusVariant) else value


def read_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected a boolean, got {value!r}")
    return value


def read_count(value: Any) -> int:
    """A whole, non-negative number (D-Bus u or t); a boolean is not one."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"expected a count, got {value!r}")
    return value
