"""Test set-up shared by every test: no display needed, and no real user folders touched."""

from __future__ import annotations

import os

# Must be set before Qt starts: there is no display on CI machines.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point every appdirs folder at a fresh temporary home for each test."""
    home = tmp_path_factory.mktemp("home")
    for variable, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def user_routines(isolated_user_dirs: Path) -> Path:
    folder = isolated_user_dirs / "data" / "loosen" / "routines"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every routine file the loader opens, in order (to tell a cached load from a read)."""
    from loosen.core import loader

    opened: list[Path] = []
    real = loader.read_regular_file

    def counting(path: Path, max_bytes: int) -> bytes:
        opened.append(path)
        return real(path, max_bytes)

    monkeypatch.setattr(loader, "read_regular_file", counting)
    return opened
