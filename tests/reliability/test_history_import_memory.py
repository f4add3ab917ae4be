"""`loosen history --import` keeps no state per row: a file 4× longer takes no more memory.

Python's own allocations are traced (tracemalloc): deterministic, no timing. The files
hold duplicates and bad rows too, so neither a set of the uids seen, nor the sessions
kept for a summary, nor a list of every error can grow unnoticed.

Each import is measured in a process of its own. The import's whole peak is under a
megabyte, and tracemalloc counts every allocation in the process: in a full run the
test process holds what earlier tests left (garbage whose collection, with its
finalizers, can fall inside the measurement; threads), and 20 % of someone else's
allocations once failed this test there.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loosen import paths
from loosen.core.history import COLUMNS, HistoryStore

T0 = datetime(2020, 1, 1, 7, 0, tzinfo=UTC)
EVERY = 10  # one row in this many is a duplicate, and one a bad row


def write_history_csv(file: Path, rows: int) -> tuple[int, int, int]:
    """A CSV of `rows` lines, written as generated; (good, duplicate, bad) lines in it."""
    good = duplicate = bad = 0
    with file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for n in range(rows):
            started = T0 + timedelta(hours=8 * n)
            after, uid = 3, n
            if n % EVERY == EVERY - 1:
                uid, duplicate = n - 2, duplicate + 1  # a good line met before, again
            elif n % EVERY == EVERY - 2:
                after, bad = 12, bad + 1  # tightness is 0–10
            else:
                good += 1
            writer.writerow(
                [
                    "",
                    "post-run-cooldown",
                    "Post-run cooldown",
                    "cooldown",
                    f"{started:%Y-%m-%dT%H:%M:%SZ}",
                    f"{started + timedelta(minutes=10):%Y-%m-%dT%H:%M:%SZ}",
                    "completed",
                    600,
                    598,
                    8,
                    0,
                    6,
                    after,
                    "hips looser",
                    f"{uid:032x}",
                    "",
                    0,
                ]
            )
    return good, duplicate, bad


# In a fresh interpreter: one import first, into a history of its own, so that what is
# made once and kept (modules, CPython's free lists of the batches' tuples) is there
# before measuring; then the measured import, its output on this process's own
# stdout and stderr, and last its exit code and peak as one line of JSON.
MEASURE = """
import contextlib, json, os, sys, tracemalloc
from loosen.cli import main
warm_up_data, warm_up_file, data, file = sys.argv[1:]
os.environ["XDG_DATA_HOME"] = warm_up_data
with open(os.devnull, "w") as nowhere:
    with contextlib.redirect_stdout(nowhere), contextlib.redirect_stderr(nowhere):
        main(["history", "--import", warm_up_file])
os.environ["XDG_DATA_HOME"] = data
tracemalloc.start()
code = main(["history", "--import", file])
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
sys.stdout.write(json.dumps([code, peak]) + "\\n")
"""


def import_peak_bytes(tmp_path: Path, monkeypatch, rows: int) -> int:
    """The peak of Python's memory while the CLI imports a file of `rows` lines."""
    warm_up = tmp_path / f"warm-up-{rows}.csv"
    write_history_csv(warm_up, 5_000)
    file = tmp_path / f"{rows}.csv"
    good, duplicate, bad = write_history_csv(file, rows)
    data = tmp_path / f"data-{rows}"
    places = [tmp_path / f"data-warm-up-{rows}", warm_up, data, file]
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *map(str, places)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    *out, last = result.stdout.splitlines(keepends=True)
    code, peak = json.loads(last)
    assert (code, "".join(out)) == (
        1,
        f"imported {good}, skipped {duplicate} already present, {bad} bad rows\n",
    )
    assert result.stderr.count("\n") == bad  # each bad row was reported, by its line
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    with HistoryStore.open(paths.history_db()) as store:
        assert len(store.sessions()) == good
    return int(peak)


def test_an_import_4_times_longer_takes_no_more_memory(tmp_path, monkeypatch):
    small = import_peak_bytes(tmp_path, monkeypatch, 5_000)
    large = import_peak_bytes(tmp_path, monkeypatch, 20_000)
    assert large < small * 1.2, f"{small:,} bytes at 5,000 rows, {large:,} at 20,000"
