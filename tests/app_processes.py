"""`loosen` started as a person starts it: a real process, offscreen, in the test's folders.

The child inherits the test's environment, whose XDG_* folders conftest.py made fresh,
so its lock and socket (paths.py) are the test's own and never a real app's.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from history_testing import raw_rows
from loosen import paths

STARTUP_TIMEOUT_S = 60.0  # a loaded machine; a normal start takes about a second
SECOND_LAUNCH_TIMEOUT_S = 20.0
POLL_S = 0.05


def loosen_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "loosen", *args]


def child_env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen")


def run_loosen(*args: str) -> subprocess.CompletedProcess[str]:
    """A second `loosen`, to its end (bounded)."""
    return subprocess.run(
        loosen_command(*args),
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=SECOND_LAUNCH_TIMEOUT_S,
        check=False,
    )


def is_listening() -> bool:
    socket = QLocalSocket()
    socket.connectToServer(paths.instance_server_name())
    connected = socket.waitForConnected(200)
    socket.abort()
    return connected


def wait_until_listening(child: subprocess.Popen[str]) -> None:
    """Until the app in `child` answers on its socket; fails if it ends or takes too long."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not is_listening():
        if child.poll() is not None:
            _, err = child.communicate()
            pytest.fail(f"the app ended with {child.returncode} before listening: {err}")
        if time.monotonic() > deadline:
            pytest.fail("the app did not listen within the timeout")
        time.sleep(POLL_S)  # polling for a condition, bounded by the deadline


def wait_for(condition, what: str, timeout_s: float = STARTUP_TIMEOUT_S):
    """Poll `condition` until it returns something true, which is returned."""
    deadline = time.monotonic() + timeout_s
    while not (result := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(POLL_S)
    return result


class AppProcesses:
    """Starts `loosen ARGS...` as a first app; `kill_all` ends every one it started."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[str]] = []

    def __call__(self, *args: str) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            loosen_command(*args),
            env=child_env(),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.started.append(child)
        return child

    def kill_all(self) -> None:
        for child in self.started:
            child.kill()
            child.communicate(timeout=30)
        # A killed app leaves its socket behind (the next start would clear it); these
        # folders see no next start, so the test clears it, not to litter the temp folder.
        QLocalServer.removeServer(paths.instance_server_name())


def sessions() -> list[tuple[str, str]]:
    """(routine, status) of every session the running app has written, oldest first."""
    db = paths.history_db()
    if not db.exists():
        return []
    try:
        return raw_rows(db, "SELECT routine, status FROM sessions ORDER BY id")
    except sqlite3.OperationalError:  # the app is creating the file this moment
        return []


def lock_holder() -> int | None:
    """The pid written in the one-Loosen lock file, if there is one."""
    try:
        return int(paths.instance_lock_file().read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
