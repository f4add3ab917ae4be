"""What the player shows of a session at a moment, and what its controls do: no Qt.

`readout(session, now)` is everything on the player's screen as text and state; the
view only maps it onto widgets (colours, fonts, what is visible). `PlayerAction` names
what a key or a button asks of the session, and `perform` runs it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum, auto
from pathlib import Path

from loosen.core.counts import count_of
from loosen.core.cues import Cue, CueKind
from loosen.core.duration import format_clock
from loosen.core.phases import Phase, PhaseKind
from loosen.core.session import WORK_KINDS, Event, IllegalTransition, Session, State

PHASE_LABELS = {
    PhaseKind.WORK: "Work",
    PhaseKind.REST: "Rest",
    PhaseKind.GET_READY: "Get ready",
    PhaseKind.SWITCH: "Switch sides",
    PhaseKind.ACTIVITY: "Run",
}
PAUSED_SUFFIX = "  ·  paused"
CLOCK_COUNTS_DOWN = "Time left in this step"
CLOCK_COUNTS_UP = "Time so far in this step"
CLOCK_SESSION = "Time spent in this session"


class BreakState(Enum):
    """Where a run's activity stands with its coming break."""

    NONE = auto()  # not a run's activity, or no break follows it
    EARLY = auto()  # before the window opens: a break may still be taken early
    DUE = auto()  # inside the window: take it at the next natural pause


class PlayerAction(StrEnum):
    """What a key or a button asks of the session; the value is its name."""

    PAUSE = "pause"
    RESUME = "resume"
    TOGGLE_PAUSE = "toggle_pause"
    SKIP = "skip"
    BACK = "back"
    DONE = "done"
    TAKE_BREAK = "take_break"
    STOP = "stop"

    @property
    def leaves_phase(self) -> bool:
        """The phase on screen is left behind: what was being said about it is cut off."""
        return self in _LEAVING


_LEAVING = frozenset(
    {PlayerAction.SKIP, PlayerAction.BACK, PlayerAction.DONE, PlayerAction.TAKE_BREAK}
)


def _transition(session: Session, action: PlayerAction) -> Callable[[], list[Event]]:
    return {
        PlayerAction.PAUSE: session.pause,
        PlayerAction.RESUME: session.resume,
        PlayerAction.TOGGLE_PAUSE: session.toggle_pause,
        PlayerAction.SKIP: session.skip,
        PlayerAction.BACK: session.back,
        PlayerAction.DONE: session.done,
        PlayerAction.TAKE_BREAK: session.take_break,
        PlayerAction.STOP: session.stop,
    }[action]


def perform(session: Session, action: PlayerAction) -> list[Event] | None:
    """Run `action` on the session and return its events; None when it makes no sense
    now (before the start, after the end, or refused by the session)."""
    if session.state in (State.READY, State.FINISHED):
        return None
    try:
        return _transition(session, action)()
    except IllegalTransition:
        return None


def cue_on_screen(cue: Cue) -> bool:
    """Whether a cue said is also shown as said: the instruction is on screen already."""
    return cue.kind is not CueKind.SAY


@dataclass(frozen=True)
class Readout:
    """Everything the player shows. Once the session is over (`phase_kind` None), only
    `band`, `step`, `side` and `clock` are news, and nothing is offered: the screen keeps
    the rest as it last showed it, behind the rating."""

    phase_kind: PhaseKind | None  # colours the screen; None once the session is over
    band: str  # "Work", "Rest  ·  paused", "Finished", "Stopped"
    position: str  # "Step 3 of 8", "Break 1 · starting", or the routine's name
    step: str  # the step, "Next: <step>" in a rest, or the run's activity
    side: str  # "Left side", "Since the start", or ""
    clock: str  # the big clock: time left, or up from 0:00 in a run or an open step
    paused: bool
    count: str  # "Set 1 of 2 · Rep 3 of 12", a run's break line, or ""
    break_state: BreakState
    image: Path | None  # the picture of the step under way or coming next
    say: str  # its instruction; in a run, what the coming break is
    phase_progress: float  # 0..1 through a timed phase; 0 in an open one
    session_progress: float  # 0..1 through the planned session
    session_left: str  # "9:33 left", or in a run "16:00 in · 44:00 left"
    coming: str  # "Next: right side", "Then: Side plank", "Next: finish"
    cue: str  # the last cue said, quoted, for reading
    offered: frozenset[PlayerAction]  # what the controls may do now
    pause_button: str  # "Pause" or "Resume"
    break_button: str  # "Take the break now" or "... early"
    asks_tightness: bool  # "how tight now?" is asked: until the first work phase ends
    clock_means: str  # what the clock counts, for a screen reader: "Time left in this step"


ALWAYS_OFFERED = frozenset(
    {PlayerAction.BACK, PlayerAction.TOGGLE_PAUSE, PlayerAction.SKIP, PlayerAction.STOP}
)


def readout(session: Session, now: float, *, last_cue: str = "") -> Readout:
    """What the player shows of `session` at `now` (a reading of the session's clock);
    `last_cue` is the text of the last cue said that is shown (see `cue_on_screen`)."""
    phase = session.phase
    if phase is None or session.state is State.FINISHED:
        return _finished(session, now)
    paused = session.state is State.PAUSED
    elapsed = session.phase_elapsed_s(now)
    remaining = session.phase_remaining_s(now)
    following = session.next_phase()
    stage = _break_state(session, phase, elapsed, now)
    shown_step = phase.step_ref
    if phase.kind in (PhaseKind.REST, PhaseKind.GET_READY):
        shown_step = following.step_ref if following else None
    can_break = phase.kind is PhaseKind.ACTIVITY and session.break_fits(now)
    offered = set(ALWAYS_OFFERED)
    if phase.open_ended:
        offered.add(PlayerAction.DONE)
    if can_break:
        offered.add(PlayerAction.TAKE_BREAK)
    # Asked from the start until the first work phase ends, so that a person who missed
    # the get-ready still sees it (a run's first block of running is its first work).
    first_work = next(
        (i for i, p in enumerate(session.phases) if p.kind in WORK_KINDS), len(session.phases)
    )
    while first_work + 1 < len(session.phases) and session.phases[first_work + 1].is_effort:
        first_work += 1  # a run's first stretch of efforts is its first work, whole
    label = PHASE_LABELS[phase.kind]
    say = shown_step.say if shown_step else ""
    if phase.kind is PhaseKind.ACTIVITY and not say:
        say = _activity_note(session, phase)
    return Readout(
        phase_kind=phase.kind,
        band=label + PAUSED_SUFFIX if paused else label,
        position=_position_text(session, phase),
        step=_step_text(phase),
        side=_side_text(session, phase, now),
        clock=_clock_text(phase, elapsed, remaining),
        clock_means=CLOCK_COUNTS_UP if _counts_up(phase, remaining) else CLOCK_COUNTS_DOWN,
        paused=paused,
        count=_count_text(session, phase, elapsed, remaining, stage, now),
        break_state=stage,
        image=shown_step.image if shown_step else None,
        say=say,
        phase_progress=1 - (remaining or 0) / phase.duration_s if phase.duration_s else 0.0,
        session_progress=session.session_progress(now),
        session_left=_session_left_text(session, remaining, now),
        coming=_coming_text(session, phase, following),
        cue=f"“{last_cue}”" if last_cue else "",
        offered=frozenset(offered),
        pause_button="Resume" if paused else "Pause",
        break_button="Take the break early" if stage is BreakState.EARLY else "Take the break now",
        asks_tightness=session.index <= first_work,
    )


def _finished(session: Session, now: float) -> Readout:
    return Readout(
        phase_kind=None,
        band="Finished" if session.completed else "Stopped",
        position="",
        step=session.routine.name,
        side="",
        clock=format_clock(session.active_s(now)),
        clock_means=CLOCK_SESSION,
        paused=False,
        count="",
        break_state=BreakState.NONE,
        image=None,
        say="",
        phase_progress=1.0,
        session_progress=1.0,
        session_left="",
        coming="",
        cue="",
        offered=frozenset(),
        pause_button="Pause",
        break_button="",
        asks_tightness=False,
    )


def _position_text(session: Session, phase: Phase) -> str:
    routine = session.routine
    if routine.interval is not None and phase.break_number is not None:
        total = len(routine.interval.break_routine.steps)
        where = f"step {phase.step_number} of {total}" if phase.step_number else "starting"
        return f"Break {phase.break_number} · {where}"
    if phase.step_number is None or phase.is_effort:
        return routine.name
    return f"Step {phase.step_number} of {len(routine.steps)}"


def _step_text(phase: Phase) -> str:
    if phase.kind in (PhaseKind.REST, PhaseKind.GET_READY):
        return f"Next: {phase.next_step or phase.step}"
    return phase.step


def _side_text(session: Session, phase: Phase, now: float) -> str:
    since = "since your last break" if session.breaks_taken else "since the start"
    if phase.is_effort:
        # The big clock is the effort's; the count to the next break goes on under it.
        return f"{format_clock(session.since_count_start_s(now))} {since}"
    if phase.kind is PhaseKind.ACTIVITY:
        # The big clock is the count to the next break, which restarts after each one.
        return since.capitalize()
    if phase.kind in (PhaseKind.REST, PhaseKind.GET_READY) or phase.side is None:
        return ""
    return f"{phase.side.value} side".capitalize()


def _counts_up(phase: Phase, remaining: float | None) -> bool:
    """A run's activity (but an effort, which has its length), or an open-ended step:
    the clock counts up from 0:00."""
    return (phase.kind is PhaseKind.ACTIVITY and not phase.is_effort) or remaining is None


def _clock_text(phase: Phase, elapsed: float, remaining: float | None) -> str:
    if remaining is None or _counts_up(phase, remaining):
        return format_clock(elapsed)
    # Show 0:45 for the whole first second, never 0:44 at the start.
    return format_clock(math.ceil(remaining))


def _count_text(
    session: Session,
    phase: Phase,
    elapsed: float,
    remaining: float | None,
    stage: BreakState,
    now: float,
) -> str:
    """Which set and which rep, said once and together: "Set 1 of 2 · Rep 3 of 12"; in
    a run, where the coming break stands."""
    if phase.kind is PhaseKind.ACTIVITY:
        return _break_window_text(session, phase, remaining, stage, now)
    sets = ""
    if phase.kind in (PhaseKind.WORK, PhaseKind.SWITCH) and phase.sets > 1:
        sets = f"Set {phase.set} of {phase.sets}"
    return " · ".join(text for text in (sets, _reps_text(phase, elapsed)) if text)


def _reps_text(phase: Phase, elapsed: float) -> str:
    step = phase.step_ref
    if phase.kind is not PhaseKind.WORK or step is None or step.reps is None:
        return ""
    if step.tempo_s is None:
        return f"{count_of(step.reps, 'rep')} in your own time · Enter when done"
    # The same rep the voice said last: one function decides it for both.
    return f"Rep {phase.rep_at(elapsed)} of {step.reps}"


def _break_state(session: Session, phase: Phase, elapsed: float, now: float) -> BreakState:
    interval = session.routine.interval
    if interval is None or phase.kind is not PhaseKind.ACTIVITY or not _break_ahead(session):
        return BreakState.NONE
    if phase.is_effort:
        elapsed = session.since_count_start_s(now)
    return BreakState.EARLY if elapsed < interval.every.start_s else BreakState.DUE


def _break_ahead(session: Session) -> bool:
    """A break follows the activity under way: for one block of activity, its own
    `next_step` says; in a run made of efforts, the timeline ahead."""
    phase = session.phase
    assert phase is not None
    return session.break_ahead if phase.is_effort else phase.next_step is not None


def _break_window_text(
    session: Session, phase: Phase, remaining: float | None, stage: BreakState, now: float
) -> str:
    interval = session.routine.interval
    assert interval is not None
    every = interval.every
    if stage is BreakState.NONE:
        later = session.phases[session.index + 1 :] if phase.is_effort else ()
        left = format_clock((remaining or 0) + sum(p.duration_s or 0 for p in later))
        return f"No more breaks · {left} to go" + (
            " · B if you need one" if session.break_fits(now) else ""
        )
    latest = format_clock(every.end_s)
    if stage is BreakState.EARLY:
        if every.fixed:
            return f"Break at {latest} · B takes it early"
        return f"Break due from {format_clock(every.start_s)}, at {latest} at the latest"
    if phase.is_effort and session.since_count_start_s(now) >= every.end_s:
        return "Break when this effort ends · B takes it now"
    return f"Break due: take it at your next pause (B) · by {latest}"


def _activity_note(session: Session, phase: Phase) -> str:
    """While running: what the coming break is, so a glance says what to expect."""
    interval = session.routine.interval
    if phase.kind is not PhaseKind.ACTIVITY or interval is None or not _break_ahead(session):
        return ""
    return interval.break_routine.summary


def _coming_text(session: Session, phase: Phase, following: Phase | None) -> str:
    if following is None:
        return "Next: finish"
    if phase.kind is PhaseKind.SWITCH and following.side is not None:
        return f"Next: {following.side.value} side"  # the same step, on the other side
    if (
        following.step == phase.step
        and following.kind is PhaseKind.WORK
        and phase.kind is PhaseKind.WORK
    ):
        if following.side is not None and following.side != phase.side:
            return f"Next: {following.side.value} side"
        return f"Next: set {following.set} of {following.sets}"
    if following.kind is PhaseKind.ACTIVITY:
        return f"Next: {following.step}"
    interval = session.routine.interval
    if phase.kind is PhaseKind.ACTIVITY and interval and following.break_number:
        return f"Next: {interval.break_routine.name} break"
    if phase.kind in (PhaseKind.REST, PhaseKind.GET_READY):
        after = _phase_after(session, following)
        return f"Then: {after.step}" if after else "Then: finish"
    return f"Next: {following.step}"


def _phase_after(session: Session, phase: Phase) -> Phase | None:
    """The first phase of another step after `phase` (rests and switches passed over)."""
    seen = False
    for candidate in session.phases[session.index + 1 :]:
        if (
            seen
            and candidate.kind not in (PhaseKind.REST, PhaseKind.SWITCH)
            and candidate.step != phase.step
        ):
            return candidate
        if candidate is phase:
            seen = True
    return None


def _session_left_text(session: Session, remaining: float | None, now: float) -> str:
    later = session.phases[session.index + 1 :]
    left = (remaining or 0) + sum(p.duration_s or 0 for p in later)
    interval = session.routine.interval
    if interval is None:
        return f"{format_clock(left)} left"
    done = f"{format_clock(session.active_s(now))} in"
    if interval.total_s is None:
        return done  # an open run goes on until stopped: there is no "left"
    return f"{done} · {format_clock(left)} left"


def announcement(phase: Phase) -> str:
    """A phase as a screen reader announces it as it starts, once: "Work: Calf stretch,
    left side, 40 seconds"; "Rest, 10 seconds. Next: Glute bridge"."""
    label = PHASE_LABELS[phase.kind]
    length = _length_words(phase)
    if phase.kind in (PhaseKind.REST, PhaseKind.GET_READY):
        return (
            f"{label}, {length}. {_step_text(phase)}" if length else f"{label}. {_step_text(phase)}"
        )
    parts = [phase.step]
    if phase.side is not None:
        parts.append(f"{phase.side.value} side")
    if phase.sets > 1:
        parts.append(f"set {phase.set} of {phase.sets}")
    if length:
        parts.append(length)
    return f"{label}: {', '.join(parts)}"


def _length_words(phase: Phase) -> str:
    """How long a phase lasts, in words: "40 seconds", "1 minute 30 seconds", "12 reps"."""
    if phase.duration_s is None:
        return count_of(phase.reps, "rep") + ", in your own time" if phase.reps else ""
    if phase.kind is PhaseKind.ACTIVITY:
        return ""  # a run's activity lasts until the break: its clock counts up
    minutes, seconds = divmod(round(phase.duration_s), 60)
    words = [count_of(minutes, "minute")] if minutes else []
    if seconds or not minutes:
        words.append(count_of(seconds, "second"))
    return " ".join(words)
