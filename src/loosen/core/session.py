"""The session state machine: where a running routine is, computed from a clock.

Position is always `now - started - paused_total`, read from the Clock passed in;
nothing here counts ticks. Every transition and every `poll()` returns the events
that happened (a phase started or ended, a cue is due or was missed, the session
finished) for the UI and the speech layer to act on. A transition that makes no
sense in the current state raises IllegalTransition instead of being ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from loosen.core.clock import Clock
from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE, Cue, CueKind, build_cues
from loosen.core.phases import Phase, PhaseKind, Plan
from loosen.core.plan import break_length_s, build_plan, run_phases, step_phases
from loosen.core.routine import Routine

BACK_GRACE_S = 2.0  # "back" in a phase's first seconds goes to the previous phase
STALE_CUE_S = 0.75  # a cue later than this is dropped, not spoken late
# The clock's suspended total grew by more than this since the last look: the
# computer slept. Never a gap between looks: that is a busy loop or a user at the keys.
SUSPEND_MIN_S = 1.0
# A phase entered this close to its planned start is where the plan has it (offsets are
# sums of floats).
_SAME_MOMENT_S = 1e-6


class State(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class EndReason(StrEnum):
    ELAPSED = "elapsed"
    SKIPPED = "skipped"
    DONE = "done"  # the user finished an open-ended step
    BACK = "back"
    BREAK_TAKEN = "break-taken"  # an activity cut short to take the break now
    STOPPED = "stopped"


# What counts as work done: a step's work phases and a run's activity blocks that ran to
# their end (a block cut short to take a break early was run, not skipped).
WORK_KINDS = (PhaseKind.WORK, PhaseKind.ACTIVITY)
_WORK_RAN = (EndReason.ELAPSED, EndReason.DONE, EndReason.BREAK_TAKEN)


class PauseReason(StrEnum):
    USER = "user"
    SUSPEND = "suspend"  # the computer slept


class IllegalTransition(RuntimeError):
    """The action makes no sense now (e.g. resume when not paused)."""


@dataclass(frozen=True)
class PhaseStarted:
    index: int
    phase: Phase


@dataclass(frozen=True)
class PhaseEnded:
    index: int
    phase: Phase
    reason: EndReason


@dataclass(frozen=True)
class CueDue:
    cue: Cue
    late_s: float


@dataclass(frozen=True)
class CueMissed:
    """A cue whose moment passed unheard (e.g. the loop stalled): dropped, not said late."""

    cue: Cue
    late_s: float


@dataclass(frozen=True)
class Paused:
    reason: PauseReason


@dataclass(frozen=True)
class Resumed:
    pass


@dataclass(frozen=True)
class Summary:
    planned_s: float
    active_s: float
    steps_done: int
    steps_skipped: int
    breaks_taken: int
    work_share: float  # of the timeline's work phases, the share that ran to their end


@dataclass(frozen=True)
class SessionFinished:
    completed: bool  # False when the user stopped it
    summary: Summary


Event = PhaseStarted | PhaseEnded | CueDue | CueMissed | Paused | Resumed | SessionFinished


@dataclass
class _StepRecord:
    """How a step fared: which of its work phases (by index) ended in time or were
    skipped. A phase skipped, then gone back to and done, counts as done."""

    work_phases: int
    ended_normally: set[int] = field(default_factory=set)
    skipped_phases: set[int] = field(default_factory=set)

    @property
    def done(self) -> bool:
        return len(self.ended_normally) >= self.work_phases

    @property
    def skipped(self) -> bool:
        return not self.done and bool(self.skipped_phases)


@dataclass
class _Timeline:
    """The live phases and their cues (a run extends it as breaks are taken)."""

    phases: list[Phase] = field(default_factory=list)
    cues: list[list[Cue]] = field(default_factory=list)

    def replace_from(self, index: int, phases: Sequence[Phase], cues: Sequence[Cue]) -> None:
        del self.phases[index:]
        del self.cues[index:]
        self.phases.extend(phases)
        self.cues.extend([] for _ in phases)
        for cue in cues:
            if cue.kind is not CueKind.COMPLETE:
                self.cues[index + cue.phase_index].append(cue)


class Session:
    """One run of a routine, driven by a Clock."""

    def __init__(
        self,
        routine: Routine,
        clock: Clock,
        *,
        words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
        stale_cue_s: float = STALE_CUE_S,
        suspend_min_s: float = SUSPEND_MIN_S,
    ) -> None:
        self.routine = routine
        self.clock = clock
        self.words_per_minute = words_per_minute
        self.stale_cue_s = stale_cue_s
        self.suspend_min_s = suspend_min_s
        self.plan: Plan = build_plan(routine, words_per_minute)
        # One break of a run at this speaking rate: what it must fit in before the total.
        self._break_s = (
            break_length_s(routine, words_per_minute) if routine.interval is not None else 0.0
        )
        self.state = State.READY
        self.completed: bool | None = None
        self._timeline = _Timeline()
        self._timeline.replace_from(0, self.plan.phases, self.plan.cues)
        self._complete_cue = next(
            (c for c in self.plan.cues if c.kind is CueKind.COMPLETE),
            Cue(
                self.plan.total_s, len(self.plan.phases), 0.0, "Session complete", CueKind.COMPLETE
            ),
        )
        self._started_at = 0.0
        self._paused_total = 0.0
        self._paused_since: float | None = None
        # (monotonic, suspended total) at the last look at the clock: a poll or an action
        self._last_look = (0.0, 0.0)
        self._index = 0
        self._phase_started = 0.0  # active seconds at which the current phase began
        self._next_cue = 0  # index into the current phase's cues
        self._steps: dict[tuple[int | None, int], _StepRecord] = {}
        self._breaks_taken = 0
        self._work_ended: set[int] = set()  # timeline indices of work phases run to their end
        # In a run made of efforts: when the count to the next break began (the start, or
        # the end of the last break), in active seconds; None before the first effort.
        self._count_started: float | None = None
        self._ended_at_active: float | None = None

    # -- reading the position ------------------------------------------------------

    @property
    def phases(self) -> tuple[Phase, ...]:
        return tuple(self._timeline.phases)

    @property
    def index(self) -> int:
        return self._index

    @property
    def phase(self) -> Phase | None:
        if self._index < len(self._timeline.phases):
            return self._timeline.phases[self._index]
        return None

    # Each reading below is at `now`, a reading of the session's clock (default: read it
    # now), so that a screen drawn from several of them is drawn at one moment.

    def active_s(self, now: float | None = None) -> float:
        """Seconds of the session so far, pauses left out."""
        if self.state is State.READY:
            return 0.0
        if self._ended_at_active is not None:
            return self._ended_at_active
        if self._paused_since is not None:
            until = self._paused_since
        else:
            until = self.clock.now() if now is None else now
        return max(0.0, until - self._started_at - self._paused_total)

    def phase_elapsed_s(self, now: float | None = None) -> float:
        return max(0.0, self.active_s(now) - self._phase_started)

    def phase_remaining_s(self, now: float | None = None) -> float | None:
        phase = self.phase
        if phase is None or phase.duration_s is None:
            return None
        return max(0.0, phase.duration_s - self.phase_elapsed_s(now))

    def session_progress(self, now: float | None = None) -> float:
        """0..1 through the planned timeline (open-ended phases count as instant)."""
        phases = self._timeline.phases
        if self.state is State.FINISHED or not phases:
            return 1.0 if self.state is State.FINISHED else 0.0
        total = sum(p.duration_s or 0.0 for p in phases)
        done = sum(p.duration_s or 0.0 for p in phases[: self._index])
        current = min(self.phase_elapsed_s(now), self.phase.duration_s or 0.0) if self.phase else 0
        return min(1.0, (done + current) / total) if total else 0.0

    def seconds_to_next_change(self) -> float | None:
        """Active seconds until something is due: a cue, a phase end, or the next whole
        second of the countdown on screen. None when nothing will happen by itself."""
        if self.state is not State.RUNNING:
            return None
        phase = self.phase
        assert phase is not None
        elapsed = self.phase_elapsed_s()
        moments: list[float] = []
        cues = self._timeline.cues[self._index]
        if self._next_cue < len(cues):
            moments.append(cues[self._next_cue].offset_s)
        if phase.duration_s is not None:
            moments.append(phase.duration_s)
            remaining = phase.duration_s - elapsed
            fraction = remaining - int(remaining)
            moments.append(elapsed + (fraction if fraction > 1e-3 else 1.0))
        else:
            moments.append(elapsed + 1.0 - (elapsed % 1.0))  # an open phase's clock counts up
        return max(0.0, min(moments) - elapsed)

    def next_phase(self) -> Phase | None:
        """The next phase that is not a rest or switch: "what comes next" on screen."""
        for phase in self._timeline.phases[self._index + 1 :]:
            if phase.kind not in (PhaseKind.REST, PhaseKind.SWITCH):
                return phase
        return None

    def since_count_start_s(self, now: float | None = None) -> float:
        """In a run's activity, active seconds since the count to the next break began:
        the start, or the end of the last break. In a run made of efforts that is the
        whole stretch of them so far; otherwise the phase under way."""
        if self._count_started is None or self.phase is None or not self.phase.is_effort:
            return self.phase_elapsed_s(now)
        return max(0.0, self.active_s(now) - self._count_started)

    @property
    def break_ahead(self) -> bool:
        """A break is planned after the activity under way (not past the run's total)."""
        return self._break_follows()

    def break_fits(self, now: float | None = None) -> bool:
        """Whether a break taken now would end by the run's total: `take_break` refuses
        one that would not, so nothing should offer it."""
        return self._break_ends_in_time(self.active_s(now))

    @property
    def breaks_taken(self) -> int:
        """A run's breaks begun so far (the one under way included)."""
        return self._breaks_taken

    def summary(self) -> Summary:
        done = sum(1 for r in self._steps.values() if r.done)
        skipped = sum(1 for r in self._steps.values() if r.skipped)
        return Summary(
            planned_s=self.plan.total_s,
            active_s=round(self.active_s(), 3),
            steps_done=done,
            steps_skipped=skipped,
            breaks_taken=self._breaks_taken,
            work_share=self._work_share(),
        )

    def _work_share(self) -> float:
        """Work and activity phases that ran to their end, over all of them in the timeline;
        1.0 when there are none (nothing to skip)."""
        planned = sum(p.kind in WORK_KINDS for p in self._timeline.phases)
        if not planned:
            return 1.0
        return len(self._work_ended) / planned

    # -- transitions ---------------------------------------------------------------

    def _require(self, *states: State, action: str) -> None:
        if self.state not in states:
            allowed = " or ".join(s.value for s in states)
            raise IllegalTransition(
                f"cannot {action} a session that is {self.state.value} (only when {allowed})"
            )

    def start(self) -> list[Event]:
        self._require(State.READY, action="start")
        if not self._timeline.phases:
            raise IllegalTransition("cannot start a routine with no phases")
        now = self.clock.now()
        self._started_at = now
        self._last_look = (now, self.clock.suspended())
        self.state = State.RUNNING
        events: list[Event] = []
        self._enter(0, 0.0, events)
        events.extend(self._advance())
        return events

    def pause(self) -> list[Event]:
        self._require(State.RUNNING, action="pause")
        events = self._notice_suspend()
        if self.state is not State.RUNNING:
            return events  # the computer slept: that pause is the one to report
        events.extend(self._advance())
        if self.state is State.RUNNING:
            self._paused_since = self.clock.now()
            self.state = State.PAUSED
            events.append(Paused(PauseReason.USER))
        return events

    def resume(self) -> list[Event]:
        self._require(State.PAUSED, action="resume")
        assert self._paused_since is not None
        now = self.clock.now()
        self._paused_total += now - self._paused_since
        self._paused_since = None
        self._last_look = (now, self.clock.suspended())  # a sleep while paused is no news
        self.state = State.RUNNING
        return [Resumed(), *self._advance()]

    def toggle_pause(self) -> list[Event]:
        return self.resume() if self.state is State.PAUSED else self.pause()

    def poll(self) -> list[Event]:
        """What is due now. Call it often (the UI does, from a timer); it never drifts."""
        if self.state is not State.RUNNING:
            return []
        events = self._notice_suspend()
        if self.state is State.RUNNING:
            events.extend(self._advance())
        return events

    def skip(self) -> list[Event]:
        """End the current phase now and go to the next one."""
        self._require(State.RUNNING, State.PAUSED, action="skip in")
        phase = self.phase
        assert phase is not None
        if phase.kind is PhaseKind.ACTIVITY and not phase.is_effort and self._break_follows():
            return self.take_break()  # the activity is one block: skipping it is the break
        events = [*self._notice_suspend(), *self._advance()]
        if self.state is State.FINISHED:
            return events
        at = self.active_s()
        self._end_current(EndReason.SKIPPED, events)
        self._enter(self._index + 1, at, events)
        events.extend(self._advance())
        return events

    def back(self) -> list[Event]:
        """Restart the current phase, or go to the previous one in the first seconds;
        from a switch, always back to the side before it (restarting the switch, a
        few seconds to change sides, would be no use to anyone)."""
        self._require(State.RUNNING, State.PAUSED, action="go back in")
        events = [*self._notice_suspend(), *self._advance()]
        if self.state is State.FINISHED:
            return events
        at = self.active_s()
        target = self._index
        phase = self.phase
        assert phase is not None
        in_grace = self.phase_elapsed_s() < BACK_GRACE_S
        if self._index > 0 and (in_grace or phase.kind is PhaseKind.SWITCH):
            target = self._index - 1
        self._end_current(EndReason.BACK, events)
        self._enter(target, at, events)
        events.extend(self._advance())
        return events

    def done(self) -> list[Event]:
        """The user finished an open-ended step (reps in their own time)."""
        self._require(State.RUNNING, State.PAUSED, action="mark done")
        phase = self.phase
        if phase is None or not phase.open_ended:
            raise IllegalTransition("only an open-ended step (reps without tempo) waits for done")
        events = self._notice_suspend()
        at = self.active_s()
        self._end_current(EndReason.DONE, events)
        self._enter(self._index + 1, at, events)
        events.extend(self._advance())
        return events

    def take_break(self) -> list[Event]:
        """In a run, start the break now; the count to the next one restarts after it."""
        self._require(State.RUNNING, State.PAUSED, action="take a break in")
        phase = self.phase
        interval = self.routine.interval
        if interval is None or phase is None or phase.kind is not PhaseKind.ACTIVITY:
            raise IllegalTransition("a break can be taken only during a run's activity")
        events = [*self._notice_suspend(), *self._advance()]
        if self.state is State.FINISHED:
            return events
        at = self.active_s()
        if not self._break_ends_in_time(at):
            raise IllegalTransition("there is no time left for a break before the session ends")
        self._end_current(EndReason.BREAK_TAKEN, events)
        self._timeline.phases[self._index] = replace(phase, duration_s=self.phase_elapsed_s())
        number = self._breaks_taken + 1
        wpm = self.words_per_minute
        break_phases = step_phases(interval.break_routine, at, number, wpm)
        after = at + sum(p.duration_s or 0.0 for p in break_phases)
        tail = run_phases(self.routine, after, interval.total_s, number, wpm)
        self._install(self._index + 1, [*break_phases, *tail])
        self._enter(self._index + 1, at, events)
        events.extend(self._advance())
        return events

    def stop(self) -> list[Event]:
        self._require(State.RUNNING, State.PAUSED, action="stop")
        events = [*self._notice_suspend(), *self._advance()]
        if self.state is State.FINISHED:
            return events
        self._ended_at_active = self.active_s()
        self._end_current(EndReason.STOPPED, events)
        self._finish(completed=False, events=events)
        return events

    # -- inner workings ------------------------------------------------------------

    def _break_ends_in_time(self, at_s: float) -> bool:
        interval = self.routine.interval
        if interval is None:
            return False
        return interval.total_s is None or at_s + self._break_s <= interval.total_s

    def _break_follows(self) -> bool:
        return any(p.kind is not PhaseKind.ACTIVITY for p in self._timeline.phases[self._index :])

    def _notice_suspend(self) -> list[Event]:
        """Look at the clock; if the computer slept since the last look, pause where
        the session was when it went to sleep. Called at every poll and every action."""
        now, suspended = self.clock.now(), self.clock.suspended()
        last_now, last_suspended = self._last_look
        self._last_look = (now, suspended)
        slept_s = suspended - last_suspended
        if self.state is not State.RUNNING or slept_s <= self.suspend_min_s:
            return []
        # Where the monotonic clock counts the sleep, it began `slept_s` ago; where it
        # stood still, the session was last seen running at the last look.
        asleep_from = min(now, max(last_now, now - slept_s))
        events = self._advance(until=asleep_from)
        if self.state is State.RUNNING:
            self._paused_since = asleep_from
            self.state = State.PAUSED
            events.append(Paused(PauseReason.SUSPEND))
        return events

    def _install(
        self, index: int, phases: list[Phase], count_started_s: float | None = None
    ) -> None:
        """Put `phases` in the timeline from `index`, with their cues."""
        sub_plan = Plan(self.routine.id, tuple(phases), phases[-1].end_s if phases else 0.0)
        cues = build_cues(
            sub_plan, self.routine, self.words_per_minute, count_started_s=count_started_s
        )
        self._timeline.replace_from(index, phases, cues)

    def _enter_effort(self, index: int, at: float) -> None:
        """Before effort `index` starts at `at`: re-plan the rest of the run from it
        where the timeline no longer holds. Entered from a break (or at the start), the
        count to the next break starts now, from the first effort; entered from the
        same stretch of efforts (skip, back), the count goes on, so the break still
        comes at the end of the effort under way when its window ends."""
        interval = self.routine.interval
        assert interval is not None
        timeline = self._timeline.phases
        phase = timeline[index]
        low, high = sorted((self._index, index))
        continuing = self._count_started is not None and all(
            p.is_effort for p in timeline[low : high + 1]
        )
        wpm = self.words_per_minute
        if not continuing:
            # Only the session's start enters the plan as it was made; anything else (a
            # break's end, back from a break into an effort it cut short) re-plans.
            starting = self._count_started is None and index == 0
            self._count_started = at
            if not starting:
                phases = run_phases(self.routine, at, interval.total_s, self._breaks_taken, wpm)
                self._install(index, phases)
        elif abs(at - phase.start_s) > _SAME_MOMENT_S or (
            # Entered where planned, but what follows was planned from another moment
            # (skipped to, then gone back from): it no longer holds either.
            index + 1 < len(timeline)
            and abs(timeline[index + 1].start_s - phase.end_s) > _SAME_MOMENT_S
        ):
            assert phase.step_number is not None
            phases = run_phases(
                self.routine,
                at,
                interval.total_s,
                self._breaks_taken,
                wpm,
                count_started_s=self._count_started,
                first_effort=phase.step_number - 1,
            )
            self._install(index, phases, self._count_started)

    def _enter(self, index: int, at: float, events: list[Event]) -> None:
        timeline = self._timeline.phases
        interval = self.routine.interval
        if interval is not None and interval.efforts and index < len(timeline):
            if timeline[index].is_effort:
                self._enter_effort(index, at)
        elif (
            interval is not None
            and 0 < index < len(timeline)
            and timeline[index].kind is PhaseKind.ACTIVITY
        ):
            # The count restarts: re-plan the rest of the run from this moment.
            self._install(
                index,
                run_phases(
                    self.routine, at, interval.total_s, self._breaks_taken, self.words_per_minute
                ),
            )
        if index >= len(timeline):
            self._index = len(timeline)
            self._ended_at_active = at
            events.append(CueDue(self._complete_cue, 0.0))
            self._finish(completed=True, events=events)
            return
        phase = timeline[index]
        self._index = index
        self._phase_started = at
        self._next_cue = 0
        if phase.kind is PhaseKind.WORK and phase.step_number is not None:
            key = (phase.break_number, phase.step_number)
            if key not in self._steps:
                count = sum(
                    1
                    for p in timeline
                    if p.kind is PhaseKind.WORK and (p.break_number, p.step_number) == key
                )
                self._steps[key] = _StepRecord(work_phases=count)
        if phase.break_number is not None and phase.break_number > self._breaks_taken:
            self._breaks_taken = phase.break_number
        events.append(PhaseStarted(index, phase))

    def _end_current(self, reason: EndReason, events: list[Event]) -> None:
        phase = self.phase
        if phase is None:
            return
        if phase.kind in WORK_KINDS and reason in _WORK_RAN:
            self._work_ended.add(self._index)
        if phase.kind is PhaseKind.WORK and phase.step_number is not None:
            record = self._steps.get((phase.break_number, phase.step_number))
            if record is not None:
                if reason in (EndReason.ELAPSED, EndReason.DONE):
                    record.ended_normally.add(self._index)
                elif reason is EndReason.SKIPPED:
                    record.skipped_phases.add(self._index)
        events.append(PhaseEnded(self._index, phase, reason))

    def _advance(self, until: float | None = None) -> list[Event]:
        """Emit what came due up to `until` (default now): cues, phase ends, the finish."""
        events: list[Event] = []
        if self.state is not State.RUNNING:
            return events
        active = (
            self.active_s()
            if until is None
            else max(0.0, until - self._started_at - self._paused_total)
        )
        while self.state is State.RUNNING:
            phase = self._timeline.phases[self._index]
            elapsed = active - self._phase_started
            cues = self._timeline.cues[self._index]
            while self._next_cue < len(cues) and cues[self._next_cue].offset_s <= elapsed + 1e-9:
                cue = cues[self._next_cue]
                late = max(0.0, elapsed - cue.offset_s)
                events.append(
                    CueDue(cue, late) if late <= self.stale_cue_s else CueMissed(cue, late)
                )
                self._next_cue += 1
            if phase.duration_s is None or elapsed < phase.duration_s:
                break
            # The next phase starts exactly where this one ended, not "now": no drift.
            ended_at = self._phase_started + phase.duration_s
            self._end_current(EndReason.ELAPSED, events)
            self._enter(self._index + 1, ended_at, events)
        return events

    def _finish(self, *, completed: bool, events: list[Event]) -> None:
        self.state = State.FINISHED
        self.completed = completed
        self._paused_since = None
        events.append(SessionFinished(completed, self.summary()))
