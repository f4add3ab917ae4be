"""Exporting an audio guide from the library: off the UI thread, with progress, cancel,
one-line errors, and for real with espeak-ng once."""

from __future__ import annotations

import re
import shutil
import threading
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from loosen.core.audio import check_format
from loosen.speech.synth import SynthState
from loosen.ui.export_dialog import ExportDialog, OutingPicker, file_filter
from loosen.ui.main_window import MainWindow
from player_journey import cancel_save, save_as, save_dialog

from helpers import FakeSynth, routine, step

# Get ready 2 s, a 10-s hold, a rest long enough to announce the counted squats, 2 × 2 s.
SHORT = (
    'format = 1\nid = "short"\nname = "Short one"\nkind = "cooldown"\n'
    '[defaults]\nget_ready = "2s"\nrest = "8s"\n[[steps]]\nname = "Hold"\nduration = "10s"\n'
    '[[steps]]\nname = "Squat"\nreps = 2\ntempo = "2s"\n'
)


@pytest.fixture
def make_window(open_window, speaker, user_routines):
    (user_routines / "short.toml").write_text(SHORT)

    def make(synth=None) -> MainWindow:
        return open_window(speaker, export_synth=synth)

    return make


def open_picker(qtbot, window: MainWindow, routine_id: str = "short") -> OutingPicker:
    """Select the routine and click "Export audio guide…": the routines and format picker."""
    assert window.library_view.select(routine_id)
    qtbot.mouseClick(window.library_view.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: picker_of(window) is not None)
    return picker_of(window)


def picker_of(window: MainWindow) -> OutingPicker | None:
    return next((p for p in window.findChildren(OutingPicker) if p.isVisible()), None)


def start_export(qtbot, window: MainWindow, monkeypatch, out: Path, routine_id: str = "short"):
    """Select the routine, click Export, go on in the picker, and save as `out`."""
    picker = open_picker(qtbot, window, routine_id)
    qtbot.mouseClick(picker.export_button, Qt.MouseButton.LeftButton)
    save_as(qtbot, window, out)
    dialog = window.export_dialog
    assert dialog is not None
    return dialog


def guide_length_s(path: Path) -> float:
    with wave.open(str(path), "rb") as guide:
        return guide.getnframes() / guide.getframerate()


def test_the_guide_is_written_off_the_ui_thread_to_100_percent(
    qtbot, make_window, monkeypatch, tmp_path
):
    synth = FakeSynth(tmp_path, hold=True)
    window = make_window(synth)
    out = tmp_path / "short.wav"
    dialog = start_export(qtbot, window, monkeypatch, out)
    seen: list[float] = []
    dialog.worker.progressed.connect(seen.append)
    qtbot.waitUntil(lambda: dialog.status_label.text() == "Rendering the voice…")
    assert window.isEnabled() and dialog.running  # the window is free while it renders
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as done:
        synth.release.set()
    info = done.args[0]
    assert synth.asked_from and threading.main_thread().name not in synth.asked_from
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert dialog.progress_bar.value() == 100
    assert dialog.status_label.text().startswith("Done: 0:")
    assert dialog.cancel_button.text() == "Close"
    assert out.exists() and abs(guide_length_s(out) - (2 + 10 + 8 + 4)) <= 0.5
    assert info.path == out
    dialog.worker.wait(5000)


def test_cancel_stops_the_export_and_leaves_no_file(qtbot, make_window, monkeypatch, tmp_path):
    synth = FakeSynth(tmp_path, hold=True)  # clips never come: it waits until cancelled
    window = make_window(synth)
    out = tmp_path / "short.wav"
    dialog = start_export(qtbot, window, monkeypatch, out)
    qtbot.waitUntil(lambda: dialog.status_label.text() == "Rendering the voice…")
    with qtbot.waitSignal(dialog.cancelled, timeout=5000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    dialog.worker.wait(5000)
    assert not dialog.isVisible()
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["clip.wav"]
    synth.release.set()


def test_cancel_while_writing_removes_the_partial_file(qtbot, tmp_path):
    long_one = routine(step("Hold", duration_s=600.0))  # about 26 MB to write
    out = tmp_path / "long.wav"
    dialog = ExportDialog(long_one, out, synth=FakeSynth(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    seen: list[float] = []

    def cancel_half_way(fraction: float) -> None:
        # Runs in the worker, as it reports: the cancel lands mid-file, every time.
        seen.append(fraction)
        if fraction >= 0.5:
            dialog.worker.requestInterruption()

    dialog.worker.progressed.connect(cancel_half_way, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(dialog.cancelled, timeout=10_000):
        dialog.start()
    dialog.worker.wait(5000)
    assert 0.5 <= seen[-1] < 1.0 and dialog.progress_bar.value() < 100
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["clip.wav"]


@pytest.mark.parametrize(
    ("where", "reason"),
    [("a-file/x.wav", "Not a directory"), ("missing/x.wav", "No such file or directory")],
)
def test_an_unwritable_path_is_one_line(qtbot, make_window, monkeypatch, tmp_path, where, reason):
    (tmp_path / "a-file").write_text("")
    window = make_window(FakeSynth(tmp_path))
    out = tmp_path / where
    dialog = start_export(qtbot, window, monkeypatch, out)
    with qtbot.waitSignal(dialog.failed, timeout=5000) as failed:
        pass
    assert failed.args == [f"{out}: cannot write: {reason}"]
    assert dialog.status_label.text() == failed.args[0] and "\n" not in failed.args[0]
    assert dialog.cancel_button.text() == "Close"
    dialog.worker.wait(5000)


def test_no_speech_engine_is_one_line_saying_how_to_get_one(
    qtbot, make_window, monkeypatch, tmp_path
):
    reason = "No voice: install espeak-ng (sudo apt install espeak-ng) and restart Loosen"
    window = make_window(FakeSynth(tmp_path, status=SynthState.UNAVAILABLE, reason=reason))
    out = tmp_path / "short.wav"
    dialog = start_export(qtbot, window, monkeypatch, out)
    with qtbot.waitSignal(dialog.failed, timeout=5000) as failed:
        pass
    assert failed.args == [reason]  # the app's own voice is missing: restarting is right
    assert not out.exists()
    dialog.worker.wait(5000)
    assert [p.name for p in tmp_path.iterdir()] == ["clip.wav"]


def test_a_voice_started_for_the_export_alone_needs_no_restart(qtbot, monkeypatch, tmp_path):
    reason = "No voice: install espeak-ng (sudo apt install espeak-ng) and restart Loosen"
    started = []

    def start_synthesizer(cache_dir, settings=None):
        started.append(threading.current_thread().name)
        started.append(FakeSynth(tmp_path, status=SynthState.UNAVAILABLE, reason=reason))
        return started[-1]

    monkeypatch.setattr("loosen.speech.synth.start_synthesizer", start_synthesizer)
    dialog = ExportDialog(routine(step("Hold", duration_s=10.0)), tmp_path / "x.wav")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=5000) as failed:
        dialog.start()
    dialog.worker.wait(5000)
    assert failed.args == ["No voice: install espeak-ng (sudo apt install espeak-ng)"]
    thread, synth = started
    assert thread != threading.main_thread().name  # started off the UI thread
    assert synth.closed  # and stopped with the export


def test_choosing_no_file_starts_nothing(qtbot, make_window, monkeypatch, tmp_path):
    window = make_window(FakeSynth(tmp_path))
    picker = open_picker(qtbot, window)
    qtbot.mouseClick(picker.export_button, Qt.MouseButton.LeftButton)
    assert save_dialog(qtbot, window).selectedFiles()[0].endswith("short.mp3")  # suggested
    cancel_save(qtbot, window)
    assert window.export_dialog is None


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_a_real_export_with_espeak_ng_and_a_voice_of_its_own(
    qtbot, make_window, monkeypatch, tmp_path
):
    window = make_window(None)  # no synthesizer lent: the export starts its own
    out = tmp_path / "short.wav"
    dialog = start_export(qtbot, window, monkeypatch, out)
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as done:
        pass
    assert done.args[0].cues >= 4 and dialog.progress_bar.value() == 100
    assert abs(guide_length_s(out) - (2 + 10 + 8 + 4)) <= 0.5
    with wave.open(str(out), "rb") as guide:
        samples = guide.readframes(guide.getnframes())
    assert any(samples[i] for i in range(0, len(samples), 2))  # a voice, not just silence
    dialog.worker.wait(10_000)


def test_a_guide_named_m4a_is_refused_in_the_dialog_and_nothing_written(
    qtbot, make_window, monkeypatch, tmp_path
):
    synth = FakeSynth(tmp_path)
    window = make_window(synth)
    out = tmp_path / "short.m4a"
    dialog = start_export(qtbot, window, monkeypatch, out)
    qtbot.waitUntil(lambda: ".m4a" in dialog.status_label.text())
    assert ".mp3" in dialog.status_label.text()
    assert not synth.futures  # refused before any voice was rendered
    dialog.worker.wait(5000)
    assert [p.name for p in tmp_path.iterdir()] == ["clip.wav"]


def test_the_save_dialog_offers_only_formats_the_guide_is_written_in():
    offered = re.findall(r"\*(\.\w+)", file_filter())
    assert offered
    for extension in offered:
        check_format(Path(f"guide{extension}"))  # raises for a format never written
