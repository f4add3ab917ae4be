"""Journey: a runner exports warm-up, run and cooldown as one guide for the phone.

In the library they select the first routine and click "Export audio guide…"; in the
picker they add routines (typing in "Add" and pressing Insert, or clicking Add), put
them in order with Ctrl+Up/Down and a click on a row, take one out with Delete, choose
Ogg Vorbis, click Export… and save. The guide that comes out lasts the routines' plans
together and has a chapter at each routine, in the order they chose. Another runner
changes their mind and closes the picker: nothing is written.
"""

from __future__ import annotations

import mutagen
import pytest
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from loosen.core.plan import build_plan
from loosen.ui.export_dialog import OutingPicker
from loosen.ui.main_window import MainWindow
from player_journey import click, save_as

from helpers import FakeSynth

SHORT = (
    'format = 1\nid = "short"\nname = "Short one"\nkind = "warm-up"\n'
    '[defaults]\nget_ready = "2s"\n[[steps]]\nname = "Swing"\nduration = "10s"\n'
)
LAST = (
    'format = 1\nid = "last"\nname = "Last one"\nkind = "cooldown"\n'
    '[defaults]\nget_ready = "2s"\n[[steps]]\nname = "Fold"\nduration = "12s"\n'
)


@pytest.fixture
def window(open_window, speaker, user_routines, tmp_path) -> MainWindow:
    (user_routines / "short.toml").write_text(SHORT)
    (user_routines / "last.toml").write_text(LAST)
    return open_window(speaker, export_synth=FakeSynth(tmp_path))


def open_picker(qtbot, window: MainWindow) -> OutingPicker:
    assert window.library_view.select("short")
    click(qtbot, window.library_view.export_button)

    def shown() -> OutingPicker | None:
        return next((p for p in window.findChildren(OutingPicker) if p.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None)
    picker = shown()
    assert picker is not None and picker.isModal()
    # As a window manager would: the dialog takes the keyboard (offscreen, nothing does,
    # and keys would reach the library's page behind it).
    picker.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is picker)
    return picker


def rows(picker: OutingPicker) -> list[str]:
    return [picker.list.item(i).text() for i in range(picker.list.count())]


def choose(qtbot, combo, text: str) -> None:
    """Pick an entry of a combo box with the keyboard: Home, then Down until it shows."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText().startswith(text):
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText().startswith(text)


def click_row(qtbot, picker: OutingPicker, row: int) -> None:
    rect = picker.list.visualItemRect(picker.list.item(row))
    qtbot.mouseClick(picker.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_warm_up_run_and_cooldown_become_one_guide_with_a_chapter_each(qtbot, window, tmp_path):
    picker = open_picker(qtbot, window)
    assert rows(picker) == ["1. Short one"]
    choose(qtbot, picker.add_choice, "Last")
    qtbot.keyClick(picker.add_choice, Qt.Key.Key_Insert)
    choose(qtbot, picker.add_choice, "Squat")
    click(qtbot, picker.add_button)
    click(qtbot, picker.add_button)  # twice by mistake
    assert rows(picker) == ["1. Short one", "2. Last one", "3. Squat and fold", "4. Squat and fold"]
    click_row(qtbot, picker, 3)
    qtbot.keyClick(picker.list, Qt.Key.Key_Delete)
    # The break goes between the two: up once, quickly, a second time does nothing more
    # than put it first, so they press Down to put it back.
    click_row(qtbot, picker, 2)
    for _ in range(2):
        qtbot.keyClick(picker.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(picker.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert rows(picker) == ["1. Short one", "2. Squat and fold", "3. Last one"]
    choose(qtbot, picker.format_choice, "Ogg")

    out = tmp_path / "outing.ogg"
    click(qtbot, picker.export_button)
    save_as(qtbot, window, out)
    dialog = window.export_dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        pass
    dialog.worker.wait(5000)

    parts = [window.library.find(i) for i in ("short", "squat-and-fold", "last")]
    total = sum(build_plan(p).total_s for p in parts)
    assert abs(soundfile.info(str(out)).duration - total) <= 0.5
    tags = mutagen.File(out).tags
    assert tags["TITLE"] == ["Short one + Squat and fold + Last one"]
    names = [value for key, value in tags if key.upper().endswith("NAME")]
    assert [n.split(":")[0] for n in names if ":" in n] == [
        "Short one",
        "Squat and fold",
        "Last one",
    ]


def test_closing_the_picker_writes_nothing_and_the_window_goes_on(qtbot, window, tmp_path):
    picker = open_picker(qtbot, window)
    for _ in range(3):
        click(qtbot, picker.add_button)
    qtbot.keyClick(picker, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not picker.isVisible())
    assert window.export_dialog is None and window.isEnabled()
    guides = {".mp3", ".ogg", ".opus", ".flac", ".part"}
    assert not [p for p in tmp_path.rglob("*") if p.suffix in guides]
    assert not window.findChildren(QFileDialog)  # no save dialog was asked for
    # and the next export opens the picker afresh, with the selected routine alone
    assert rows(open_picker(qtbot, window)) == ["1. Short one"]


def test_the_last_routine_cannot_be_removed(qtbot, window):
    picker = open_picker(qtbot, window)
    for _ in range(3):
        qtbot.keyClick(picker.list, Qt.Key.Key_Delete)
    assert rows(picker) == ["1. Short one"] and not picker.remove_button.isEnabled()
    assert picker.length_label.text() == "0:12 in all"
