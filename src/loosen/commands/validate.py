"""`loosen validate FILE...`: check routine files and print every error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loosen.commands.common import EXIT_INVALID, EXIT_OK, library
from loosen.core.counts import count_of
from loosen.core.duration import format_duration
from loosen.core.plan import planned_length_s
from loosen.core.userfiles import real_path


def register(subparsers: argparse._SubParsersAction, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="check routine files",
        description="Check routine files. References (include, break) are looked up in "
        "the library and among the files given. Exit 0 when all are valid, 1 otherwise.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    given: dict[Path, Path] = {}  # resolved -> as the user typed it
    for path in args.files:
        given.setdefault(real_path(path), path)
    lib = library(extra_files=list(given.values()))
    failed = False
    for resolved, shown in given.items():
        errors = [e for e in lib.errors if real_path(e.path) == resolved]
        for error in errors:
            print(f"{shown}: {error.detail}", file=sys.stderr)
        routine = next(
            (r for r in lib if r.path is not None and real_path(r.path) == resolved), None
        )
        if errors or routine is None:
            failed = True
            if not errors:
                print(f"{shown}: not loaded (another file with the same id wins)", file=sys.stderr)
            continue
        if routine.interval is not None:
            what = f"run with {routine.interval.break_routine.id} breaks"
        else:
            what = (
                f"{count_of(len(routine.steps), 'step')}, "
                f"{format_duration(planned_length_s(routine))}"
            )
        print(f"{shown}: ok ({routine.id}: {what})")
    return EXIT_INVALID if failed else EXIT_OK
