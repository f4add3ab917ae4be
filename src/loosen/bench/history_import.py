"""The import's figures: rows a second and peak memory for generated CSVs of two sizes.

Each import runs `loosen history --import` in a fresh process that reports its own
peak resident memory (ru_maxrss); the same peak for a file four times larger
shows the import streams (memory flat whatever the file's size).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loosen.core.history.bench import synthetic_sessions
from loosen.core.history.csvio import write_csv

SIZES = (50_000, 200_000)


def _csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(synthetic_sessions(rows), handle)


# The child says its own peak, so one import's memory is never another's.
_CHILD = (
    "import resource, sys; from loosen.cli import main; code = main(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def _import(folder: Path, file: Path) -> tuple[float, float]:
    """Seconds taken and the child's peak resident memory in MB."""
    env = dict(os.environ, XDG_DATA_HOME=str(folder / "data"), XDG_STATE_HOME=str(folder / "st"))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, "history", "--import", str(file)],
                          env=env, check=True, capture_output=True, text=True)  # fmt: skip
    took = time.perf_counter() - started
    peak_kb = int(done.stderr.splitlines()[-1])
    return took, peak_kb / 1024


def report() -> str:
    lines = ["History import of a generated CSV (a fresh process each; target: flat memory):"]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for rows in SIZES:
            file = folder / f"{rows}.csv"
            _csv(file, rows)
            took, peak_mb = _import(folder / str(rows), file)
            size_mb = file.stat().st_size / 1e6
            rate = rows / took
            lines.append(f"  {rows:>8,} rows ({size_mb:6.1f} MB)  {took:6.1f} s  "
                         f"{rate:9,.0f} rows/s  peak {peak_mb:6.1f} MB resident")  # fmt: skip
            file.unlink()
    return "\n".join(lines)
