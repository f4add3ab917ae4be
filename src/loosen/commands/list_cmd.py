"""`loosen list [--json]`: the routines found, and the files that failed to load."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from loosen.commands.common import EXIT_OK, library, number, print_json
from loosen.core.duration import format_duration
from loosen.core.library import Library
from loosen.core.routine import Routine


def register(subparsers: argparse._SubParsersAction, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="list the routines, built-in and yours",
        description="List the routines found (built-in and user) and the files that failed "
        "to load, with why.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


def as_json(lib: Library) -> dict[str, Any]:
    return {
        "user_dir": str(lib.user_dir) if lib.user_dir else None,
        "routines": [
            {
                "id": r.id,
                "name": r.name,
                "kind": r.kind.value,
                "source": r.source.value,
                "path": str(r.path) if r.path else None,
                "total_s": number(lib.planned_s(r)),
            }
            for r in lib
        ],
        "errors": [{"path": str(e.path), "message": e.detail} for e in lib.errors],
    }


def _length(lib: Library, routine: Routine) -> str:
    seconds = lib.planned_s(routine)
    return "open" if seconds is None else format_duration(seconds)


def run(args: argparse.Namespace) -> int:
    lib = library()
    if args.json:
        print_json(as_json(lib))
        return EXIT_OK
    rows = [(r.id, r.name, r.kind.value, _length(lib, r), r.source.value) for r in lib]
    header = ("ID", "NAME", "KIND", "LENGTH", "SOURCE")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(
                str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )
    print(f"\nYour routines folder: {lib.user_dir}")
    if lib.errors:
        print(f"\n{len(lib.errors)} problem(s) kept some files from loading:", file=sys.stderr)
        for error in lib.errors:
            print(f"  {error}", file=sys.stderr)
    return EXIT_OK
