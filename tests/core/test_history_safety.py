"""Nothing lost: a damaged file set aside whole, read-only and locked files, queued sessions."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from benchmarks.history_scale import synthetic_sessions
from history_testing import FixedNow, raw_connection, raw_rows, read_only_opener
from loosen.core.history import HistoryError, HistoryStore, Problem, Status

PAGE = 4096


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "history.sqlite3"
    path.parent.mkdir()
    return path


@pytest.fixture
def now() -> FixedNow:
    return FixedNow()


def open_store(db: Path, now: FixedNow, **kwargs) -> HistoryStore:
    kwargs.setdefault("busy_timeout_ms", 50)
    return HistoryStore.open(db, now=now, **kwargs)


def start_and_finish(store: HistoryStore, note: str = "") -> str:
    session = store.start_session("post-run-cooldown", "Post-run cooldown", "cooldown")
    store.finish_session(session.uid, active_s=600, steps_done=8)
    store.rate(session.uid, 3, note)
    return session.uid


def set_aside(db: Path) -> list[Path]:
    return sorted(db.parent.glob("history.sqlite3.corrupt-*"))


# ------------------------------------------------------------------ damage


def test_a_file_that_is_not_a_database_is_moved_aside_whole_with_its_wal_and_shm(db, now):
    garbage = {"": b"these are not the bytes of a database" * 300, "-wal": b"W" * 999}
    garbage["-shm"] = b"S" * 32768
    for suffix, data in garbage.items():
        Path(f"{db}{suffix}").write_bytes(data)
    with open_store(db, now) as store:
        moved = db.parent / "history.sqlite3.corrupt-20261121-140300"
        assert store.notices == [
            f"history file was damaged: it was moved to {moved} and a new one started"
        ]
        uid = start_and_finish(store)  # the fresh file works
    for suffix, data in garbage.items():
        assert Path(f"{moved}{suffix}").read_bytes() == data  # the old bytes, untouched
    assert set_aside(db) == [moved, Path(f"{moved}-shm"), Path(f"{moved}-wal")]
    assert raw_rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert raw_rows(db, "SELECT uid FROM sessions") == [(uid,)]


def a_sessions_leaf(db) -> int:
    """The offset of a leaf page of the sessions table, from the middle of it."""
    pages = raw_rows(
        db, "SELECT pageno FROM dbstat WHERE name = 'sessions' AND pagetype = 'leaf' ORDER BY 1"
    )
    return (pages[len(pages) // 2][0] - 1) * PAGE


def test_a_damaged_page_sets_the_file_aside_and_saves_every_readable_session(db, now):
    with open_store(db, now, keep_backups=0) as store:
        store.import_records(synthetic_sessions(300))
    data = bytearray(db.read_bytes())
    leaf = a_sessions_leaf(db)
    data[leaf : leaf + PAGE] = b"\xab" * PAGE
    db.write_bytes(bytes(data))
    with open_store(db, now) as store:
        (moved,) = set_aside(db)
        assert moved.read_bytes() == bytes(data)
        recovered = store.sessions()
        assert 250 < len(recovered) < 300  # only the damaged page's rows are gone
        assert f"moved to {moved}" in store.notices[0]
        assert f"{len(recovered)} session(s) recovered from it" in store.notices[0]
    assert raw_rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_what_the_damage_took_comes_back_from_the_newest_backup(db, now):
    records = synthetic_sessions(300)
    with open_store(db, now) as store:
        store.import_records(records[:200])
    now.advance(days=1)
    with open_store(db, now) as store:  # makes the backup of the 200
        store.import_records(records[200:])
    data = bytearray(db.read_bytes())
    leaf = a_sessions_leaf(db)
    data[leaf : leaf + PAGE] = b"\xab" * PAGE
    db.write_bytes(bytes(data))
    with open_store(db, now) as store:
        uids = {r.uid for r in store.sessions()}
        assert "more from the backup of 2026-11-22" in store.notices[0]
    assert {r.uid for r in records[:200]} <= uids
    assert len(uids) > 250


def test_damage_found_twice_in_one_second_never_overwrites_the_first(db, now):
    for _ in range(2):
        db.write_bytes(b"not a database" * 100)
        with open_store(db, now):
            pass
    assert [p.name for p in set_aside(db)] == [
        "history.sqlite3.corrupt-20261121-140300",
        "history.sqlite3.corrupt-20261121-140300-2",
    ]


# ---------------------------------------------------------------- read-only


def make_history(db: Path, now: FixedNow) -> str:
    with open_store(db, now) as store:
        return start_and_finish(store, "first")


def test_a_read_only_file_still_lists_and_keeps_new_sessions_for_later(db, now):
    first = make_history(db, now)
    with open_store(db, now, opener=read_only_opener) as store:
        assert store.notices == []  # nothing to write yet: opens quietly
        assert [r.uid for r in store.sessions()] == [first]
        session = store.start_session("squat-and-fold", "Squat and fold", "break")
        assert store.pending == 1
        assert store.problem is Problem.READ_ONLY
        assert store.notices == [
            f"history is read-only ({db}); sessions are kept and will be saved when possible"
        ]
        store.finish_session(session.uid, active_s=60)
        store.rate(session.uid, 2, "on holiday")
        assert store.pending == 1  # one session, its newest state
        assert store.flush() is False
        # Listed with the rest even before it is written.
        assert [r.uid for r in store.sessions()] == [session.uid, first]
        side_file = store.pending_dir / f"{store._token}.json"
        saved = json.loads(side_file.read_text())["sessions"]
        assert [(s["uid"], s["tightness_after"], s["note"]) for s in saved] == [
            (session.uid, 2, "on holiday")
        ]
    assert raw_rows(db, "SELECT count(*) FROM sessions") == [(1,)]
    with open_store(db, now) as store:  # writable again: merged in
        got = store.get(session.uid)
        assert got is not None
        assert (got.status, got.tightness_after, got.note) == (Status.COMPLETED, 2, "on holiday")
        assert got.id == 2
    assert not list((db.parent / "history-pending").glob("*.json"))


def test_reading_a_file_that_cannot_be_opened_is_a_one_line_error(db, now):
    blocker = db.parent / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    path = blocker / "history.sqlite3"
    with open_store(path, now) as store:
        assert store.notices[0].startswith(f"history cannot be opened ({path})")
        with pytest.raises(HistoryError) as raised:
            store.sessions()
        assert "\n" not in str(raised.value)
        session = store.start_session("squat-and-fold", "Squat and fold", "break")
        store.rate(session.uid, 4)  # the session still runs; its record is kept in memory
        assert store.pending == 1
        assert store.get(session.uid).tightness_after == 4
        assert any("kept in memory" in n for n in store.notices)


# ------------------------------------------------------------------- locked


def test_a_locked_file_queues_the_session_and_flush_writes_it_when_free(db, now):
    make_history(db, now)
    with raw_connection(db) as other, open_store(db, now) as store:
        other.execute("BEGIN EXCLUSIVE")
        session = store.start_session("squat-and-fold", "Squat and fold", "break")
        assert store.pending == 1
        assert store.problem is Problem.LOCKED
        assert store.notices == [
            f"history is busy in another program ({db}); "
            "sessions are kept and will be saved when possible"
        ]
        assert len(store.sessions()) == 2  # WAL: reading goes on beside the writer
        assert store.flush() is False
        other.execute("COMMIT")
        assert store.flush() is True
        assert store.pending == 0
        assert store.get(session.uid).id == 2
        assert store.notices[-1] == "history can be written again; every session is saved"
    assert raw_rows(db, "SELECT count(*) FROM sessions") == [(2,)]


def test_after_a_failed_write_the_store_waits_before_touching_the_file_again(db, now):
    make_history(db, now)
    with raw_connection(db) as other, open_store(db, now) as store:
        other.execute("BEGIN EXCLUSIVE")
        session = store.start_session("squat-and-fold", "Squat and fold", "break")
        other.execute("COMMIT")
        store.update_session(session.uid, active_s=10)  # within the back-off: queued
        assert store.pending == 1
        now.advance(seconds=31)
        store.update_session(session.uid, active_s=20)
        assert store.pending == 0
    assert raw_rows(db, "SELECT active_s FROM sessions WHERE id = 2") == [(20.0,)]


def test_a_new_file_locked_before_its_schema_exists_still_records(db, now):
    with raw_connection(db) as other:
        other.execute("CREATE TABLE squatter (x)")  # another program's rollback-mode file
        other.execute("BEGIN EXCLUSIVE")
        other.execute("INSERT INTO squatter VALUES (1)")
        with open_store(db, now) as store:
            with pytest.raises(HistoryError) as raised:
                store.sessions()
            assert raised.value.problem is Problem.LOCKED
            assert str(raised.value) == f"history is busy in another program ({db})"
            session = store.start_session("squat-and-fold", "Squat and fold", "break")
            assert store.pending == 1
            other.execute("COMMIT")
            assert store.flush() is True
            assert [r.uid for r in store.sessions()] == [session.uid]


def test_import_into_a_locked_file_raises_and_adds_nothing(db, now):
    make_history(db, now)
    with raw_connection(db) as other, open_store(db, now) as store:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(HistoryError) as raised:
            store.import_records(synthetic_sessions(3))
        assert raised.value.problem is Problem.LOCKED
        other.execute("COMMIT")
    assert raw_rows(db, "SELECT count(*) FROM sessions") == [(1,)]


def test_delete_on_a_read_only_file_raises_and_keeps_the_session(db, now):
    uid = make_history(db, now)
    with open_store(db, now, opener=read_only_opener) as store:
        with pytest.raises(HistoryError):
            store.delete(uid)
        assert store.get(uid) is not None


# ------------------------------------------------------------ pending files


def test_an_unreadable_pending_file_is_kept_aside_and_does_not_block_opening(db, now):
    make_history(db, now)
    folder = db.parent / "history-pending"
    folder.mkdir()
    (folder / "0123abcd.json").write_text("{ half a file")
    with open_store(db, now) as store:
        assert len(store.sessions()) == 1
        assert any("0123abcd.unreadable" in n for n in store.notices)
    assert (folder / "0123abcd.unreadable").read_text() == "{ half a file"


def test_a_bug_is_not_mistaken_for_a_full_disk(db, now):
    with open_store(db, now) as store, pytest.raises(sqlite3.IntegrityError):
        store._db.conn.execute("INSERT INTO sessions (uid) VALUES (NULL)")


def test_a_wall_clock_set_back_does_not_make_the_store_drop_its_own_writes(db, now):
    with open_store(db, now) as store:
        session = store.start_session("squat-and-fold", "Squat and fold", "break")
        now.advance(hours=-2)  # someone fixes the system clock
        store.finish_session(session.uid, active_s=60)
    assert raw_rows(db, "SELECT status, active_s FROM sessions") == [("completed", 60.0)]


def test_leftovers_of_a_dead_store_merge_only_over_older_states(db, now):
    from dataclasses import replace

    from loosen.core.history.columns import export_form

    with open_store(db, now) as store:
        kept = store.start_session("squat-and-fold", "Squat and fold", "break")
        store.finish_session(kept.uid)
        now.advance(minutes=10)
        kept = store.rate(kept.uid, 5, "the newest word")
    stale = replace(kept, tightness_after=2, note="older", updated_at=now.advance(minutes=-5))
    lost = replace(kept, uid="b" * 32, id=None, started_at=now.advance(minutes=-60))
    folder = db.parent / "history-pending"
    folder.mkdir()
    data = {"sessions": [export_form(stale), export_form(lost)]}
    (folder / f"{'d' * 32}.json").write_text(json.dumps(data))
    with open_store(db, now) as store:
        assert (store.get(kept.uid).tightness_after, store.get(kept.uid).note) == (
            5,
            "the newest word",
        )
        assert store.get("b" * 32).status is Status.COMPLETED
    assert not list(folder.glob("*.json"))


def test_a_store_on_another_file_never_takes_this_ones_queued_sessions(tmp_path, now):
    """The spare folder is shared (the user's state folder): a benchmark's or a test's
    store opened on another file must leave this file's waiting sessions alone."""
    spare = tmp_path / "state"
    mine, other = tmp_path / "mine" / "history.sqlite3", tmp_path / "other" / "history.sqlite3"
    mine.parent.mkdir()
    (mine.parent / "history-pending").write_text("")  # its own folder cannot hold the queue
    store = HistoryStore.open(mine, now=now, spare_dir=spare, opener=read_only_opener)
    waiting = store.start_session("squat-and-fold", "Squat and fold", "break")
    store.rate(waiting.uid, 4, "kept for later")
    assert store.pending == 1
    # This process dies here; its queue waits in the spare folder.
    queued = list(spare.glob("*/*.json"))
    assert len(queued) == 1

    with HistoryStore.open(other, now=now, spare_dir=spare) as stranger:
        assert stranger.sessions() == []
    assert list(spare.glob("*/*.json")) == queued  # untouched
    store.close()
