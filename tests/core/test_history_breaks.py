"""A run's breaks in the history: the migration that adds them, and their way through CSV."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from history_testing import FixedNow, raw_connection, raw_rows, read_only_opener
from loosen.core.history import HistoryStore, Status
from loosen.core.history.csvio import COLUMNS, CONTRACT_COLUMNS, as_dict, read_csv, write_csv
from loosen.core.history.schema import MIGRATIONS, SCHEMA_VERSION, migrate, user_version

OLD_ROW = (
    "INSERT INTO sessions (uid, routine, routine_name, kind, started_at, status, active_s,"
    " steps_done, updated_at) VALUES ('u1', 'sprint-session', 'Sprint hour', 'run',"
    " '2026-11-21T14:03:00Z', 'completed', 3600, 6, '2026-11-21T15:04:00Z')"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "history.sqlite3"
    path.parent.mkdir(parents=True)
    return path


def old_file(db: Path) -> None:
    """The file as the release before breaks wrote it, with one run in it."""
    with raw_connection(db) as conn:
        migrate(conn, MIGRATIONS[:2])
        conn.execute(OLD_ROW)
        assert user_version(conn) == 2


def test_a_file_from_before_breaks_gains_the_column_and_keeps_its_sessions(db):
    old_file(db)
    with HistoryStore.open(db, now=FixedNow(), busy_timeout_ms=50) as store:
        (kept,) = store.sessions()
        assert (kept.uid, kept.active_s, kept.steps_done, kept.breaks) == ("u1", 3600, 6, 0)
        store.update_session("u1", breaks=3)
    assert raw_rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw_rows(db, "SELECT uid, steps_done, breaks FROM sessions") == [("u1", 6, 3)]


def test_a_read_only_file_from_before_breaks_is_still_read(db):
    old_file(db)
    store = HistoryStore(db, now=FixedNow(), busy_timeout_ms=50, opener=read_only_opener)
    try:
        (kept,) = store.sessions()
    finally:
        store.close()
    assert (kept.uid, kept.breaks) == ("u1", 0)
    assert raw_rows(db, "PRAGMA user_version") == [(2,)]  # nothing written


def test_a_negative_count_of_breaks_is_refused(db):
    with HistoryStore.open(db, now=FixedNow(), busy_timeout_ms=50) as store:
        uid = store.start_session("sprint-session", "Sprint hour", "run").uid
        with pytest.raises(ValueError, match="breaks cannot be negative"):
            store.finish_session(uid, Status.COMPLETED, breaks=-1)
        finished = store.finish_session(uid, Status.COMPLETED, active_s=3600, breaks=2)
    assert finished.breaks == 2
    assert raw_rows(db, "SELECT status, breaks FROM sessions") == [("completed", 2)]


def test_breaks_are_the_last_export_column_and_survive_a_round_trip(db):
    with HistoryStore.open(db, now=FixedNow(), busy_timeout_ms=50) as store:
        uid = store.start_session("sprint-session", "Sprint hour", "run").uid
        record = store.finish_session(uid, Status.COMPLETED, steps_done=4, breaks=2)
    assert COLUMNS[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS and COLUMNS[-1] == "breaks"
    assert as_dict(record)["breaks"] == 2
    out = io.StringIO()
    write_csv([record], out)
    (back,) = read_csv(io.StringIO(out.getvalue())).records
    assert (back.uid, back.steps_done, back.breaks) == (uid, 4, 2)


def test_a_csv_from_before_breaks_imports_with_none(db):
    header = ",".join(COLUMNS[:-1])
    row = "1,a,A,run,2026-03-01T07:30:00Z,,completed,3600,3600,6,0,,,ok,u9,"
    parsed = read_csv(io.StringIO(f"{header}\n{row}\n"))
    assert parsed.errors == []
    assert parsed.records[0].breaks == 0
    bad = read_csv(io.StringIO(f"{','.join(COLUMNS)}\n{row},two\n"))
    assert [str(e) for e in bad.errors] == ['line 2: breaks: "two" is not a whole number 0 or more']
