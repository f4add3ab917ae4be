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
import zipfile
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
    return subprocess.run(
        [str(EXE), *args],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def sound_level(path: Path) -> tuple[float, float]:
    """(length in seconds, peak as a fraction of full scale) of a 16-bit WAV file."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2, "16-bit samples"
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    samples = array.array("h", frames)
    peak = max((abs(s) for s in samples), default=0) / 32768
    return seconds, peak


def crash_logs(home: Path) -> list[str]:
    """What the app's crash handler wrote (it shows a dialog and stays up, so look here)."""
    return [p.read_text() for p in (home / "cache" / "loosen" / "log").glob("crash-*.log")]


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


def test_export_audio_writes_an_mp3_with_chapters_from_the_bundled_libsndfile(tmp_path):
    """libsndfile (soundfile's `_soundfile_data`) and mutagen ship inside the bundle."""
    import mutagen.mp3
    import soundfile

    routines = ["squat-and-fold", "squat-and-fold"]
    plan = loosen("plan", "squat-and-fold", "--json")
    total = 2 * json.loads(plan.stdout)["total"]
    out = tmp_path / "outing.mp3"
    result = loosen("export-audio", *routines, str(out), timeout=120)
    assert result.returncode == 0, result.stderr
    samples, rate = soundfile.read(str(out), dtype="int16")
    assert abs(len(samples) / rate - total) <= 0.5
    assert abs(samples).max() / 32768 > 0.05, "the guide is silent"
    tags = mutagen.mp3.MP3(out).tags
    assert str(tags["TIT2"]) == "Squat and fold + Squat and fold"
    assert len(tags.getall("CHAP")) >= 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd is Linux's")
def test_every_library_in_the_bundle_resolves():
    # Libraries a Linux desktop provides where they are used: Wayland's client libraries
    # (only the Wayland platform loads them) and GTK 3 with everything it links (only the
    # GTK theme plugin loads them; the spec leaves them out of the bundle).
    provided_by_the_desktop = ("libwayland-",)
    uses_the_desktops_gtk = "libqgtk3.so"
    internal = BUNDLE / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal)}  # as the bundle's launcher sets
    missing = []
    for path in [EXE, *internal.rglob("*.so*")]:
        if path.is_symlink() or not path.is_file() or path.name == uses_the_desktops_gtk:
            continue
        result = subprocess.run(
            ["ldd", str(path)], env=env, capture_output=True, text=True, check=False
        )
        for line in result.stdout.splitlines():
            if "not found" in line and not line.strip().startswith(provided_by_the_desktop):
                missing.append(f"{path.relative_to(BUNDLE)}: {line.strip()}")
    assert missing == []


def test_no_link_in_the_bundle_points_nowhere():
    dangling = [
        str(p.relative_to(BUNDLE)) for p in BUNDLE.rglob("*") if p.is_symlink() and not p.exists()
    ]
    assert dangling == []


def test_the_app_opens_a_routine_offscreen_and_renders_its_cues(isolated_user_dirs, tmp_path):
    # `loosen run` opens the window and starts the session, whose cues the speech worker
    # (the bundle started again, as multiprocessing "spawn") renders into the clip cache.
    clips = isolated_user_dirs / "cache" / "loosen" / "clips"
    log = tmp_path / "stderr.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with (
        log.open("w") as stderr,
        subprocess.Popen(
            [str(EXE), "run", "squat-and-fold"],
            cwd="/",
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        ) as app,
    ):
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
    assert crash_logs(isolated_user_dirs) == []
    assert spoken, "no cue was rendered: the speech worker did not start in the bundle"
    assert sound_level(spoken[0])[1] > 0.05


# Run inside xvfb-run: start the app, say whether it is alive after 8 s, and describe its
# windows (when x11-utils is installed) before stopping it.
X11_PROBE = """
"$1" run squat-and-fold & app=$!
sleep 8
kill -0 "$app" 2>/dev/null && echo alive
if command -v xwininfo >/dev/null && command -v xprop >/dev/null; then
    for w in $(xwininfo -root -tree | grep '"Loosen' | awk '{print $1}'); do
        xprop -id "$w" WM_CLASS
        xprop -id "$w" _NET_WM_ICON | head -n 1  # then the icon as (UTF-8) art
    done
fi
kill "$app" 2>/dev/null
wait "$app" 2>/dev/null
exit 0
"""


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run")
def test_the_app_opens_a_window_with_its_icon_on_x11(isolated_user_dirs):
    # The xcb platform plugin and the X libraries it needs: a missing one ends the app
    # at once. The window icon is the SVG, drawn by Qt's SVG icon engine in the bundle.
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        ["xvfb-run", "-a", "sh", "-c", X11_PROBE, "probe", str(EXE)],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=90,
        check=False,
    )
    assert "alive" in result.stdout.splitlines(), result.stdout + result.stderr
    assert "could not load the qt platform plugin" not in result.stderr.lower()
    assert crash_logs(isolated_user_dirs) == []
    if shutil.which("xprop") is None:
        return
    desktop = (REPO / "packaging" / "linux" / "loosen.desktop").read_text()
    (wm_class,) = [
        line.split("=", 1)[1] for line in desktop.splitlines() if line.startswith("StartupWMClass=")
    ]
    assert f'WM_CLASS(STRING) = "loosen", "{wm_class}"' in result.stdout, result.stdout
    assert "_NET_WM_ICON(CARDINAL)" in result.stdout, "the window has no icon"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG desktop is Linux's")
def test_install_puts_loosen_in_the_menu_and_uninstall_takes_it_out(isolated_user_dirs):
    data = isolated_user_dirs / "data"  # XDG_DATA_HOME, set by conftest.py
    installed = subprocess.run(
        ["sh", str(BUNDLE / "install.sh")], capture_output=True, text=True, timeout=120, check=False
    )
    assert installed.returncode == 0, installed.stderr
    entry = data / "applications" / "loosen.desktop"
    (exec_line,) = [line for line in entry.read_text().splitlines() if line.startswith("Exec=")]
    program = Path(exec_line.removeprefix("Exec=").strip('"'))
    assert program.is_relative_to(isolated_user_dirs), "a copy for this user, not the download"
    version = subprocess.run(
        [str(program), "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert version.stdout.startswith("loosen ")
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "loosen.png").is_file()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "loosen.svg").is_file()
    metainfo = data / "metainfo" / "io.github.loosen.Loosen.metainfo.xml"
    assert metainfo.is_file()
    if shutil.which("desktop-file-validate"):
        checked = subprocess.run(
            ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
    if shutil.which("appstreamcli"):
        checked = subprocess.run(
            ["appstreamcli", "validate", "--no-net", str(metainfo)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr

    removed = subprocess.run(
        ["sh", str(BUNDLE / "install.sh"), "--uninstall"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert removed.returncode == 0, removed.stderr
    assert not entry.exists()
    assert not program.exists()
    assert not list((data / "icons").rglob("loosen.*"))


# Run by the test's own Python (which has Loosen and its dependencies installed): the
# real main window, offscreen, with the history page open and its charts drawn; prints
# the modules that took, each with a file of its own.
MODULES_PROBE = """
import json, os, sys, tempfile
from pathlib import Path
home = Path(tempfile.mkdtemp())
for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[variable] = str(home / variable)
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from loosen import paths
from loosen.core.settings import Settings
from loosen.speech.player import ClipSpeaker
from loosen.ui.history_service import HistoryService
from loosen.ui.main_window import MainWindow
app = QApplication([])
speaker = ClipSpeaker(None, paths.cache_dir() / "beeps", voice_notice=None)
window = MainWindow(Settings(seen_welcome=True), speaker, HistoryService(paths.history_db()))
window.show()
window.library_view.history_button.click()
loop = QEventLoop()
window.history_view.charts_ready.connect(loop.quit)
QTimer.singleShot(20_000, loop.quit)
loop.exec()
window.start_routine("squat-and-fold")
QTimer.singleShot(1000, loop.quit)
loop.exec()
print(json.dumps(sorted(
    name for name, module in list(sys.modules.items())
    if getattr(module, "__name__", None) == name  # not an alias such as os.path
    and getattr(module, "__file__", None) and Path(module.__file__).is_file()
)))
"""


def bundled_modules() -> set[str]:
    """Every module the bundle can import: its archives, and its extension modules."""
    readers = pytest.importorskip("PyInstaller.archive.readers")
    internal = BUNDLE / "_internal"
    package = readers.CArchiveReader(str(EXE))
    names = set(package.toc) | set(package.open_embedded_archive("PYZ.pyz").toc)
    with zipfile.ZipFile(internal / "base_library.zip") as base:
        for name in base.namelist():
            if name.endswith(".pyc"):
                names.add(name.removesuffix(".pyc").replace("/", ".").removesuffix(".__init__"))
    for extension in internal.rglob("*.so"):
        parts = list(extension.relative_to(internal).parts)
        if parts[0].startswith("python3"):  # python3.11/lib-dynload/: top-level modules
            parts = parts[2:]
        parts[-1] = parts[-1].split(".")[0]
        names.add(".".join(parts))
    return names


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads a Linux bundle's layout")
def test_every_module_the_app_imports_while_running_is_in_the_bundle():
    # Libraries import some modules by name at run time (pyqtgraph: QtOpenGL), which
    # PyInstaller cannot see; in the bundle the history page would then crash. So run the
    # app's screens unfrozen, and look for each module they loaded in the bundle.
    bundled = bundled_modules()
    probe = subprocess.run(
        [sys.executable, "-c", MODULES_PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    used = json.loads(probe.stdout.splitlines()[-1])
    assert "loosen.ui.history_charts" in used, "the probe did not reach the charts"
    only_unfrozen = {"site", "_sitebuiltins", "sitecustomize", "usercustomize", "_distutils_hack"}
    assert [name for name in used if name not in bundled | only_unfrozen] == []
