"""What the voice says and when: cue wording, and fitting cues so that none overlap.

Wording is fixed so the user learns it: a phase start names the step, side and
length; then the step's `say` line; "Halfway"; "three, two, one"; "Rest. Next: …";
rep counts; break cues in runs; "Session complete". Each cue's spoken length is
estimated from the speaking rate, and where two would overlap the less important one
is shortened or dropped. A countdown never starts while another cue is speaking.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from operator import itemgetter

from loosen.core.phases import Phase, PhaseKind, Plan, Side
from loosen.core.routine import Routine
from loosen.core.settings_schema import RATE_WPM

# The speaking rate (declared with the settings): what plans assume when not told.
DEFAULT_WORDS_PER_MINUTE: int = RATE_WPM.default
MIN_RATE_WPM, MAX_RATE_WPM = (int(limit) for limit in RATE_WPM.bounds())
GAP_S = 0.15  # breathing room between two cues
HALFWAY_FROM_S = 30.0
# The phases that lead into a step; before counted reps, they announce it.
LEAD_IN_KINDS = frozenset({PhaseKind.GET_READY, PhaseKind.REST, PhaseKind.SWITCH})


class CueKind(StrEnum):
    START = "start"  # a phase begins: what, which side, how long
    SAY = "say"  # the step's instruction
    HALFWAY = "halfway"
    COUNTDOWN = "countdown"
    REP = "rep"
    BREAK_DUE = "break-due"  # the gentle cue at a window's start
    COMPLETE = "complete"


class Priority(IntEnum):
    REP = 1
    SAY = 2
    HALFWAY = 3
    COUNTDOWN = 4
    ANNOUNCE = 5  # the start of a rest, switch, get-ready or activity
    START = 6  # the start of an exercise: what, which side, how long
    COMPLETE = 7


_PRIORITY = {
    CueKind.START: Priority.START,
    CueKind.SAY: Priority.SAY,
    CueKind.HALFWAY: Priority.HALFWAY,
    CueKind.COUNTDOWN: Priority.COUNTDOWN,
    CueKind.REP: Priority.REP,
    CueKind.BREAK_DUE: Priority.COUNTDOWN,
    CueKind.COMPLETE: Priority.COMPLETE,
}


@dataclass(frozen=True, slots=True)
class Cue:
    at_s: float  # offset from the session's start, as planned
    phase_index: int  # the phase it belongs to; len(phases) for the completion cue
    offset_s: float  # from the start of its phase: what the live session goes by
    text: str
    kind: CueKind

    @property
    def priority(self) -> Priority:
        return _PRIORITY[self.kind]


def _priority(cue: Cue, phases: tuple[Phase, ...]) -> Priority:
    phase = phases[cue.phase_index] if cue.phase_index < len(phases) else None
    if cue.kind is CueKind.START and phase is not None and not _is_exercise(phase):
        return Priority.ANNOUNCE
    return cue.priority


# -- words -----------------------------------------------------------------------

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """Spoken English for 0 ≤ n < 10,000: 45 -> "forty-five"."""
    if not 0 <= n < 10_000:
        return str(n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    joiner = " and " if rest and rest < 100 else " "
    return f"{number_words(thousands)} thousand" + (f"{joiner}{number_words(rest)}" if rest else "")


def _plural(n: int, unit: str) -> str:
    return f"{number_words(n)} {unit}{'' if n == 1 else 's'}"


def duration_words(seconds: float) -> str:
    """45 -> "forty-five seconds", 90 -> "one minute thirty", 3600 -> "one hour"."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        text = _plural(hours, "hour")
        return text + (f" {_plural(minutes, 'minute')}" if minutes else "")
    if minutes and secs:
        return f"{_plural(minutes, 'minute')} {number_words(secs)}"
    if minutes:
        return _plural(minutes, "minute")
    return _plural(secs, "second")


def _window_words(start_s: float, end_s: float) -> str:
    if start_s == end_s:
        return duration_words(start_s)
    start_min, end_min = round(start_s / 60), round(end_s / 60)
    if start_s % 60 == 0 and end_s % 60 == 0:
        return f"{number_words(start_min)} to {number_words(end_min)} minutes"
    return f"{duration_words(start_s)} to {duration_words(end_s)}"


_WORD = re.compile(r"[\w'’-]+")
_PAUSE = re.compile(r"[.,;:!?]")


def speaking_time(text: str, words_per_minute: float = DEFAULT_WORDS_PER_MINUTE) -> float:
    """Roughly how long `text` takes to say, pauses at punctuation included."""
    words = len(_WORD.findall(text))
    pauses = len(_PAUSE.findall(text.rstrip(".!? ")))
    return max(0.4, words * 60.0 / words_per_minute + 0.2 * pauses)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _first_sentence(text: str) -> str | None:
    match = re.match(r"(.+?[.!?])\s", text + " ")
    first = match.group(1) if match else None
    return first if first and first != text.strip() else None


# -- which cues a phase gets ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    cues: tuple[Cue, ...]  # a countdown is one candidate of several numbers
    segment: int
    shorter: str | None = None  # a shorter text that may fit where the full one does not


@dataclass(frozen=True, slots=True)
class _CountedReps:
    """A counted phase's rep numbers, one on each beat. Listed as one, not as a
    candidate each: at a fast tempo most are dropped (a number takes longer to say
    than a beat lasts), and a routine may count tens of thousands of reps."""

    phase_index: int
    segment: int


def _lead_in_text(phase: Phase, following: Phase | None, break_name: str | None) -> str:
    """What a get-ready, switch or rest says as it starts; `break_name` names the
    break routine when the phase is part of a run's break."""
    kind = phase.kind
    if kind is PhaseKind.GET_READY:
        lead = "Get ready"
        if phase.break_number is not None and break_name is not None:
            lead = f"Break time: {break_name.lower()}"
        return f"{lead}. First: {phase.step.lower()}"
    if kind is PhaseKind.SWITCH:
        return "Switch sides"
    upcoming = phase.next_step or phase.step
    if following is not None and following.step == phase.step and following.set > 1:
        return f"Rest. Next: {upcoming.lower()}, set {number_words(following.set)}"
    return f"Rest. Next: {upcoming.lower()}"


def _is_exercise(phase: Phase) -> bool:
    """A step's work, or one of a run's efforts: what its start announces matters most."""
    return phase.kind is PhaseKind.WORK or phase.is_effort


def _break_name(routine: Routine) -> str | None:
    return routine.interval.break_routine.name if routine.interval is not None else None


def _start_text(phase: Phase, phases: tuple[Phase, ...], index: int, routine: Routine) -> str:
    kind = phase.kind
    if kind in LEAD_IN_KINDS:
        following = phases[index + 1] if index + 1 < len(phases) else None
        return _lead_in_text(phase, following, _break_name(routine))
    if phase.is_effort:
        return _effort_text(phase)
    if kind is PhaseKind.ACTIVITY:
        interval = routine.interval
        assert interval is not None
        first = phase.start_s == 0
        lead = phase.step if first else f"Back to {phase.step.lower()}"
        if phase.next_step is None:
            left = phase.duration_s or 0.0
            about = (
                f"about {_plural(round(left / 60), 'minute')}"
                if left >= 120
                else (duration_words(left))
            )
            return f"{lead}. No more breaks: {about} to go"
        every = _window_words(interval.every.start_s, interval.every.end_s)
        return f"{lead}. Next break in {every}" if first else lead
    return _work_text(phase)


def _short_start(phase: Phase, routine: Routine) -> str | None:
    """What a non-exercise start shrinks to when the next cue comes soon after."""
    if phase.kind is PhaseKind.GET_READY:
        if phase.break_number is not None and routine.interval is not None:
            return f"Break time: {routine.interval.break_routine.name.lower()}"
        return "Get ready"
    if phase.kind is PhaseKind.REST:
        return "Rest"
    return None


def _effort_text(phase: Phase) -> str:
    """An effort's name and how long it lasts this time (the last may be cut short)."""
    return _sentence_case(f"{phase.step}, {duration_words(phase.duration_s or 0.0)}")


def _work_text(phase: Phase) -> str:
    step = phase.step_ref
    assert step is not None
    parts: list[str] = []
    if phase.side is not Side.RIGHT:
        parts.append(phase.step)
    if phase.side is not None:
        parts.append(f"{phase.side.value} side")
    if phase.sets > 1:
        parts.append(f"set {number_words(phase.set)} of {number_words(phase.sets)}")
    if step.duration_s is not None:
        parts.append(duration_words(step.duration_s))
    elif step.reps is not None:
        reps = _plural(step.reps, "rep")
        parts.append(reps if step.tempo_s is not None else f"{reps}, in your own time")
    return _sentence_case(", ".join(parts))


def _break_due_text(routine: Routine) -> str:
    """The gentle cue at a window's start."""
    assert routine.interval is not None
    return f"Break due: {routine.interval.break_routine.name.lower()} at the next natural pause"


def _efforts_break_due(
    phases: tuple[Phase, ...],
    routine: Routine,
    count_started_s: float | None,
    spoken_s: Callable[[str], float],
) -> dict[int, float]:
    """Where the gentle cue falls in a run made of efforts: {phase index: offset in it},
    at the window's start from where the count began (`count_started_s` for the first
    stretch of efforts, when it began before the plan), in each stretch a break ends.
    It never falls on an effort's announcement, which would silence it (a start matters
    more): where the window opens as an effort is announced, it follows the
    announcement, and where that effort has no room left, it goes to the next one."""
    interval = routine.interval
    if interval is None or not interval.efforts or interval.every.fixed:
        return {}
    due: dict[int, float] = {}
    index = 0
    while index < len(phases):
        if not phases[index].is_effort:
            index += 1
            continue
        first = index
        while index < len(phases) and phases[index].is_effort:
            index += 1
        if index == len(phases):
            break  # the last stretch: no break ends it
        began = phases[first].start_s
        if first == 0 and count_started_s is not None:
            began = count_started_s
        moment = began + interval.every.start_s
        said_s = spoken_s(_break_due_text(routine)) + GAP_S
        for number in range(first, index):
            phase = phases[number]
            if phase.end_s <= moment:
                continue
            at = max(moment, phase.start_s + spoken_s(_effort_text(phase)) + GAP_S)
            if at + said_s <= phase.end_s:
                due[number] = at - phase.start_s
                break
    return due


def _candidates(
    plan: Plan,
    routine: Routine,
    spoken_s: Callable[[str], float],
    count_started_s: float | None = None,
) -> tuple[list[_Candidate], list[_CountedReps]]:
    """Every cue that could be said, with its segment; rep counts apart. `spoken_s`
    says how long a text takes to say."""
    candidates: list[_Candidate] = []
    counted: list[_CountedReps] = []
    segment = 0
    phases = plan.phases
    efforts_break_due = _efforts_break_due(phases, routine, count_started_s, spoken_s)

    def cue(index: int, offset: float, text: str, kind: CueKind) -> Cue:
        return Cue(phases[index].start_s + offset, index, offset, text, kind)

    for index, phase in enumerate(phases):
        if phase.open_ended:
            segment += 1  # its cues cannot collide with what comes after it
        start = _start_text(phase, phases, index, routine)
        length = phase.duration_s
        step = phase.step_ref
        say = step.say if step is not None and _says_instruction(phase) else ""
        lead = phases[index - 1] if index > 0 else None
        is_counted = phase.counted

        if is_counted and lead is not None and lead.kind in LEAD_IN_KINDS:
            # The count starts on the first beat: announce the step, and say how to
            # do it, at the end of the lead-in, before its countdown.
            assert lead.duration_s is not None
            before = index - 1
            ends_at = lead.duration_s - _countdown_numbers(lead, phase) - GAP_S
            if say:
                ends_at -= spoken_s(say)
                candidates.append(
                    _Candidate(
                        (cue(before, ends_at, say, CueKind.SAY),),
                        segment,
                        shorter=_first_sentence(say),
                    )
                )
                ends_at -= GAP_S
            at = ends_at - spoken_s(start)
            candidates.append(_Candidate((cue(before, at, start, CueKind.START),), segment))
        else:
            candidates.append(
                _Candidate(
                    (cue(index, 0.0, start, CueKind.START),),
                    segment,
                    shorter=_short_start(phase, routine),
                )
            )
            if say:
                at = spoken_s(start) + GAP_S
                candidates.append(
                    _Candidate(
                        (cue(index, at, say, CueKind.SAY),), segment, shorter=_first_sentence(say)
                    )
                )

        if phase.is_effort and index in efforts_break_due:
            text = _break_due_text(routine)
            at = efforts_break_due[index]
            candidates.append(_Candidate((cue(index, at, text, CueKind.BREAK_DUE),), segment))
        elif phase.kind is PhaseKind.ACTIVITY and phase.next_step is not None:
            interval = routine.interval
            assert interval is not None and length is not None
            if not interval.every.fixed and interval.every.start_s < length:
                text = _break_due_text(routine)
                offset = interval.every.start_s
                candidates.append(
                    _Candidate((cue(index, offset, text, CueKind.BREAK_DUE),), segment)
                )

        if length is None:
            segment += 1
            continue

        following = phases[index + 1] if index + 1 < len(phases) else None
        if is_counted:
            # Each rep's number on its beat, from the first to the last: the beat is
            # the countdown here, and the screen shows the rep just said.
            counted.append(_CountedReps(index, segment))
        else:
            if phase.kind is PhaseKind.WORK and length >= HALFWAY_FROM_S:
                candidates.append(
                    _Candidate((cue(index, length / 2, "Halfway", CueKind.HALFWAY),), segment)
                )
            count = _countdown_numbers(phase, following)
            if count:
                numbers = tuple(
                    cue(index, length - n, number_words(n), CueKind.COUNTDOWN)
                    for n in range(count, 0, -1)
                )
                candidates.append(_Candidate(numbers, segment))

    if phases:
        end = Cue(plan.total_s, len(phases), 0.0, "Session complete", CueKind.COMPLETE)
        candidates.append(_Candidate((end,), segment))
    return candidates, counted


def _says_instruction(phase: Phase) -> bool:
    """The step's `say` line comes once, with its first work phase; an effort's with
    each time it starts."""
    if phase.is_effort:
        return True
    return phase.kind is PhaseKind.WORK and phase.set == 1 and phase.side is not Side.RIGHT


def _countdown_length(phase: Phase, following: Phase | None) -> int:
    """The countdown the routine (or the user's setting) asks for at this phase's end."""
    if phase.is_effort:
        assert phase.step_ref is not None
        return phase.step_ref.countdown  # before the next effort, the break or the end
    if phase.kind is PhaseKind.ACTIVITY or phase.counted:
        return 0  # the break's own start cue, or the beat of the reps, is the signal
    if phase.step_ref is not None:
        return phase.step_ref.countdown
    if following is not None and following.step_ref is not None:
        return following.step_ref.countdown
    return 3


def _countdown_numbers(phase: Phase, following: Phase | None) -> int:
    """How many numbers count this phase down: the countdown asked for, or as many
    whole seconds as a shorter phase has after its first."""
    if phase.duration_s is None:
        return 0
    room = math.ceil(phase.duration_s - 1e-9) - 1
    return max(0, min(_countdown_length(phase, following), room))


def lead_in_s(
    lead: Phase,
    work: Phase,
    break_name: str | None,
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
) -> float:
    """How long the get-ready, rest or switch before counted reps must last for its own
    start, the step's announcement, its instruction and the countdown to be said in
    turn before the first rep."""
    assert work.step_ref is not None
    spoken = [_lead_in_text(lead, work, break_name), _work_text(work)]
    if _says_instruction(work) and work.step_ref.say:
        spoken.append(work.step_ref.say)
    speech_s = sum(speaking_time(text, words_per_minute) + GAP_S for text in spoken)
    return speech_s + _countdown_length(lead, work)


# -- fitting ----------------------------------------------------------------------


class _SpokenSpans:
    """The (start, end) of every cue kept so far in one segment, filed by when it
    starts, so that a new cue is checked only against those near it, not against all:
    a routine of thousands of counted reps fits in a fraction of a second."""

    BUCKET_S = 8.0

    def __init__(self) -> None:
        self._buckets: dict[int, list[tuple[float, float]]] = {}
        self._longest_s = 0.0  # a span that clashes starts at most this long before

    def clashes(self, start: float, end: float, slack: float) -> bool:
        # A span clashes when it starts before `end + slack` and ends after
        # `start - slack`; one bucket more on each side covers float rounding.
        first = math.floor((start - slack - self._longest_s) / self.BUCKET_S) - 1
        last = math.floor((end + slack) / self.BUCKET_S) + 1
        for bucket in range(first, last + 1):
            for other_start, other_end in self._buckets.get(bucket, ()):
                if not (end + slack <= other_start or start >= other_end + slack):
                    return True
        return False

    def add(self, start: float, end: float) -> None:
        self._buckets.setdefault(math.floor(start / self.BUCKET_S), []).append((start, end))
        self._longest_s = max(self._longest_s, end - start)


def build_cues(
    plan: Plan,
    routine: Routine,
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
    *,
    count_started_s: float | None = None,
) -> tuple[Cue, ...]:
    """Every cue of the plan, timed, with none overlapping another.

    The most important cues are placed first, each in time order; a cue that would
    overlap one already placed is shortened, trimmed (a countdown) or dropped. Rep
    counts matter least of all, so they come last. `count_started_s`: in a run made of
    efforts, re-planned in the middle of a stretch of them, when that stretch began."""
    placed: dict[int, _SpokenSpans] = {}
    slack = GAP_S - 1e-6  # offsets are sums of floats: allow for rounding

    @functools.cache
    def spoken_s(text: str) -> float:
        return speaking_time(text, words_per_minute)

    def fits(segment: int, start: float, text: str) -> bool:
        spans = placed.get(segment)
        return spans is None or not spans.clashes(start, start + spoken_s(text), slack)

    def place(segment: int, cue: Cue) -> None:
        placed.setdefault(segment, _SpokenSpans()).add(cue.at_s, cue.at_s + spoken_s(cue.text))

    kept: list[Cue] = []
    candidates, counted = _candidates(plan, routine, spoken_s, count_started_s)
    candidates.sort(key=lambda c: (-_priority(c.cues[0], plan.phases), c.cues[0].at_s))
    for candidate in candidates:
        cues = candidate.cues
        if cues[0].kind is CueKind.COUNTDOWN:
            # Trim leading numbers until the rest is clear; never start over another cue.
            while cues and not all(fits(candidate.segment, c.at_s, c.text) for c in cues):
                cues = cues[1:]
        elif not fits(candidate.segment, cues[0].at_s, cues[0].text):
            shorter = candidate.shorter
            if shorter and fits(candidate.segment, cues[0].at_s, shorter):
                only = cues[0]
                cues = (Cue(only.at_s, only.phase_index, only.offset_s, shorter, only.kind),)
            else:
                cues = ()
        for cue in cues:
            place(candidate.segment, cue)
            kept.append(cue)
    rep_words = functools.cache(number_words)
    for at, index, offset, rep, segment in _rep_beats(plan.phases, counted):
        text = rep_words(rep)
        if fits(segment, at, text):
            cue = Cue(at, index, offset, text, CueKind.REP)
            place(segment, cue)
            kept.append(cue)
    kept.sort(key=lambda c: (c.phase_index, c.offset_s))
    return tuple(kept)


def _rep_beats(
    phases: tuple[Phase, ...], counted: list[_CountedReps]
) -> list[tuple[float, int, float, int, int]]:
    """(moment, phase index, offset, rep, segment) of every rep of the counted phases,
    in the order of the session: the order their numbers are fitted in."""
    beats = []
    for reps in counted:
        phase = phases[reps.phase_index]
        for rep in range(1, (phase.reps or 0) + 1):
            offset = phase.rep_start_s(rep)
            beats.append((phase.start_s + offset, reps.phase_index, offset, rep, reps.segment))
    beats.sort(key=itemgetter(0))  # already in order but for float rounding: cheap
    return beats
