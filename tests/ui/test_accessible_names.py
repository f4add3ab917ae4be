"""Every control in every window has a name a screen reader can say, and the right role,
read through Qt's accessibility interfaces as the platform's bridge reads them: a new
control without a name fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from accessibility import controls, unnamed, wrong_roles
from loosen.core.settings import Settings
from loosen.ui.export_dialog import ExportDialog
from loosen.ui.keymap import PLAYER_KEYS
from loosen.ui.keys_help import show_keys_help
from loosen.ui.player_view import PlayerView
from loosen.ui.settings_dialog import SettingsDialog
from loosen.ui.tray import ReminderController
from player_journey import click, click_routine, play, rate_with_keys, rating_dialog

from helpers import FakeSynth

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise",
    "QPlatformNativeInterface::systemTrayWindowChanged",
)

MINE = 'format = 1\nname = "Mine"\nkind = "cooldown"\n\n[[steps]]\nname = "Hug"\nreps = 4\n'


def assert_named(window: QWidget, at_least: int) -> None:
    found = controls(window)
    assert len(found) >= at_least, [str(c) for c in found]  # the walk reached the controls
    missing = unnamed(window)
    assert not missing, "\n".join(missing)
    assert wrong_roles(window) == []


def name_of(widget: QWidget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def description_of(widget: QWidget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Description)


def test_the_library_player_rating_and_summary(qtbot, open_window, speaker, clock):
    window = open_window(speaker)
    assert_named(window, at_least=10)
    library = window.library_view
    assert name_of(library.tree) == "Routines"

    click_routine(qtbot, window, "Post-run cooldown")
    click(qtbot, library.start_button)
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    assert_named(window, at_least=8)
    # The clock reads as the time it shows; what that time is, as its description.
    assert name_of(player.time_label) == player.time_label.text() == "0:05"
    assert description_of(player.time_label) == "Time left in this step"
    assert name_of(player.phase_bar) and name_of(player.session_bar)

    play(player, clock, 5)
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: player.stop_question is not None and player.stop_question.isVisible())
    assert_named(player.stop_question, at_least=2)
    qtbot.keyClick(player.stop_question, Qt.Key.Key_Y)
    dialog = rating_dialog(qtbot, window)
    assert_named(dialog, at_least=13)
    assert name_of(dialog.note) == "Note"
    rate_with_keys(qtbot, window, "3")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary_page)
    assert_named(window, at_least=1)


def test_the_keys_window(qtbot, open_window, speaker):
    window = open_window(speaker)
    shown = show_keys_help(window.library_view, "Player", PLAYER_KEYS)
    assert_named(shown, at_least=2)


def test_the_history_page_and_its_charts(qtbot, open_window, speaker):
    window = open_window(speaker)
    click(qtbot, window.library_view.history_button)
    page = window.history_view
    assert page is not None
    qtbot.waitUntil(lambda: page.charts is not None and page.charts.isVisible(), timeout=10_000)
    assert_named(window, at_least=6)
    assert name_of(page.table) == "Sessions"
    assert name_of(page.after) == "Tightness after"
    charts = page.charts.charts
    assert [name_of(chart) for chart in charts] == [
        "Tightness after each session",
        "Change in tightness per routine",
        "Days with a session",
    ]
    # What each shows, and over which weeks: the words a picture otherwise lacks.
    tightness = description_of(charts[0])
    assert tightness.startswith("Tightness after each session, 0 loose to 10 very tight")
    assert ", last " in tightness and " weeks (" in tightness


def test_the_settings_dialog(qtbot):
    dialog = SettingsDialog(Settings(), [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert_named(dialog, at_least=10)


def test_the_export_dialog(qtbot, open_window, speaker, tmp_path):
    window = open_window(speaker)
    routine = window.library.find("post-run-cooldown")
    dialog = ExportDialog(
        routine, tmp_path / "guide.wav", synth=FakeSynth(tmp_path, hold=True), parent=window
    )
    dialog.open()
    dialog.start()
    assert_named(dialog, at_least=1)
    assert name_of(dialog.progress_bar)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.running)
    dialog.shutdown()


def test_the_editor(qtbot, open_window, speaker, user_routines: Path):
    path = user_routines / "mine.toml"
    path.write_text(MINE, encoding="utf-8")
    window = open_window(speaker)
    editor = window.open_editor(path)
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    assert_named(editor, at_least=10)
    editor.step_list.setCurrentRow(0)
    assert_named(editor, at_least=12)


def test_the_reminder_window(qtbot, open_window, speaker, clock):
    window = open_window(speaker)
    controller = ReminderController(
        Settings(reminders=True),
        speaker,
        window.history,
        clock=clock,
        start_break=window.start_routine,
        show_main=window.show,
        quit_app=lambda: None,
        tray_available=False,
    )
    qtbot.addWidget(controller.menu)
    assert controller.window is not None
    qtbot.addWidget(controller.window)
    controller.window.show()
    assert_named(controller.window, at_least=4)
    menu_names = [a.text() for a in controller.menu.actions() if not a.isSeparator()]
    assert all(any(ch.isalpha() for ch in text) for text in menu_names), menu_names
    controller.stop()


def test_a_new_unnamed_control_is_found(qtbot):
    """The walk is not blind: an icon button with no name is reported."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    window = QWidget()
    qtbot.addWidget(window)
    QVBoxLayout(window).addWidget(QPushButton("▶"))
    window.show()
    assert unnamed(window) == ["QPushButton#? (Button) '▶'"]


def test_the_routine_name_and_folder_dialogs(qtbot, tmp_path):
    from loosen.ui.library_actions import RoutineNameDialog
    from loosen.ui.library_view import FolderPathDialog

    asked = RoutineNameDialog("Rename routine", "A new name for “Mine”:", "Mine")
    qtbot.addWidget(asked)
    asked.show()
    assert_named(asked, at_least=3)
    assert name_of(asked.field) == "Routine name"
    folder = FolderPathDialog(tmp_path)
    qtbot.addWidget(folder)
    folder.show()
    assert_named(folder, at_least=3)
    assert name_of(folder.path) == "Your routines folder"
