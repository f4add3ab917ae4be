"""Ids with a hidden line break: `id = "squat-and-fold\\n"` looks like the built-in
squat-and-fold everywhere it is shown, yet is another routine. A regex `$` also
matches before a final newline, so every check of a whole value must match it whole.
"""

from __future__ import annotations

import json

import pytest

from loosen.core.library import load_library
from loosen.core.loader import read_routine_file
from loosen.core.settings import Settings, load_settings

STEP = '[[steps]]\nname = "Hold"\nduration = "45s"\n'
TRAILING = ["\n", "\r\n", " ", "\t"]


@pytest.mark.parametrize("tail", TRAILING)
def test_an_id_with_a_trailing_break_or_space_is_refused(tmp_path, tail):
    path = tmp_path / "mine.toml"
    path.write_text(f'format = 1\nid = {json.dumps("squat-and-fold" + tail)}\nname = "S"\n{STEP}')
    parsed = read_routine_file(path)
    assert parsed.draft is None
    assert [e.place for e in parsed.errors] == ["id"]


@pytest.mark.parametrize("tail", TRAILING)
def test_an_include_with_a_trailing_break_is_refused(tmp_path, tail):
    path = tmp_path / "mine.toml"
    path.write_text(
        f'format = 1\nname = "S"\nsteps = [{{ include = {json.dumps("squat-and-fold" + tail)} }}]\n'
    )
    parsed = read_routine_file(path)
    assert parsed.draft is None
    assert [e.place for e in parsed.errors] == ["steps[1].include"]


@pytest.mark.parametrize("tail", TRAILING)
def test_a_break_with_a_trailing_break_is_refused(tmp_path, tail):
    path = tmp_path / "run.toml"
    path.write_text(
        'format = 1\nname = "Run"\nkind = "run"\n[interval]\nactivity = "Sprints"\n'
        f'every = "15m"\nbreak = {json.dumps("squat-and-fold" + tail)}\n'
    )
    parsed = read_routine_file(path)
    assert parsed.draft is None
    assert [e.place for e in parsed.errors] == ["interval.break"]


def test_a_file_name_with_a_trailing_break_does_not_become_an_id(tmp_path):
    path = tmp_path / "squat-and-fold\n.toml"
    path.write_text(f'format = 1\nname = "S"\n{STEP}')
    library = load_library(None, tmp_path)
    assert len(library) == 0
    (error,) = library.errors
    assert error.place == "id" and 'add id = "squat-and-fold"' in error.message


@pytest.mark.parametrize("tail", TRAILING)
def test_a_reminder_routine_with_a_trailing_break_is_not_a_setting(tmp_path, tail):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"reminder_routine": "squat-and-fold" + tail}))
    loaded, problems = load_settings(path)
    assert loaded.reminder_routine == Settings().reminder_routine
    assert len(problems) == 1 and "reminder_routine" in problems[0]
