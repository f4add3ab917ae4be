"""`loosen plan`: the JSON contract, the table, and clear errors."""

from __future__ import annotations

import json

import pytest

from loosen import paths
from loosen.cli import main

BUILT_IN = sorted(p.stem for p in paths.builtin_routines_dir().glob("*.toml"))


def test_plan_json_has_the_contract_shape(capsys, user_routines):
    (user_routines / "mine.toml").write_text(
        'format = 1\nname = "Mine"\n[defaults]\nget_ready = "5s"\n'
        '[[steps]]\nname = "Lunge"\nduration = "30s"\nsides = true\nrest = "10s"\n'
        '[[steps]]\nname = "Squat"\nreps = 2\n'
    )
    assert main(["plan", "mine", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"routine", "total", "phases", "cues"}
    assert data["routine"] == "mine" and data["total"] == 80
    assert data["phases"] == [
        {
            "start": 0,
            "duration": 5,
            "kind": "get-ready",
            "step": "Lunge",
            "side": None,
            "set": 1,
            "reps": None,
        },
        {
            "start": 5,
            "duration": 30,
            "kind": "work",
            "step": "Lunge",
            "side": "left",
            "set": 1,
            "reps": None,
        },
        {
            "start": 35,
            "duration": 5,
            "kind": "switch",
            "step": "Lunge",
            "side": "right",
            "set": 1,
            "reps": None,
        },
        {
            "start": 40,
            "duration": 30,
            "kind": "work",
            "step": "Lunge",
            "side": "right",
            "set": 1,
            "reps": None,
        },
        {
            "start": 70,
            "duration": 10,
            "kind": "rest",
            "step": "Lunge",
            "side": None,
            "set": 1,
            "reps": None,
        },
        {
            "start": 80,
            "duration": None,
            "kind": "work",
            "step": "Squat",
            "side": None,
            "set": 1,
            "reps": 2,
        },
    ]
    assert data["cues"][0] == {"at": 0, "text": "Get ready. First: lunge"}
    assert {"at": 5, "text": "Lunge, left side, thirty seconds"} in data["cues"]
    assert all(set(c) == {"at", "text"} for c in data["cues"])
    assert [c["at"] for c in data["cues"]] == sorted(c["at"] for c in data["cues"])


@pytest.mark.parametrize("routine_id", BUILT_IN)
def test_every_built_in_plans_as_a_table_and_as_json(capsys, routine_id):
    assert main(["plan", routine_id]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].startswith(f"{routine_id}") is False  # starts with the name
    assert f"({routine_id})" in table.splitlines()[0]
    assert "Session complete" in table
    assert main(["plan", routine_id, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["phases"] and data["cues"][-1]["text"] == "Session complete"
    ends = [p["start"] + (p["duration"] or 0) for p in data["phases"]]
    assert max(ends) == data["total"]


def test_an_unknown_routine_is_one_line_with_a_suggestion(capsys):
    assert main(["plan", "squat-and-fld"]) == 1
    err = capsys.readouterr().err
    assert (
        err == 'loosen: no routine "squat-and-fld" (did you mean "squat-and-fold"?); '
        "`loosen list` shows them all\n"
    )


@pytest.mark.parametrize("command", ["plan", "run", "export-audio"])
def test_a_routine_that_failed_to_load_says_so_and_why(capsys, user_routines, command):
    (user_routines / "my-typo.toml").write_text(
        'format = 1\nname = "My typo"\n[[steps]]\nname = "Lunge"\nduraton = "30s"\n'
    )
    argv = [command, "my-typo"] + (["out.wav"] if command == "export-audio" else [])
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    where = user_routines / "my-typo.toml"
    assert err.startswith(f"loosen: {where} failed to load: steps[1].duraton")
    assert "duraton" in err and 'did you mean "duration"' in err
    assert "no routine" not in err
