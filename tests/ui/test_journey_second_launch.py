"""Journey: Loosen is open, and the person types `loosen run squat-and-fold` in a terminal.

Real processes, offscreen, in the test's own folders: the first app runs as `loosen`
does; every later `loosen` is a second process. What the person sees is what the
second process prints and how fast it returns; what the first app did is read from
the history it writes (a session row appears when a player opens).
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

import pytest

from app_processes import (
    AppProcesses,
    lock_holder,
    run_loosen,
    sessions,
    wait_for,
    wait_until_listening,
)
from loosen import paths
from loosen.ui.app import BROUGHT_FORWARD, BUSY, OPENED

pytestmark = pytest.mark.slow


@pytest.fixture
def start_app():
    processes = AppProcesses()
    yield processes
    processes.kill_all()


def test_a_second_loosen_opens_its_routine_in_the_running_app_and_exits(start_app):
    first = start_app()
    wait_until_listening(first)
    assert lock_holder() == first.pid

    # `loosen run squat-and-fold`: the player opens in the app already there.
    second = run_loosen("run", "squat-and-fold")
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == OPENED.format(name="Squat and fold")
    assert wait_for(lambda: sessions() == [("squat-and-fold", "running")], "the session row")
    assert first.poll() is None  # the first app goes on; the second started no app

    # Again, while that session is on: it is not stopped, and no second one starts.
    again = run_loosen("run", "post-run-cooldown")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == BUSY.format(name="Squat and fold")
    assert sessions() == [("squat-and-fold", "running")]

    # Plain `loosen`: the window comes forward.
    plain = run_loosen()
    assert (plain.returncode, plain.stdout.strip()) == (0, BROUGHT_FORWARD)
    assert lock_holder() == first.pid


def test_a_killed_app_never_blocks_the_next_start(start_app):
    first = start_app()
    wait_until_listening(first)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    # What a crash leaves: the lock naming a dead process, and the socket's file.
    assert lock_holder() == first.pid
    name = Path(paths.instance_server_name())
    if sys.platform != "win32":  # a file beside the others, or in the temporary folder
        assert (name if name.is_absolute() else Path(tempfile.gettempdir()) / name).exists()

    restarted = start_app("run", "squat-and-fold")
    wait_until_listening(restarted)
    assert lock_holder() == restarted.pid
    assert wait_for(lambda: sessions() == [("squat-and-fold", "running")], "the session row")
    plain = run_loosen()
    assert (plain.returncode, plain.stdout.strip()) == (0, BROUGHT_FORWARD)
    assert restarted.poll() is None


def test_the_app_starts_where_its_lock_cannot_be_made(start_app, isolated_user_dirs):
    state = isolated_user_dirs / "state"
    state.write_text("a file where the state folder should be")  # nothing can go in it
    first = start_app("run", "squat-and-fold")
    assert wait_for(lambda: sessions() == [("squat-and-fold", "running")], "the session row")
    assert first.poll() is None
