"""XDG_* variables that are set but empty or relative, as a broken login script leaves them.

The XDG base directory spec says to ignore them and use the default under $HOME; taken
as they are, they put the history and settings under whatever the current folder
happens to be, and the user's data looks lost from anywhere else.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from odd_files import loosen

from loosen import paths

# variable: (the folder it moves, where that folder is by default under $HOME)
VARIABLES: dict[str, tuple[Callable[[], Path], str]] = {
    "XDG_DATA_HOME": (paths.data_dir, ".local/share/loosen"),
    "XDG_CONFIG_HOME": (paths.config_dir, ".config/loosen"),
    "XDG_CACHE_HOME": (paths.cache_dir, ".cache/loosen"),
    "XDG_STATE_HOME": (paths.state_dir, ".local/state/loosen"),
}
IGNORED_VALUES = ["", "relative", "./here", "~/not-expanded"]


@pytest.mark.parametrize("value", IGNORED_VALUES)
@pytest.mark.parametrize("variable", list(VARIABLES))
def test_an_empty_or_relative_value_is_ignored(variable, value, monkeypatch, tmp_path):
    folder, default = VARIABLES[variable]
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(variable, value)
    assert folder() == home / default


@pytest.mark.parametrize("variable", list(VARIABLES))
def test_an_absolute_value_still_moves_the_folder(variable, monkeypatch, tmp_path):
    folder, _ = VARIABLES[variable]
    monkeypatch.setenv(variable, str(tmp_path / "elsewhere"))
    assert folder() == tmp_path / "elsewhere" / "loosen"


def test_logs_follow_the_cache_folder_when_its_variable_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert paths.log_dir().is_relative_to(tmp_path / "home" / ".cache" / "loosen")


@pytest.mark.parametrize("value", ["", "data"])
def test_loosen_finds_the_same_routines_from_any_folder(
    value, isolated_user_dirs, tmp_path, user_env
):
    env = dict(user_env, XDG_DATA_HOME=value)
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    routines = isolated_user_dirs / ".local" / "share" / "loosen" / "routines"
    routines.mkdir(parents=True)
    (routines / "mine.toml").write_text(
        'format = 1\nname = "Mine"\n[[steps]]\nname = "Hold"\nduration = "45s"\n'
    )

    listed = [
        json.loads(loosen("list", "--json", cwd=folder, env=env).stdout) for folder in (one, two)
    ]

    assert listed[0] == listed[1]
    assert listed[0]["user_dir"] == str(routines)
    assert "mine" in {r["id"] for r in listed[0]["routines"]}
    assert list(one.iterdir()) == [] and list(two.iterdir()) == []  # nothing left behind
