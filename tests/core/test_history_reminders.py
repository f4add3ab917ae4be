"""The reminders log: its migration from a sessions-only file, and answers that are never lost."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from history_testing import START, FixedNow, raw_connection, raw_rows
from loosen.core.history import HistoryStore
from loosen.core.history.schema import MIGRATIONS, SCHEMA_VERSION, migrate, user_version


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def test_a_sessions_only_file_gains_the_reminders_table_and_keeps_its_sessions(db):
    db.parent.mkdir(parents=True)
    with raw_connection(db) as conn:
        migrate(conn, MIGRATIONS[:1])  # the file as the first release wrote it
        conn.execute(
            "INSERT INTO sessions (uid, routine, routine_name, kind, started_at, status,"
            " updated_at) VALUES ('u1', 'squat-and-fold', 'Squat and fold', 'break',"
            " '2026-11-21T14:03:00Z', 'completed', '2026-11-21T14:04:00Z')"
        )
        assert user_version(conn) == 1
    with HistoryStore.open(db, now=FixedNow(), busy_timeout_ms=50) as store:
        assert [r.uid for r in store.sessions()] == ["u1"]
        assert store.reminders() == []
        store.log_reminder("squat-and-fold", "skipped", START)
    assert raw_rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw_rows(db, "SELECT routine, outcome, due_at, answered_at FROM reminders") == [
        ("squat-and-fold", "skipped", "2026-11-21T14:03:00Z", "2026-11-21T14:03:00Z")
    ]


def test_answers_are_read_back_oldest_first_and_since_a_moment(db):
    now = FixedNow()
    with HistoryStore.open(db, now=now, busy_timeout_ms=50) as store:
        due = now()
        now.advance(minutes=1)
        store.log_reminder("squat-and-fold", "snoozed", due)
        now.advance(minutes=5)
        store.log_reminder("squat-and-fold", "taken", due)
        found = store.reminders()
        assert [(r.outcome, r.due_at, r.answered_at) for r in found] == [
            ("snoozed", due, due + timedelta(minutes=1)),
            ("taken", due, due + timedelta(minutes=6)),
        ]
        assert all(r.id is not None for r in found)
        assert [r.outcome for r in store.reminders(since=due + timedelta(minutes=2))] == ["taken"]


def test_an_unknown_outcome_is_refused(db):
    with HistoryStore.open(db, now=FixedNow()) as store, pytest.raises(ValueError, match="not"):
        store.log_reminder("squat-and-fold", "ignored", START)


def test_an_answer_that_cannot_be_written_now_is_written_later(db):
    now = FixedNow()
    with HistoryStore.open(db, now=now, busy_timeout_ms=50) as store:
        store.log_reminder("squat-and-fold", "taken", START)  # the file exists, at v2
    with raw_connection(db) as locker:
        locker.execute("BEGIN EXCLUSIVE")  # another program holds the file
        store = HistoryStore.open(db, now=now, busy_timeout_ms=50)
        store.log_reminder("squat-and-fold", "skipped", START)
        assert [r.outcome for r in store.reminders()] == ["taken", "skipped"]  # WAL: reads go on
        assert store.notices  # the user is told the history is locked
        locker.execute("ROLLBACK")
    store.log_reminder("squat-and-fold", "snoozed", START)  # written with the one before
    store.close()
    assert raw_rows(db, "SELECT outcome FROM reminders ORDER BY id") == [
        ("taken",),
        ("skipped",),
        ("snoozed",),
    ]


def test_a_version_4_file_keeps_its_answers_and_takes_away_deferred_and_the_stage(db):
    db.parent.mkdir(parents=True)
    with raw_connection(db) as conn:
        migrate(conn, MIGRATIONS[:4])  # the file as schema 4 left it
        conn.execute(
            "INSERT INTO reminders (routine, outcome, due_at, answered_at) VALUES"
            " ('squat-and-fold', 'snoozed', '2026-11-21T14:00:00Z', '2026-11-21T14:01:00Z')"
        )
    now = FixedNow()
    with HistoryStore.open(db, now=now, busy_timeout_ms=50) as store:
        old = store.reminders()
        assert [(r.outcome, r.given_at, r.stage) for r in old] == [("snoozed", None, None)]
        due = now()
        store.log_reminder("squat-and-fold", "away", due)
        store.log_reminder("squat-and-fold", "deferred", due, stage="firm")
        store.log_reminder(
            "squat-and-fold", "taken", due, given_at=due + timedelta(minutes=1), stage="gentle"
        )
    assert raw_rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw_rows(db, "SELECT outcome, given_at, stage FROM reminders ORDER BY id") == [
        ("snoozed", None, None),
        ("away", None, None),
        ("deferred", None, "firm"),
        ("taken", "2026-11-21T14:04:00Z", "gentle"),
    ]
    with HistoryStore.open(db, now=now, busy_timeout_ms=50) as store:
        assert [r.as_dict() for r in store.reminders()][-1] == {
            "routine": "squat-and-fold",
            "due_at": "2026-11-21T14:03:00Z",
            "given_at": "2026-11-21T14:04:00Z",
            "stage": "gentle",
            "outcome": "taken",
            "answered_at": "2026-11-21T14:03:00Z",
        }


def test_every_outcome_the_policy_gives_can_be_logged(db):
    from loosen.core.reminders import Outcome

    with HistoryStore.open(db, now=FixedNow()) as store:
        for outcome in Outcome:
            store.log_reminder("squat-and-fold", str(outcome), START)
        assert [r.outcome for r in store.reminders()] == [str(o) for o in Outcome]
