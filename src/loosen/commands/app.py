"""Opening the window: the only path from the command line into Qt widgets."""

from __future__ import annotations

import os
import sys

from loosen.commands.common import UserError

# Where Qt finds a screen on Linux; without one it aborts with a page about plugins.
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def check_display() -> None:
    """A one-line error, rather than Qt's abort, where there is no screen to open on."""
    if sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in DISPLAY_VARIABLES
    ):
        raise UserError(
            "no screen to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); "
            "start Loosen in a desktop session, or see `loosen --help` for the commands "
            "that need none"
        )


def open_app(routine_id: str | None = None) -> int:
    check_display()
    # Imported here so that the sub-commands never load Qt widgets.
    from loosen.ui.app import run_app

    return run_app(routine_id=routine_id)
