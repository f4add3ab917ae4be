"""Journey: making one's own routine in the editor, with the mouse and keys only, then
running it.

A person has a routine file of their own (the library's New made it: here the test
writes it, with a comment of theirs), opens it in the editor, adds steps with a click
and with Ins, types their names and amounts, gets a hold wrong and sees why beside the
field while Save is off, fixes it, moves a step up with Alt+Up, saves with Ctrl+S, and
closes with Esc. The library shows the routine selected; Start runs it to the end, and
the file still has their comment.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from loosen import paths
from loosen.core.history import Status
from loosen.core.library import load_library
from loosen.core.session import State
from loosen.ui.editor.step_list import MISTAKE_MARK
from loosen.ui.player_view import PlayerView
from player_journey import click, play, rate_with_keys, records

FIRST = """\
# For my back, after the long runs.
format = 1
name = "After the long run"
kind = "cooldown"

[[steps]]
name = "Knee hug"
duration = "20s"
"""


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as a person presses it: to whatever has the keyboard."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def focused():
    return QApplication.focusWidget()


def test_make_a_routine_in_the_editor_and_run_it(
    qtbot, open_window, speaker, clock, user_routines: Path
):
    path = user_routines / "long-run-cooldown.toml"
    path.write_text(FIRST, encoding="utf-8")
    window = open_window(speaker)
    editor = window.open_editor(path)
    assert editor is not None
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    fields = editor.step_form.fields.editors

    # A click on Add step: a new step after the first, its name ready to be typed over.
    click(qtbot, editor.add_button)
    assert focused() is fields["name"].line
    type_text(qtbot, "Glute bridge")
    press(qtbot, Qt.Key.Key_Tab)  # to "Measured by"
    assert focused() is editor.step_form.measure
    press(qtbot, Qt.Key.Key_Down)  # counted reps
    press(qtbot, Qt.Key.Key_Tab)  # to Reps
    assert focused() is fields["reps"].spin
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "8")
    press(qtbot, Qt.Key.Key_Tab)  # to Seconds per rep
    type_text(qtbot, "3s")
    assert editor.step_list.item(1).text() == "2. Glute bridge — 8 reps"

    # Ins in the step list: another step, after the bridge.
    qtbot.mouseClick(
        editor.step_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=editor.step_list.visualItemRect(editor.step_list.item(1)).center(),
    )
    press(qtbot, Qt.Key.Key_Insert)
    type_text(qtbot, "Child's pose")
    press(qtbot, Qt.Key.Key_Tab)  # "Measured by": a hold, as it is
    press(qtbot, Qt.Key.Key_Tab)  # to Hold, its text selected
    assert focused() is fields["duration"].line
    type_text(qtbot, "-30s")

    def told_beside_the_hold():
        assert fields["duration"].errors.isVisible()
        assert '"-30s" is not a duration' in fields["duration"].errors.text()
        assert not editor.save_button.isEnabled()
        assert editor.step_list.item(2).text().startswith(MISTAKE_MARK)

    qtbot.waitUntil(told_beside_the_hold)
    press(qtbot, Qt.Key.Key_Backspace)  # "-30" ...
    press(qtbot, Qt.Key.Key_Home)
    press(qtbot, Qt.Key.Key_Delete)  # "30" ...
    press(qtbot, Qt.Key.Key_End)
    type_text(qtbot, "s")  # "30s"

    def fixed():
        assert not fields["duration"].errors.isVisible()
        assert editor.save_button.isEnabled()

    qtbot.waitUntil(fixed)

    # The pose before the bridge: selected in the list, moved up with Alt+Up.
    qtbot.mouseClick(
        editor.step_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=editor.step_list.visualItemRect(editor.step_list.item(2)).center(),
    )
    press(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    titles = [editor.step_list.item(i).text() for i in range(editor.step_list.count())]
    assert titles == ["1. Knee hug — 20s", "2. Child's pose — 30s", "3. Glute bridge — 8 reps"]

    def timeline_follows():
        phases = [row[1] for row in editor.timeline.rows() if row[1] != "Rest"]
        assert phases == ["Get ready", "Knee hug", "Child's pose", "Glute bridge"]

    qtbot.waitUntil(timeline_follows)

    # Ctrl+S: saved, and the library shows it, selected.
    with qtbot.waitSignal(window.library_loaded, timeout=10_000):
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.library_view.current_id() == "long-run-cooldown"
    assert not editor.isWindowModified()
    press(qtbot, Qt.Key.Key_Escape)  # nothing unsaved: it just closes
    qtbot.waitUntil(lambda: not editor.isVisible())

    text = path.read_text(encoding="utf-8")
    assert text.startswith(FIRST)  # their lines and comment, as they were
    library = load_library(paths.builtin_routines_dir(), user_routines, paths.pictures_dir())
    assert library.errors == ()
    routine = library.find("long-run-cooldown")
    assert [s.name for s in routine.steps] == ["Knee hug", "Child's pose", "Glute bridge"]
    assert (routine.steps[1].duration_s, routine.steps[2].reps, routine.steps[2].tempo_s) == (
        30.0,
        8,
        3.0,
    )

    # Run it, start to end, and rate it.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    click(qtbot, window.library_view.start_button)
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    assert window.windowTitle() == "After the long run — Loosen"
    play(player, clock, 600)
    assert player.session.state is State.FINISHED
    rate_with_keys(qtbot, window, "3")
    (record,) = records(window)
    assert (record.routine, record.status, record.steps_done) == (
        "long-run-cooldown",
        Status.COMPLETED,
        3,
    )


def test_new_in_the_library_opens_the_editor_and_delete_takes_it_away(
    qtbot, open_window, speaker, user_routines: Path
):
    """The whole life of one's own routine without a terminal: New… in the library opens
    it in the editor, it is changed and saved, and Delete in the library takes it away."""
    window = open_window(speaker)
    view = window.library_view
    with qtbot.waitActive(window):
        window.activateWindow()
    new = next(b for action, b in view.file_buttons.items() if action.text() == "New…")
    click(qtbot, new)
    qtbot.waitUntil(lambda: window.library_actions.name_dialog is not None)
    dialog = window.library_actions.name_dialog
    dialog.field.selectAll()
    qtbot.keyClicks(dialog.field, "Desk stretch")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)

    def editing():
        assert len(window.editors) == 1
        (editor,) = window.editors
        assert editor.isVisible()
        assert editor.document.path == user_routines / "desk-stretch.toml"

    qtbot.waitUntil(editing)
    (editor,) = window.editors
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    name = editor.step_form.fields.editors["name"].line
    name.setFocus()
    name.selectAll()
    type_text(qtbot, "Standing back bend")
    qtbot.waitUntil(editor.save_button.isEnabled)
    click(qtbot, editor.save_button)

    def saved_and_listed():  # the load New… asked for may answer before the save's
        assert [s.name for s in window.library.find("desk-stretch").steps] == ["Standing back bend"]
        assert view.current_id() == "desk-stretch"

    qtbot.waitUntil(saved_and_listed, timeout=10_000)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not editor.isVisible())

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    delete = next(b for action, b in view.file_buttons.items() if action.text() == "Delete")
    click(qtbot, delete)

    def gone():  # a load asked for before the delete may answer first: wait for the list
        assert "desk-stretch" not in view.routine_ids()

    qtbot.waitUntil(gone, timeout=10_000)
    assert not (user_routines / "desk-stretch.toml").exists()
