"""Opening the window: the only path from the command line into Qt widgets.

Where Loosen runs already, the request goes to it instead and this process exits
(one Loosen per user, ui/instance.py).
"""

from __future__ import annotations

import os
import sys

from loosen import paths
from loosen.commands.common import EXIT_OK, UserError

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


def open_app(routine_id: str | None = None, *, quiet: bool = False) -> int:
    """The app, or the request handed to the one running; `quiet` (a start at login)
    opens no main window, and where Loosen runs already does nothing at all."""
    check_display()
    # Imported here so that the sub-commands never load Qt; the election first, so that a
    # second start hands its request over without loading the app's heavier modules.
    from loosen.ui.qt_log import install_message_filter

    install_message_filter()
    from loosen.ui.instance import (
        STARTING_WAIT_S,
        Claim,
        HandOverFailed,
        InstanceLock,
        Request,
        hand_over,
    )

    lock = InstanceLock(paths.instance_lock_file())
    claim = lock.claim()
    if quiet and claim is Claim.TAKEN:
        return EXIT_OK  # already running: a login start brings nothing forward
    if claim is not Claim.HELD:
        wait_s = STARTING_WAIT_S if claim is Claim.TAKEN else 0.0  # TAKEN: it may be starting
        try:
            answer = hand_over(
                paths.instance_server_name(), Request(routine_id), starting_wait_s=wait_s
            )
        except HandOverFailed as exc:
            raise UserError(str(exc)) from None
        if answer is not None:
            print(answer)
            return EXIT_OK
        # Nobody answers: start anyway (never refuse to start), as a plain second app.
    from loosen.ui.quit_signals import QuitSignals

    # From here on Ctrl-C and SIGTERM quit the app cleanly, however early in its start
    # they come (the hand-over above stays interruptible: it holds nothing).
    quit_signals = QuitSignals()
    from loosen.ui.app import run_app

    return run_app(routine_id=routine_id, lock=lock, quit_signals=quit_signals, quiet=quiet)
