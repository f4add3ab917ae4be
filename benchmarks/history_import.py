"""The import's figures: rows a second and peak memory for generated CSVs of three sizes.

Each import runs `loosen history --import` in a fresh process that reports its own
peak resident memory; the same peak for files 4 and 20 times larger shows the import
streams (memory flat whatever the file's size).

On Linux that peak is `VmHWM`, not `ru_maxrss`: a child started by `subprocess`
(vfork, then exec) carries its parent's `ru_maxrss` over the exec, so it reported
this script's own peak (generating the CSV) as the import's.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from benchmarks import child_environment
from benchmarks.history_scale import synthetic_sessions
from loosen.core.history.csvio import write_csv

SIZES = (50_000, 200_000, 1_000_000)
CHUNK_ROWS = 50_000  # sessions generated at a time, so this script stays small too
HOURS_APART = 8  # as synthetic_sessions (core/history/bench.py) spaces its sessions


def _csv(path: Path, rows: int) -> None:
    """A history CSV of `rows` sessions on one timeline, generated a chunk at a time."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        for number, first in enumerate(range(0, rows, CHUNK_ROWS)):
            size = min(CHUNK_ROWS, rows - first)
            # Each chunk ends where the next begins, the last where a single
            # `synthetic_sessions(rows)` would.
            shift = timedelta(hours=HOURS_APART * (first + size - rows))
            sessions = [
                replace(
                    s,
                    started_at=s.started_at + shift,
                    ended_at=None if s.ended_at is None else s.ended_at + shift,
                )
                for s in synthetic_sessions(size, seed=number)
            ]
            text = io.StringIO()
            write_csv(sessions, text)
            handle.write(text.getvalue() if number == 0 else text.getvalue().split("\n", 1)[1])


def peak_resident_kb() -> int:
    """This process's own peak resident memory in KiB, whoever started it."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes there, KiB elsewhere


# The child says its own peak, so one import's memory is never another's (or ours),
# and its CPU time, steadier than the time taken on a machine shared with other work.
_CHILD = (
    "import sys, time; from loosen.cli import main; code = main(sys.argv[1:]); "
    "from benchmarks.history_import import peak_resident_kb; "
    "print(peak_resident_kb(), time.process_time(), file=sys.stderr); sys.exit(code)"
)


@dataclass(frozen=True)
class ImportFigures:
    took_s: float
    cpu_s: float  # the child's own, user and system
    peak_mb: float  # the child's own peak resident memory


def _import(folder: Path, file: Path) -> ImportFigures:
    """Import `file` into a new history under `folder` in a fresh process."""
    env = child_environment(
        dict(os.environ, XDG_DATA_HOME=str(folder / "data"), XDG_STATE_HOME=str(folder / "st"))
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, "history", "--import", str(file)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - started
    peak_kb, cpu_s = done.stderr.splitlines()[-1].split()
    return ImportFigures(took, float(cpu_s), int(peak_kb) / 1024)


def report(sizes: tuple[int, ...] = SIZES) -> str:
    lines = ["History import of a generated CSV (a fresh process each; target: flat memory):"]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for rows in sizes:
            file = folder / f"{rows}.csv"
            _csv(file, rows)
            figures = _import(folder / str(rows), file)
            size_mb = file.stat().st_size / 1e6
            rate = rows / figures.cpu_s
            lines.append(
                f"  {rows:>9,} rows ({size_mb:6.1f} MB)  {figures.took_s:6.1f} s "
                f"({figures.cpu_s:6.1f} s CPU, {rate:7,.0f} rows/CPU-s)  "
                f"peak {figures.peak_mb:5.1f} MB resident"
            )
            file.unlink()
    return "\n".join(lines)
