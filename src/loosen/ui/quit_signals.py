"""SIGINT (Ctrl-C in the terminal) and SIGTERM (`kill`) reach the app as a Qt signal.

Qt's event loop runs in C++, and a Python signal handler only runs when Python code
next runs: in an idle app, not until the next timer or event, and then as a
KeyboardInterrupt raised in whatever slot that is. The standard remedy (qutebrowser's
`misc/crashsignal.py`): Python's own C-level handler writes the signal's number to a
socket (`signal.set_wakeup_fd`), a QSocketNotifier on the other end wakes the event
loop, and `received` is emitted on the UI thread like any other Qt signal. No
polling timer. On Linux and macOS the socket is a plain pipe (the `socket` module
would cost the start a few milliseconds); Windows takes only a socket.

The handlers are set as soon as the app is going to start, before Qt can watch the
socket (`watch`, once the QApplication exists): a signal that comes while the app
starts waits in the socket and quits the app as soon as its event loop runs.

The first signal asks the app to quit cleanly; from then on SIGINT and SIGTERM have
their default effect again, so a second one ends a quit that hangs at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, Signal

QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)
SIGNAL_EXIT_BASE = 128  # a process ended by signal N exits 128 + N, as shells report it


def exit_code_for(signum: int) -> int:
    """The exit code of an app ended by signal `signum` (130 for SIGINT, 143 for SIGTERM)."""
    return SIGNAL_EXIT_BASE + signum


def _wake_only(signum: int, frame: FrameType | None) -> None:
    """The Python-level handler: nothing to do, the wakeup socket carries the signal."""


class _Wakeup:
    """Both ends of the channel the signal's number is written to, never blocking (the C
    handler must never block on a full one, and reading an empty one returns nothing)."""

    def __init__(self) -> None:
        if sys.platform == "win32":  # set_wakeup_fd takes a socket there, nothing else
            import socket

            self._pair = socket.socketpair()
            for end in self._pair:
                end.setblocking(False)
            self.reader, self.writer = (end.fileno() for end in self._pair)
        else:
            self.reader, self.writer = os.pipe()
            os.set_blocking(self.reader, False)
            os.set_blocking(self.writer, False)

    def read(self) -> bytes:
        """What has been written so far; BlockingIOError when nothing has."""
        if sys.platform == "win32":
            return self._pair[0].recv(64)
        return os.read(self.reader, 64)

    def close(self) -> None:
        if sys.platform == "win32":
            for end in self._pair:
                end.close()
        else:
            os.close(self.reader)
            os.close(self.writer)


class QuitSignals(QObject):
    """Emits `received(signum)` for SIGINT and SIGTERM, from the event loop, once watched.

    Made and closed on the main thread (Python lets only it set signal handlers);
    `close` puts back the handlers and the wakeup descriptor it found.
    """

    received = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._wakeup = _Wakeup()
        self._notifier: QSocketNotifier | None = None
        self._previous_fd = signal.set_wakeup_fd(self._wakeup.writer, warn_on_full_buffer=False)
        self._previous_handlers = {
            signum: signal.signal(signum, _wake_only) for signum in QUIT_SIGNALS
        }
        self._closed = False

    def watch(self) -> None:
        """Emit `received` from now on (a QApplication exists); a signal that came
        before is emitted once the event loop runs."""
        if self._notifier is None and not self._closed:
            self._notifier = QSocketNotifier(self._wakeup.reader, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._read)

    def _read(self) -> None:
        try:
            numbers = self._wakeup.read()
        except (BlockingIOError, InterruptedError):
            return
        for signum in numbers:
            if signum in QUIT_SIGNALS:
                self._default_from_now_on()
                self.received.emit(signum)
                return  # one quit is enough; a later signal now acts by itself

    def _default_from_now_on(self) -> None:
        for signum in QUIT_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)

    def close(self) -> None:
        """Hand signals back as they were. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        with contextlib.suppress(ValueError):  # not the main thread: nothing was changed
            signal.set_wakeup_fd(self._previous_fd)
            for signum, handler in self._previous_handlers.items():
                signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        self._wakeup.close()
