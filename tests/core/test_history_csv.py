"""The CSV/JSON column contract, and import: round trips, idempotence, bad rows by line."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from history_testing import FixedNow
from loosen.core.history import (
    COLUMNS,
    CONTRACT_COLUMNS,
    CsvFileError,
    HistoryStore,
    SessionRecord,
    Status,
)
from loosen.core.history.csvio import as_dict, derived_uid, read_csv, write_csv
from loosen.core.history.records import one_newline

T0 = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)


def record(i: int = 0, **changes) -> SessionRecord:
    base = SessionRecord(
        uid=f"{i:032x}",
        routine="post-run-cooldown",
        routine_name="Post-run cooldown",
        kind="cooldown",
        started_at=T0 + timedelta(days=i),
        ended_at=T0 + timedelta(days=i, minutes=10),
        status=Status.COMPLETED,
        planned_s=600.0,
        active_s=598.25,
        steps_done=8,
        steps_skipped=1,
        tightness_before=6,
        tightness_after=3,
        note="",
        digest="abc123",
    )
    return replace(base, **changes)


AWKWARD = [
    record(0),
    record(1, note='hips, "glutes" and\nhamstrings; ünïcode ✓', tightness_before=None),
    record(2, status=Status.STOPPED, planned_s=None, active_s=61.0, tightness_after=None),
    record(3, status=Status.INTERRUPTED, ended_at=None, active_s=12.3456789, note="=1+1"),
    record(4, routine="sprints", routine_name="Sprints, with breaks", kind="run", note=" x "),
]


def export(store: HistoryStore) -> str:
    out = io.StringIO()
    write_csv(store.sessions(newest_first=False), out)
    return out.getvalue()


def parse(text: str):
    return read_csv(io.StringIO(text, newline=""))


@pytest.fixture
def store(tmp_path: Path):
    with HistoryStore.open(tmp_path / "a.sqlite3", now=FixedNow()) as opened:
        yield opened


def test_columns_are_the_design_contract_then_the_extras():
    assert CONTRACT_COLUMNS == (
        "id",
        "routine",
        "routine_name",
        "kind",
        "started_at",
        "ended_at",
        "status",
        "planned_s",
        "active_s",
        "steps_done",
        "steps_skipped",
        "tightness_before",
        "tightness_after",
        "note",
    )
    assert COLUMNS[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert list(as_dict(record(0, id=7))) == list(COLUMNS)


def test_values_are_written_as_the_contract_says():
    data = as_dict(AWKWARD[3])
    assert data["started_at"] == "2026-03-04T07:30:00Z"
    assert data["ended_at"] is None
    assert data["active_s"] == 12.346
    assert as_dict(AWKWARD[2])["planned_s"] is None
    assert as_dict(AWKWARD[0])["planned_s"] == 600 and isinstance(
        as_dict(AWKWARD[0])["planned_s"], int
    )
    out = io.StringIO()
    write_csv([AWKWARD[2]], out)
    assert out.getvalue().splitlines()[1] == (
        ",post-run-cooldown,Post-run cooldown,cooldown,2026-03-03T07:30:00Z,"
        "2026-03-03T07:40:00Z,stopped,,61,8,1,6,,,00000000000000000000000000000002,abc123,0"
    )


def test_export_import_export_is_byte_identical(store, tmp_path):
    store.import_records(AWKWARD)
    first = export(store)
    parsed = parse(first)
    assert parsed.errors == []
    # Into an empty history every id is free, so every id comes back the same.
    with HistoryStore.open(tmp_path / "b.sqlite3", now=FixedNow()) as other:
        assert other.import_records(parsed.records).imported == len(AWKWARD)
        second = export(other)
    assert second == first
    assert first.count("\n") > len(AWKWARD) + 1  # the note's newline survived, quoted


def test_importing_the_same_file_twice_adds_nothing(store):
    text = io.StringIO()
    write_csv(AWKWARD, text)
    parsed = parse(text.getvalue())
    assert store.import_records(parsed.records).imported == 5
    counts = store.import_records(parse(text.getvalue()).records)
    assert (counts.imported, counts.skipped) == (0, 5)
    assert len(store.sessions()) == 5


def test_a_csv_without_uids_is_also_idempotent(store):
    text = io.StringIO()
    write_csv(AWKWARD, text)
    rows = list(csv.reader(io.StringIO(text.getvalue(), newline="")))
    without = io.StringIO()
    csv.writer(without, lineterminator="\n").writerows(row[: len(CONTRACT_COLUMNS)] for row in rows)
    parsed = parse(without.getvalue())
    assert parsed.errors == []
    assert parsed.records[0].uid == derived_uid("post-run-cooldown", "2026-03-01T07:30:00Z")
    assert store.import_records(parsed.records).imported == 5
    assert store.import_records(parse(without.getvalue()).records).skipped == 5


def test_a_row_without_a_uid_finds_its_session_by_routine_and_second(store):
    store.import_records([record(0)])
    started = "2026-03-01T07:30:00Z"
    counts = store.import_records([record(0, uid=derived_uid("post-run-cooldown", started))])
    assert (counts.imported, counts.skipped) == (0, 1)


def test_two_sessions_in_the_same_second_with_their_own_uids_are_two(store):
    store.import_records([record(0)])
    counts = store.import_records([record(0, uid="f" * 32)])  # same routine, same second
    assert (counts.imported, counts.skipped) == (1, 0)


def test_ids_are_kept_where_free_and_renumbered_where_taken(store):
    store.import_records([record(0, id=1), record(1, id=5)])
    store.import_records([record(2, id=1), record(3, id=9)])
    assert [(r.uid[-1], r.id) for r in store.sessions(newest_first=False)] == [
        ("0", 1),
        ("1", 5),
        ("2", 6),  # SQLite's next id: one past the largest at the time
        ("3", 9),
    ]


def test_an_imported_running_session_becomes_interrupted(store):
    store.import_records([record(0, status=Status.RUNNING, ended_at=None, active_s=90)])
    (got,) = store.sessions()
    assert got.status is Status.INTERRUPTED
    assert got.ended_at == T0 + timedelta(seconds=90)


HEADER = ",".join(COLUMNS)
GOOD = "1,a,A,cooldown,2026-03-01T07:30:00Z,,completed,600,598,8,0,6,3,ok,,,"


def test_bad_rows_are_reported_by_line_and_good_rows_kept():
    text = "\n".join(
        [
            HEADER,
            GOOD,
            '2,a,A,cooldown,2026-03-02T07:30:00Z,,completed,600,598,8,0,6,12,"two\nlines",,,',
            "3,a,A,cooldown,2026-03-03T07:30:00Z,,completed,600,598,8,0,6,3,fine,,,",
            "",
            "x,,A,cooldown,yesterday,,done,-5,a,1.5,0,,,,,,",
            "5,a,A,cooldown,0001-01-01T00:30:00+01:00,,completed,,,,,,,,,,",
            "6,a,A,cooldown",
            "",
        ]
    )
    parsed = parse(text)
    assert [r.id for r in parsed.records] == [1, 3]
    assert [str(e) for e in parsed.errors] == [
        'line 3: tightness_after: "12" is not 0–10',
        'line 7: id: "x" is not a positive whole number; '
        'routine: "" is not a routine id (lower-case letters, digits, -); '
        'started_at: "yesterday" is not an ISO 8601 time with a zone; '
        "use e.g. 2026-11-21T14:03:00Z; "
        'status: "done" is not one of running, completed, partial, stopped, interrupted; '
        'planned_s: "-5" is not a number of seconds 0 or more; '
        'active_s: "a" is not a number of seconds; '
        'steps_done: "1.5" is not a whole number 0 or more',
        'line 8: started_at: "0001-01-01T00:30:00+01:00" is outside years 1–9999 once in UTC',
        "line 9: has 4 fields; the header has 17",
    ]


def test_only_routine_started_at_and_status_are_required():
    parsed = parse("routine,started_at,status,extra\na,2026-03-01T08:30:00+01:00,completed,?\n")
    assert parsed.errors == []
    (got,) = parsed.records
    assert (got.routine_name, got.started_at, got.active_s, got.tightness_after) == (
        "a",
        T0,
        0.0,
        None,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty; expected a header line and one line per session"),
        ("id,routine\n1,a\n", "line 1: missing column(s) started_at, status; a history CSV has"),
        ("routine,started_at,status,routine\n", "line 1: column routine appears twice"),
    ],
)
def test_a_file_that_is_not_a_history_csv_is_refused_whole(text, message):
    with pytest.raises(CsvFileError) as raised:
        parse(text)
    assert str(raised.value).startswith(message)


def test_a_broken_quote_keeps_the_rows_before_it():
    parsed = parse(f'{HEADER}\n{GOOD}\n2,a,A,cooldown,"2026-03-02T07:30:00Z\n')
    assert len(parsed.records) == 1
    assert str(parsed.errors[0]).startswith("line 3: ")
    assert str(parsed.errors[0]).endswith("the rest of the file was not read")


def test_a_spreadsheet_bom_and_crlf_line_ends_are_fine():
    parsed = parse("\ufeff" + f"{HEADER}\r\n{GOOD}\r\n")
    assert parsed.errors == [] and len(parsed.records) == 1


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@settings(max_examples=60, deadline=None)
@given(
    note=_text.filter(lambda s: len(s) <= 200),
    name=_text.map(str.strip),
    active=st.floats(0, 10**6, allow_nan=False),
    before=st.none() | st.integers(0, 10),
    after=st.none() | st.integers(0, 10),
    status=st.sampled_from([s for s in Status if s is not Status.RUNNING]),
)
def test_any_session_survives_a_csv_round_trip(note, name, active, before, after, status):
    original = record(
        0,
        id=3,
        note=note,
        routine_name=name,
        active_s=active,
        tightness_before=before,
        tightness_after=after,
        status=status,
    )
    out = io.StringIO()
    write_csv([original], out)
    parsed = parse(out.getvalue())
    assert parsed.errors == []
    (back,) = parsed.records
    expected = replace(
        original,
        active_s=round(active, 3),
        routine_name=one_newline(name) or original.routine,
        note=one_newline(note),
    )
    assert back == expected
