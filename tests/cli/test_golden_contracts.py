"""What scripts and people read from the CLI, pinned byte for byte on a fixed history.

The history is made through the real store from a fixed seed: several routines over
nine weeks of 2023, rated and unrated, completed and stopped, runs with and without a
cooldown after them. The files in `golden_contracts/` were captured from the code
before issue 15's "one copy of each thing" refactor; these tests prove that the
refactor, and anything after it, leaves every output as it was.

What is genuinely not the data's: the test's temporary folders and the checkout's
path (in `loosen list`), shown as `<home>` and `<repo>`. Time is kept out instead of
normalised: the sessions are long past, so the "last 7 days" figures are 0 whatever
today is, and the table is in UTC (`TZ`). The summary's time-relative sentences are
pinned through `summary_lines` at a fixed `now` inside the data.

To capture again on purpose: `LOOSEN_CAPTURE_GOLDEN=1 pytest tests/cli/test_golden_contracts.py`.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from history_testing import FixedNow
from loosen import paths
from loosen.cli import main
from loosen.commands import history_cmd
from loosen.core.history import HistoryStore, Status

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("golden_contracts")
GOLDEN_PLANS = REPO / "tests" / "core" / "golden_plans"
CAPTURE = os.environ.get("LOOSEN_CAPTURE_GOLDEN") == "1"
SEED = 15
FIRST_DAY = datetime(2023, 3, 6, 6, 30, tzinfo=UTC)  # a Monday, long past
WEEKS = 9
SUMMARY_NOW = FIRST_DAY + timedelta(weeks=WEEKS - 1, days=3, hours=12)

# (id, name, kind, planned_s): the shapes the history holds, runs included.
ROUTINES = [
    ("post-run-cooldown", "Post-run cooldown", "cooldown", 738.0),
    ("squat-and-fold", "Squat and fold", "break", 71.0),
    ("core-and-hips", "Core and hips", "strength", 573.0),
    ("long-easy-run", "Long easy run with back breaks", "run", 4500.0),
    ("tempo-run", "Tempo run — open", "run", None),
]
NOTES = ["", "", "", "hips looser after the lunge stretch, glutes still tight", "ça va\nbien"]

USER_ROUTINES = {
    "tempo-run.toml": """format = 1
name = "Tempo run — open"
kind = "run"
[interval]
activity = "Tempo running"
every = "15-20m"
break = "squat-and-fold"
""",
    "mat-stretch.toml": """format = 1
name = "Mat stretch"
kind = "cooldown"
[defaults]
rest = "15s"
[[steps]]
name = "Figure four"
duration = "40s"
sides = true
sets = 2
[[steps]]
name = "Glute bridge"
reps = 10
tempo = "3s"
[[steps]]
name = "Cat and camel"
reps = 6
""",
    "broken.toml": 'format = 1\nname = "Broken"\nkind = "cooldown"\n[[steps]]\nname = "x"\n'
    'duration = "-5s"\n',
}


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch):
    """The table shows local time: make local time UTC, the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def make_history() -> None:
    """The fixed history, written through the real store (uids from the seed too)."""
    rng = random.Random(SEED)
    now = FixedNow(FIRST_DAY)
    with HistoryStore.open(
        paths.history_db(), now=now, new_uid=lambda: uuid.UUID(int=rng.getrandbits(128)).hex
    ) as store:
        for day in range(WEEKS * 7):
            if rng.random() < 0.3:
                continue  # a day off
            now.moment = FIRST_DAY + timedelta(days=day, minutes=rng.randrange(0, 600))
            chosen = [rng.choice(ROUTINES) for _ in range(rng.choice([1, 1, 2]))]
            if chosen[-1][2] == "run" and rng.random() < 0.6:
                chosen.append(ROUTINES[0])  # a cooldown straight after the run
            for routine, name, kind, planned in chosen:
                before = rng.choice([None, *range(2, 9)])
                record = store.start_session(
                    routine, name, kind, planned_s=planned, tightness_before=before
                )
                length = planned if planned is not None else 2700.0
                stopped = rng.random() < 0.2
                active = round(length * (rng.uniform(0.2, 0.9) if stopped else 1.0), 1)
                now.advance(seconds=active + rng.randrange(0, 120))
                store.finish_session(
                    record.uid,
                    Status.STOPPED if stopped else Status.COMPLETED,
                    active_s=active,
                    steps_done=rng.randrange(1, 9),
                    steps_skipped=rng.randrange(0, 3) if stopped else 0,
                )
                if rng.random() < 0.75:
                    after = rng.randrange(0, 8)
                    store.rate(record.uid, after, rng.choice(NOTES))
                now.advance(minutes=rng.randrange(10, 100))


def add_user_routines() -> None:
    folder = paths.user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in USER_ROUTINES.items():
        (folder / name).write_text(text, encoding="utf-8")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """What the command prints: stdout, then anything on stderr after a marker line."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0
    return out + (f"--- stderr ---\n{err}" if err else "")


def without_places(text: str, home: Path) -> str:
    """The two paths that belong to the machine, not to the data."""
    return text.replace(str(home), "<home>").replace(str(REPO), "<repo>")


def check(name: str, text: str) -> None:
    golden = GOLDEN / name
    if CAPTURE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(text.encode())
    assert text == golden.read_bytes().decode(), name


HISTORY_OUTPUTS = {
    "history.txt": (),
    "history-limit.txt": ("--limit", "12"),
    "history.json": ("--json",),
    "history.csv": ("--csv",),
}


@pytest.mark.parametrize("name", list(HISTORY_OUTPUTS))
def test_history_outputs_are_as_captured(capsys, name):
    make_history()
    check(name, cli(capsys, "history", *HISTORY_OUTPUTS[name]))


def make_reminder_log() -> None:
    """Four weeks of desk-break reminders on work days, from the seed, every outcome."""
    rng = random.Random(SEED)
    now = FixedNow(FIRST_DAY)
    outcomes = ["taken", "taken", "snoozed", "skipped", "away", "deferred", "unanswered"]
    with HistoryStore.open(paths.history_db(), now=now) as store:
        for day in range(28):
            if day % 7 >= 5:
                continue
            due = FIRST_DAY + timedelta(days=day, hours=3, minutes=rng.randrange(0, 60))
            for _ in range(rng.randrange(1, 4)):
                outcome = rng.choice(outcomes)
                given = None if outcome in ("away", "deferred") else due
                stage = None if outcome == "away" else rng.choice(["gentle", "firm"])
                answered = due + timedelta(seconds=rng.randrange(5, 400))
                store.log_reminder(
                    "squat-and-fold", outcome, due, answered, given_at=given, stage=stage
                )
                due = answered + timedelta(minutes=rng.randrange(15, 21))


@pytest.mark.parametrize(
    "name, argv",
    [
        ("reminders.txt", ()),
        ("reminders.json", ("--json",)),
        ("reminders.csv", ("--csv",)),
    ],
)
def test_the_reminder_log_is_as_captured(capsys, name, argv):
    make_reminder_log()
    check(name, cli(capsys, "history", "--reminders", *argv))


def test_the_summary_at_a_moment_inside_the_history_is_as_captured():
    make_history()
    with HistoryStore.open(paths.history_db()) as store:
        records = store.sessions(newest_first=True)
    existing = {routine for routine, *_ in ROUTINES}
    lines = history_cmd.summary_lines(records, SUMMARY_NOW, existing)
    check("summary.txt", "\n".join(lines) + "\n")


def test_the_summary_json_is_as_captured(capsys):
    make_history()
    check("summary.json", cli(capsys, "history", "--summary", "--json"))


@pytest.mark.parametrize("name, argv", [("list.txt", ()), ("list.json", ("--json",))])
def test_the_routine_list_is_as_captured(capsys, isolated_user_dirs, name, argv):
    add_user_routines()
    check(name, without_places(cli(capsys, "list", *argv), isolated_user_dirs))


@pytest.mark.parametrize("routine", sorted(p.stem for p in GOLDEN_PLANS.glob("*.json")))
def test_each_built_in_plan_prints_its_golden_plan(capsys, routine):
    """`loosen plan X --json` prints tests/core/golden_plans/X.json byte for byte."""
    out = cli(capsys, "plan", routine, "--json")
    assert out == (GOLDEN_PLANS / f"{routine}.json").read_text(encoding="utf-8")


def test_user_routine_plans_are_as_captured(capsys):
    add_user_routines()
    for routine in ("tempo-run", "mat-stretch"):
        check(f"plan-{routine}.json", cli(capsys, "plan", routine, "--json"))
        check(f"plan-{routine}.txt", cli(capsys, "plan", routine))
