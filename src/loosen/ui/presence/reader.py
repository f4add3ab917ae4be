"""The one reader the reminders use: every presence source, asked together, read as one value.

`refresh()` asks each source without blocking (D-Bus calls and commands answer later,
through the event loop; the X11 and Windows/macOS calls are instant) and emits
`updated` once all have answered or given up. `read()` returns the last look at no
cost. Nothing is read unless asked, so between looks the reader costs nothing.

A source that fails (its service absent, an error, a timeout, a tool not installed)
is dropped with one log line and not asked again; nothing here raises.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum, auto
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QTimer, Signal
from PySide6.QtDBus import QDBusConnection

from loosen.core.presence import UNKNOWN, Busy, Presence
from loosen.ui.presence import bus, processes
from loosen.ui.presence.calls import MICROPHONE_IN_USE
from loosen.ui.presence.do_not_disturb import GNOME_BANNERS, NOTIFICATIONS_INHIBITED
from loosen.ui.presence.native import native_idle_reader
from loosen.ui.presence.screensaver import IDLE_QUESTIONS, LOCK_QUESTIONS
from loosen.ui.presence.x11 import X11Desktop

log = logging.getLogger(__name__)

MISSING_TEXT = (
    "Loosen cannot tell when you are away on this desktop; reminders come on time regardless."
)


class Fact(Enum):
    IDLE = auto()  # seconds since the last input
    LOCKED = auto()
    FULLSCREEN = auto()
    DO_NOT_DISTURB = auto()
    CALL = auto()


# When several say busy, the presence names the first: a call matters most (a spoken
# line would be heard by the other side).
BUSY_FACTS = (
    (Fact.CALL, Busy.CALL),
    (Fact.FULLSCREEN, Busy.FULLSCREEN),
    (Fact.DO_NOT_DISTURB, Busy.DO_NOT_DISTURB),
)

OnAnswer = Callable[[Any, str | None], None]


@dataclass(eq=False)  # each source is one thing, told apart by identity
class _Source:
    what: str
    fact: Fact
    ask: Callable[[OnAnswer], None]  # answers (value, None) or (None, why), now or later


def _instant(read: Callable[[], Any]) -> Callable[[OnAnswer], None]:
    """An instant reading (X11, Windows, macOS); None from it means "cannot tell now"."""
    return lambda on_answer: on_answer(read(), None)


class PresenceReader(QObject):
    """Idle time, a locked screen and busy moments, read from whatever this desktop offers.

    `bus` is the D-Bus connection to ask (the session bus by default; tests pass a
    private one).
    """

    updated = Signal(object)  # Presence, after each refresh()

    def __init__(self, parent: QObject | None = None, *, bus: QDBusConnection | None = None):
        super().__init__(parent)
        self._bus = QDBusConnection.sessionBus() if bus is None else bus
        self._x11 = X11Desktop.open()
        self._sources = list(self._found_sources())
        self._answers: dict[_Source, Any] = {}
        self._waiting: set[_Source] = set()
        self._processes: set[QProcess] = set()
        self._asking = False
        self._looked = False
        self._closed = False
        self._last = UNKNOWN
        app = QCoreApplication.instance()
        if app is not None:
            # Commands still running at quit would be destroyed with the app: stop them.
            app.aboutToQuit.connect(self.close)

    def read(self) -> Presence:
        """The last look (UNKNOWN before the first one ends); costs nothing."""
        return self._last

    def refresh(self) -> None:
        """Ask every source again; `updated` follows, always through the event loop.
        A refresh while one is under way joins it."""
        if self._closed or self._waiting:
            return
        self._waiting = set(self._sources)
        self._asking = True
        for source in list(self._sources):
            source.ask(partial(self._answer, source))
        self._asking = False
        if not self._waiting:  # every source answered at once
            QTimer.singleShot(0, self, self._publish)

    def available(self) -> bool:
        """Whether a source of idle time has answered (and still does)."""
        return any(
            source.fact is Fact.IDLE and self._answers.get(source) is not None
            for source in self._sources
        )

    def missing_text(self) -> str | None:
        """The line Settings shows when no source of idle time answers; None while one
        does, or before the first look has ended."""
        return MISSING_TEXT if self._looked and not self.available() else None

    def close(self) -> None:
        """Stop any command still running and let go of the X display."""
        if self._closed:
            return
        self._closed = True
        self._waiting.clear()
        for process in list(self._processes):
            processes.stop(process)
        self._processes.clear()
        if self._x11 is not None:
            self._x11.close()

    def _found_sources(self) -> Iterator[_Source]:
        """Every source worth asking here, the sources of idle time in order of preference."""
        if self._x11 is not None:
            yield _Source("X11 idle time (MIT-SCREEN-SAVER)", Fact.IDLE, _instant(self._x11.idle_s))
            yield _Source(
                "X11 full-screen window", Fact.FULLSCREEN, _instant(self._x11.fullscreen_active)
            )
        native_idle = native_idle_reader()
        if native_idle is not None:
            yield _Source(f"{sys.platform} idle time", Fact.IDLE, _instant(native_idle))
        if sys.platform in ("win32", "darwin"):
            return  # no session bus, gsettings or pactl there
        for question, fact in (
            *((question, Fact.IDLE) for question in IDLE_QUESTIONS),
            *((question, Fact.LOCKED) for question in LOCK_QUESTIONS),
            (NOTIFICATIONS_INHIBITED, Fact.DO_NOT_DISTURB),
        ):
            yield _Source(question.what, fact, partial(self._ask_bus, question))
        yield _Source(
            GNOME_BANNERS.what, Fact.DO_NOT_DISTURB, partial(self._ask_command, GNOME_BANNERS)
        )
        yield _Source(
            MICROPHONE_IN_USE.what, Fact.CALL, partial(self._ask_command, MICROPHONE_IN_USE)
        )

    def _ask_bus(self, question: bus.BusQuestion, on_answer: OnAnswer) -> None:
        bus.ask(self._bus, question, on_answer, self)

    def _ask_command(self, question: processes.CommandQuestion, on_answer: OnAnswer) -> None:
        running: list[QProcess] = []  # the process, once started

        def answered(value: Any, why: str | None) -> None:
            self._processes.difference_update(running)
            on_answer(value, why)

        process = processes.ask(question, answered, self)
        if process.state() != QProcess.ProcessState.NotRunning:  # not already answered
            running.append(process)
            self._processes.add(process)

    def _answer(self, source: _Source, value: Any, why: str | None) -> None:
        if self._closed or source not in self._waiting:
            return
        self._waiting.discard(source)
        if why is not None:
            log.info("presence: %s is not used here: %s", source.what, why)
            self._sources.remove(source)
            self._answers.pop(source, None)
        else:
            self._answers[source] = value
        if not self._waiting and not self._asking:
            self._publish()

    def _publish(self) -> None:
        if self._closed:
            return
        self._looked = True
        busy = next((busy for fact, busy in BUSY_FACTS if self._says(fact)), None)
        self._last = Presence(idle_s=self._idle_s(), locked=self._says(Fact.LOCKED), busy=busy)
        self.updated.emit(self._last)

    def _idle_s(self) -> float | None:
        for source in self._sources:
            if source.fact is Fact.IDLE and self._answers.get(source) is not None:
                return float(self._answers[source])
        return None

    def _says(self, fact: Fact) -> bool:
        return any(
            source.fact is fact and self._answers.get(source) is True for source in self._sources
        )
