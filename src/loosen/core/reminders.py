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

The working day (issue 17): time away from the desk at least as long as the break
(`away_after_s`, 30 s at least) counts as the break: the count restarts and the log says
`away`; no reminder comes while the user is away, and a sleep of the computer that long
is time away too. While the user is busy (a full-screen window, do-not-disturb, a call) a
due break is owed (`deferred`) and offered once, quietly, at the next gap. Outside the
working hours nothing comes, and the count starts afresh when they begin. `snapshot()`
and `restore()` carry the count over a restart of the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any

from loosen.core.clock import Clock
from loosen.core.duration import Window, format_length
from loosen.core.presence import Busy, Presence
from loosen.core.settings_schema import MIN_INTERVAL_S
from loosen.core.working_hours import WorkingHours

SNOOZE_S = 5 * 60.0
PAUSE_S = 60 * 60.0
# Wall and monotonic clocks disagree by a little (NTP slewing, a late timer); more
# than this is a sleep or a clock change.
CLOCK_TOLERANCE_S = 2.0
MIN_AWAY_S = 30.0  # time away shorter than this is a pause for thought, not a break
# While the user may be away, is away or is busy, the desktop is looked at this often to
# see them back or free; otherwise only at the moments that matter.
LOOK_AGAIN_S = 5.0
# Two snapshots more than this apart in "boot moment" are from different boots.
BOOT_TOLERANCE_S = 120.0


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
    AWAY = "away"  # the user is away from the desk: the count waits for them
    OUTSIDE_HOURS = "outside-hours"  # outside the working hours set


class Outcome(StrEnum):
    """How the user answered a reminder; what the history logs."""

    TAKEN = "taken"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    AWAY = "away"  # time away from the desk counted as the break
    DEFERRED = "deferred"  # due while the user was busy: owed until the next gap
    UNANSWERED = "unanswered"  # given, and never answered before the count restarted


@dataclass(frozen=True)
class Reminder:
    """A reminder to give now (a notification and a spoken line)."""

    stage: Stage
    routine_id: str
    due_wall: float  # the moment it was due; earlier than now after a sleep
    late_s: float  # how long after `due_wall` it is given (a sleep, a busy machine)
    quiet: bool = False  # a deferred break offered at the gap: shown, not spoken


@dataclass(frozen=True)
class Answer:
    """One answer to a reminder, for the history."""

    outcome: Outcome
    routine_id: str
    due_wall: float  # when the answered reminder was (or would have been) due
    answered_wall: float
    stage: Stage | None = None  # the stage given, None when none was
    given_wall: float | None = None  # when it was given; None if it never was


class ReminderScheduler:
    """The reminder cycle for one break routine, computed from a clock passed in."""

    def __init__(
        self,
        clock: Clock,
        window: Window,
        routine_id: str,
        *,
        enabled: bool = True,
        away_after_s: float = MIN_AWAY_S,
        hours: WorkingHours | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        if window.start_s < MIN_INTERVAL_S:
            raise ValueError(f"reminders need at least {MIN_INTERVAL_S:g} s between them")
        self.clock = clock
        self.window = window
        self.routine_id = routine_id
        self.enabled = enabled
        self.away_after_s = max(MIN_AWAY_S, away_after_s)
        self.hours = hours
        self.tz = tz
        self._last_wall = clock.wall()
        self._last_mono = clock.now()
        self._last_suspended = clock.suspended()
        self.anchor_wall = self._last_wall  # the cycle's start: app start, last break, skip
        self.announced: Stage | None = None  # the highest stage given since anchor or snooze
        self.given_wall: float | None = None  # when that stage was given
        self.snoozed_until_wall: float | None = None
        self.paused_until_wall: float | None = None
        self.last_gap_s = 0.0  # the last sleep (or forward clock jump) noticed
        self.shifted_s = 0.0  # total shift applied for the clock being set back
        self.away_since_wall: float | None = None  # set while the user is away
        self.busy: Busy | None = None  # why a due break must wait, from the last look
        self.idle_s: float | None = None  # the last look's idle time, None when unknown
        self.owed = False  # a break came due while busy; offered once at the next gap
        # A break came due while the keys had been still for a while: held, to see whether
        # the user has stepped away (then it is `away`) or is reading (then it comes).
        self.held = False
        self.outside_hours = hours is not None and not hours.contains(self._last_wall, tz)
        self._log: list[Answer] = []  # what happened without an answer: away, deferred

    # -- time --------------------------------------------------------------------

    def _observe(self) -> float:
        """The wall time now, after allowing for a clock set back since the last look."""
        wall, mono, suspended = self.clock.wall(), self.clock.now(), self.clock.suspended()
        skew = (wall - self._last_wall) - (mono - self._last_mono)
        slept = suspended - self._last_suspended
        if skew < -CLOCK_TOLERANCE_S:
            # The clock was set back: move every stored moment with it, so the time
            # still to wait is what it was (the user did not wait longer).
            self._shift(skew)
        elif skew > CLOCK_TOLERANCE_S:
            # A sleep (the monotonic clock stood still) or the clock set forward: both
            # mean "that much time has passed", and an overdue reminder fires once, at
            # the next check.
            self.last_gap_s = skew
        if slept >= self.away_after_s and self.enabled:
            # The computer slept as long as a break: its user was away from it.
            self._went_away(wall - slept, wall)
            self._came_back(wall)
        self._last_wall, self._last_mono, self._last_suspended = wall, mono, suspended
        return wall

    def _shift(self, delta_s: float) -> None:
        self.shifted_s += delta_s
        self.anchor_wall += delta_s
        if self.snoozed_until_wall is not None:
            self.snoozed_until_wall += delta_s
        if self.paused_until_wall is not None:
            self.paused_until_wall += delta_s
        if self.away_since_wall is not None:
            self.away_since_wall += delta_s

    def _stages(self) -> list[tuple[float, Stage]]:
        firm = (self.anchor_wall + self.window.end_s, Stage.FIRM)
        if self.window.fixed:
            return [firm]
        return [(self.anchor_wall + self.window.start_s, Stage.GENTLE), firm]

    def _restart(self, at_wall: float) -> None:
        self.anchor_wall = at_wall
        self.announced = None
        self.given_wall = None
        self.snoozed_until_wall = None
        self.owed = False
        self.held = False

    def _settle(self, now: float) -> None:
        """Let ended pauses and snoozes go; begin a new count when working hours begin."""
        if self.paused_until_wall is not None and now >= self.paused_until_wall:
            # A new count starts when the pause ends: no reminder the moment it does.
            self._restart(self.paused_until_wall)
            self.paused_until_wall = None
        if self.snoozed_until_wall is not None and now >= self.snoozed_until_wall:
            self.snoozed_until_wall = None
        if self.hours is not None:
            inside = self.hours.contains(now, self.tz)
            if inside and self.outside_hours:
                # The working day begins: a new count from its first minute.
                self._restart(max(self.anchor_wall, self.hours.started_at(now, self.tz)))
            self.outside_hours = not inside

    # -- presence --------------------------------------------------------------------

    def observe(self, presence: Presence) -> None:
        """What the desktop says now: away (idle long enough, or locked), back, or busy.

        Away long enough counts as the break (logged `away`, once per absence); the count
        starts again when the user comes back, from their first input.
        """
        now = self._observe()
        self._settle(now)
        self.busy = presence.busy
        self.idle_s = presence.idle_s
        if not self.enabled:
            return
        idle = presence.idle_s
        away = presence.locked or (idle is not None and idle >= self.away_after_s)
        if away:
            self._went_away(now - (idle or 0.0), now)
        elif self.away_since_wall is not None:
            self._came_back(now - (idle or 0.0))

    def _went_away(self, since_wall: float, now: float) -> None:
        if self.away_since_wall is not None:
            return
        self.away_since_wall = since_wall
        if not self.outside_hours and self.paused_until_wall is None:
            self._log.append(self._answer_now(Outcome.AWAY, now))
        self._restart(now)

    def _came_back(self, at_wall: float) -> None:
        self.away_since_wall = None
        self._restart(max(at_wall, self.anchor_wall))

    def take_log(self) -> list[Answer]:
        """What came about without an answer since the last call (away, deferred), for
        the reminder log."""
        log, self._log = self._log, []
        return log

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
        if self.outside_hours:
            return State.OUTSIDE_HOURS
        if self.away_since_wall is not None:
            return State.AWAY
        if self.snoozed_until_wall is not None:
            return State.SNOOZED
        return State.DUE if self.announced is not None else State.WAITING

    def due_wall(self) -> float:
        """When the current cycle's first reminder is (or was) due."""
        return self._stages()[0][0]

    def next_due_wall(self) -> float | None:
        """The wall moment `check()` should next run; None when nothing more will come
        until the user answers, comes back, or reminders are turned on."""
        now = self._observe()
        self._settle(now)
        if not self.enabled:
            return None
        if self.paused_until_wall is not None:
            return self.paused_until_wall
        if self.outside_hours:
            assert self.hours is not None
            return self.hours.next_start(now, self.tz)
        if self.away_since_wall is not None or self.held or self.owed:
            return now + LOOK_AGAIN_S  # until the user is back, or free
        pending = [at for at, stage in self._stages() if _RANK[stage] > _RANK[self.announced]]
        if not pending:
            return None
        at = min(pending)
        if self.snoozed_until_wall is not None:
            at = max(at, self.snoozed_until_wall)
        return at

    # -- the check -----------------------------------------------------------------

    def check(self, presence: Presence | None = None) -> Reminder | None:
        """The reminder to give now, if one is due and not yet given; else None.

        With `presence`, what the desktop says is taken into account first (`observe`).
        """
        if presence is not None:
            self.observe(presence)
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
        if self.busy is not None:
            if not self.owed:
                self.owed = True
                self._log.append(Answer(Outcome.DEFERRED, self.routine_id, at, now, stage))
            return None
        self.held = self.idle_s is not None and self.idle_s >= MIN_AWAY_S
        if self.held:
            return None
        quiet = self.owed
        self.owed = False
        self.announced = stage
        self.given_wall = now
        return Reminder(stage, self.routine_id, at, max(0.0, now - at), quiet=quiet)

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
        answer = self._answer_now(Outcome.SNOOZED, now)
        self.snoozed_until_wall = now + SNOOZE_S
        self.announced = None  # the current stage is given again when the snooze ends
        self.given_wall = None
        return answer

    def pause(self, seconds: float = PAUSE_S) -> None:
        """No reminders for `seconds`; then a new count starts."""
        now = self._observe()
        self.paused_until_wall = now + seconds
        self.announced = None
        self.given_wall = None
        self.snoozed_until_wall = None
        self.owed = False

    def resume(self) -> None:
        """End a pause early; a new count starts now."""
        now = self._observe()
        if self.paused_until_wall is not None:
            self.paused_until_wall = None
            self._restart(now)

    def reconfigure(
        self,
        window: Window,
        routine_id: str,
        enabled: bool,
        *,
        away_after_s: float | None = None,
        hours: WorkingHours | None = None,
    ) -> None:
        """New settings: a changed interval, routine or hours starts a new count."""
        if window.start_s < MIN_INTERVAL_S:
            raise ValueError(f"reminders need at least {MIN_INTERVAL_S:g} s between them")
        now = self._observe()
        changed = (window, routine_id, hours) != (self.window, self.routine_id, self.hours)
        turned_on = enabled and not self.enabled
        self.window, self.routine_id, self.enabled = window, routine_id, enabled
        self.hours = hours
        if away_after_s is not None:
            self.away_after_s = max(MIN_AWAY_S, away_after_s)
        if changed or turned_on:
            self._restart(now)
            self.paused_until_wall = None
            self.outside_hours = hours is not None and not hours.contains(now, self.tz)

    def _answer_now(self, outcome: Outcome, now: float) -> Answer:
        return Answer(
            outcome, self.routine_id, self.due_wall(), now, self.announced, self.given_wall
        )

    def _answer(self, outcome: Outcome) -> Answer:
        now = self._observe()
        self._settle(now)
        answer = self._answer_now(outcome, now)
        self.paused_until_wall = None
        self.away_since_wall = None
        self._restart(now)
        return answer

    # -- over a restart --------------------------------------------------------------

    def _boot_wall(self) -> float:
        """When this boot of the computer began, in wall time (to tell a reboot)."""
        return self.clock.wall() - self.clock.now() - self.clock.suspended()

    def snapshot(self) -> dict[str, Any]:
        """The count, to carry over a restart of the app (JSON-ready)."""
        now = self._observe()
        self._settle(now)
        return {
            "routine": self.routine_id,
            "window": [self.window.start_s, self.window.end_s],
            "anchor_wall": self.anchor_wall,
            "announced": self.announced.value if self.announced else None,
            "given_wall": self.given_wall,
            "snoozed_until_wall": self.snoozed_until_wall,
            "paused_until_wall": self.paused_until_wall,
            "owed": self.owed,
            "seen_wall": now,
            "seen_suspended": self.clock.suspended(),
            "boot_wall": self._boot_wall(),
        }

    def restore(self, saved: Mapping[str, Any]) -> bool:
        """Carry on the count `snapshot()` saved, if it is for the same routine and
        interval and reads right; False (a new count) otherwise.

        A computer off, or asleep, at least as long as a break in between counts as
        time away: logged `away`, and a new count from now. An app merely closed
        keeps its count; an overdue reminder then comes once.
        """
        try:
            restored = _Saved.read(saved)
        except (KeyError, TypeError, ValueError):
            return False
        if (restored.routine, restored.window) != (self.routine_id, self.window):
            return False
        now = self._observe()
        if restored.seen_wall > now + CLOCK_TOLERANCE_S:
            return False  # saved "in the future": a clock set back since; start afresh
        self.anchor_wall = restored.anchor_wall
        self.announced = restored.announced
        self.given_wall = restored.given_wall
        self.snoozed_until_wall = restored.snoozed_until_wall
        self.paused_until_wall = restored.paused_until_wall
        self.owed = restored.owed
        rebooted = abs(self._boot_wall() - restored.boot_wall) > BOOT_TOLERANCE_S
        if rebooted:
            off_s = max(0.0, self._boot_wall() - restored.seen_wall)
        else:
            off_s = self.clock.suspended() - restored.seen_suspended
        if off_s >= self.away_after_s and self.enabled:
            self._went_away(now - off_s, now)
            self._came_back(now)
        self._settle(now)
        return True


@dataclass(frozen=True)
class _Saved:
    """A snapshot read back and checked, field by field."""

    routine: str
    window: Window
    anchor_wall: float
    announced: Stage | None
    given_wall: float | None
    snoozed_until_wall: float | None
    paused_until_wall: float | None
    owed: bool
    seen_wall: float
    seen_suspended: float
    boot_wall: float

    @classmethod
    def read(cls, saved: Mapping[str, Any]) -> _Saved:
        start_s, end_s = (_number(v) for v in saved["window"])
        announced = saved["announced"]
        return cls(
            routine=str(saved["routine"]),
            window=Window(start_s, end_s),
            anchor_wall=_number(saved["anchor_wall"]),
            announced=None if announced is None else Stage(announced),
            given_wall=_optional(saved["given_wall"]),
            snoozed_until_wall=_optional(saved["snoozed_until_wall"]),
            paused_until_wall=_optional(saved["paused_until_wall"]),
            owed=bool(saved["owed"]),
            seen_wall=_number(saved["seen_wall"]),
            seen_suspended=_number(saved["seen_suspended"]),
            boot_wall=_number(saved["boot_wall"]),
        )


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValueError(f"{value!r} is not a number")
    return float(value)


def _optional(value: object) -> float | None:
    return None if value is None else _number(value)


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
