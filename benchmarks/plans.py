"""Planning time: the largest routines the loader accepts, planned as `loosen plan` does.

Each routine is written as a file at the loader's limits (core/loader.py: reps, sets,
tempo, hold, countdown, instruction length, steps; a run's total and break spacing),
loaded through the library like any user routine (so each is shown to be valid), and
planned with its cues. The figure is the time to plan, with the plan's size. Routines
past the limits together (a session of more than a day) are shown to be refused.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from loosen import paths
from loosen.core.library import Library, load_library
from loosen.core.plan import Plan, build_plan
from loosen.core.routine_schema import INTERVAL, MAX_STEPS, STEP

TARGET_S = 1.0
DAY_OF_REPS_STEPS = 3  # issue 14's step three times: 21.6 h, within a day
REPEATS = 3  # the best of a few runs, for plans that take a few seconds at most
SLOW_S = 5 * TARGET_S

INSTRUCTION = "Knees soft, back long, breathe out as you go. "


def _seconds(value: float) -> str:
    return f"{value:g}s"


def _step(name: str, **keys: object) -> str:
    lines = [f'[[steps]]\nname = "{name}"']
    for key, value in keys.items():
        shown = str(value).lower() if isinstance(value, bool) else value
        lines.append(f'{key} = "{shown}"' if isinstance(value, str) else f"{key} = {shown}")
    return "\n".join(lines) + "\n"


def _routine(name: str, steps: list[str]) -> str:
    return f'format = 1\nname = "{name}"\nkind = "strength"\n' + "".join(steps)


def fastest_reps_step(name: str = "Bridge") -> str:
    """One step at every limit that adds counted reps: the most reps, at the fastest
    tempo, in the most sets, on both sides (issue 14's nine-line routine)."""
    return _step(
        name,
        reps=int(STEP["reps"].high),
        tempo=_seconds(STEP["tempo"].low),
        sets=int(STEP["sets"].high),
        sides=True,
    )


def worst_cases() -> dict[str, str]:
    """Routine files at the loader's limits, by id: what each stresses, in its name."""
    longest_say = (INSTRUCTION * int(STEP["say"].high))[: int(STEP["say"].high)].strip()
    sets = int(STEP["sets"].high)
    countdown = int(STEP["countdown"].high)
    shortest_hold = _seconds(STEP["duration"].low)  # rests too: 0 s is no phase
    return {
        "most-reps": _routine("Most reps in one step", [fastest_reps_step()]),
        "most-phases": _routine(
            "Most phases",
            [
                _step(
                    f"Hold {n}",
                    duration=shortest_hold,
                    sets=sets,
                    sides=True,
                    rest=shortest_hold,
                    switch=shortest_hold,
                    countdown=countdown,
                )
                for n in range(1, MAX_STEPS + 1)
            ],
        ),
        "longest-run": (
            'format = 1\nname = "Longest run, breaks most often"\nkind = "run"\n[interval]\n'
            f'activity = "Sprints"\ntotal = "{_seconds(INTERVAL["total"].high)}"\n'
            f'every = "{_seconds(INTERVAL["every"].low)}"\nbreak = "squat-and-fold"\n'
        ),
        "day-of-reps": _routine(
            "A day of counted reps",
            [fastest_reps_step(f"Bridge {n}") for n in range(1, DAY_OF_REPS_STEPS + 1)],
        ),
        "longest-holds": _routine(
            "Longest holds",
            [
                _step(
                    f"Hold {n}",
                    duration=_seconds(STEP["duration"].high),
                    sets=sets,
                    sides=True,
                    countdown=countdown,
                    say=longest_say,
                )
                for n in range(1, MAX_STEPS + 1)
            ],
        ),
        "every-limit": _routine(
            "Every limit at once",
            [fastest_reps_step(f"Bridge {n}") for n in range(1, MAX_STEPS + 1)],
        ),
    }


# Planned in full; then those the loader must refuse as longer than a session can be.
PLANNED = ("most-reps", "most-phases", "longest-run", "day-of-reps")
REFUSED = ("longest-holds", "every-limit")


def load_worst_cases(folder: Path) -> Library:
    """The worst cases written to `folder` and loaded beside the built-in routines; raises
    if one to plan does not load, or one to refuse does."""
    for routine_id, text in worst_cases().items():
        (folder / f"{routine_id}.toml").write_text(text, encoding="utf-8")
    library = load_library(paths.builtin_routines_dir(), folder, paths.pictures_dir())
    refused = {error.path.stem for error in library.errors}
    if refused != set(REFUSED):
        raise RuntimeError(f"the loader refused {sorted(refused)}, not {sorted(REFUSED)}")
    return library


def _best_times(plan: Callable[[], Plan]) -> tuple[Plan, float, float]:
    """The plan, and the least wall and CPU seconds it took over a few runs."""
    wall_s = cpu_s = float("inf")
    result = None
    for _ in range(REPEATS):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = plan()
        wall_s = min(wall_s, time.perf_counter() - started)
        cpu_s = min(cpu_s, time.process_time() - started_cpu)
        if wall_s > SLOW_S:
            break  # slow enough that one run says it
    assert result is not None
    return result, wall_s, cpu_s


def measure() -> tuple[dict[str, tuple[int, int, float, float, float]], dict[str, str]]:
    """Per worst case planned: (phases, cues, planned seconds of session, wall seconds to
    plan, CPU seconds to plan); and per one refused, the loader's message."""
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        library = load_worst_cases(Path(folder))
        for routine_id in PLANNED:
            routine = library.get(routine_id)
            plan, wall_s, cpu_s = _best_times(lambda routine=routine: build_plan(routine))
            figures[routine_id] = (len(plan.phases), len(plan.cues), plan.total_s, wall_s, cpu_s)
        refusals = {error.path.stem: error.message for error in library.errors}
    return figures, refusals


def report() -> str:
    figures, refusals = measure()
    lines = [
        f"Planning the largest routines the loader accepts (target: under {TARGET_S:g} s;",
        "  CPU time is what an idle machine takes, where this one is shared):",
    ]
    for routine_id in PLANNED:
        phases, cues, total_s, wall_s, cpu_s = figures[routine_id]
        verdict = "meets" if cpu_s <= TARGET_S else "MISSES"
        lines.append(
            f"  {routine_id:<14} {phases:7,} phases {cues:8,} cues {total_s / 3600:9,.1f} h"
            f"   {wall_s:5.2f} s, {cpu_s:5.2f} s CPU ({verdict} it)"
        )
    largest = max(PLANNED, key=lambda routine_id: figures[routine_id][1])
    phases, cues, _, wall_s, cpu_s = figures[largest]
    lines.append(
        f"  largest plan tried: {largest}, {phases:,} phases and {cues:,} cues, "
        f"in {wall_s:.2f} s ({cpu_s:.2f} s CPU)"
    )
    for routine_id in REFUSED:
        lines.append(f"  refused by the loader: {routine_id}: {refusals[routine_id]}")
    return "\n".join(lines)
