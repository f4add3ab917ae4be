"""`loosen history --import` keeps no state per row: a file 4× longer takes no more memory.

Python's own allocations are traced (tracemalloc): deterministic, no timing. The files
hold duplicates and bad rows too, so neither a set of the uids seen, nor the sessions
kept for a summary, nor a list of every error can grow unnoticed.
"""

from __future__ import annotations

import csv
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loosen import paths
from loosen.cli import main
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


def import_peak_bytes(tmp_path: Path, monkeypatch, capfd, rows: int, name: str = "") -> int:
    """The peak of Python's memory while the CLI imports a file of `rows` lines."""
    name = name or str(rows)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / f"data-{name}"))
    file = tmp_path / f"{name}.csv"
    good, duplicate, bad = write_history_csv(file, rows)
    tracemalloc.start()
    try:
        code = main(["history", "--import", str(file)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    out, err = capfd.readouterr()
    assert (code, out) == (
        1,
        f"imported {good}, skipped {duplicate} already present, {bad} bad rows\n",
    )
    assert err.count("\n") == bad  # each bad row was reported, by its line
    with HistoryStore.open(paths.history_db()) as store:
        assert len(store.sessions()) == good
    return peak


def test_an_import_4_times_longer_takes_no_more_memory(tmp_path, monkeypatch, capfd):
    # Once first, so that what is made once and kept (modules, CPython's free lists of
    # the batches' tuples) is there before measuring.
    import_peak_bytes(tmp_path, monkeypatch, capfd, 5_000, "warm-up")
    small = import_peak_bytes(tmp_path, monkeypatch, capfd, 5_000)
    large = import_peak_bytes(tmp_path, monkeypatch, capfd, 20_000)
    assert large < small * 1.2, f"{small:,} bytes at 5,000 rows, {large:,} at 20,000"
