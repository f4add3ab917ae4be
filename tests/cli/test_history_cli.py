"""`loosen history`: the table and summary, --json and --csv, --import, and the errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from history_testing import FixedNow, raw_connection
from loosen import paths
from loosen.cli import main
from loosen.commands import history_cmd
from loosen.core.history import COLUMNS, HistoryStore, SessionRecord


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def record_sessions() -> list[SessionRecord]:
    now = FixedNow()
    with HistoryStore.open(paths.history_db(), now=now) as store:
        first = store.start_session(
            "post-run-cooldown", "Post-run cooldown", "cooldown", planned_s=600, tightness_before=6
        )
        now.advance(minutes=9, seconds=30)
        store.finish_session(first.uid, active_s=570, steps_done=8)
        store.rate(first.uid, 3, "hips looser after the lunge stretch, glutes still tight")
        now.advance(days=1)
        second = store.start_session("squat-and-fold", "Squat and fold", "break")
        now.advance(minutes=1)
        store.finish_session(second.uid, "stopped", active_s=45, steps_done=1, steps_skipped=1)
        return store.sessions(newest_first=False)


def test_an_empty_history_says_so_and_creates_nothing(capsys):
    code, out, err = run_cli(capsys, "history")
    assert (code, err) == (0, "")
    assert out == f"No sessions yet. Each routine you run is recorded in {paths.history_db()}\n"
    assert not paths.history_db().exists()
    assert run_cli(capsys, "history", "--json")[:2] == (0, "[]\n")
    assert run_cli(capsys, "history", "--csv")[:2] == (0, ",".join(COLUMNS) + "\n")


def test_the_table_is_newest_first_with_a_summary(capsys):
    first, second = record_sessions()
    code, out, err = run_cli(capsys, "history")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    local = [r.started_at.astimezone().strftime("%Y-%m-%d %H:%M") for r in (second, first)]
    assert lines[:3] == [
        "WHEN              ROUTINE            STATUS     TIME   TIGHTNESS  NOTE",
        f"{local[0]}  Squat and fold     stopped    45s",
        f"{local[1]}  Post-run cooldown  completed  9m30s  6 → 3      "
        "hips looser after the lunge stretch, gl…",
    ]
    assert lines[3] == ""
    assert lines[4].startswith("2 sessions; ")
    assert "Which routine loosens you most: not enough yet; rate 5 completed sessions" in out


def test_limit_shows_the_newest_and_says_how_many_more(capsys):
    record_sessions()
    code, out, _ = run_cli(capsys, "history", "--limit", "1")
    assert code == 0
    table = out.split("\n\n")[0]
    assert "Squat and fold" in table and "Post-run cooldown" not in table
    assert "… and 1 older" in table


def test_json_has_the_contract_fields_oldest_first(capsys):
    sessions = record_sessions()
    code, out, err = run_cli(capsys, "history", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [d["uid"] for d in data] == [s.uid for s in sessions]
    assert list(data[0]) == list(COLUMNS)
    assert {k: data[0][k] for k in COLUMNS if k not in ("uid",)} == {
        "id": 1,
        "routine": "post-run-cooldown",
        "routine_name": "Post-run cooldown",
        "kind": "cooldown",
        "started_at": "2026-11-21T14:03:00Z",
        "ended_at": "2026-11-21T14:12:30Z",
        "status": "completed",
        "planned_s": 600,
        "active_s": 570,
        "steps_done": 8,
        "steps_skipped": 0,
        "tightness_before": 6,
        "tightness_after": 3,
        "note": "hips looser after the lunge stretch, glutes still tight",
        "digest": "",
        "breaks": 0,
    }
    assert data[1]["tightness_before"] is None and data[1]["planned_s"] is None


def test_csv_export_then_import_on_a_new_machine_then_export_is_identical(
    capsys, tmp_path, monkeypatch
):
    record_sessions()
    code, exported, _ = run_cli(capsys, "history", "--csv")
    assert code == 0
    assert exported.splitlines()[0] == ",".join(COLUMNS)
    backup = tmp_path / "backup.csv"
    backup.write_text(exported, encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new-machine"))
    assert run_cli(capsys, "history", "--import", str(backup)) == (
        0,
        "imported 2, skipped 0 already present, 0 bad rows\n",
        "",
    )
    assert run_cli(capsys, "history", "--csv")[1] == exported
    # Importing it again is harmless.
    assert run_cli(capsys, "history", "--import", str(backup))[1] == (
        "imported 0, skipped 2 already present, 0 bad rows\n"
    )


def test_import_reports_bad_rows_by_line_keeps_the_good_ones_and_exits_1(capsys, tmp_path):
    good = "1,a,A,cooldown,2026-03-01T07:30:00Z,,completed,600,598,8,0,6,3,ok,,,"
    bad = "2,a,A,cooldown,2026-03-02T07:30:00Z,,completed,600,598,8,0,6,12,,,,"
    file = tmp_path / "FILE.csv"
    file.write_text("\n".join([",".join(COLUMNS), good, good, bad, ""]), encoding="utf-8")
    code, out, err = run_cli(capsys, "history", "--import", str(file))
    assert code == 1
    assert out == "imported 1, skipped 1 already present, 1 bad rows\n"
    assert err == f'{file}: line 4: tightness_after: "12" is not 0–10\n'
    assert [s["id"] for s in json.loads(run_cli(capsys, "history", "--json")[1])] == [1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read it (No such file or directory)"),
        (b"", "is empty; expected a header line and one line per session"),
        (b"\xff\xfe r o u t i n e", "is not UTF-8 text; export it again as UTF-8 CSV"),
        (b"name,date\nx,y\n", "line 1: missing column(s) routine, started_at, status;"),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_one_line_error(capsys, tmp_path, content, message):
    file = tmp_path / "in.csv"
    if content is not None:
        file.write_bytes(content)
    code, out, err = run_cli(capsys, "history", "--import", str(file))
    assert (code, out) == (1, "")
    assert err.startswith(f"loosen: {file}: {message}")
    assert err.count("\n") == 1
    assert not paths.history_db().exists()  # nothing to import: no history file made


def test_import_into_a_locked_history_is_a_one_line_error(capsys, tmp_path, monkeypatch):
    record_sessions()
    file = tmp_path / "in.csv"
    file.write_text(run_cli(capsys, "history", "--csv")[1], encoding="utf-8")
    monkeypatch.setattr(history_cmd, "BUSY_TIMEOUT_MS", 50)
    with raw_connection(paths.history_db()) as other:
        other.execute("BEGIN EXCLUSIVE")
        code, out, err = run_cli(capsys, "history", "--import", str(file))
        other.execute("COMMIT")
    assert (code, out) == (1, "")
    assert err == (
        f"loosen: history is busy in another program ({paths.history_db()}); nothing was imported\n"
    )


def test_a_damaged_history_is_set_aside_and_the_user_told(capsys):
    db = paths.history_db()
    db.parent.mkdir(parents=True)
    db.write_bytes(b"not a database at all" * 100)
    code, out, err = run_cli(capsys, "history")
    assert code == 0
    assert err.startswith("loosen: history file was damaged: it was moved to ")
    assert "No sessions yet" in out
    assert len(list(Path(db.parent).glob("history.sqlite3.corrupt-*"))) == 1


@pytest.mark.parametrize(
    "argv",
    [["--json", "--csv"], ["--csv", "--import", "x.csv"], ["--import"], ["--limit", "0"]],
)
def test_conflicting_or_malformed_options_are_usage_errors(capsys, argv):
    with pytest.raises(SystemExit) as raised:
        main(["history", *argv])
    assert raised.value.code == 2
    assert "usage: loosen history" in capsys.readouterr().err


def test_the_summary_says_how_break_reminders_were_answered_this_week(capsys):
    record_sessions()
    now = datetime.now(UTC)
    with HistoryStore.open(paths.history_db()) as store:
        for outcome, days_ago in (("taken", 1), ("taken", 2), ("snoozed", 2), ("skipped", 9)):
            moment = now - timedelta(days=days_ago)
            store.log_reminder("squat-and-fold", outcome, moment, moment)
    code, out, _ = run_cli(capsys, "history")
    assert code == 0
    assert out.splitlines()[-1] == "Break reminders in the last 7 days: 2 taken, 1 snoozed."
    assert "reminders" not in run_cli(capsys, "history", "--json")[1]  # the contract stays


def test_the_summary_alone_is_the_sentences_without_the_table(capsys):
    record_sessions()
    code, out, err = run_cli(capsys, "history", "--summary")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("2 sessions; ")
    assert lines[1] == (
        "Which routine loosens you most: not enough yet; rate 5 completed sessions of a "
        "routine before and after (so far Post-run cooldown: 1)."
    )
    assert "Squat and fold" not in out  # no table


def test_the_summary_as_json_has_the_shape_design_md_gives_even_when_empty(capsys):
    code, out, _ = run_cli(capsys, "history", "--summary", "--json")
    summary = json.loads(out)
    assert code == 0
    assert {k: summary[k] for k in ("sessions", "rated", "helps_most", "effects")} == {
        "sessions": 0,
        "rated": 0,
        "helps_most": None,
        "effects": [],
    }
    assert [habit["with"]["n"] for habit in summary["habits"]] == [0, 0, 0]


def test_a_removed_routine_is_labelled_in_the_summary_json(capsys):
    now = FixedNow()
    with HistoryStore.open(paths.history_db(), now=now) as store:
        for _ in range(6):
            record = store.start_session(
                "my-old-stretch", "My old stretch", "cooldown", tightness_before=6
            )
            store.finish_session(record.uid, active_s=300, steps_done=4)
            store.rate(record.uid, 2)
            now.advance(days=1)
    summary = json.loads(run_cli(capsys, "history", "--summary", "--json")[1])
    assert summary["helps_most"] is None  # six sessions, but it is no longer in the library
    (effect,) = summary["effects"]
    assert (effect["routine"], effect["exists"], effect["n"]) == ("my-old-stretch", False, 6)


@pytest.mark.parametrize("argv", [["--summary", "--csv"], ["--summary", "--import", "x.csv"]])
def test_the_summary_goes_with_json_only(capsys, argv):
    code, out, err = run_cli(capsys, "history", *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "--summary" in err


# -- the reminder log (issue 17) -----------------------------------------------------


def record_reminders() -> None:
    """A morning of reminders: each outcome, given and not."""
    now = FixedNow()
    due = now()
    with HistoryStore.open(paths.history_db(), now=now) as store:
        store.log_reminder("squat-and-fold", "away", due)  # the user was out
        due += timedelta(minutes=20)
        now.advance(minutes=21)
        store.log_reminder("squat-and-fold", "snoozed", due, given_at=due, stage="gentle")
        now.advance(minutes=6)
        store.log_reminder(
            "squat-and-fold", "taken", due, given_at=now() - timedelta(minutes=1), stage="gentle"
        )
        due = now() + timedelta(minutes=15)
        now.advance(minutes=15)
        store.log_reminder("squat-and-fold", "deferred", due, stage="firm")


def test_the_reminder_log_as_json_has_every_reminder_oldest_first(capsys):
    record_reminders()
    code, out, err = run_cli(capsys, "history", "--reminders", "--json")
    assert (code, err) == (0, "")
    found = json.loads(out)
    assert [list(item) for item in found] == [
        ["routine", "due_at", "given_at", "stage", "outcome", "answered_at"]
    ] * 4
    assert [(r["outcome"], r["stage"], r["given_at"]) for r in found] == [
        ("away", None, None),
        ("snoozed", "gentle", "2026-11-21T14:23:00Z"),
        ("taken", "gentle", "2026-11-21T14:29:00Z"),
        ("deferred", "firm", None),
    ]
    assert found[0]["due_at"] == found[0]["answered_at"] == "2026-11-21T14:03:00Z"


def test_the_reminder_csv_has_the_json_keys_as_columns_and_empty_nulls(capsys):
    record_reminders()
    _, as_json, _ = run_cli(capsys, "history", "--reminders", "--json")
    code, out, err = run_cli(capsys, "history", "--reminders", "--csv")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "routine,due_at,given_at,stage,outcome,answered_at"
    assert lines[1] == "squat-and-fold,2026-11-21T14:03:00Z,,,away,2026-11-21T14:03:00Z"
    rows = [line.split(",") for line in lines[1:]]
    assert rows == [
        ["" if value is None else value for value in item.values()] for item in json.loads(as_json)
    ]


def test_the_reminder_table_and_an_empty_log(capsys):
    assert run_cli(capsys, "history", "--reminders")[1] == (
        "No break reminders yet. Turn them on in Settings.\n"
    )
    assert run_cli(capsys, "history", "--reminders", "--json")[1] == "[]\n"
    assert not paths.history_db().exists()
    record_reminders()
    code, out, _ = run_cli(capsys, "history", "--reminders")
    assert code == 0
    assert out.splitlines()[0].split() == [
        "DUE",
        "GIVEN",
        "STAGE",
        "OUTCOME",
        "ANSWERED",
        "ROUTINE",
    ]
    rows = [line.split() for line in out.splitlines()[1:]]
    assert [row[4] if row[2] == "–" else row[5] for row in rows] == [  # the OUTCOME column
        "away",
        "snoozed",
        "taken",
        "deferred",
    ]


def test_reminders_with_summary_or_import_is_a_usage_error(capsys, tmp_path):
    code, _, err = run_cli(capsys, "history", "--reminders", "--summary")
    assert code == 2 and "--reminders" in err


def test_a_version_4_history_is_read_by_reminders_as_never_given(capsys):
    from loosen.core.history.schema import MIGRATIONS, migrate

    paths.history_db().parent.mkdir(parents=True, exist_ok=True)
    with raw_connection(paths.history_db()) as conn:
        migrate(conn, MIGRATIONS[:4])
        conn.execute(
            "INSERT INTO reminders (routine, outcome, due_at, answered_at) VALUES"
            " ('squat-and-fold', 'taken', '2026-11-21T14:00:00Z', '2026-11-21T14:02:00Z')"
        )
    code, out, _ = run_cli(capsys, "history", "--reminders", "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "routine": "squat-and-fold",
            "due_at": "2026-11-21T14:00:00Z",
            "given_at": None,
            "stage": None,
            "outcome": "taken",
            "answered_at": "2026-11-21T14:02:00Z",
        }
    ]
