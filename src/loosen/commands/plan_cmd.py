"""`loosen plan ROUTINE [--json]`: the expanded timeline, its cues and its total."""

from __future__ import annotations

import argparse
from typing import Any

from loosen.commands.common import EXIT_OK, find_routine, library, number, print_json
from loosen.core.duration import format_clock, format_duration
from loosen.core.plan import Plan, build_plan


def register(subparsers: argparse._SubParsersAction, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="show a routine's timeline",
        description="Show the expanded timeline of a routine: its phases and cues with their "
        "offsets from the start, and the total. Open-ended phases (reps without tempo) are "
        "timed as if they took no time.",
    )
    parser.add_argument("routine", metavar="ROUTINE", help="a routine id from `loosen list`")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


def as_json(plan: Plan) -> dict[str, Any]:
    return {
        "routine": plan.routine_id,
        "total": number(plan.total_s),
        "phases": [
            {
                "start": number(p.start_s),
                "duration": number(p.duration_s),
                "kind": p.kind.value,
                "step": p.step,
                "side": p.side.value if p.side else None,
                "set": p.set,
                "reps": p.reps,
            }
            for p in plan.phases
        ],
        "cues": [{"at": number(round(c.at_s, 3)), "text": c.text} for c in plan.cues],
    }


def as_table(plan: Plan, name: str) -> str:
    lines = [f"{name} ({plan.routine_id}): {format_duration(plan.total_s)} in all", ""]
    cues_by_phase: dict[int, list] = {}
    for cue in plan.cues:
        cues_by_phase.setdefault(cue.phase_index, []).append(cue)
    for index, phase in enumerate(plan.phases):
        length = "open" if phase.duration_s is None else format_duration(phase.duration_s)
        what = phase.step
        if phase.side:
            what += f" ({phase.side.value})"
        if phase.sets > 1 and phase.kind.value in ("work", "rest"):
            what += f", set {phase.set}/{phase.sets}"
        if phase.reps is not None and phase.kind.value == "work":
            what += f", {phase.reps} reps"
        lines.append(f"{format_clock(phase.start_s):>8}  {phase.kind.value:<9} {length:>6}  {what}")
        for cue in cues_by_phase.get(index, []):
            lines.append(f"{format_clock(cue.at_s):>8}    » {cue.text}")
    for cue in cues_by_phase.get(len(plan.phases), []):
        lines.append(f"{format_clock(cue.at_s):>8}    » {cue.text}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    routine = find_routine(library(), args.routine)
    plan = build_plan(routine)
    if args.json:
        print_json(as_json(plan))
    else:
        print(as_table(plan, routine.name))
    return EXIT_OK
