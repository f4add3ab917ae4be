"""Fitting cues in n·log n gives exactly the plans the first, quadratic fitting gave.

Two witnesses: `loosen plan --json` of every shipped routine, captured before the
fitting changed (tests/core/golden_plans/), and that first fitting itself, kept here
as an oracle and run on routines hypothesis makes dense with cues.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loosen import paths
from loosen.commands.plan_cmd import as_json
from loosen.core.cues import (
    GAP_S,
    HALFWAY_FROM_S,
    LEAD_IN_KINDS,
    MAX_RATE_WPM,
    MIN_RATE_WPM,
    Cue,
    CueKind,
    _countdown_numbers,
    _efforts_break_due,
    _first_sentence,
    _priority,
    _says_instruction,
    _short_start,
    _start_text,
    build_cues,
    number_words,
    speaking_time,
)
from loosen.core.duration import Window
from loosen.core.library import load_library
from loosen.core.phases import PhaseKind, Plan
from loosen.core.plan import build_plan, build_timeline, run_phases
from loosen.core.routine import Interval, Kind, Routine, Step

GOLDEN = Path(__file__).with_name("golden_plans")
SHIPPED = sorted(paths.builtin_routines_dir().glob("*.toml"))


@dataclass(frozen=True)
class Candidate:
    cues: tuple[Cue, ...]
    segment: int
    shorter: str | None = None


def quadratic_candidates(plan, routine, words_per_minute):
    """Every cue that could be said, as the first fitting listed them: one per rep."""
    candidates: list[Candidate] = []
    segment = 0
    phases = plan.phases
    efforts_break_due = _efforts_break_due(
        phases, routine, None, lambda text: speaking_time(text, words_per_minute)
    )

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

        if phase.counted and lead is not None and lead.kind in LEAD_IN_KINDS:
            # The count starts on the first beat: announce the step, and say how to
            # do it, at the end of the lead-in, before its countdown.
            assert lead.duration_s is not None
            before = index - 1
            ends_at = lead.duration_s - _countdown_numbers(lead, phase) - GAP_S
            if say:
                ends_at -= speaking_time(say, words_per_minute)
                candidates.append(
                    Candidate(
                        (cue(before, ends_at, say, CueKind.SAY),),
                        segment,
                        shorter=_first_sentence(say),
                    )
                )
                ends_at -= GAP_S
            at = ends_at - speaking_time(start, words_per_minute)
            candidates.append(Candidate((cue(before, at, start, CueKind.START),), segment))
        else:
            candidates.append(
                Candidate(
                    (cue(index, 0.0, start, CueKind.START),),
                    segment,
                    shorter=_short_start(phase, routine),
                )
            )
            if say:
                at = speaking_time(start, words_per_minute) + GAP_S
                candidates.append(
                    Candidate(
                        (cue(index, at, say, CueKind.SAY),), segment, shorter=_first_sentence(say)
                    )
                )

        if index in efforts_break_due:  # a run of efforts: where its window starts
            interval = routine.interval
            text = f"Break due: {interval.break_routine.name.lower()} at the next natural pause"
            offset = efforts_break_due[index]
            candidates.append(Candidate((cue(index, offset, text, CueKind.BREAK_DUE),), segment))
        elif phase.kind is PhaseKind.ACTIVITY and phase.next_step is not None:
            interval = routine.interval
            assert interval is not None and length is not None
            if not interval.every.fixed and interval.every.start_s < length:
                text = f"Break due: {interval.break_routine.name.lower()} at the next natural pause"
                offset = interval.every.start_s
                candidates.append(
                    Candidate((cue(index, offset, text, CueKind.BREAK_DUE),), segment)
                )

        if length is None:
            segment += 1
            continue

        following = phases[index + 1] if index + 1 < len(phases) else None
        if phase.counted:
            # Each rep's number on its beat, from the first to the last: the beat is
            # the countdown here, and the screen shows the rep just said.
            for rep in range(1, (phase.reps or 0) + 1):
                offset = phase.rep_start_s(rep)
                candidates.append(
                    Candidate((cue(index, offset, number_words(rep), CueKind.REP),), segment)
                )
        else:
            if phase.kind is PhaseKind.WORK and length >= HALFWAY_FROM_S:
                candidates.append(
                    Candidate((cue(index, length / 2, "Halfway", CueKind.HALFWAY),), segment)
                )
            numbers = tuple(
                cue(index, length - n, number_words(n), CueKind.COUNTDOWN)
                for n in range(_countdown_numbers(phase, following), 0, -1)
            )
            if numbers:
                candidates.append(Candidate(numbers, segment))

    if phases:
        end = Cue(plan.total_s, len(phases), 0.0, "Session complete", CueKind.COMPLETE)
        candidates.append(Candidate((end,), segment))
    return candidates


def quadratic_fitting(plan, routine, words_per_minute):
    """The fitting as it was: every candidate checked against every cue kept."""
    placed: dict[int, list[tuple[float, float]]] = {}

    def fits(segment, start, text):
        end = start + speaking_time(text, words_per_minute)
        slack = GAP_S - 1e-6
        return all(
            end + slack <= other_start or start >= other_end + slack
            for other_start, other_end in placed.get(segment, [])
        )

    def place(segment, cue):
        span = (cue.at_s, cue.at_s + speaking_time(cue.text, words_per_minute))
        placed.setdefault(segment, []).append(span)

    kept = []
    order = sorted(
        quadratic_candidates(plan, routine, words_per_minute),
        key=lambda c: (-_priority(c.cues[0], plan.phases), c.cues[0].at_s),
    )
    for candidate in order:
        cues = candidate.cues
        if cues[0].kind is CueKind.COUNTDOWN:
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
    kept.sort(key=lambda c: (c.phase_index, c.offset_s))
    return tuple(kept)


@pytest.fixture(scope="module")
def library():
    return load_library(paths.builtin_routines_dir(), None, paths.pictures_dir())


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_routine_plans_as_it_did_before(library, path):
    golden = json.loads((GOLDEN / f"{path.stem}.json").read_text())
    assert as_json(build_plan(library.get(path.stem))) == golden


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
@pytest.mark.parametrize("rate", [MIN_RATE_WPM, 160, MAX_RATE_WPM])
def test_every_shipped_routine_fits_as_the_quadratic_fitting_did(library, path, rate):
    routine = library.get(path.stem)
    timeline = build_timeline(routine, rate)
    assert build_cues(timeline, routine, rate) == quadratic_fitting(timeline, routine, rate)


# Short durations, fast tempos and long instructions: cues crowd each other, so every
# way of fitting (kept, shortened, dropped, a countdown trimmed) is exercised.
SAYINGS = st.sampled_from(
    [
        "",
        "Breathe out.",
        "Knees soft, back long. Fold from the hips and let the head hang.",
        "Lie on your back, knees bent, feet flat. Squeeze the glutes and lift the hips; "
        "hold at the top, ribs down, and lower slowly, one vertebra at a time.",
    ]
)
seconds = st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 7.5, 10.0, 30.0, 45.0, 61.0])


@st.composite
def steps(draw):
    kind = draw(st.sampled_from(["hold", "counted", "open"]))
    fields = {
        "name": draw(st.sampled_from(["Bridge", "Deep squat", "Hip flexor lunge stretch"])),
        "sets": draw(st.integers(1, 3)),
        "sides": draw(st.booleans()),
        "rest_s": draw(seconds),
        "switch_s": draw(seconds),
        "countdown": draw(st.integers(0, 10)),
        "say": draw(SAYINGS),
    }
    if kind == "hold":
        fields["duration_s"] = draw(st.sampled_from([1.0, 2.0, 3.5, 5.0, 12.0, 30.0, 45.0]))
    else:
        fields["reps"] = draw(st.integers(1, 25))
        if kind == "counted":
            fields["tempo_s"] = draw(st.sampled_from([0.5, 0.75, 1.0, 2.0, 3.0]))
    return Step(**fields)


step_routines = st.builds(
    Routine,
    id=st.just("fuzzed"),
    name=st.just("Fuzzed"),
    kind=st.just(Kind.STRENGTH),
    steps=st.lists(steps(), min_size=1, max_size=4).map(tuple),
    get_ready_s=seconds,
)


@st.composite
def run_routines(draw):
    start = draw(st.sampled_from([60.0, 120.0, 300.0]))
    end = start + draw(st.sampled_from([0.0, 60.0, 240.0]))
    interval = Interval(
        activity="Sprints",
        every=Window(start, end),
        break_routine=draw(step_routines),
        total_s=draw(st.sampled_from([None, 60.0, 600.0, 1500.0])),
    )
    return Routine(id="fuzzed-run", name="Fuzzed run", kind=Kind.RUN, interval=interval)


rates = st.sampled_from([MIN_RATE_WPM, 120, 160, 240, MAX_RATE_WPM]) | st.floats(
    MIN_RATE_WPM, MAX_RATE_WPM
)


@settings(max_examples=300, deadline=None)
@given(routine=step_routines | run_routines(), rate=rates)
def test_any_routine_fits_as_the_quadratic_fitting_did(routine, rate):
    timeline = build_timeline(routine, rate)
    assert build_cues(timeline, routine, rate) == quadratic_fitting(timeline, routine, rate)


@settings(max_examples=100, deadline=None)
@given(routine=run_routines(), rate=rates, restart_s=st.sampled_from([0.0, 37.25, 901.5]))
def test_a_run_replanned_mid_way_fits_as_the_quadratic_fitting_did(routine, rate, restart_s):
    # The live session re-plans a run from the moment its count restarts.
    phases = run_phases(routine, restart_s, routine.interval.total_s, 1, rate)
    sub_plan = Plan(routine.id, tuple(phases), phases[-1].end_s if phases else 0.0)
    assert build_cues(sub_plan, routine, rate) == quadratic_fitting(sub_plan, routine, rate)
