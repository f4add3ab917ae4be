"""Runs made of efforts, built in code, for the tests of efforts in core and in the player."""

from __future__ import annotations

from loosen.core.duration import Window
from loosen.core.routine import Interval, Kind, Routine, Step

from helpers import squat_and_fold

SPRINT_SAY = "Drive the knees."


def sprint(duration_s: float = 20.0) -> Step:
    return Step(name="Sprint", duration_s=duration_s, say=SPRINT_SAY)


def walk_back(duration_s: float = 100.0) -> Step:
    return Step(name="Walk back", duration_s=duration_s)


def efforts_run(
    *efforts: Step,
    total_s: float | None = 3600.0,
    every: tuple[float, float] = (900.0, 1200.0),
) -> Routine:
    """A run of `efforts` (a sprint and a walk back when none are given), with the
    squat-and-fold break of helpers.py (3 s get-ready, two 20 s holds: 43 s)."""
    return Routine(
        id="sprints",
        name="Sprint hour",
        kind=Kind.RUN,
        interval=Interval(
            activity="Sprints",
            every=Window(*every),
            break_routine=squat_and_fold(),
            total_s=total_s,
            efforts=efforts or (sprint(), walk_back()),
        ),
    )


# A run of one block of activity from break to break, as "Sprint hour" was before it was
# made of efforts: the player's tests of such runs write it among the user's routines.
PLAIN_RUN_ID = "sprint-blocks"
PLAIN_RUN_NAME = "Sprint hour in blocks"
PLAIN_RUN_TOML = f"""format = 1
id = "{PLAIN_RUN_ID}"
name = "{PLAIN_RUN_NAME}"
kind = "run"
summary = "An hour of sprint repeats, with a squat-and-fold break every 15 to 20 minutes."

[interval]
activity = "Sprint repeats with walk-backs"
total = "60m"
every = "15-20m"
break = "squat-and-fold"
"""
