"""History across real processes: a live owner is left alone, a killed one loses nothing.

Each test runs a small Python program in a child process, talks to it through its
pipes, and never sleeps: the child prints a line after each thing it has committed.
`Popen.kill()` is SIGKILL on POSIX: no `finally`, no `atexit`, no close.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from history_testing import raw_rows
from loosen.core.history import HistoryStore, Status

CHILD = r"""
import sys
from pathlib import Path
from loosen.core.history import HistoryStore
from history_testing import read_only_opener

path, mode = Path(sys.argv[1]), sys.argv[2]
store = HistoryStore.open(path, opener=read_only_opener if mode == "read-only" else None)
if mode == "loop":
    while True:
        session = store.start_session("squat-and-fold", "Squat and fold", "break")
        store.update_session(session.uid, active_s=30, steps_done=1)
        store.finish_session(session.uid, active_s=60, steps_done=2)
        print(session.uid, flush=True)
session = store.start_session("post-run-cooldown", "Post-run cooldown", "cooldown")
store.update_session(session.uid, active_s=42, steps_done=1)
if mode == "read-only":
    store.rate(session.uid, 5, "rated in a process that then crashed")
print(session.uid, store.pending, flush=True)
if sys.stdin.readline().strip() == "finish":
    store.finish_session(session.uid, active_s=600)
    store.close()
    print("done", flush=True)
sys.stdin.readline()  # wait to be killed
"""


@contextlib.contextmanager
def child(db: Path, mode: str) -> Iterator[subprocess.Popen[str]]:
    tests_dir = str(Path(__file__).resolve().parent.parent)  # for history_testing
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), mode],
        env={**os.environ, "PYTHONPATH": tests_dir},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc
    finally:
        proc.kill()
        _, err = proc.communicate()
        assert "Traceback" not in err, err


def read_line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.endswith("\n"), f"the child ended early (exit {proc.poll()})"
    return line.strip()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite3"


def test_a_session_live_in_another_process_is_not_marked_interrupted(db):
    with child(db, "wait") as proc:
        uid, _ = read_line(proc).split()
        with HistoryStore.open(db) as store:  # a second instance, while the first runs
            found = store.get(uid)
            assert found is not None and found.status is Status.RUNNING
        assert raw_rows(db, "SELECT status FROM sessions WHERE uid = ?", (uid,)) == [("running",)]
        assert proc.stdin is not None
        proc.stdin.write("finish\n")
        proc.stdin.flush()
        assert read_line(proc) == "done"
    assert raw_rows(db, "SELECT status, active_s FROM sessions WHERE uid = ?", (uid,)) == [
        ("completed", 600.0)
    ]


def test_a_session_whose_process_was_killed_is_interrupted_at_the_next_open(db):
    with child(db, "wait") as proc:
        uid, _ = read_line(proc).split()
        proc.kill()
        proc.wait()
    (updated_at,) = raw_rows(db, "SELECT updated_at FROM sessions WHERE uid = ?", (uid,))[0]
    with HistoryStore.open(db) as store:
        found = store.get(uid)
        assert found is not None
        assert found.status is Status.INTERRUPTED
        assert (found.active_s, found.steps_done) == (42, 1)
        assert (
            found.ended_at is not None
            and found.ended_at.strftime("%Y-%m-%dT%H:%M:%SZ") == updated_at
        )
    assert not list((db.parent / "history-owners").glob("*.lock"))  # the dead lock is swept


def test_sessions_a_killed_process_could_not_write_are_merged_at_the_next_open(db):
    with HistoryStore.open(db):
        pass  # the file exists, with its schema, for the child to open read-only
    with child(db, "read-only") as proc:
        uid, pending = read_line(proc).split()
        assert pending == "1"
        with HistoryStore.open(db) as store:  # its owner is alive: its queue is its own
            assert store.get(uid) is None
        proc.kill()
        proc.wait()
    with HistoryStore.open(db) as store:
        found = store.get(uid)
        assert found is not None
        assert found.status is Status.INTERRUPTED
        assert (found.tightness_after, found.note) == (5, "rated in a process that then crashed")
    assert not list((db.parent / "history-pending").glob("*.json"))


@pytest.mark.parametrize("sessions_before_kill", [1, 7, 40])
def test_killing_a_process_while_it_writes_loses_no_committed_session(db, sessions_before_kill):
    committed: list[str] = []
    with child(db, "loop") as proc:
        while len(committed) < sessions_before_kill:
            committed.append(read_line(proc))
        proc.kill()
        rest, _ = proc.communicate()
    # Lines printed before the kill landed in the pipe: those sessions were committed too.
    committed += [line for line in rest.split("\n")[:-1] if line]
    assert raw_rows(db, "PRAGMA integrity_check") == [("ok",)]
    found = dict(raw_rows(db, "SELECT uid, status FROM sessions"))
    assert all(found.get(uid) == "completed" for uid in committed)
    # At most the one session it was in the middle of is left over, and it is not lost:
    with HistoryStore.open(db) as store:
        statuses = [r.status for r in store.sessions()]
        assert statuses.count(Status.COMPLETED) >= len(committed)
        assert statuses.count(Status.RUNNING) == 0
        assert statuses.count(Status.INTERRUPTED) <= 1
