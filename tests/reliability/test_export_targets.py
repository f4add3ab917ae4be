"""`loosen export-audio ROUTINE OUT` where OUT is not an ordinary file: refused, untouched.

A device (a real node: /dev/null, /dev/full, or one made here with mknod), a symbolic
link (to a file, to a device, to nothing), a named pipe, a folder, a folder that does
not exist: each is one line and exit 1, before any voice starts, and whatever was at
OUT is exactly as it was. A FIFO is never opened (that would block). A regular file is
replaced whole, keeping its permissions, and a target swapped for a link while the
guide is written is still not replaced. The app's export dialog says the same line.
"""

from __future__ import annotations

import os
import stat
import sys
import wave
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import ClassVar

import pytest
from disks import fill, tmpfs

from loosen import cli
from loosen.commands.common import library
from loosen.core.audio import GuideError, write_guide
from loosen.core.plan import build_plan
from loosen.speech.synth import SynthState, SynthStatus
from loosen.ui.export_dialog import ExportDialog

from helpers import write_clip

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="device nodes and FIFOs")

EARLIER = b"RIFF an earlier export, kept byte for byte"
NULL_DEVICE = os.makedev(1, 3)  # what /dev/null is on Linux


class FakeSynth:
    """A voice that is ready at once and gives one short clip for every cue."""

    made: ClassVar[list[FakeSynth]] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.clip = write_clip(Path(os.environ["XDG_CACHE_HOME"]).parent / "clip.wav", 0.2)
        self.rate_wpm = 160
        self.status = SynthStatus(SynthState.AVAILABLE)
        FakeSynth.made.append(self)

    def wait_ready(self, timeout_s: float | None = None) -> SynthStatus:
        return self.status

    def set_voice(self, voice: str | None) -> None: ...

    def set_rate(self, wpm: float) -> None:
        self.rate_wpm = round(wpm)

    def prerender(self, texts):
        futures = []
        for _ in texts:
            future: Future[Path] = Future()
            future.set_result(self.clip)
            futures.append(future)
        return futures

    def close(self) -> None: ...


@pytest.fixture
def voice(monkeypatch):
    """The CLI's voice, replaced: a refusal must come before any voice starts."""
    FakeSynth.made = []
    monkeypatch.setattr("loosen.speech.synth.ClipSynthesizer", FakeSynth)
    return FakeSynth.made


def mknod_or_skip(path: Path, device: int) -> Path:
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, device)
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    return path


def existing_device(path: str) -> Callable[[Path], Path]:
    def make(_folder: Path) -> Path:
        if not Path(path).is_char_device():
            pytest.skip(f"{path} is not a device here")
        return Path(path)

    return make


def link_to_earlier(folder: Path) -> Path:
    (folder / "earlier.wav").write_bytes(EARLIER)
    (folder / "guide.wav").symlink_to("earlier.wav")
    return folder / "guide.wav"


def link_to(target: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / "guide.wav").symlink_to(target)
        return folder / "guide.wav"

    return make


def fifo(folder: Path) -> Path:
    os.mkfifo(folder / "guide.wav")
    return folder / "guide.wav"


def folder_itself(folder: Path) -> Path:
    (folder / "guide.wav").mkdir()
    return folder / "guide.wav"


REFUSED = [
    (lambda d: mknod_or_skip(d / "guide.wav", NULL_DEVICE), "it is a device, not a file"),
    (existing_device("/dev/null"), "it is a device, not a file"),
    (existing_device("/dev/full"), "it is a device, not a file"),
    (link_to_earlier, "it is a symbolic link"),
    (link_to("/dev/null"), "it is a symbolic link"),
    (link_to("nothing-there.wav"), "it is a symbolic link"),
    (fifo, "it is a named pipe (FIFO), not a file"),
    (folder_itself, "cannot write: it is a folder"),
    (lambda d: d / "no-such-folder" / "guide.wav", "cannot write: No such file or directory"),
]
REFUSED_IDS = [
    "device node",
    "/dev/null",
    "/dev/full",
    "link to a file",
    "link to a device",
    "dangling link",
    "fifo",
    "folder",
    "missing folder",
]


def snapshot(path: Path) -> tuple:
    """What is at `path`, without following it or opening it."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return ("nothing",)
    link = path.readlink() if path.is_symlink() else None
    content = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
    return (stat.S_IFMT(info.st_mode), info.st_ino, info.st_rdev, link, content)


def folder_listing(folder: Path) -> dict[str, tuple]:
    return {p.name: snapshot(p) for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.mark.parametrize(("make_out", "reason"), REFUSED, ids=REFUSED_IDS)
def test_export_audio_refuses_what_is_not_a_file_and_touches_nothing(
    capsys, voice, tmp_path, make_out, reason
):
    out = make_out(tmp_path)
    before_out, before_folder = snapshot(out), folder_listing(out.parent)
    earlier_file = tmp_path / "earlier.wav"
    earlier = earlier_file.read_bytes() if earlier_file.exists() else None

    assert cli.main(["export-audio", "squat-and-fold", str(out)]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""  # never "wrote"
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    assert captured.err.startswith(f"loosen: {out}: ") and reason in captured.err
    assert voice == []  # refused before starting a voice
    assert snapshot(out) == before_out
    assert folder_listing(out.parent) == before_folder  # nothing left beside it either
    if earlier is not None:
        assert earlier_file.read_bytes() == earlier


def test_a_file_is_replaced_whole_and_keeps_its_permissions(capsys, voice, tmp_path):
    out = tmp_path / "guide.wav"
    out.write_bytes(EARLIER)
    out.chmod(0o640)
    assert cli.main(["export-audio", "squat-and-fold", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: ")
    with wave.open(str(out), "rb") as guide:
        assert guide.getnframes() > 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide.wav"]  # nothing beside it


def test_a_full_disk_keeps_the_earlier_export_whole(capsys, voice, tmp_path):
    with tmpfs(tmp_path / "disk", size_kb=512) as disk:
        if disk is None:
            pytest.skip("mounting a small tmpfs needs root")
        out = disk / "guide.wav"
        out.write_bytes(EARLIER)
        fill(disk)
        assert cli.main(["export-audio", "squat-and-fold", str(out)]) == 1
        err = capsys.readouterr().err
        assert err == f"loosen: {out}: cannot write: No space left on device\n"
        assert out.read_bytes() == EARLIER
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "guide.wav"]


def test_a_target_swapped_for_a_link_while_writing_is_not_replaced(tmp_path):
    """The check is made again just before the rename: a long export leaves time."""
    plan = build_plan(library().find("squat-and-fold"))
    clip = write_clip(tmp_path / "clip.wav", 0.2)
    victim = tmp_path / "victim.wav"
    victim.write_bytes(EARLIER)
    out = tmp_path / "guide.wav"

    def clip_for(text: str) -> Path:
        if not out.is_symlink():
            out.symlink_to(victim.name)  # someone makes OUT a link while clips come in
        return clip

    with pytest.raises(GuideError, match="it is a symbolic link"):
        write_guide(plan, clip_for, out)
    assert out.readlink() == Path(victim.name)
    assert victim.read_bytes() == EARLIER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.wav", "guide.wav", "victim.wav"]


@pytest.mark.parametrize(
    ("make_out", "reason"),
    [REFUSED[0], REFUSED[3], REFUSED[6]],
    ids=[REFUSED_IDS[0], REFUSED_IDS[3], REFUSED_IDS[6]],
)
def test_the_apps_export_dialog_shows_the_same_line(
    capsys, qtbot, voice, tmp_path, make_out, reason
):
    out = make_out(tmp_path)
    before = snapshot(out)
    assert cli.main(["export-audio", "squat-and-fold", str(out)]) == 1
    cli_line = capsys.readouterr().err.strip().removeprefix("loosen: ")

    dialog = ExportDialog(library().find("squat-and-fold"), out, synth=FakeSynth())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        dialog.start()
    dialog.worker.wait(10_000)
    assert failed.args == [cli_line]
    assert dialog.status_label.text() == cli_line
    assert snapshot(out) == before
