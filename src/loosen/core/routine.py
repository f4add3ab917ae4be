"""The routine model: what a routine file means once loaded (frozen values, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from loosen.core.duration import Window
from loosen.core.routine_schema import COUNTDOWN, DEFAULTS, REST, SETS, SIDES, SWITCH
from loosen.core.routine_schema import Kind as Kind  # the model's, declared with the format


class Source(StrEnum):
    BUILT_IN = "built-in"
    USER = "user"


@dataclass(frozen=True)
class Step:
    """One exercise, fully resolved: every default has been applied."""

    name: str
    duration_s: float | None = None  # a timed hold ...
    reps: int | None = None  # ... or a number of repetitions
    tempo_s: float | None = None  # seconds per rep; None with reps = open-ended
    sets: int = SETS.default
    sides: bool = SIDES.default
    rest_s: float = REST.default
    countdown: int = COUNTDOWN.default
    switch_s: float = SWITCH.default
    say: str = ""
    image: Path | None = None

    @property
    def open_ended(self) -> bool:
        """True when the step waits for the user to say "done"."""
        return self.duration_s is None and self.tempo_s is None

    @property
    def work_s(self) -> float | None:
        """Length of one work phase, or None when it is open-ended."""
        if self.duration_s is not None:
            return self.duration_s
        if self.reps is not None and self.tempo_s is not None:
            return self.reps * self.tempo_s
        return None


@dataclass(frozen=True)
class Interval:
    """An activity with breaks in it (`kind = "run"`)."""

    activity: str
    every: Window
    break_routine: Routine
    total_s: float | None = None  # None: until the user stops
    # What the activity is made of, repeated in order (a sprint, a walk back): each a
    # timed step with a name, a duration and what to say. Empty: one activity throughout.
    efforts: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    kind: Kind
    steps: tuple[Step, ...] = ()
    get_ready_s: float = DEFAULTS["get_ready"].default
    summary: str = ""
    caution: str = ""
    interval: Interval | None = None
    source: Source = Source.BUILT_IN
    path: Path | None = field(default=None, compare=False)
    digest: str = field(default="", compare=False)

    @property
    def is_interval(self) -> bool:
        return self.interval is not None


def with_countdown(routine: Routine, countdown: int | None) -> Routine:
    """The routine with every step's countdown set to `countdown` (None: as written)."""
    if countdown is None:
        return routine
    steps = tuple(replace(step, countdown=countdown) for step in routine.steps)
    interval = routine.interval
    if interval is not None:
        interval = replace(
            interval,
            break_routine=with_countdown(interval.break_routine, countdown),
            efforts=tuple(replace(effort, countdown=countdown) for effort in interval.efforts),
        )
    return replace(routine, steps=steps, interval=interval)
