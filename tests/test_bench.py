"""The benchmark script runs and prints its figures (it asserts no timings)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def test_timing_benchmark_runs_briefly_and_reports_both_timers():
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "timing", "--seconds", "3"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "Loosen session (clock-computed)" in result.stdout
    assert "naive QTimer(1000) tick counter" in result.stdout
    assert "no boundaries measured" not in result.stdout


def test_no_argument_means_every_figure():
    from benchmarks.__main__ import CHOICES, parse_args

    assert parse_args([]).what == list(CHOICES)
    assert parse_args(["history", "idle"]).what == ["history", "idle"]
    with pytest.raises(SystemExit):
        parse_args(["speed"])


def test_every_routine_the_plan_benchmark_tries_is_one_the_loader_accepts(tmp_path):
    from benchmarks.plans import PLANNED, REFUSED, load_worst_cases, worst_cases

    library = load_worst_cases(tmp_path)  # raises unless just the ones past a day are refused
    assert set(worst_cases()) == {*PLANNED, *REFUSED}
    assert set(PLANNED) <= set(library.routines) and not set(REFUSED) & set(library.routines)


def test_library_benchmark_lists_every_file_it_made():
    import re

    from benchmarks.library import report

    text = report(files=30, runs=1)
    counts = [tuple(map(int, m)) for m in re.findall(r"\((\d+) routines, (\d+) errors", text)]
    (builtin, _), valid_cold, valid_warm, broken_cold, broken_warm = counts
    assert counts[0] == (builtin, 0)
    assert valid_cold == valid_warm == (builtin + 30, 0)  # the cache changes nothing listed
    assert broken_cold == broken_warm == (builtin, 30)


def test_the_import_figure_is_the_import_s_own_peak_not_the_benchmark_s(tmp_path):
    """A child's ru_maxrss on Linux starts from its parent's peak (it is carried over
    the exec), so a benchmark that had generated a big CSV reported that as the import's."""
    from benchmarks.history_import import _csv, _import

    file = tmp_path / "small.csv"
    _csv(file, 10)
    ballast_mb = 300
    ballast = b"x" * (ballast_mb << 20)  # written, so resident: the parent's peak now
    del ballast
    assert _import(tmp_path / "child", file).peak_mb < ballast_mb / 2


def _children() -> set[int]:
    """Our child processes' ids (every thread's, since a child belongs to the thread
    that started it)."""
    from pathlib import Path

    return {
        int(pid)
        for task in Path("/proc/self/task").iterdir()
        for pid in (task / "children").read_text().split()
    }


def test_the_sound_output_stops_the_daemon_it_started():
    import shutil
    from pathlib import Path

    from benchmarks.sound import private_sound_output

    if not shutil.which("pulseaudio"):
        pytest.skip("no pulseaudio here")
    before = _children()
    with private_sound_output() as server:
        assert server is not None
        info = subprocess.run(["pactl", f"--server={server}", "info"], capture_output=True)
        assert info.returncode == 0, "the daemon answers while inside"
        (daemon,) = _children() - before
    assert not Path(f"/proc/{daemon}").exists(), "the daemon is stopped and reaped on leaving"
    assert _children() == before


def test_a_checkout_compared_in_the_start_up_figure_keeps_a_cache_of_its_own():
    from benchmarks.startup import Program

    env = {"PYTHONPATH": "/repo", "XDG_CACHE_HOME": "/home/cache"}
    ours = Program("Loosen", ["python"])
    theirs = Program("Loosen from before", ["python"], pythonpath="/before/src")
    assert ours.environment(env) == env
    compared = theirs.environment(env)
    assert compared["PYTHONPATH"].split(os.pathsep) == ["/before/src", "/repo"]
    # Each finds the routine-file cache as it left it, not stale from the other's code.
    assert compared["XDG_CACHE_HOME"] != env["XDG_CACHE_HOME"]
