"""The history store: schema and migrations, the life of a session row, reading, backups."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from history_testing import FixedNow, raw_connection, raw_rows
from loosen.core.history import HistoryStore, SessionRecord, Status
from loosen.core.history.schema import MIGRATIONS, SCHEMA_VERSION, migrate, user_version


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def now() -> FixedNow:
    return FixedNow()


def open_store(db: Path, now: FixedNow, **kwargs) -> HistoryStore:
    return HistoryStore.open(db, now=now, busy_timeout_ms=50, **kwargs)


def cooldown(store: HistoryStore, **kwargs) -> SessionRecord:
    return store.start_session(
        "post-run-cooldown", "Post-run cooldown", "cooldown", digest="d1", planned_s=600, **kwargs
    )


# ------------------------------------------------------------------ schema


def test_a_new_file_gets_the_schema_in_wal_mode(db, now):
    with open_store(db, now) as store:
        assert store.notices == []
        assert store.sessions() == []
    assert raw_rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw_rows(db, "PRAGMA journal_mode") == [("wal",)]
    indexes = {r[0] for r in raw_rows(db, "SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"sessions_by_start", "sessions_by_routine", "sessions_running"} <= indexes


def test_an_empty_file_is_migrated_like_a_new_one(db, now):
    db.parent.mkdir(parents=True)
    db.write_bytes(b"")
    with open_store(db, now) as store:
        cooldown(store)
        assert store.notices == []
    assert raw_rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw_rows(db, "SELECT count(*) FROM sessions") == [(1,)]


def test_the_connection_syncs_fully_and_waits_for_locks(db, now):
    with open_store(db, now) as store:
        conn = store._db.conn
        assert conn is not None
        assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone() == (50,)


def test_migrations_run_in_one_transaction(tmp_path):
    broken = (
        ("CREATE TABLE first (x)",),
        ("CREATE TABLE second (y)", "THIS IS NOT SQL"),
    )
    with raw_connection(tmp_path / "m.sqlite3") as conn:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, broken)
        assert user_version(conn) == 0
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_a_later_migration_is_appended_and_keeps_the_data(db, now):
    with open_store(db, now) as store:
        session = cooldown(store)
    added = ("ALTER TABLE sessions ADD COLUMN mood TEXT", "CREATE TABLE reminder_events (x)")
    with raw_connection(db) as conn:
        assert migrate(conn, (*MIGRATIONS, added)) is True
        assert user_version(conn) == SCHEMA_VERSION + 1
        assert migrate(conn, (*MIGRATIONS, added)) is False  # already there
        assert conn.execute("SELECT uid FROM sessions").fetchall() == [(session.uid,)]


def test_a_file_from_a_newer_loosen_is_read_but_never_changed(db, now):
    with open_store(db, now) as store:
        old = cooldown(store)
        store.finish_session(old.uid)
    with raw_connection(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = db.read_bytes()
    with open_store(db, now) as store:
        assert any("newer Loosen" in n for n in store.notices)
        assert [r.uid for r in store.sessions()] == [old.uid]
        new = cooldown(store)
        store.rate(new.uid, 4)
        assert store.pending == 1
        assert store.flush() is False
        assert store.pending_dir.joinpath(f"{store._token}.json").exists()  # kept for later
    assert db.read_bytes() == before


# ------------------------------------------------------------ a session's life


def test_the_row_is_written_when_the_session_starts_and_on_every_change(db, now):
    with open_store(db, now) as store:
        session = cooldown(store, tightness_before=6)
        assert session.id == 1
        query = (
            "SELECT status, started_at, ended_at, active_s, steps_done, steps_skipped,"
            " tightness_before, tightness_after, note FROM sessions WHERE uid = ?"
        )
        assert raw_rows(db, query, (session.uid,)) == [
            ("running", "2026-11-21T14:03:00Z", None, 0.0, 0, 0, 6, None, "")
        ]
        now.advance(minutes=4)
        store.update_session(session.uid, active_s=240, steps_done=3, steps_skipped=1)
        assert raw_rows(db, query, (session.uid,))[0][3:6] == (240.0, 3, 1)
        now.advance(minutes=6, seconds=30)
        finished = store.finish_session(session.uid, active_s=610.5, steps_done=7)
        assert finished.status is Status.COMPLETED
        assert finished.ended_at == datetime(2026, 11, 21, 14, 13, 30, tzinfo=UTC)
        store.rate(session.uid, 3, note="  hips looser  ")
        # Committed before `rate` returns: another connection sees it.
        assert raw_rows(db, query, (session.uid,)) == [
            (
                "completed",
                "2026-11-21T14:03:00Z",
                "2026-11-21T14:13:30Z",
                610.5,
                7,
                1,
                6,
                3,
                "hips looser",
            )
        ]
        assert store.pending == 0


def test_a_session_can_be_stopped_and_rated_before_later(db, now):
    with open_store(db, now) as store:
        session = cooldown(store)
        store.set_before(session.uid, 7)
        stopped = store.finish_session(session.uid, Status.STOPPED, active_s=30)
        assert stopped.status is Status.STOPPED
        rated = store.rate(session.uid, None)  # Esc: skipped, still logged
        assert (rated.tightness_before, rated.tightness_after) == (7, None)


@pytest.mark.parametrize("value", [-1, 11, 3.5, True, "5"])
def test_tightness_outside_0_to_10_is_refused(db, now, value):
    with open_store(db, now) as store:
        session = cooldown(store)
        with pytest.raises(ValueError):
            store.rate(session.uid, value)
        with pytest.raises(ValueError):
            store.set_before(session.uid, value)


def test_a_session_finishes_as_completed_or_stopped_only(db, now):
    with open_store(db, now) as store:
        session = cooldown(store)
        with pytest.raises(ValueError):
            store.finish_session(session.uid, Status.INTERRUPTED)
        with pytest.raises(ValueError):
            store.update_session(session.uid, active_s=-1)
        with pytest.raises(KeyError):
            store.rate("no-such-uid", 3)


def test_an_old_session_can_be_rated_by_another_store(db, now):
    with open_store(db, now) as store:
        session = cooldown(store)
        store.finish_session(session.uid)
    with open_store(db, now) as store:
        store.rate(session.uid, 2, note="later")
    with open_store(db, now) as store:
        found = store.get(session.uid)
        assert found is not None and (found.tightness_after, found.note) == (2, "later")


def test_closing_with_a_session_still_running_records_it_as_interrupted(db, now):
    with open_store(db, now) as store:
        session = cooldown(store)
        now.advance(minutes=2)
    assert raw_rows(db, "SELECT status, ended_at FROM sessions WHERE uid = ?", (session.uid,)) == [
        ("interrupted", "2026-11-21T14:05:00Z")
    ]


def test_a_running_row_of_a_dead_owner_becomes_interrupted_at_its_last_write(db, now):
    with open_store(db, now) as store:
        session = cooldown(store)
        now.advance(minutes=3)
        store.update_session(session.uid, active_s=180, steps_done=2)
        store._known.clear()  # the process "dies": close() no longer knows the session
        store._lock.release()  # ... and the OS drops its lock
    now.advance(days=1)
    with open_store(db, now) as store:
        found = store.get(session.uid)
        assert found is not None
        assert found.status is Status.INTERRUPTED
        assert found.ended_at == datetime(2026, 11, 21, 14, 6, tzinfo=UTC)
        assert (found.active_s, found.steps_done) == (180, 2)


def test_a_second_store_in_the_same_process_leaves_a_live_session_alone(db, now):
    with open_store(db, now) as first:
        session = cooldown(first)
        with open_store(db, now) as second:
            found = second.get(session.uid)
            assert found is not None and found.status is Status.RUNNING
        first.finish_session(session.uid)
    assert raw_rows(db, "SELECT status FROM sessions") == [("completed",)]


def test_a_row_with_no_owner_left_running_is_interrupted(db, now):
    with open_store(db, now) as store:
        cooldown(store)
        store._db.conn.execute("UPDATE sessions SET owner = NULL")
        store._known.clear()
    with open_store(db, now) as store:
        assert [r.status for r in store.sessions()] == [Status.INTERRUPTED]


# ------------------------------------------------------------------ reading


def test_sessions_are_listed_newest_first_and_filtered(db, now):
    with open_store(db, now) as store:
        made = []
        for routine, kind in [("a", "cooldown"), ("b", "run"), ("a", "cooldown"), ("c", "break")]:
            made.append(store.start_session(routine, routine.upper(), kind).uid)
            now.advance(hours=1)
        for uid in made:
            store.finish_session(uid)
        assert [r.uid for r in store.sessions()] == made[::-1]
        assert [r.uid for r in store.sessions(newest_first=False)] == made
        assert [r.uid for r in store.sessions(routine="a")] == [made[2], made[0]]
        assert [r.uid for r in store.sessions(limit=2)] == [made[3], made[2]]
        assert [r.uid for r in store.sessions(routine="a", limit=1)] == [made[2]]
        assert store.sessions(routine="zzz", limit=1) == []
        assert [r.id for r in store.sessions(newest_first=False)] == [1, 2, 3, 4]


def test_delete_and_restore_give_the_same_session_back(db, now):
    with open_store(db, now) as store:
        first = cooldown(store)
        second = cooldown(store)
        store.rate(first.uid, 4, "keep me")
        deleted = store.delete(first.uid)
        assert [r.uid for r in store.sessions()] == [second.uid]
        restored = store.restore(deleted)
        assert restored.id == first.id
        got = store.get(first.uid)
        assert got is not None
        assert replace(got, updated_at=None) == replace(deleted, updated_at=None)


def test_timestamps_are_kept_in_utc_whatever_zone_now_is_in(db):
    from datetime import timezone

    paris = timezone(timedelta(hours=1))
    with HistoryStore.open(db, now=lambda: datetime(2026, 11, 21, 15, 3, 0, 999, paris)) as store:
        session = cooldown(store)
    assert raw_rows(db, "SELECT started_at FROM sessions WHERE uid = ?", (session.uid,)) == [
        ("2026-11-21T14:03:00Z",)
    ]


# ------------------------------------------------------------------ backups


def backups_of(db: Path) -> list[str]:
    folder = db.parent / "backups"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_daily_backup_is_made_at_open_and_the_newest_seven_kept(db, now):
    with open_store(db, now) as store:
        cooldown(store)  # nothing to back up at this first open
    assert backups_of(db) == []
    for _ in range(9):
        with open_store(db, now) as store:
            cooldown(store)
        with open_store(db, now):  # a second open the same day makes no second backup
            pass
        now.advance(days=1)
    assert backups_of(db) == [f"history-2026-11-{day}.sqlite3" for day in range(23, 30)]
    newest = db.parent / "backups" / "history-2026-11-29.sqlite3"
    assert raw_rows(newest, "PRAGMA integrity_check") == [("ok",)]
    assert raw_rows(newest, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
    assert raw_rows(newest, "SELECT count(*) FROM sessions") == [(9,)]
    assert not list((db.parent / "backups").glob("*.partial"))


def test_the_scale_figures_function_runs_on_a_small_history(tmp_path):
    from benchmarks.history_scale import history_scale_figures

    figures = history_scale_figures(tmp_path, n=50)
    assert figures["sessions"] == 50
    assert set(figures) >= {"open_s", "list_s", "stats_s", "export_csv_s", "db_bytes"}
    assert all(value >= 0 for value in figures.values())
