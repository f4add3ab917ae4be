"""`loosen list` and `loosen validate`: output contracts and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loosen.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "core" / "corpus"
GOOD = 'format = 1\nname = "Mine"\nkind = "cooldown"\n[[steps]]\nname = "Hold"\nduration = "45s"\n'


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_has_the_contract_shape(capsys, user_routines):
    (user_routines / "mine.toml").write_text(GOOD)
    (user_routines / "bad.toml").write_text('format = 1\nname = "Bad"\n')
    code, out, _ = run_cli(capsys, "list", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"user_dir", "routines", "errors"}
    assert data["user_dir"] == str(user_routines)
    by_id = {r["id"]: r for r in data["routines"]}
    mine = by_id["mine"]
    assert set(mine) == {"id", "name", "kind", "source", "path", "total_s"}
    assert mine == {
        "id": "mine",
        "name": "Mine",
        "kind": "cooldown",
        "source": "user",
        "path": str(user_routines / "mine.toml"),
        "total_s": 50,  # 5 s get-ready + 45 s hold
    }
    assert all(r["source"] == "built-in" for r in data["routines"] if r["id"] != "mine")
    assert data["errors"] == [
        {
            "path": str(user_routines / "bad.toml"),
            "message": "steps: there are none; add at "
            "least one [[steps]] with a name and a duration or reps",
        }
    ]


def test_list_table_shows_routines_and_reports_bad_files_on_stderr(capsys, user_routines):
    (user_routines / "mine.toml").write_text(GOOD)
    (user_routines / "bad.toml").write_text("nonsense")
    code, out, err = run_cli(capsys, "list")
    assert code == 0
    assert "mine" in out and "Mine" in out and "50s" in out
    assert str(user_routines) in out
    assert "bad.toml: is not valid TOML" in err


def test_validate_accepts_a_good_file(capsys, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    code, out, err = run_cli(capsys, "validate", str(path))
    assert (code, err) == (0, "")
    assert out == f"{path}: ok (mine: 1 step, 50s)\n"


def test_validate_prints_every_error_in_the_design_format(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("cooldown.toml").write_text(
        'format = 1\nname = "C"\n[[steps]]\nname = "A"\nduration = "45s"\n'
        '[[steps]]\nname = "B"\nduration = "45s"\n[[steps]]\nname = "C"\nduration = "-5s"\n'
        "sieds = true\n"
    )
    code, out, err = run_cli(capsys, "validate", "cooldown.toml")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        'cooldown.toml: steps[3].sieds: unknown key (did you mean "sides"?); allowed here: '
        "name, duration, reps, tempo, sets, sides, rest, say, image, countdown, switch",
        'cooldown.toml: steps[3].duration: "-5s" is not a duration; use e.g. "45s", "1m30s", '
        '"2m" or whole seconds like 45',
    ]


def test_validate_resolves_references_among_the_files_given(capsys, tmp_path):
    (tmp_path / "base.toml").write_text(GOOD.replace("Mine", "Base"))
    (tmp_path / "combo.toml").write_text(
        'format = 1\nname = "Combo"\nsteps = [{ include = "base" }]\n'
    )
    code, out, _ = run_cli(
        capsys, "validate", str(tmp_path / "combo.toml"), str(tmp_path / "base.toml")
    )
    assert code == 0
    assert "combo: 1 step," in out


def test_validate_mixed_files_reports_each_and_fails(capsys, tmp_path):
    good, missing = tmp_path / "good.toml", tmp_path / "missing.toml"
    good.write_text(GOOD)
    code, out, err = run_cli(capsys, "validate", str(good), str(missing))
    assert code == 1
    assert f"{good}: ok" in out
    assert f"{missing}: cannot be read" in err


def test_the_whole_bad_corpus_fails_validation_one_line_per_error(capsys):
    files = sorted(str(p) for p in (CORPUS / "bad").glob("*.toml"))
    code, out, err = run_cli(capsys, "validate", *files)
    assert code == 1
    assert out.count(": ok") == 0
    for line in err.splitlines():
        assert line.split(": ", 1)[0] in files


@pytest.mark.parametrize(
    ("argv", "code"),
    [(["validate"], 2), (["frobnicate"], 2), (["list", "--yaml"], 2)],
)
def test_usage_mistakes_exit_2(argv, code, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == code
    assert "usage: loosen" in capsys.readouterr().err


def test_python_dash_m_runs_the_same_command_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\x00\xff")
    result = subprocess.run(
        [sys.executable, "-m", "loosen", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{bad}: ")
    help_result = subprocess.run(
        [sys.executable, "-m", "loosen", "validate", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert help_result.returncode == 0 and "FILE" in help_result.stdout


def test_the_app_without_a_screen_is_one_line_not_a_qt_abort():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    for arguments in ([], ["run", "squat-and-fold"]):
        done = subprocess.run(
            [sys.executable, "-m", "loosen", *arguments],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("loosen: no screen to open the window on")
        assert len(done.stderr.strip().splitlines()) == 1
