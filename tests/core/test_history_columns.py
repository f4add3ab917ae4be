"""A session's columns, declared once (columns.py): the table, the export, the pending
file and the record all follow the declaration, and files of earlier releases still read."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import typing
from dataclasses import fields, replace
from pathlib import Path

import pytest

from history_testing import FixedNow, raw_connection, raw_rows, read_only_opener
from loosen.core.history import HistoryStore, SessionRecord, Status, cells, schema
from loosen.core.history.columns import (
    EXPORT_COLUMNS,
    RECORD_COLUMNS,
    SESSION_COLUMNS,
    TEXT,
    Column,
    as_dict,
    export_form,
)
from loosen.core.history.csvio import COLUMNS, CONTRACT_COLUMNS, read_csv, write_csv
from loosen.core.history.records import TIGHTNESS_MAX, TIGHTNESS_MIN
from loosen.core.history.schema import MIGRATIONS, SCHEMA_VERSION, migrate

NAMES = [c.name for c in SESSION_COLUMNS]

# The `sessions` table exactly as the releases before the declared columns wrote it:
# version 1's CREATE TABLE and version 3's ADD COLUMN. Files made so are on users' disks.
PREVIOUS_V1_SESSIONS = """
    CREATE TABLE sessions (
        id               INTEGER PRIMARY KEY,
        uid              TEXT    NOT NULL UNIQUE,
        routine          TEXT    NOT NULL,
        routine_name     TEXT    NOT NULL,
        kind             TEXT    NOT NULL,
        digest           TEXT    NOT NULL DEFAULT '',
        started_at       TEXT    NOT NULL,
        ended_at         TEXT,
        status           TEXT    NOT NULL
                         CHECK (status IN ('running', 'completed', 'stopped', 'interrupted')),
        planned_s        REAL    CHECK (planned_s IS NULL OR planned_s >= 0),
        active_s         REAL    NOT NULL DEFAULT 0 CHECK (active_s >= 0),
        steps_done       INTEGER NOT NULL DEFAULT 0 CHECK (steps_done >= 0),
        steps_skipped    INTEGER NOT NULL DEFAULT 0 CHECK (steps_skipped >= 0),
        tightness_before INTEGER CHECK (tightness_before BETWEEN 0 AND 10),
        tightness_after  INTEGER CHECK (tightness_after BETWEEN 0 AND 10),
        note             TEXT    NOT NULL DEFAULT '',
        owner            TEXT,   -- token of the store that wrote it; see owners.py
        updated_at       TEXT    NOT NULL
    )
    """
PREVIOUS_V3 = (
    "ALTER TABLE sessions ADD COLUMN breaks INTEGER NOT NULL DEFAULT 0 CHECK (breaks >= 0)"
)


def normalized(sql: str) -> str:
    """SQL without comments and with one space wherever there was any."""
    sql = re.sub(r"--[^\n]*", "", sql)
    sql = re.sub(r"\s+", " ", sql)
    return re.sub(r"\s*([(),])\s*", r"\1", sql).strip()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "history.sqlite3"
    path.parent.mkdir()
    return path


def a_session(**changes: object) -> SessionRecord:
    record = SessionRecord(
        uid="u1",
        routine="sprint-session",
        routine_name="Sprint hour",
        kind="run",
        started_at=FixedNow().moment,
        status=Status.COMPLETED,
        ended_at=FixedNow().advance(hours=1),
        planned_s=3600.0,
        active_s=3599.12345,
        steps_done=6,
        steps_skipped=1,
        tightness_before=6,
        tightness_after=3,
        note="=looser",
        digest="abc",
        breaks=3,
        id=7,
        updated_at=FixedNow().advance(hours=2),
    )
    return replace(record, **changes)


# ------------------------------------------------------- one declaration


def test_the_table_the_export_and_the_record_all_follow_the_declared_columns(db):
    with raw_connection(db) as conn:
        migrate(conn)
        table = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
    assert table == NAMES

    contract = [c.name for c in SESSION_COLUMNS if c.exported and c.contract]
    others = [c.name for c in SESSION_COLUMNS if c.exported and not c.contract]
    assert list(CONTRACT_COLUMNS) == contract
    assert list(COLUMNS) == contract + others == [c.name for c in EXPORT_COLUMNS]
    out = io.StringIO()
    write_csv([a_session()], out)
    assert out.getvalue().splitlines()[0].split(",") == list(COLUMNS)
    assert list(as_dict(a_session())) == list(COLUMNS)

    record_names = [c.name for c in RECORD_COLUMNS]
    assert list(export_form(a_session())) == record_names
    assert sorted(f.name for f in fields(SessionRecord)) == sorted(record_names)


def test_each_record_field_has_its_columns_python_type():
    hints = typing.get_type_hints(SessionRecord)
    for column in RECORD_COLUMNS:
        expected = column.form.python_type
        if column.optional or column.name == "updated_at":  # set by the store on writing
            expected = expected | None
        assert hints[column.name] == expected, column.name


def test_each_migration_adds_the_columns_declared_since_its_version(tmp_path):
    for version in range(1, SCHEMA_VERSION + 1):
        with raw_connection(tmp_path / f"v{version}.sqlite3") as conn:
            migrate(conn, MIGRATIONS[:version])
            table = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
        assert table == [c.name for c in SESSION_COLUMNS if c.since <= version]


def test_a_column_declared_for_a_new_version_is_what_its_migration_adds(db, monkeypatch):
    version = SCHEMA_VERSION + 1
    mood = Column("mood", TEXT, default="", default_in_sql=True, since=version, parse=cells.plain)
    monkeypatch.setattr(schema, "SESSION_COLUMNS", (*SESSION_COLUMNS, mood))
    with raw_connection(db) as conn:
        migrate(conn)
        conn.execute(
            "INSERT INTO sessions (uid, routine, routine_name, kind, started_at, status,"
            " updated_at) VALUES ('u1', 'r', 'R', 'run', 't', 'completed', 't')"
        )
        assert migrate(conn, (*MIGRATIONS, schema.adding_columns(version))) is True
        table = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
        assert table == [*NAMES, "mood"]
        assert conn.execute("SELECT mood FROM sessions").fetchall() == [("",)]


def test_a_new_file_and_a_file_of_the_previous_release_brought_up_to_date_are_alike(db, tmp_path):
    previous = tmp_path / "previous.sqlite3"
    with raw_connection(previous) as conn:
        for statement in (PREVIOUS_V1_SESSIONS, *MIGRATIONS[1], PREVIOUS_V3):
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 3")
        assert migrate(conn) is True
    with raw_connection(db) as conn:
        migrate(conn)
    query = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    assert [(t, n, q and normalized(q)) for t, n, q in raw_rows(db, query)] == [
        (t, n, q and normalized(q)) for t, n, q in raw_rows(previous, query)
    ]
    pragma = "PRAGMA table_xinfo(sessions)"
    assert raw_rows(db, pragma) == raw_rows(previous, pragma)


def test_the_tables_checks_admit_exactly_the_statuses_and_tightness_declared(db):
    with raw_connection(db) as conn:
        migrate(conn)
        insert = (
            "INSERT INTO sessions (uid, routine, routine_name, kind, started_at, status,"
            " tightness_after, updated_at) VALUES (?, 'r', 'R', 'run', 't', ?, ?, 't')"
        )
        for n, status in enumerate(Status):
            conn.execute(insert, (f"s{n}", str(status), None))
        for value in range(TIGHTNESS_MIN, TIGHTNESS_MAX + 1):
            conn.execute(insert, (f"t{value}", "completed", value))
        for uid, status, value in [
            ("x1", "finished", None),
            ("x2", "completed", TIGHTNESS_MIN - 1),
            ("x3", "completed", TIGHTNESS_MAX + 1),
        ]:
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(insert, (uid, status, value))


# ------------------------------------------------- files of earlier releases


def test_a_v3_file_from_the_previous_release_keeps_its_sessions_and_takes_partial(db):
    with raw_connection(db) as conn:
        for statement in (PREVIOUS_V1_SESSIONS, *MIGRATIONS[1], PREVIOUS_V3):
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 3")
        conn.execute(
            "INSERT INTO sessions (uid, routine, routine_name, kind, started_at, status,"
            " active_s, steps_done, breaks, owner, updated_at) VALUES ('u1', 'sprint-session',"
            " 'Sprint hour', 'run', '2026-11-21T14:03:00Z', 'completed', 3600.5, 6, 2, NULL,"
            " '2026-11-21T15:04:00Z')"
        )
    now = FixedNow()
    with HistoryStore.open(db, now=now, busy_timeout_ms=50, keep_backups=0) as store:
        (kept,) = store.sessions()
        assert (kept.uid, kept.active_s, kept.steps_done, kept.breaks) == ("u1", 3600.5, 6, 2)
        uid = store.start_session("squat-and-fold", "Squat and fold", "break").uid
        store.finish_session(uid, Status.PARTIAL, active_s=20, steps_done=1, steps_skipped=3)
    assert raw_rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw_rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert raw_rows(db, "SELECT id, uid, status, steps_done FROM sessions ORDER BY id") == [
        (1, "u1", "completed", 6),
        (2, uid, "partial", 1),
    ]


def previous_pending_file(folder: Path, token: str, *sessions: dict[str, object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{token}.json"
    path.write_text(json.dumps({"sessions": list(sessions)}, indent=1), encoding="utf-8")
    return path


# A session as the previous release kept it in its pending file: the stored form, in
# the table's order with the id last, and seconds as they were (not rounded).
PREVIOUS_PENDING = {
    "uid": "a" * 32,
    "routine": "post-run-cooldown",
    "routine_name": "Post-run cooldown",
    "kind": "cooldown",
    "digest": "d1",
    "started_at": "2026-11-21T14:03:00Z",
    "ended_at": "2026-11-21T14:13:00Z",
    "status": "completed",
    "planned_s": 600.0,
    "active_s": 598.123456,
    "steps_done": 8,
    "steps_skipped": 0,
    "tightness_before": 6,
    "tightness_after": 3,
    "note": "hips looser",
    "updated_at": "2026-11-21T14:14:00Z",
    "breaks": 0,
    "id": None,
}


def test_a_pending_file_of_the_previous_release_is_merged(db):
    before_breaks = {k: v for k, v in PREVIOUS_PENDING.items() if k != "breaks"}
    before_breaks |= {"uid": "b" * 32, "status": "running", "ended_at": None, "id": 4}
    previous_pending_file(db.parent / "history-pending", "d" * 32, PREVIOUS_PENDING, before_breaks)
    with HistoryStore.open(db, now=FixedNow(), busy_timeout_ms=50) as store:
        first, second = store.get("a" * 32), store.get("b" * 32)
        assert store.notices == []
    assert first is not None and second is not None
    assert (first.active_s, first.note, first.tightness_after, first.breaks) == (
        598.123456,
        "hips looser",
        3,
        0,
    )
    assert (second.id, second.status, second.breaks) == (4, Status.INTERRUPTED, 0)
    assert second.ended_at == second.updated_at  # ended, as far as anyone knows, then
    assert not list((db.parent / "history-pending").glob("*"))


def test_the_pending_file_keeps_each_session_in_its_export_form(db):
    store = HistoryStore.open(db, now=FixedNow(), busy_timeout_ms=50, opener=read_only_opener)
    try:
        uid = store.start_session("post-run-cooldown", "Post-run cooldown", "cooldown").uid
        record = store.finish_session(uid, active_s=598.123456, steps_done=8)
        side_file = store.pending_dir / f"{store._token}.json"
        (kept,) = json.loads(side_file.read_text(encoding="utf-8"))["sessions"]
    finally:
        store.close()
    assert {name: kept[name] for name in COLUMNS} == as_dict(record)
    assert kept["active_s"] == 598.123  # as the export rounds it
    assert kept["updated_at"] == "2026-11-21T14:03:00Z"


def test_a_session_goes_through_the_export_and_back_unchanged():
    record = a_session(active_s=3599.123)
    out = io.StringIO()
    write_csv([record], out)
    (back,) = read_csv(io.StringIO(out.getvalue())).records
    assert back == replace(record, updated_at=None)
