"""Entry point: `python -m loosen.bench [timing] [--seconds N]`."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loosen.bench", description=__doc__)
    parser.add_argument("what", nargs="*", choices=["timing"], default=["timing"])
    parser.add_argument("--seconds", type=int, default=60, help="length of the timing run")
    args = parser.parse_args(argv)
    for what in args.what:
        if what == "timing":
            from loosen.bench.timing import report

            print(report(args.seconds), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
