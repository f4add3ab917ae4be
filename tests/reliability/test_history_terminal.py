"""`loosen history` on odd terminals and machines, run for real as a separate process.

Terminals that do not speak UTF-8, control characters in names and notes, time zones
a day or more from UTC, a history file that is a symlink loop or a FIFO, a file name
that is not UTF-8, an import on a terminal: one line at most, never a traceback or a
hang, and JSON and CSV stay exact.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import select
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from history_testing import FixedNow
from loosen import paths
from loosen.core.history import HistoryStore, SessionRecord, Status
from loosen.core.history.csvio import write_csv

TIMEOUT_S = 60
# A terminal that is not UTF-8 (plain ASCII, stricter than Latin-1): the C locale with
# Python's UTF-8 mode and locale coercion off.
ASCII_TERMINAL = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
LATIN1_TERMINAL = {"PYTHONIOENCODING": "latin-1"}
T0 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


def loosen(*argv: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    environment = dict(os.environ)
    environment.pop("PYTHONIOENCODING", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "loosen", *argv],
        env=environment,
        capture_output=True,
        timeout=TIMEOUT_S,
        check=False,
        **kwargs,
    )


def session(n: int, **changes) -> SessionRecord:
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
    )
    return replace(base, **changes)


HOSTILE = [
    session(0, routine_name="Cool\x1b[2Jdown", note="\x1b]0;pwned\x07 hips – looser ✓"),
    session(1, note="tab\there, bell\x07, CSI \x9b31m, nul-free"),
    session(2, routine_name="Étirements ✓", note="genoux – mieux 😀"),
]


@pytest.fixture
def hostile_history() -> list[SessionRecord]:
    with HistoryStore.open(paths.history_db(), now=FixedNow()) as store:
        store.import_records(HOSTILE)
        return store.sessions(newest_first=False)


# -- control characters are shown escaped ----------------------------------------------------


def test_the_table_shows_control_characters_escaped_never_raw(hostile_history):
    done = loosen("history")
    assert done.returncode == 0 and done.stderr == b""
    out = done.stdout.decode("utf-8")
    for raw in ("\x1b", "\x07", "\x9b", "\t"):
        assert raw not in out
    assert "Cool\\x1b[2Jdown" in out and "\\x1b]0;pwned\\x07 hips – looser ✓" in out
    assert "bell\\x07, CSI \\x9b31m" in out


def test_json_and_csv_keep_every_character_exact(hostile_history):
    as_json = json.loads(loosen("history", "--json").stdout)
    assert [(d["routine_name"], d["note"]) for d in as_json] == [
        (r.routine_name, r.note) for r in hostile_history
    ]
    out = io.StringIO()
    write_csv(hostile_history, out)
    assert loosen("history", "--csv").stdout.decode("utf-8") == out.getvalue()


def test_a_bad_row_echoed_in_an_import_error_is_escaped_too(tmp_path):
    file = tmp_path / "in.csv"
    file.write_text("routine,started_at,status\na,\x1b[31myesterday,completed\n", encoding="utf-8")
    done = loosen("history", "--import", str(file))
    assert done.returncode == 1 and b"\x1b" not in done.stderr
    assert '"\\x1b[31myesterday" is not an ISO 8601 time' in done.stderr.decode()


# -- terminals that are not UTF-8 ------------------------------------------------------------


@pytest.mark.parametrize("terminal", [ASCII_TERMINAL, LATIN1_TERMINAL], ids=["ascii", "latin-1"])
@pytest.mark.parametrize("argv", [["history"], ["history", "--help"], ["--help"]])
def test_human_output_never_crashes_on_the_terminals_encoding(hostile_history, terminal, argv):
    done = loosen(*argv, env=terminal)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
    assert done.stdout.strip()


@pytest.mark.parametrize("terminal", [ASCII_TERMINAL, LATIN1_TERMINAL], ids=["ascii", "latin-1"])
def test_json_on_such_a_terminal_is_valid_and_exact(hostile_history, terminal):
    done = loosen("history", "--json", env=terminal)
    assert done.returncode == 0 and done.stderr == b""
    data = json.loads(done.stdout.decode("ascii"))  # escaped: readable in any encoding
    assert [d["note"] for d in data] == [r.note for r in hostile_history]


@pytest.mark.parametrize("terminal", [ASCII_TERMINAL, LATIN1_TERMINAL], ids=["ascii", "latin-1"])
def test_csv_on_such_a_terminal_is_utf8_and_imports_back_exactly(
    hostile_history, terminal, tmp_path
):
    done = loosen("history", "--csv", env=terminal)
    assert done.returncode == 0 and done.stderr == b""
    backup = tmp_path / "backup.csv"
    backup.write_bytes(done.stdout)
    paths.history_db().unlink()
    assert loosen("history", "--import", str(backup), env=terminal).returncode == 0
    again = loosen("history", "--json").stdout
    assert [d["note"] for d in json.loads(again)] == [r.note for r in hostile_history]


@pytest.mark.parametrize(
    "terminal",
    [ASCII_TERMINAL, LATIN1_TERMINAL, {"PYTHONIOENCODING": "utf-8"}],
    ids=["ascii", "latin-1", "strict-utf-8"],
)
def test_list_json_with_a_file_name_that_is_not_utf8(user_routines, terminal):
    builtin = Path(__file__).resolve().parents[2] / "routines" / "squat-and-fold.toml"
    text = builtin.read_text(encoding="utf-8")
    name = b"caf\xe9-break.toml"  # Latin-1 bytes: not UTF-8
    with open(os.fsencode(user_routines) + b"/" + name, "wb") as handle:  # noqa: PTH123
        handle.write(text.replace('name = "', 'name = "Café ✓ ', 1).encode())
    done = loosen("list", "--json", env=terminal)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    data = json.loads(done.stdout)
    found = [r["path"] for r in data["routines"]] + [e["path"] for e in data["errors"]]
    assert os.fsencode(str(user_routines)) + b"/" + name in [os.fsencode(p) for p in found]


# -- time zones a day or more from UTC -------------------------------------------------------


@pytest.mark.parametrize("zone", ["XYZ+25", "XYZ-25", "XYZ+24", "XYZ-12"])
def test_a_zone_a_day_or_more_from_utc_does_not_crash_the_history(zone, tmp_path):
    with HistoryStore.open(paths.history_db(), now=FixedNow()) as store:
        edge = datetime(1, 1, 1, 3, tzinfo=UTC)  # a zone 12 h west puts it before year 1
        store.import_records([session(0), session(1, uid="e" * 32, started_at=edge, ended_at=edge)])
    for argv in (["history"], ["history", "--json"], ["history", "--csv"]):
        done = loosen(*argv, env={"TZ": zone})
        assert done.returncode == 0, done.stderr
        assert done.stderr == b""
    assert b"2026-05-01" in loosen("history", env={"TZ": zone}).stdout


# -- a history that cannot be opened says so ------------------------------------------------


def test_a_history_that_is_a_symlink_loop_says_it_cannot_be_opened_and_why():
    db = paths.history_db()
    db.parent.mkdir(parents=True)
    other = db.with_name("other")
    db.symlink_to(other)
    other.symlink_to(db)
    for argv in (["history"], ["history", "--json"], ["history", "--csv"]):
        done = loosen(*argv)
        assert done.returncode == 1 and done.stdout == b""
        assert done.stderr.decode() == (
            f"loosen: history cannot be opened ({db}): Too many levels of symbolic links\n"
        )


def test_a_history_that_is_a_dangling_link_is_not_no_sessions_yet():
    db = paths.history_db()
    db.parent.mkdir(parents=True)
    db.symlink_to(db.with_name("unmounted") / "history.sqlite3")
    done = loosen("history")
    assert done.returncode == 1 and b"No sessions yet" not in done.stdout
    assert done.stderr.decode().startswith(f"loosen: history cannot be opened ({db}): ")


def test_a_history_that_is_a_fifo_neither_hangs_nor_says_no_sessions(tmp_path):
    db = paths.history_db()
    db.parent.mkdir(parents=True)
    os.mkfifo(db)
    done = loosen("history")
    assert done.returncode == 1
    assert done.stderr.decode() == (
        f"loosen: history cannot be opened ({db}): it is not a regular file\n"
    )
    file = tmp_path / "in.csv"
    file.write_text("routine,started_at,status\na,2026-05-01T10:00:00Z,completed\n")
    done = loosen("history", "--import", str(file))
    assert done.returncode == 1 and done.stderr.decode().endswith("nothing was imported\n")


# -- the import on a terminal shows how far it got ---------------------------------------------


def _big_csv(tmp_path: Path, rows: int) -> Path:
    file = tmp_path / "big.csv"
    with file.open("w", encoding="utf-8", newline="") as handle:
        write_csv((session(i, uid=f"{i:032x}") for i in range(rows)), handle)
    return file


def test_an_import_on_a_terminal_shows_its_progress_on_stderr(tmp_path):
    file = _big_csv(tmp_path, 12_000)
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "loosen", "history", "--import", str(file)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=dict(os.environ),
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], TIMEOUT_S)
        assert ready, "the import said nothing for a minute"
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        seen += chunk
    out, _ = child.communicate(timeout=TIMEOUT_S)
    os.close(leader)
    assert child.returncode == 0
    assert out == b"imported 12000, skipped 0 already present, 0 bad rows\n"
    assert b"\rreading big.csv: 5,000 rows (" in seen
    assert b"\rreading big.csv: 10,000 rows (" in seen
    assert seen.endswith(b"\r\x1b[K")  # the line is cleared before the result


def test_an_import_into_a_pipe_prints_no_progress(tmp_path):
    file = _big_csv(tmp_path, 6_000)
    done = loosen("history", "--import", str(file))
    assert (done.returncode, done.stderr) == (0, b"")
    rows = list(csv.reader(io.StringIO(loosen("history", "--csv").stdout.decode())))
    assert len(rows) == 6_001
