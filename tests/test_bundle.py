"""Smoke test of the built one-folder bundle (PyInstaller): it runs, finds its routines, speaks.

Skipped unless LOOSEN_BUNDLE names the bundle folder, so the normal suite stays fast.
`sh packaging/build.sh` builds dist/loosen/ and runs this with the variable set; by hand:

    LOOSEN_BUNDLE=dist/loosen .venv/bin/python -m pytest tests/test_bundle.py

Everything runs the bundle's own executable, offscreen, with user folders in a temporary
home (conftest.py), so it checks what a user would get, not the source tree.
"""

from __future__ import annotations

import array
import json
import os
import shutil
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLE = Path(os.environ["LOOSEN_BUNDLE"]).resolve() if os.environ.get("LOOSEN_BUNDLE") else None
EXE = BUNDLE / ("loosen.exe" if sys.platform == "win32" else "loosen") if BUNDLE else None

pytestmark = [
    pytest.mark.skipif(BUNDLE is None, reason="set LOOSEN_BUNDLE to a built bundle folder"),
    pytest.mark.slow,
]

# Qt says these on a machine without a sound server or a window manager; not failures.
HARMLESS = ("propagateSizeHints", "pipewire", "PulseAudioService", "qt.multimedia.ffmpeg")


def loosen(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(EXE), *args], cwd="/", env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)  # fmt: skip


def sound_level(path: Path) -> tuple[float, float]:
    """(length in seconds, peak as a fraction of full scale) of a 16-bit WAV file."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2, "16-bit samples"
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    samples = array.array("h", frames)
    peak = max((abs(s) for s in samples), default=0) / 32768
    return seconds, peak


def test_help_works():
    result = loosen("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: loosen")
    for command in ("list", "plan", "run"):
        assert command in result.stdout


def test_list_shows_the_builtin_routines_shipped_inside_the_bundle():
    result = loosen("list", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    ids = {routine["id"] for routine in data["routines"]}
    assert "squat-and-fold" in ids
    assert ids == {path.stem for path in (REPO / "routines").glob("*.toml")}
    assert data["errors"] == []
    for routine in data["routines"]:
        # Read from the bundle, never from a checkout that happens to be nearby.
        assert Path(routine["path"]).is_relative_to(BUNDLE), routine["path"]


def test_the_exercise_pictures_ship_with_the_bundle():
    pictures = {path.name for path in BUNDLE.rglob("assets/exercises/*.svg")}
    assert pictures >= {path.name for path in (REPO / "assets" / "exercises").glob("*.svg")}


def test_export_audio_writes_the_whole_guide_with_sound(tmp_path):
    assert "export-audio" in loosen("--help").stdout, (
        "the bundle has no export-audio command: loosen.commands.COMMANDS does not register it"
    )
    plan = loosen("plan", "squat-and-fold", "--json")
    assert plan.returncode == 0, plan.stderr
    total = json.loads(plan.stdout)["total"]
    out = tmp_path / "guide.wav"
    result = loosen("export-audio", "squat-and-fold", str(out), timeout=120)
    assert result.returncode == 0, result.stderr
    seconds, peak = sound_level(out)
    assert abs(seconds - total) <= 0.5, (seconds, total)
    assert peak > 0.05, "the guide is silent: the speech engine did not run in the bundle"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd is Linux's")
def test_every_library_in_the_bundle_resolves():
    # Libraries a Linux desktop provides where they are used: Wayland's client libraries
    # (only the Wayland platform loads them) and GTK 3 (only the GTK theme plugin).
    provided_by_the_desktop = ("libwayland-", "libgtk-3", "libgdk-3")
    internal = BUNDLE / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal)}  # as the bundle's launcher sets
    missing = []
    for path in [EXE, *internal.rglob("*.so*")]:
        if path.is_symlink() or not path.is_file():
            continue
        result = subprocess.run(["ldd", str(path)], env=env, capture_output=True, text=True,
                                check=False)  # fmt: skip
        for line in result.stdout.splitlines():
            if "not found" in line and not line.strip().startswith(provided_by_the_desktop):
                missing.append(f"{path.relative_to(BUNDLE)}: {line.strip()}")
    assert missing == []


def test_the_app_opens_a_routine_offscreen_and_renders_its_cues(isolated_user_dirs, tmp_path):
    # `loosen run` opens the window and starts the session, whose cues the speech worker
    # (the bundle started again, as multiprocessing "spawn") renders into the clip cache.
    clips = isolated_user_dirs / "cache" / "loosen" / "clips"
    log = tmp_path / "stderr.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with log.open("w") as stderr, subprocess.Popen(
        [str(EXE), "run", "squat-and-fold"], cwd="/", env=env,
        stdout=subprocess.DEVNULL, stderr=stderr,
    ) as app:  # fmt: skip
        deadline = time.monotonic() + 30
        spoken: list[Path] = []
        while time.monotonic() < deadline and app.poll() is None and not spoken:
            time.sleep(0.5)
            spoken = [p for p in clips.glob("*.wav") if p.stat().st_size > 1000]
        alive = app.poll() is None
        # What it said while running; stopping it by a signal is not what is tested.
        said = log.read_text()
        app.terminate()
        app.wait(timeout=15)
    assert alive, f"the app ended by itself:\n{log.read_text()}"
    problems = [line for line in said.splitlines() if not any(h in line for h in HARMLESS)]
    assert problems == [], "\n".join(problems)
    assert spoken, "no cue was rendered: the speech worker did not start in the bundle"
    assert sound_level(spoken[0])[1] > 0.05


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run")
def test_the_app_opens_a_window_on_x11():
    # The xcb platform plugin and the X libraries it needs; alive after 8 s means it
    # opened (a missing plugin or library ends it at once).
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        ["xvfb-run", "-a", "timeout", "8", str(EXE), "run", "squat-and-fold"],
        cwd="/", env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 124, f"exit {result.returncode}:\n{result.stderr}"
    assert "could not load the Qt platform plugin" not in result.stderr.lower()
