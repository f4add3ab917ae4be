"""One Loosen per user, in one process: the election, the wire, and what the window does.

The journey with real processes is in test_journey_second_launch.py.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtNetwork import QLocalSocket

from loosen import paths
from loosen.ui import instance
from loosen.ui.app import BROUGHT_FORWARD, BUSY, OPENED, handle_request
from loosen.ui.instance import (
    MAX_REQUEST_BYTES,
    PROTOCOL_VERSION,
    Claim,
    HandOverFailed,
    InstanceLock,
    QtInstanceServer,
    Request,
    SocketInstanceServer,
    hand_over,
    socket_path,
)

# Bringing the window forward raises it; the offscreen platform says it cannot.
RAISE_UNSUPPORTED_OFFSCREEN = pytest.mark.qt_log_ignore("This plugin does not support raise")


def test_the_first_claim_holds_the_lock_and_a_second_finds_it_taken():
    first, second = (
        InstanceLock(paths.instance_lock_file()),
        InstanceLock(paths.instance_lock_file()),
    )
    assert first.claim() is Claim.HELD
    assert second.claim() is Claim.TAKEN
    first.release()
    assert second.claim() is Claim.HELD
    second.release()


def test_a_lock_left_by_a_dead_process_is_taken_over():
    lock_path = paths.instance_lock_file()
    lock_path.parent.mkdir(parents=True)
    code = (
        "import os, sys\nfrom PySide6.QtCore import QLockFile\n"
        "lock = QLockFile(sys.argv[1])\nassert lock.tryLock(0)\nos._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(lock_path)], check=True, timeout=60)
    assert lock_path.exists()  # never unlocked: it died holding it

    lock = InstanceLock(lock_path)
    assert lock.claim() is Claim.HELD
    assert QLockFile(str(lock_path)).getLockInfo()[0] != 0  # ours now
    lock.release()


def test_a_lock_that_cannot_be_made_says_unknown(isolated_user_dirs):
    (isolated_user_dirs / "state").write_text("a file where the folder should be")
    assert InstanceLock(paths.instance_lock_file()).claim() is Claim.UNKNOWN


def test_every_user_folder_gets_its_own_server_name(monkeypatch, tmp_path):
    here = paths.instance_server_name()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "elsewhere"))
    assert paths.instance_server_name() != here


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        (b'{"version": 1, "routine": "squat-and-fold"}', Request("squat-and-fold")),
        (b'{"version": 1, "routine": null}', Request(None)),
    ],
)
def test_a_request_reads_back_as_written(line, wanted):
    assert Request.decode(line) == wanted
    assert Request.decode(wanted.encode().strip()) == wanted


@pytest.mark.parametrize(
    "line",
    [
        b"hello",
        b'{"version": 2, "routine": null}',
        b'{"routine": "x"}',
        b"[1]",
        b'{"version": 1, "routine": 5}',
        b"\xff\xfe",
    ],
)
def test_anything_else_is_not_a_request(line):
    with pytest.raises(ValueError):
        Request.decode(line)


# The Unix socket of Linux and macOS, and Qt's QLocalServer (Windows' named pipe): both
# answer the same, and a QLocalSocket (an older `loosen`) reaches either.
@pytest.fixture(params=[SocketInstanceServer, QtInstanceServer])
def server(qtbot, request):
    handled: list[Request] = []

    def handle(request: Request) -> str:
        handled.append(request)
        return f"did {request.routine_id}"

    server = request.param(handle)
    assert server.listen(paths.instance_server_name(), owner=True)
    server.handled = handled
    yield server
    server.close()


def exchange(qtbot, data: bytes) -> bytes:
    """Send `data` as a client would, without blocking this thread; what comes back
    until the server hangs up."""
    socket = QLocalSocket()
    received = bytearray()
    socket.readyRead.connect(lambda: received.extend(bytes(socket.readAll().data())))
    with qtbot.waitSignal(socket.connected, timeout=5000):
        socket.connectToServer(paths.instance_server_name())
    with qtbot.waitSignal(socket.disconnected, timeout=10_000):
        socket.write(data)
    received.extend(bytes(socket.readAll().data()))
    return bytes(received)


def test_the_server_answers_a_request_with_one_line(qtbot, server):
    answer = exchange(qtbot, Request("squat-and-fold").encode())
    assert answer == b'{"version": %d, "message": "did squat-and-fold"}\n' % PROTOCOL_VERSION
    assert server.handled == [Request("squat-and-fold")]


def test_the_server_answers_garbage_with_an_error_and_does_nothing(qtbot, server):
    answer = exchange(qtbot, b"GET / HTTP/1.0\n")
    assert b'"error"' in answer and answer.endswith(b"\n")
    assert server.handled == []


def test_the_server_hangs_up_on_an_endless_request(qtbot, server):
    assert exchange(qtbot, b"x" * (MAX_REQUEST_BYTES + 10)) == b""
    assert server.handled == []


@RAISE_UNSUPPORTED_OFFSCREEN
def test_a_request_brings_a_window_hidden_in_the_tray_back(qtbot, open_window, speaker):
    window = open_window(speaker)
    window.hide()  # what closing does while reminders are on
    assert handle_request(window, Request(None)) == BROUGHT_FORWARD
    assert window.isVisible() and not window.isMinimized()


@RAISE_UNSUPPORTED_OFFSCREEN
def test_a_routine_asked_for_opens_its_player(qtbot, open_window, speaker):
    window = open_window(speaker)
    window.showMinimized()
    assert handle_request(window, Request("squat-and-fold")) == OPENED.format(name="Squat and fold")
    assert window.active is not None and window.active.routine.id == "squat-and-fold"
    assert window.stack.currentWidget() is window.active.view
    assert not window.isMinimized()


@RAISE_UNSUPPORTED_OFFSCREEN
def test_a_session_on_is_never_stopped_for_a_second_launch(qtbot, open_window, speaker):
    window = open_window(speaker)
    window.start_routine("squat-and-fold")
    active = window.active
    assert active is not None
    answer = handle_request(window, Request("post-run-cooldown"))
    assert answer == BUSY.format(name="Squat and fold")
    assert window.active is active and active.session.state.value == "running"
    assert answer in window.messages.label.text()  # said in the window too


def test_a_running_app_that_never_answers_is_one_clear_error(monkeypatch, server):
    # The server's loop never runs while this thread waits: an app that hangs.
    monkeypatch.setattr(instance, "ANSWER_TIMEOUT_MS", 200)
    with pytest.raises(HandOverFailed, match="already running but did not answer"):
        hand_over(paths.instance_server_name(), Request(None), starting_wait_s=0)


def test_nobody_listening_is_no_answer_at_all():
    assert hand_over(paths.instance_server_name(), Request(None), starting_wait_s=0) is None


def test_the_server_is_where_qt_would_put_it_and_only_its_user_may_connect(server):
    path = socket_path(paths.instance_server_name())
    assert path.is_socket() and path.stat().st_mode & 0o077 == 0
    server.close()
    assert not path.exists()  # closing removes it, as QLocalServer does


def test_a_socket_left_by_an_app_that_died_is_replaced_by_the_owner_only(qtbot):
    name = paths.instance_server_name()
    with socket.socket(socket.AF_UNIX) as killed:  # what a killed app leaves: the file
        killed.bind(str(socket_path(name)))
    assert hand_over(name, Request(None), starting_wait_s=0) is None  # nobody answers there
    server = SocketInstanceServer(lambda request: "answered")
    assert not server.listen(name, owner=False)  # not a second app's to take
    assert server.listen(name, owner=True)
    server.close()
