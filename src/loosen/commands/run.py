"""`loosen run ROUTINE`: open the app straight into that routine's player."""

from __future__ import annotations

import argparse

from loosen.commands.app import open_app
from loosen.commands.common import find_routine, library


def register(subparsers: argparse._SubParsersAction, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="open the app straight into a routine",
        description="Open Loosen and start ROUTINE in the player at once.",
    )
    parser.add_argument("routine", metavar="ROUTINE", help="a routine id from `loosen list`")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    routine = find_routine(library(), args.routine)  # fail here, before any window opens
    return open_app(routine_id=routine.id)
