"""The `loosen` command: opens the app, or runs one of the sub-commands.

Sub-commands that show no window never import Qt, so they start fast and work on
machines without a display; each imports its own module only, and opening the app
imports none of them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from loosen import __version__
from loosen.commands import COMMANDS, load
from loosen.commands.common import EXIT_OK, UserError
from loosen.commands.terminal import never_fail_on_encoding
from loosen.core.autostart import QUIET_FLAG


def commands_needed(argv: Sequence[str]) -> list[str]:
    """The commands whose options `argv` needs parsed: none to open the app, the one
    it names, or all of them (for `--help`, and to name them when it names none)."""
    if not argv or all(argument == QUIET_FLAG for argument in argv):
        return []
    named = next((argument for argument in argv if not argument.startswith("-")), None)
    return [named] if named in COMMANDS else list(COMMANDS)


def build_parser(commands: Sequence[str] = tuple(COMMANDS)) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loosen",
        description="A guided stretch-and-break timer for runners whose lower back tightens. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"loosen {__version__}")
    parser.add_argument(
        QUIET_FLAG,
        action="store_true",
        help="open the app in the tray (or its small reminder window) with no main window, "
        "saying nothing: how it starts at login",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands:
        load(name).register(subparsers, name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # In the frozen bundle the speech worker ("spawn") is this executable started again:
    # this runs the worker there and exits. Unfrozen, it does nothing.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    never_fail_on_encoding()
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(commands_needed(arguments))
    args = parser.parse_args(arguments)
    try:
        if args.command is None:
            from loosen.commands.app import open_app

            return open_app(routine_id=None, quiet=args.quiet)
        if args.quiet:
            parser.error(f"{QUIET_FLAG} opens the app; it goes with no command")
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
