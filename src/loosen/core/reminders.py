"""When the next desk-break reminder is due: windows, snooze, skip, pause, sleep and clock changes.

Pure logic, no Qt, no timers of its own: the UI asks `check()` at the moment
`next_due_wall()` names (one single-shot timer) and on a slow periodic resync, and
the scheduler answers from stored facts, never from counted ticks (Vorta's scheduler
is the model). Reminders are due at wall-clock moments (epoch seconds from the
clock's `wall()`), because a monotonic clock stands still while the computer sleeps;
the monotonic clock is used only to tell a sleep (wall ran ahead) from the clock
being set back (wall fell behind).

A window "15-20m" gives two stages: at its start a gentle reminder ("at your next
natural pause"), at its end a firm one ("now"). A fixed "15m" gives one, firm. Each
stage is announced at most once per cycle, and an unanswered reminder stays due
without repeating: the app never nags. Taking or skipping the break starts a new
cycle; snoozing quiets it for five minutes, then the current stage comes again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from loosen.core.clock import Clock
from loosen.core.duration import Window, format_length

SNOOZE_S = 5 * 60.0
PAUSE_S = 60 * 60.0
# Wall and monotonic clocks disagree by a little (NTP slewing, a late timer); more
# than this is a sleep or a clock change.
CLOCK_TOLERANCE_S = 2.0
MIN_INTERVAL_S = 60.0  # shorter than this would nag; settings refuse it


class Stage(StrEnum):
    GENTLE = "gentle"  # the window opened: take it at the next natural pause
    FIRM = "firm"  # the window closed: take it now


_RANK = {None: 0, Stage.GENTLE: 1, Stage.FIRM: 2}


class State(StrEnum):
    OFF = "off"
    WAITING = "waiting"  # counting down to the next reminder
    DUE = "due"  # a reminder was given and waits for an answer
    SNOOZED = "snoozed"
    PAUSED = "paused"


class Outcome(StrEnum):
    """How the user answered a reminder; what the history logs."""

    TAKEN = "taken"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Reminder:
    """A reminder to give now (a notification and a spoken line)."""

    stage: Stage
    routine_id: str
    due_wall: float  # the moment it was due; earlier than now after a sleep
    late_s: float  # how long after `due_wall` it is given (a sleep, a busy machine)


@dataclass(frozen=True)
class Answer:
    """One answer to a reminder, for the history."""

    outcome: Outcome
    routine_id: str
    due_wall: float  # when the answered reminder was (or would have been) due
    answered_wall: float


class ReminderScheduler:
    """The reminder cycle for one break routine, computed from a clock passed in."""

    def __init__(
        self, clock: Clock, window: Window, routine_id: str, *, enabled: bool = True
    ) -> None:
        if window.start_s < MIN_INTERVAL_S:
            raise ValueError(f"reminders need at least {MIN_INTERVAL_S:g} s between them")
        self.clock = clock
        self.window = window
        self.routine_id = routine_id
        self.enabled = enabled
        self._last_wall = clock.wall()
        self._last_mono = clock.now()
        self.anchor_wall = self._last_wall  # the cycle's start: app start, last break, skip
        self.announced: Stage | None = None  # the highest stage given since anchor or snooze
        self.snoozed_until_wall: float | None = None
        self.paused_until_wall: float | None = None
        self.last_gap_s = 0.0  # the last sleep (or forward clock jump) noticed
        self.shifted_s = 0.0  # total shift applied for the clock being set back

    # -- time --------------------------------------------------------------------

    def _observe(self) -> float:
        """The wall time now, after allowing for a clock set back since the last look."""
        wall, mono = self.clock.wall(), self.clock.now()
        skew = (wall - self._last_wall) - (mono - self._last_mono)
        if skew < -CLOCK_TOLERANCE_S:
            # The clock was set back: move every stored moment with it, so the time
            # still to wait is what it was (the user did not wait longer).
            self._shift(skew)
        elif skew > CLOCK_TOLERANCE_S:
            # A sleep (the monotonic clock stood still) or the clock set forward; the
            # two look alike, and both mean "that much time has passed": an overdue
            # reminder then fires once, at the next check.
            self.last_gap_s = skew
        self._last_wall, self._last_mono = wall, mono
        return wall

    def _shift(self, delta_s: float) -> None:
        self.shifted_s += delta_s
        self.anchor_wall += delta_s
        if self.snoozed_until_wall is not None:
            self.snoozed_until_wall += delta_s
        if self.paused_until_wall is not None:
            self.paused_until_wall += delta_s

    def _stages(self) -> list[tuple[float, Stage]]:
        firm = (self.anchor_wall + self.window.end_s, Stage.FIRM)
        if self.window.fixed:
            return [firm]
        return [(self.anchor_wall + self.window.start_s, Stage.GENTLE), firm]

    def _restart(self, at_wall: float) -> None:
        self.anchor_wall = at_wall
        self.announced = None
        self.snoozed_until_wall = None

    def _settle(self, now: float) -> None:
        """Let ended pauses and snoozes go."""
        if self.paused_until_wall is not None and now >= self.paused_until_wall:
            # A new count starts when the pause ends: no reminder the moment it does.
            self._restart(self.paused_until_wall)
            self.paused_until_wall = None
        if self.snoozed_until_wall is not None and now >= self.snoozed_until_wall:
            self.snoozed_until_wall = None

    # -- reading -----------------------------------------------------------------

    def state(self) -> State:
        now = self._observe()
        self._settle(now)
        return self._state()

    def _state(self) -> State:
        if not self.enabled:
            return State.OFF
        if self.paused_until_wall is not None:
            return State.PAUSED
        if self.snoozed_until_wall is not None:
            return State.SNOOZED
        return State.DUE if self.announced is not None else State.WAITING

    def due_wall(self) -> float:
        """When the current cycle's first reminder is (or was) due."""
        return self._stages()[0][0]

    def next_due_wall(self) -> float | None:
        """The wall moment `check()` should next run; None when nothing more will come
        until the user answers (or reminders are off)."""
        now = self._observe()
        self._settle(now)
        if not self.enabled:
            return None
        if self.paused_until_wall is not None:
            return self.paused_until_wall
        pending = [at for at, stage in self._stages() if _RANK[stage] > _RANK[self.announced]]
        if not pending:
            return None
        at = min(pending)
        if self.snoozed_until_wall is not None:
            at = max(at, self.snoozed_until_wall)
        return at

    # -- the check -----------------------------------------------------------------

    def check(self) -> Reminder | None:
        """The reminder to give now, if one is due and not yet given; else None."""
        now = self._observe()
        self._settle(now)
        if self._state() not in (State.WAITING, State.DUE):
            return None
        reached = [(at, stage) for at, stage in self._stages() if at <= now]
        if not reached:
            return None
        at, stage = reached[-1]  # after a long sleep, only the latest stage: once
        if _RANK[stage] <= _RANK[self.announced]:
            return None
        self.announced = stage
        return Reminder(stage, self.routine_id, at, max(0.0, now - at))

    # -- answers -------------------------------------------------------------------

    def take(self) -> Answer:
        """The break starts now; the count restarts."""
        return self._answer(Outcome.TAKEN)

    def skip(self) -> Answer:
        """Not this one (due or coming): the count restarts now."""
        return self._answer(Outcome.SKIPPED)

    def snooze(self) -> Answer | None:
        """Ask again in five minutes; only a due reminder can be snoozed."""
        now = self._observe()
        self._settle(now)
        if self._state() is not State.DUE:
            return None
        answer = Answer(Outcome.SNOOZED, self.routine_id, self.due_wall(), now)
        self.snoozed_until_wall = now + SNOOZE_S
        self.announced = None  # the current stage is given again when the snooze ends
        return answer

    def pause(self, seconds: float = PAUSE_S) -> None:
        """No reminders for `seconds`; then a new count starts."""
        now = self._observe()
        self.paused_until_wall = now + seconds
        self.announced = None
        self.snoozed_until_wall = None

    def resume(self) -> None:
        """End a pause early; a new count starts now."""
        now = self._observe()
        if self.paused_until_wall is not None:
            self.paused_until_wall = None
            self._restart(now)

    def reconfigure(self, window: Window, routine_id: str, enabled: bool) -> None:
        """New settings: a changed interval or routine starts a new count."""
        if window.start_s < MIN_INTERVAL_S:
            raise ValueError(f"reminders need at least {MIN_INTERVAL_S:g} s between them")
        now = self._observe()
        changed = (window, routine_id) != (self.window, self.routine_id)
        turned_on = enabled and not self.enabled
        self.window, self.routine_id, self.enabled = window, routine_id, enabled
        if changed or turned_on:
            self._restart(now)
            self.paused_until_wall = None

    def _answer(self, outcome: Outcome) -> Answer:
        now = self._observe()
        self._settle(now)
        answer = Answer(outcome, self.routine_id, self.due_wall(), now)
        self.paused_until_wall = None
        self._restart(now)
        return answer


# -- words -------------------------------------------------------------------------


def reminder_text(stage: Stage, routine_name: str) -> str:
    """The spoken and shown line: the same words every time, so the user learns them."""
    if stage is Stage.GENTLE:
        return f"Break time soon: {routine_name}, at your next natural pause."
    return f"Time for your break now: {routine_name}."


def _clock_text(wall: float) -> str:
    return datetime.fromtimestamp(wall).strftime("%H:%M")


def status_text(scheduler: ReminderScheduler, routine_name: str) -> str:
    """One line for the tray tooltip and menu: what comes next, and when (local time)."""
    state = scheduler.state()
    now = scheduler.clock.wall()
    if state is State.OFF:
        return "Break reminders are off"
    if state is State.PAUSED:
        assert scheduler.paused_until_wall is not None
        return f"Reminders paused until {_clock_text(scheduler.paused_until_wall)}"
    if state is State.DUE:
        return f"Break due now: {routine_name}"
    at = scheduler.next_due_wall()
    if at is None:
        return f"Break due now: {routine_name}"
    wait = f"in {format_length(max(60.0, at - now))}"
    if state is State.SNOOZED:
        return f"Snoozed: {routine_name} at {_clock_text(at)} ({wait})"
    return f"Next break at {_clock_text(at)} ({wait}): {routine_name}"
