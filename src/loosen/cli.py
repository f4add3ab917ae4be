"""The `loosen` command: opens the app, or runs one of the sub-commands.

Sub-commands that show no window never import Qt widgets, so they start fast and
work on machines without a display.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections.abc import Sequence

from loosen import __version__
from loosen.commands import COMMANDS
from loosen.commands.common import EXIT_OK, UserError
from loosen.commands.terminal import never_fail_on_encoding


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loosen",
        description="A guided stretch-and-break timer for runners whose lower back tightens. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"loosen {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # In the frozen bundle the speech worker ("spawn") is this executable started again:
    # this runs the worker there and exits. Unfrozen, it does nothing.
    multiprocessing.freeze_support()
    never_fail_on_encoding()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from loosen.commands.app import open_app

            return open_app(routine_id=None)
        return int(args.handler(args))
    except UserError as exc:
        print(f"loosen: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `loosen history | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return EXIT_OK
