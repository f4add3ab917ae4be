"""`loosen list` over a large folder of user routines, as a user runs it.

Each figure is the wall time of a fresh `loosen list --json` process (median of a few
runs, warm disk cache), with the user's routines folder holding N generated files:
valid ones (each with sides, sets, tempo and an include), then as many that each fail
(an include of a routine that does not exist), since errors have their own costs. Each
is measured cold (no routine-file cache: every file read and parsed) and warm (the
cache left by an earlier run, nothing changed since). The anchor is the same command
over an empty folder: the interpreter and the built-ins.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loosen.core.library_cache import CACHE_FILE_NAME, SETTLED_S

FILES = 10_000
RUNS = 3
TARGET_S = 1.0

_ROUTINE = """format = 1
id = "user-{n}"
name = "Routine {n}"
kind = "cooldown"
summary = "Generated for the benchmark."
[defaults]
rest = "10s"
[[steps]]
name = "Hip flexor lunge stretch"
duration = "45s"
sides = true
say = "Kneel into a lunge, tuck your pelvis under."
[[steps]]
name = "Glute bridge"
reps = 12
tempo = "3s"
sets = 2
[[steps]]
include = "{include}"
"""


def write_routines(folder: Path, files: int, *, broken: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    include = "no-such-routine" if broken else "squat-and-fold"
    # Dated a minute back, as a user's files are: the cache passes over files written
    # in the last SETTLED_S seconds, and would not be warm after the first run.
    written = time.time() - 60 * SETTLED_S
    for n in range(files):
        path = folder / f"user-{n:05d}.toml"
        path.write_text(_ROUTINE.format(n=n, include=include))
        os.utime(path, (written, written))


def time_list(data_home: Path, runs: int = RUNS, *, cached: bool) -> tuple[float, int, int]:
    """Median seconds of `loosen list --json`, and the routines and errors it listed;
    `cached`: with the cache an earlier run left, else with none."""
    cache_home = data_home / "cache"
    env = dict(os.environ, XDG_DATA_HOME=str(data_home), XDG_CACHE_HOME=str(cache_home))
    cache_file = cache_home / "loosen" / CACHE_FILE_NAME
    if cached:  # an earlier run fills it
        subprocess.run(
            [sys.executable, "-m", "loosen", "list", "--json"],
            env=env,
            capture_output=True,
            check=True,
        )
    times, listed = [], {}
    for _ in range(runs):
        if not cached:
            cache_file.unlink(missing_ok=True)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "loosen", "list", "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(time.perf_counter() - started)
        listed = json.loads(done.stdout)
    return statistics.median(times), len(listed["routines"]), len(listed["errors"])


def report(files: int = FILES, runs: int = RUNS) -> str:
    lines = [
        f"`loosen list --json` over a folder of user routines (median of {runs} "
        f"processes; target: {files:,} files under {TARGET_S:.0f} s):"
    ]
    with tempfile.TemporaryDirectory() as folder:
        cases = (
            ("empty folder (anchor)", 0, False),
            (f"{files:,} valid files", files, False),
            (f"{files:,} files with an error", files, True),
        )
        for number, (label, count, broken) in enumerate(cases):
            data_home = Path(folder) / f"case-{number}"
            write_routines(data_home / "loosen" / "routines", count, broken=broken)
            for cached in (False, True) if count else (True,):
                seconds, routines, errors = time_list(data_home, runs, cached=cached)
                shown = label if not count else f"{label}, {'warm' if cached else 'cold'}"
                lines.append(
                    f"  {shown:<34} {seconds:7.2f} s   ({routines:,} routines, "
                    f"{errors:,} errors listed)"
                )
    return "\n".join(lines)
