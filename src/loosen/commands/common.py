"""What the sub-commands share: exit codes, the user-facing error, loading the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loosen import paths
from loosen.commands.terminal import json_ascii_only

# The library is imported by the commands that read it: opening the app (which imports
# this module for its exit codes) reads it after the window is first seen.
if TYPE_CHECKING:
    from loosen.core.library import Library
    from loosen.core.routine import Routine

EXIT_OK = 0
EXIT_INVALID = 1  # the input (a file, a routine name, a database) is not right
EXIT_USAGE = 2  # the command line itself is wrong (argparse uses 2 as well)


class UserError(Exception):
    """A mistake or a condition the user can fix: printed as one line, no traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def library(extra_files: Iterable[Path] = ()) -> Library:
    from loosen.core.library import load_library

    return load_library(
        paths.builtin_routines_dir(),
        paths.user_routines_dir(),
        paths.pictures_dir(),
        extra_files=extra_files,
        cache_dir=paths.cache_dir(),
    )


def find_routine(lib: Library, name: str) -> Routine:
    """The routine named on the command line, or a UserError that says why there is none."""
    from loosen.core.library import RoutineNotFound

    try:
        return lib.find(name)
    except RoutineNotFound as missing:
        raise UserError(str(missing)) from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=json_ascii_only())
    sys.stdout.write("\n")


def number(seconds: float | None) -> float | int | None:
    """Seconds for JSON: whole numbers as integers, so 45.0 prints as 45."""
    if seconds is None:
        return None
    return int(seconds) if float(seconds).is_integer() else round(seconds, 3)
