"""Journey: changing the efforts of one's own sprint run in the editor, with the mouse and
keys only.

A person has their own copy of "Sprint hour" (with a comment of theirs). In the editor's
interval box they click the walk back, type a length that is not one and see why beside
the field while Save is off, fix it; press Ins in the list to add an effort, type its
name, move it to the top with Alt+Up pressed twice quickly, and save with a click. Then
they take the last efforts out with Del, change their mind and close with Esc, and
discard. The saved file plans the efforts in their new order and keeps the comment.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from loosen import paths
from loosen.core.library import load_library
from loosen.core.phases import PhaseKind
from loosen.core.plan import build_plan
from loosen.ui.editor.step_list import MISTAKE_MARK
from loosen.ui.editor.window import NEW_EFFORT_NAME, EditorWindow

COMMENT = "# My sprints, after the track session."
RUN_ID = "my-sprints"


@pytest.fixture
def my_sprints(user_routines: Path) -> Path:
    path = user_routines / f"{RUN_ID}.toml"
    builtin = (paths.builtin_routines_dir() / "sprint-session.toml").read_text(encoding="utf-8")
    path.write_text(
        f"{COMMENT}\n" + builtin.replace('id = "sprint-session"', f'id = "{RUN_ID}"'),
        encoding="utf-8",
    )
    return path


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def click_row(qtbot, editor: EditorWindow, row: int) -> None:
    efforts = editor.efforts.list
    efforts.scrollToItem(efforts.item(row))
    spot = efforts.visualItemRect(efforts.item(row)).center()
    qtbot.mouseClick(efforts.viewport(), Qt.MouseButton.LeftButton, pos=spot)


def retype(qtbot, line, text: str) -> None:
    click(qtbot, line)
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, text)


def rows(editor: EditorWindow) -> list[str]:
    efforts = editor.efforts.list
    return [efforts.item(i).text() for i in range(efforts.count())]


def planned_efforts(path: Path) -> list[tuple[str, float]]:
    """The saved run's efforts in the order its plan does them, up to the first break."""
    library = load_library(paths.builtin_routines_dir(), path.parent, paths.pictures_dir())
    assert library.errors == ()
    done = []
    for phase in build_plan(library.find(RUN_ID)).phases:
        if phase.kind is not PhaseKind.ACTIVITY:
            break
        done.append((phase.step, phase.duration_s))
    return done


def test_edit_a_runs_efforts_and_save_them_in_a_new_order(qtbot, speaker, my_sprints: Path):
    editor = EditorWindow.open_file(my_sprints, speaker)
    qtbot.addWidget(editor, before_close_func=EditorWindow.close_discarding)
    editor.resize(800, 600)  # the smaller of the sizes the editor is made for
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    assert rows(editor) == ["1. Sprint 100 metres — 20s", "2. Walk back — 1m45s"]

    click_row(qtbot, editor, 1)
    length = editor.efforts.form.editors["duration"]
    assert editor.efforts.form.editors["name"].line.text() == "Walk back"
    editor.routine_area.ensureWidgetVisible(length)
    retype(qtbot, length.line, "-1m")

    def told_beside_the_length():
        assert length.errors.isVisible()
        assert '"-1m"' in length.errors.text()
        assert not editor.save_button.isEnabled()
        assert rows(editor)[1].startswith(MISTAKE_MARK)
        assert not editor.problems.isVisible()  # said beside the field, not at the top

    qtbot.waitUntil(told_beside_the_length)
    retype(qtbot, length.line, "1m30s")

    def fixed():
        assert not length.errors.isVisible()
        assert editor.save_button.isEnabled()
        assert ("1:50", "Sprint 100 metres", "20 s") in editor.timeline.rows()  # after 1m30s

    qtbot.waitUntil(fixed)

    click_row(qtbot, editor, 1)
    qtbot.keyClick(editor.efforts.list, Qt.Key.Key_Insert)
    name = editor.efforts.form.editors["name"].line
    assert QApplication.focusWidget() is name and name.selectedText() == NEW_EFFORT_NAME
    qtbot.keyClicks(name, "Jog")
    assert rows(editor)[2] == "3. Jog — 20s"

    click_row(qtbot, editor, 2)
    for _ in range(2):
        qtbot.keyClick(editor.efforts.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert rows(editor) == [
        "1. Jog — 20s",
        "2. Sprint 100 metres — 20s",
        "3. Walk back — 1m30s",
    ]
    assert editor.efforts.list.currentRow() == 0
    assert editor.efforts.form.editors["name"].line.text() == "Jog"
    qtbot.waitUntil(editor.save_button.isEnabled)
    editor.routine_area.ensureWidgetVisible(editor.save_button)
    click(qtbot, editor.save_button)
    assert not editor.isWindowModified()

    saved = my_sprints.read_text(encoding="utf-8")
    assert saved.startswith(COMMENT + "\n")
    assert planned_efforts(my_sprints)[:4] == [
        ("Jog", 20.0),
        ("Sprint 100 metres", 20.0),
        ("Walk back", 90.0),
        ("Jog", 20.0),
    ]

    # Every effort taken out with Del: the run is one activity from break to break...
    click_row(qtbot, editor, 0)
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Delete)
    assert editor.document.effort_count() == 0
    assert editor.efforts.empty.isVisible() and not editor.efforts.form.isVisible()
    qtbot.waitUntil(lambda: editor.timeline.rows()[0][1] == "Sprint repeats with walk-backs")
    # ...until they change their mind, close the window and leave the file as saved.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.question is not None and editor.question.isVisible())
    click(qtbot, editor.question.button(QMessageBox.StandardButton.Discard))
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert my_sprints.read_text(encoding="utf-8") == saved
