"""The built wheel carries the built-in routines and pictures and works outside the repo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(out), str(REPO)], check=True)
    (wheel,) = out.glob("loosen-*.whl")
    site = out / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    return site


@pytest.mark.slow
def test_loosen_list_from_an_installed_wheel_shows_the_builtins(installed_wheel, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(installed_wheel)}
    result = subprocess.run(
        [str(installed_wheel / "bin" / "loosen"), "list", "--json"],
        cwd="/tmp",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout)
    shipped = sorted(p.stem for p in (REPO / "routines").glob("*.toml"))
    assert shipped, "the repository ships built-in routines"
    assert sorted(r["id"] for r in data["routines"]) == shipped
    assert data["errors"] == []
    for routine in data["routines"]:
        assert routine["source"] == "built-in"
        assert routine["path"].startswith(str(installed_wheel / "loosen" / "routines"))
    pictures = {p.name for p in (installed_wheel / "loosen" / "assets" / "exercises").iterdir()}
    assert pictures >= {p.name for p in (REPO / "assets" / "exercises").glob("*.svg")}


@pytest.mark.slow
def test_the_wheel_holds_no_benchmark(installed_wheel):
    """The benchmarks live at the top of the repository, outside the package."""
    shipped = [
        path.relative_to(installed_wheel).as_posix()
        for path in installed_wheel.rglob("*.py")
        if "bench" in path.relative_to(installed_wheel).as_posix()
    ]
    assert shipped == []
    assert (installed_wheel / "loosen" / "cli.py").exists(), "the package itself is there"
