"""One Loosen per user: the first app answers; a second start hands its request over and exits.

The election is a QLockFile (its path is in paths.py), held for the app's whole life.
Qt finds a lock left by a killed app stale by its PID and takes it over, so a crash
never blocks the next start. The app holding it listens on a local socket (its name is
in paths.py too, derived from the user's folders, so each user, and each test's
folders, has its own): on Linux and macOS a Unix socket of the standard library's, at
the path where a QLocalServer would put it (so a QLocalSocket reaches it too), for
QtNetwork would add 2.5 MB to the running app and its load to every second start; on
Windows, where the socket is a named pipe, a QLocalServer. A later `loosen` that finds
the lock taken connects and sends one request, one line of JSON with a version:

    {"version": 1, "routine": "squat-and-fold"}     ("routine": null just shows the window)

and reads one line back, {"version": 1, "message": "..."} (or "error"), written once the
running app has done it. The running app reads and answers on its UI thread, from Qt's
signals, never waiting on a socket. Where it cannot lock or listen (a read-only state
folder, a socket it may not create) it still starts, only without this.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, QSocketNotifier, QTimer

# The socket modules load when a socket is first made: the election needs only the lock,
# and the first app listens once its window has been seen (a second start waits for that).
if TYPE_CHECKING:
    import socket

    from PySide6.QtNetwork import QLocalSocket

PROTOCOL_VERSION = 1
MAX_REQUEST_BYTES = 4096  # a request is a routine id: anything longer is not one of ours
CONNECT_TIMEOUT_MS = 200
ANSWER_TIMEOUT_MS = 5000  # the running app answers from its event loop: a busy moment at most
STARTING_WAIT_S = 10.0  # how long a first app that holds the lock may take to listen
RETRY_S = 0.05  # between two tries to connect to an app that is starting
SILENT_CLIENT_MS = 5000  # a connection that sends no full request is dropped after this
OWNER_ONLY = 0o600  # who may connect to the socket: this user (QLocalServer's UserAccessOption)
NOT_ANSWERED = (
    "Loosen is already running but did not answer; close it, or end it if it hangs, and "
    "start Loosen again"
)


class Claim(Enum):
    HELD = "held"  # this process is the one Loosen: it listens
    TAKEN = "taken"  # another Loosen is running: hand the request over
    UNKNOWN = "unknown"  # the lock cannot be made (an unwritable folder): try, then start


class HandOverFailed(Exception):
    """A running Loosen was reached but did not answer; the message is one line."""


@dataclass(frozen=True)
class Request:
    """What a second `loosen` asks of the running one."""

    routine_id: str | None = None  # None: just bring the window forward

    def encode(self) -> bytes:
        line = json.dumps({"version": PROTOCOL_VERSION, "routine": self.routine_id})
        return line.encode() + b"\n"

    @classmethod
    def decode(cls, data: bytes) -> Request:
        """The request in `data` (one line of JSON); ValueError says what is wrong."""
        try:
            message = json.loads(data.decode())
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a request: {exc}") from None
        if not isinstance(message, dict) or message.get("version") != PROTOCOL_VERSION:
            raise ValueError(f"not a version {PROTOCOL_VERSION} request")
        routine = message.get("routine")
        if routine is not None and not isinstance(routine, str):
            raise ValueError("routine must be a routine id or null")
        return cls(routine)


def answer_line(message: str, *, error: bool = False) -> bytes:
    return (
        json.dumps(
            {"version": PROTOCOL_VERSION, "error" if error else "message": message},
            ensure_ascii=False,
        ).encode()
        + b"\n"
    )


class InstanceLock:
    """The election: whoever holds the lock file is the one Loosen."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock: QLockFile | None = None

    def claim(self) -> Claim:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return Claim.UNKNOWN
        lock = QLockFile(str(self.path))
        lock.setStaleLockTime(0)  # never stale by age: the app holds it for hours
        if lock.tryLock(0):
            self._lock = lock
            return Claim.HELD
        if lock.error() is QLockFile.LockError.LockFailedError:
            return Claim.TAKEN
        return Claim.UNKNOWN

    @property
    def held(self) -> bool:
        return self._lock is not None

    def release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def hand_over(server_name: str, request: Request, *, starting_wait_s: float) -> str | None:
    """Give `request` to the running Loosen: its answer, or None if none listens.

    Blocking, for the second process only (it has no window and no event loop). A
    first app that holds the lock may still be starting: connecting is tried again
    for `starting_wait_s`. HandOverFailed when it was reached but did not answer.
    """
    if sys.platform == "win32":
        return _hand_over_by_qt(server_name, request, starting_wait_s=starting_wait_s)
    return _hand_over_by_socket(server_name, request, starting_wait_s=starting_wait_s)


def socket_path(server_name: str) -> Path:
    """Where a QLocalServer called `server_name` has its socket on Linux and macOS: the
    name itself when it is a path, else in Qt's temporary folder ($TMPDIR, or /tmp)."""
    return Path(os.environ.get("TMPDIR") or "/tmp") / server_name  # an absolute name wins


def _hand_over_by_socket(
    server_name: str, request: Request, *, starting_wait_s: float
) -> str | None:
    import socket

    deadline = time.monotonic() + starting_wait_s
    while True:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.settimeout(CONNECT_TIMEOUT_MS / 1000)
        try:
            client.connect(str(socket_path(server_name)))
            break
        except OSError:  # nobody there (yet), or a socket left by an app that died
            client.close()
            if time.monotonic() >= deadline:
                return None
            time.sleep(RETRY_S)  # a first app still starting: poll, bounded by the deadline
    answer = b""
    with client:
        client.settimeout(ANSWER_TIMEOUT_MS / 1000)
        try:
            client.sendall(request.encode())
            while b"\n" not in answer:
                received = client.recv(MAX_REQUEST_BYTES)
                if not received:  # hung up without a word
                    raise HandOverFailed(NOT_ANSWERED)
                answer += received
        except OSError:  # its timeout too: an app that hangs
            raise HandOverFailed(NOT_ANSWERED) from None
    return _message(answer)


def _hand_over_by_qt(server_name: str, request: Request, *, starting_wait_s: float) -> str | None:
    from PySide6.QtNetwork import QLocalSocket

    deadline = time.monotonic() + starting_wait_s
    socket = QLocalSocket()
    while True:
        socket.connectToServer(server_name)
        if socket.waitForConnected(CONNECT_TIMEOUT_MS):
            break
        socket.abort()
        if time.monotonic() >= deadline:
            return None
        time.sleep(RETRY_S)  # a first app still starting: poll, bounded by the deadline
    socket.write(request.encode())
    answer = b""
    while b"\n" not in answer:
        if not socket.waitForReadyRead(ANSWER_TIMEOUT_MS):
            raise HandOverFailed(NOT_ANSWERED)
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return _message(answer)


def _message(answer: bytes) -> str:
    """What the running app's answer tells the user; HandOverFailed for an error."""
    try:
        reply = json.loads(answer.split(b"\n", 1)[0].decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise HandOverFailed("the running Loosen gave an answer this one cannot read") from None
    if "error" in reply:
        raise HandOverFailed(f"the running Loosen says: {reply['error']}")
    return str(reply.get("message", ""))


class QtInstanceServer(QObject):
    """Listens for a second `loosen` on a QLocalServer (Windows: a named pipe); `handle`
    does each request on the UI thread and returns what to tell the user."""

    def __init__(self, handle: Callable[[Request], str], parent: QObject | None = None) -> None:
        from PySide6.QtNetwork import QLocalServer

        super().__init__(parent)
        self._handle = handle
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self, name: str, *, owner: bool) -> bool:
        """Start listening; `owner` (the lock is ours) means a socket found there was
        left by an app that died, and is removed first. False if it cannot listen."""
        if owner:
            self.server.removeServer(name)
        return self.server.listen(name)

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            _QtConnection(socket, self._handle, self)


class _QtConnection(QObject):
    """One second `loosen`: read its line, do it, answer, hang up."""

    def __init__(
        self, socket: QLocalSocket, handle: Callable[[Request], str], parent: QObject
    ) -> None:
        super().__init__(parent)
        self.socket = socket
        self._handle = handle
        self._buffer = b""
        self._answered = False
        self._dropped = False
        self._timer = QTimer(self, singleShot=True, interval=SILENT_CLIENT_MS)
        self._timer.setObjectName("instance-silent-client")
        self._timer.timeout.connect(self._drop)
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self._drop)
        self._timer.start()
        self._read()  # bytes may have come with the connection

    def _read(self) -> None:
        if self._answered:
            return
        self._buffer += bytes(self.socket.readAll().data())
        if b"\n" not in self._buffer:
            if len(self._buffer) > MAX_REQUEST_BYTES:
                self._drop()
            return
        self._answered = True
        line = self._buffer.split(b"\n", 1)[0]
        try:
            request = Request.decode(line)
        except ValueError as exc:
            self.socket.write(answer_line(str(exc), error=True))
        else:
            self.socket.write(answer_line(self._handle(request)))
        self.socket.flush()
        self.socket.disconnectFromServer()  # after what was written has gone

    def _drop(self) -> None:
        if self._dropped:
            return
        self._dropped = True
        self._timer.stop()
        if self.socket.state() is not self.socket.LocalSocketState.UnconnectedState:
            self.socket.abort()
        self.socket.deleteLater()
        self.deleteLater()


class SocketInstanceServer(QObject):
    """Listens for a second `loosen` on a Unix socket (Linux, macOS); `handle` does each
    request on the UI thread and returns what to tell the user. Its sockets never block:
    Qt's event loop says when one can be read."""

    def __init__(self, handle: Callable[[Request], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._handle = handle
        self._listener: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._path: Path | None = None

    def listen(self, name: str, *, owner: bool) -> bool:
        """Start listening; `owner` (the lock is ours) means a socket found there was
        left by an app that died, and is removed first. False if it cannot listen."""
        import socket

        path = socket_path(name)
        if owner:
            with contextlib.suppress(OSError):
                path.unlink()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(str(path))
            path.chmod(OWNER_ONLY)
            listener.listen()
        except OSError:
            listener.close()
            return False
        listener.setblocking(False)
        self._listener, self._path = listener, path
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def close(self) -> None:
        """Stop listening, and remove the socket, as QLocalServer does."""
        if self._listener is None:
            return
        assert self._notifier is not None and self._path is not None
        self._notifier.setEnabled(False)
        self._listener.close()
        with contextlib.suppress(OSError):
            self._path.unlink()
        self._listener = None

    def _accept(self) -> None:
        while self._listener is not None:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # none left (BlockingIOError), or one gone already
                return
            _SocketConnection(connection, self._handle, self)


class _SocketConnection(QObject):
    """One second `loosen`: read its line, do it, answer, hang up."""

    def __init__(
        self, connection: socket.socket, handle: Callable[[Request], str], parent: QObject
    ) -> None:
        super().__init__(parent)
        connection.setblocking(False)
        self.connection = connection
        self._handle = handle
        self._buffer = b""
        self._done = False
        self._timer = QTimer(self, singleShot=True, interval=SILENT_CLIENT_MS)
        self._timer.setObjectName("instance-silent-client")
        self._timer.timeout.connect(self._drop)
        self._notifier = QSocketNotifier(connection.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)
        self._timer.start()
        self._read()  # bytes may have come with the connection

    def _read(self) -> None:
        while not self._done and b"\n" not in self._buffer:
            try:
                received = self.connection.recv(MAX_REQUEST_BYTES)
            except (BlockingIOError, InterruptedError):
                return  # the rest comes later
            except OSError:
                received = b""
            if not received or len(self._buffer) + len(received) > MAX_REQUEST_BYTES:
                self._drop()  # hung up, or far longer than any request of ours
                return
            self._buffer += received
        if self._done:
            return
        line = self._buffer.split(b"\n", 1)[0]
        try:
            request = Request.decode(line)
        except ValueError as exc:
            answer = answer_line(str(exc), error=True)
        else:
            answer = answer_line(self._handle(request))
        # A line this short fits an empty socket's buffer: sending never waits.
        with contextlib.suppress(OSError):
            self.connection.sendall(answer)
        self._drop()

    def _drop(self) -> None:
        if self._done:
            return
        self._done = True
        self._timer.stop()
        self._notifier.setEnabled(False)
        self.connection.close()
        self.deleteLater()


# The server for this system (the Windows one is tested on Linux too).
if sys.platform == "win32":
    InstanceServer = QtInstanceServer
else:
    InstanceServer = SocketInstanceServer
