"""A full disk and a read-only data folder, for real (a small tmpfs), not simulated.

Each ends the same way: the user is told in one line, the session goes on, and when
the disk has room again (or is writable again) every change is written.
"""

from __future__ import annotations

import shutil

import pytest
from disks import fill, set_read_only, tmpfs

from history_testing import raw_rows
from loosen import paths
from loosen.core.history import HistoryStore, Status
from loosen.core.history.problems import Problem


@pytest.fixture
def small_disk(tmp_path):
    with tmpfs(tmp_path / "disk", size_kb=1024) as disk:
        if disk is None:
            # tests/core/test_history_safety.py simulates the same failures at the write call.
            pytest.skip("mounting a tmpfs is not allowed here")
        yield disk


def test_a_full_disk_keeps_the_session_and_writes_it_when_there_is_room(small_disk):
    db = small_disk / "history.sqlite3"
    store = HistoryStore.open(db)
    session = store.start_session("post-run-cooldown", "Post-run cooldown", "cooldown")
    filler = fill(small_disk)

    store.update_session(session.uid, active_s=300, steps_done=4)
    store.finish_session(session.uid, Status.COMPLETED, active_s=600, steps_done=8)
    store.rate(session.uid, 3, "looser than before")
    later = store.start_session("squat-and-fold", "Squat and fold", "break")

    assert store.problem is Problem.FULL
    assert any("disk is full" in notice for notice in store.notices)
    assert store.pending >= 1
    kept = {r.uid: r for r in store.sessions()}  # what the window shows meanwhile
    assert kept[session.uid].tightness_after == 3 and later.uid in kept

    filler.unlink()
    assert store.flush()
    store.close()
    assert raw_rows(db, "PRAGMA integrity_check") == [("ok",)]
    rows = dict(raw_rows(db, "SELECT uid, tightness_after FROM sessions"))
    assert rows[session.uid] == 3 and later.uid in rows


def test_a_disk_full_from_the_start_loses_nothing_either(small_disk):
    filler = fill(small_disk)
    db = small_disk / "history.sqlite3"
    store = HistoryStore.open(db)
    session = store.start_session("squat-and-fold", "Squat and fold", "break")
    store.finish_session(session.uid, Status.COMPLETED, active_s=54)
    store.rate(session.uid, 6)
    assert store.problem in (Problem.FULL, Problem.UNAVAILABLE) and store.notices
    filler.unlink()
    assert store.flush()
    store.close()
    assert dict(raw_rows(db, "SELECT uid, tightness_after FROM sessions")) == {session.uid: 6}


def test_a_read_only_data_folder_is_read_and_written_when_writable_again(small_disk):
    db = small_disk / "history.sqlite3"
    with HistoryStore.open(db) as store:
        old = store.start_session("dynamic-warm-up", "Dynamic warm-up", "warm-up")
        store.finish_session(old.uid, Status.COMPLETED, active_s=431)
    set_read_only(small_disk, True)
    try:
        store = HistoryStore.open(db)
        assert old.uid in {r.uid for r in store.sessions()}  # history still shows
        session = store.start_session("post-run-cooldown", "Post-run cooldown", "cooldown")
        store.finish_session(session.uid, Status.COMPLETED, active_s=720)
        store.rate(session.uid, 2)
        assert store.problem is Problem.READ_ONLY
        assert any(
            "read-only" in notice or "cannot be written" in notice for notice in store.notices
        )
        assert {r.uid for r in store.sessions()} == {old.uid, session.uid}
    finally:
        set_read_only(small_disk, False)
    assert store.flush()
    store.close()
    rows = dict(raw_rows(db, "SELECT uid, tightness_after FROM sessions"))
    assert rows == {old.uid: None, session.uid: 2}


def test_a_data_folder_read_only_for_a_whole_run_loses_no_session(
    small_disk, launch_app, isolated_user_dirs
):
    """The sessions wait in the state folder (another disk) until the data folder is
    writable again, and the next start of the app writes them."""
    data = isolated_user_dirs / "data"
    data.mkdir(parents=True, exist_ok=True)
    with HistoryStore.open(paths.history_db()) as store:  # move the data folder onto
        old = store.start_session("dynamic-warm-up", "Dynamic warm-up", "warm-up")
    shutil.copytree(paths.data_dir(), small_disk / "loosen")  # the small disk
    shutil.rmtree(paths.data_dir())
    paths.data_dir().symlink_to(small_disk / "loosen")
    set_read_only(small_disk, True)
    try:
        child = launch_app("squat-and-fold", sessions=2)
        out, errors = child.communicate(timeout=60)
    finally:
        set_read_only(small_disk, False)
    assert child.returncode == 0 and "Traceback" not in errors, errors
    rated = dict(line.split()[1:3] for line in out.splitlines() if line.startswith("rated"))
    notices = [line for line in out.splitlines() if line.startswith("notice")]
    assert len(rated) == 2
    assert any("read-only" in notice for notice in notices), notices

    with HistoryStore.open(paths.history_db(), spare_dir=paths.state_dir()) as store:
        found = {r.uid: r for r in store.sessions()}
    assert {uid: str(found[uid].tightness_after) for uid in rated} == rated
    assert old.uid in found
    assert not any(paths.state_dir().glob("history-pending*/*.json"))  # merged, gone
