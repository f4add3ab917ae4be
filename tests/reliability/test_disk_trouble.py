"""A full disk and a read-only data folder, for real (a small tmpfs), not simulated.

Each ends the same way: the user is told in one line, the session goes on, and when
the disk has room again (or is writable again) every change is written.
"""

from __future__ import annotations

import pytest
from disks import fill, set_read_only, tmpfs

from history_testing import raw_rows
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
        assert any("read-only" in notice or "cannot be written" in notice
                   for notice in store.notices)  # fmt: skip
        assert {r.uid for r in store.sessions()} == {old.uid, session.uid}
    finally:
        set_read_only(small_disk, False)
    assert store.flush()
    store.close()
    rows = dict(raw_rows(db, "SELECT uid, tightness_after FROM sessions"))
    assert rows == {old.uid: None, session.uid: 2}
