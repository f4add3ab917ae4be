"""Entry point: `python -m loosen.bench [startup timing cues history idle] [--seconds N]`."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

CHOICES = ("startup", "timing", "cues", "history", "idle")


def history_report() -> str:
    from loosen.core.history.bench import history_scale_figures

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loosen.bench", description=__doc__)
    parser.add_argument("what", nargs="*", choices=CHOICES, default=list(CHOICES))
    parser.add_argument("--seconds", type=int, default=60, help="timing and idle run length")
    args = parser.parse_args(argv)
    for what in args.what:
        if what == "startup":
            from loosen.bench.startup import report as startup_report

            print(startup_report(), flush=True)
        elif what == "timing":
            from loosen.bench.timing import report

            print(report(args.seconds), flush=True)
        elif what == "cues":
            from loosen.bench.cues import report as cue_report

            print(cue_report(args.seconds), flush=True)
        elif what == "history":
            from loosen.bench.history_view import report as view_report

            print(history_report(), flush=True)
            print(view_report(), flush=True)
        elif what == "idle":
            from loosen.bench.idle import report as idle_report

            print(idle_report(args.seconds), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
