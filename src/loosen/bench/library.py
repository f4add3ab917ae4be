"""`loosen list` over a large folder of user routines, as a user runs it.

Each figure is the wall time of a fresh `loosen list --json` process (median of a few
runs, warm disk cache), with the user's routines folder holding N generated files:
valid ones (each with sides, sets, tempo and an include), then as many that each fail
(an include of a routine that does not exist), since errors have their own costs. The
anchor is the same command over an empty folder: the interpreter and the built-ins.
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
    for n in range(files):
        (folder / f"user-{n:05d}.toml").write_text(_ROUTINE.format(n=n, include=include))


def time_list(data_home: Path, runs: int = RUNS) -> tuple[float, int, int]:
    """Median seconds of `loosen list --json`, and the routines and errors it listed."""
    env = dict(os.environ, XDG_DATA_HOME=str(data_home))
    times, listed = [], {}
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "loosen", "list", "--json"], env=env,
                              capture_output=True, text=True, check=True)  # fmt: skip
        times.append(time.perf_counter() - started)
        listed = json.loads(done.stdout)
    return statistics.median(times), len(listed["routines"]), len(listed["errors"])


def report(files: int = FILES, runs: int = RUNS) -> str:
    lines = [f"`loosen list --json` over a folder of user routines (median of {runs} "
             f"processes; target: {files:,} files under {TARGET_S:.0f} s):"]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        cases = (("empty folder (anchor)", 0, False), (f"{files:,} valid files", files, False),
                 (f"{files:,} files with an error", files, True))  # fmt: skip
        for number, (label, count, broken) in enumerate(cases):
            data_home = Path(folder) / f"case-{number}"
            write_routines(data_home / "loosen" / "routines", count, broken=broken)
            seconds, routines, errors = time_list(data_home, runs)
            lines.append(f"  {label:<28} {seconds:7.2f} s   ({routines:,} routines, "
                         f"{errors:,} errors listed)")  # fmt: skip
    return "\n".join(lines)
