"""Ctrl-C in the terminal, or `kill`, during a session: the app ends as its Quit does.

Real processes, offscreen, in the test's own folders. `loosen run squat-and-fold` is
started as a terminal starts a foreground job, in a process group of its own, so that
Ctrl-C (SIGINT to the whole group) reaches the app and its speech worker alike, as it
does in a terminal. `kill PID` sends SIGTERM to the app alone. Either way the person
finds the session in the history as stopped, nothing left running, no traceback, no
"ran into a bug", and the next `loosen` becomes the one Loosen.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app_processes import (
    child_env,
    is_listening,
    lock_holder,
    loosen_command,
    sessions,
    wait_for,
    wait_until_listening,
)
from loosen import paths

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; POSIX signals"),
]

EXIT_TIMEOUT_S = 30.0  # a clean quit takes well under a second; a loaded machine, more
SIGNAL_EXIT_BASE = 128  # a process ended by signal N exits 128 + N, as shells report it


@pytest.fixture
def start_in_terminal():
    """Start `loosen ARGS...` as a terminal's foreground job; every one is killed at the end."""
    started: list[subprocess.Popen[str]] = []

    def start(*args: str) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            loosen_command(*args),
            env=child_env(),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        started.append(child)
        return child

    yield start
    for child in started:
        if child.poll() is None:
            helpers = _children(child.pid)
            child.kill()
            for pid in helpers:
                _kill_quietly(pid)
        child.communicate(timeout=EXIT_TIMEOUT_S)


def _kill_quietly(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command's name; None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != "Z"  # a zombie has ended; only unreaped


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        fields = _stat_fields(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _speech_worker(pid: int) -> int | None:
    """The app's speech worker (a spawned child), once it runs."""
    for child in _children(pid):
        with_args = Path(f"/proc/{child}/cmdline").read_bytes() if _alive(child) else b""
        if b"spawn_main" in with_args:
            return child
    return None


def crash_logs() -> list[Path]:
    return sorted(paths.log_dir().glob("crash-*.log"))


@pytest.mark.parametrize(
    ("signum", "to_whole_group"),
    [(signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["ctrl-c in the terminal", "kill PID"],
)
def test_a_signal_mid_session_ends_the_app_cleanly(start_in_terminal, signum, to_whole_group):
    app = start_in_terminal("run", "squat-and-fold")
    wait_until_listening(app)
    wait_for(lambda: sessions() == [("squat-and-fold", "running")], "the session row")
    worker = wait_for(lambda: _speech_worker(app.pid), "the speech worker")
    # A clip made: the worker's engine is up, and it waits for the next cue to speak.
    wait_for(lambda: any((paths.cache_dir() / "clips").glob("*.wav")), "a spoken clip")
    helpers = _children(app.pid)  # the worker, and multiprocessing's resource tracker
    assert worker in helpers

    if to_whole_group:
        os.killpg(app.pid, signum)  # what the terminal does on Ctrl-C
    else:
        os.kill(app.pid, signum)
    try:
        _, err = app.communicate(timeout=EXIT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the app was still running {EXIT_TIMEOUT_S:g} s after {signum.name}")

    assert app.returncode == SIGNAL_EXIT_BASE + signum, err
    assert "Traceback" not in err, err
    assert "bug" not in err.lower(), err
    assert crash_logs() == []  # the "ran into a bug" dialog was never shown
    assert sessions() == [("squat-and-fold", "stopped")]
    wait_for(
        lambda: not any(_alive(pid) for pid in helpers),
        "the speech worker to end",
        timeout_s=EXIT_TIMEOUT_S,
    )
    # The lock and the socket went with the app: nothing says a Loosen runs.
    assert not paths.instance_lock_file().exists()
    assert not is_listening()

    again = start_in_terminal()
    wait_until_listening(again)
    assert lock_holder() == again.pid  # the next start is the one Loosen
