"""Routines at the loader's limits plan, whole and right, instead of hanging.

Issue 14's nine-line routine (500 reps at 0.5 s, 50 sets, both sides) took about a
minute to plan, and the player and the export each planned it. Here it, three of its
steps in a row, and the routine with the most phases the loader accepts are planned
in a child process, as `loosen plan --json` plans them (the same library, the same
JSON, but compact: the indented encoder is slower than the planning for the largest).
No time is asserted: the child's timeout only turns what would be a hang (minutes,
before the fix) into a failure instead of a stuck suite.
"""

from __future__ import annotations

import bisect
import itertools
import json
import subprocess
import sys

import pytest

from benchmarks.plans import worst_cases
from loosen.core.cues import GAP_S, number_words, speaking_time
from loosen.core.routine_schema import STEP

from helpers import BRIDGES, HEADER

HANG_S = 30  # a plan that takes this long is, to the user, a hang

PLAN_AS_JSON = """\
import json, sys
from loosen.commands.common import library
from loosen.commands.plan_cmd import as_json
from loosen.core.plan import build_plan
print(json.dumps(as_json(build_plan(library().find(sys.argv[1])))))
"""
ROUNDING_S = 2e-3  # `plan --json` gives moments to the millisecond


def planned(user_routines, routine_id: str, text: str) -> dict:
    (user_routines / f"{routine_id}.toml").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", PLAN_AS_JSON, routine_id],
        capture_output=True,
        text=True,
        timeout=HANG_S,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    return json.loads(result.stdout)


def assert_whole(plan: dict) -> None:
    """Phases follow each other without a gap; no cue starts before the one before it
    is said; the session ends with its completion cue at the total."""
    phases = plan["phases"]
    for phase, following in itertools.pairwise(phases):
        assert abs(phase["start"] + phase["duration"] - following["start"]) < ROUNDING_S
    last = phases[-1]
    assert abs(last["start"] + last["duration"] - plan["total"]) < ROUNDING_S
    cues = sorted(plan["cues"], key=lambda cue: cue["at"])
    for cue, following in itertools.pairwise(cues):
        assert following["at"] + ROUNDING_S >= cue["at"] + speaking_time(cue["text"]) + GAP_S
    assert cues[-1] == {"at": plan["total"], "text": "Session complete"}


@pytest.mark.parametrize("steps", [1, 3], ids=["issue-14", "a-day-of-reps"])
def test_issue_14s_nine_line_routine_plans_whole_with_every_set_and_side(user_routines, steps):
    # Three such steps last 21.6 h: near the longest session; planning them took the
    # quadratic fitting several minutes.
    plan = planned(user_routines, "bridges", HEADER + BRIDGES * steps)
    sets = 50
    one_step = [
        phase
        for n in range(1, sets + 1)
        for phase in (
            ("work", "left", n),
            ("switch", "right", n),
            ("work", "right", n),
            *([("rest", None, n)] if n < sets else []),
        )
    ]
    between_steps = [("rest", None, sets)]
    assert [(p["kind"], p["side"], p["set"]) for p in plan["phases"]] == [
        ("get-ready", None, 1),
        *one_step,
        *(between_steps + one_step) * (steps - 1),
    ]
    work = [p for p in plan["phases"] if p["kind"] == "work"]
    assert all(p["reps"] == 500 and p["duration"] == 250 for p in work)
    assert_whole(plan)
    # Every side of every set is counted from "one", upwards, within its phase.
    numbers = {number_words(n): n for n in range(1, 501)}
    for phase in work:
        end = phase["start"] + phase["duration"]
        said = [
            numbers[c["text"]]
            for c in plan["cues"]
            if phase["start"] <= c["at"] < end and c["text"] in numbers
        ]
        assert said[0] == 1 and said == sorted(set(said)) and said[-1] > 450


def test_the_routine_with_the_most_phases_the_loader_accepts_plans_whole(user_routines):
    plan = planned(user_routines, "most-phases", worst_cases()["most-phases"])
    sets = int(STEP["sets"].high)
    steps = len({p["step"] for p in plan["phases"] if p["kind"] == "work"})
    # A get-ready; per set left, switch, right and a rest; a rest between steps.
    assert len(plan["phases"]) == 1 + steps * (sets * 4 - 1) + (steps - 1)
    assert_whole(plan)
    # The phases are too short for every start to be said, but none passes unheard:
    # a start is left out only for a cue that is said over it.
    moments = sorted(c["at"] for c in plan["cues"])
    longest_s = max(speaking_time(c["text"]) for c in plan["cues"]) + GAP_S
    for phase in plan["phases"]:
        nearest = bisect.bisect_left(moments, phase["start"] - longest_s)
        assert moments[nearest] <= phase["start"] + longest_s, phase


def listed(user_routines) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loosen", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=HANG_S,
        check=False,
    )


@pytest.mark.parametrize("copies", [4, 200])
def test_steps_adding_up_to_more_than_a_day_are_refused_in_one_line(user_routines, copies):
    (user_routines / "days.toml").write_text(HEADER + BRIDGES * copies, encoding="utf-8")
    result = listed(user_routines)
    errors = json.loads(result.stdout)["errors"]
    assert result.returncode == 0 and not result.stderr
    assert len(errors) == 1 and errors[0]["path"].endswith("days.toml")
    message = errors[0]["message"]
    assert message.startswith("steps: add up to ") and "at most 24 h" in message
    assert "\n" not in message


def test_includes_that_multiply_steps_past_the_limit_are_refused_at_once(user_routines):
    # Ten files, each including the one before it 20 times: 20^10 steps if inlined.
    (user_routines / "level-0.toml").write_text(
        'format = 1\nname = "Level 0"\n[[steps]]\nname = "Hold"\nduration = "1s"\n',
        encoding="utf-8",
    )
    for level in range(1, 11):
        includes = f'[[steps]]\ninclude = "level-{level - 1}"\n' * 20
        (user_routines / f"level-{level}.toml").write_text(
            f'format = 1\nname = "Level {level}"\n{includes}', encoding="utf-8"
        )
    result = listed(user_routines)
    assert result.returncode == 0 and not result.stderr
    listing = json.loads(result.stdout)
    ids = {routine["id"] for routine in listing["routines"]}
    assert {"level-0", "level-1"} <= ids and "level-2" not in ids  # 20, then 400 steps
    too_many = [e for e in listing["errors"] if e["path"].endswith("level-2.toml")]
    assert too_many and "at most 200" in too_many[0]["message"]
