"""Entry point: `python -m benchmarks [FIGURE...] [--seconds N]`; FIGURE from CHOICES."""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
from importlib import import_module
from pathlib import Path

from benchmarks import child_environment

CHOICES = ("startup", "timing", "cues", "history", "idle", "export", "plans", "library")


def history_report() -> str:
    from benchmarks.history_scale import history_scale_figures

    with tempfile.TemporaryDirectory() as folder:
        figures = history_scale_figures(Path(folder))
    lines = ["History at 10,000 sessions (target: listing well under a second):"]
    for name, value in figures.items():
        if name.endswith("_s"):
            lines.append(f"  {name.removesuffix('_s'):<20} {value * 1000:9.1f} ms")
        elif name == "db_bytes":
            lines.append(f"  {'database size':<20} {value / 1e6:9.1f} MB")
        else:
            lines.append(f"  {name:<20} {value:9.0f}")
    return "\n".join(lines)


def machine() -> str:
    """What the figures were measured on: they mean little without it."""
    import os
    import platform

    from PySide6 import __version__ as pyside_version

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return (
        f"Machine: {cpu}, {os.cpu_count()} cores; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; "
        f"PySide6 {pyside_version}"
    )


def _history() -> str:
    from benchmarks.history_import import report as import_report
    from benchmarks.history_view import report as view_report

    return history_report() + "\n" + import_report() + "\n" + view_report()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    # Checked here, not with `choices=`: Python 3.11's argparse checks the empty list
    # of an absent `nargs="*"` argument against the choices and refuses it.
    parser.add_argument("what", nargs="*", help=f"any of {', '.join(CHOICES)} (default: all)")
    parser.add_argument("--seconds", type=int, default=60, help="timing and idle run length")
    parser.add_argument("--no-machine", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = [what for what in args.what if what not in CHOICES]
    if unknown:
        parser.error(f"no figure called {unknown[0]!r}; choose from {', '.join(CHOICES)}")
    args.what = args.what or list(CHOICES)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    reports = {
        "startup": lambda: import_module("benchmarks.startup").report(),
        "timing": lambda: import_module("benchmarks.timing").report(args.seconds),
        "cues": lambda: import_module("benchmarks.cues").report(args.seconds),
        "history": _history,
        "idle": lambda: import_module("benchmarks.idle").report(args.seconds),
        "export": lambda: import_module("benchmarks.export").report(),
        "plans": lambda: import_module("benchmarks.plans").report(),
        "library": lambda: import_module("benchmarks.library").report(),
    }
    if not args.no_machine:
        print(machine(), flush=True)
    if len(args.what) == 1:
        print(f"\n{reports[args.what[0]]()}", flush=True)
        return 0
    # Each figure in a process of its own: no Qt application, engine or cache left
    # behind by one measurement can help or hinder the next.
    failed = 0
    for what in args.what:
        command = [
            sys.executable,
            "-m",
            "benchmarks",
            what,
            "--seconds",
            str(args.seconds),
            "--no-machine",
        ]
        failed += subprocess.run(command, env=child_environment(), check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
