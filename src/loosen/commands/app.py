"""Opening the window: the only path from the command line into Qt widgets."""

from __future__ import annotations


def open_app(routine_id: str | None = None) -> int:
    # Imported here so that the sub-commands never load Qt widgets.
    from loosen.ui.app import run_app

    return run_app(routine_id=routine_id)
