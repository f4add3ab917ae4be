"""The routine editor window: what a person sees as they change a routine, and what the
file holds afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from loosen import paths
from loosen.core.library import load_library
from loosen.ui.editor.step_list import MISTAKE_MARK
from loosen.ui.editor.window import CHANGED_ON_DISK, EditorWindow

MINE = """\
# Written by hand: the comments stay.
format = 1
name = "My routine"  # keep this comment
kind = "cooldown"

[[steps]]
name = "Knee hug"
duration = "20s"   # long enough

[[steps]]
name = "Bridge"
reps = 6
tempo = "2s"
"""


@pytest.fixture
def mine(user_routines: Path) -> Path:
    path = user_routines / "mine.toml"
    path.write_text(MINE, encoding="utf-8")
    return path


@pytest.fixture
def open_editor(qtbot, speaker):
    def open_(path: Path) -> EditorWindow:
        editor = EditorWindow.open_file(path, speaker)
        # The test is over when pytest-qt closes it: no one is there to answer.
        qtbot.addWidget(editor, before_close_func=EditorWindow.close_discarding)
        editor.show()
        editor.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)  # it has the keys
        return editor

    return open_


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def retype(qtbot, line, text: str) -> None:
    """Click into a line edit, select what is there, type over it."""
    click(qtbot, line)
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, text)


def step_field(editor: EditorWindow, key: str):
    return editor.step_form.fields.editors[key]


def question(qtbot, editor: EditorWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: editor.question is not None and editor.question.isVisible())
    return editor.question


def test_the_loaders_message_shows_beside_the_field_as_the_person_types(qtbot, open_editor, mine):
    editor = open_editor(mine)
    hold = step_field(editor, "duration")
    assert editor.save_button.isEnabled() is False  # nothing changed yet... and valid
    retype(qtbot, hold.line, "-5s")

    def complaint_shown():
        assert hold.errors.isVisible()
        assert '"-5s" is not a duration' in hold.errors.text()
        assert not editor.save_button.isEnabled()
        assert editor.step_list.item(0).text().startswith(MISTAKE_MARK)

    qtbot.waitUntil(complaint_shown)
    assert "timeline shows once" in editor.timeline.total.text()

    retype(qtbot, hold.line, "45s")

    def fixed():
        assert not hold.errors.isVisible()
        assert editor.save_button.isEnabled()
        assert editor.timeline.rows()[1][1:] == ("Knee hug", "45 s")

    qtbot.waitUntil(fixed)
    click(qtbot, editor.save_button)
    text = mine.read_text(encoding="utf-8")
    assert text == MINE.replace('duration = "20s"', 'duration = "45s"')
    assert not editor.isWindowModified()


def test_a_step_with_both_hold_and_reps_is_told_at_the_step(qtbot, open_editor, mine):
    mine.write_text(MINE.replace("reps = 6", 'reps = 6\nduration = "5s"'), encoding="utf-8")
    editor = open_editor(mine)
    editor.step_list.setCurrentRow(1)
    assert "has both duration and reps" in editor.step_form.step_errors.text()
    assert editor.step_form.step_errors.isVisible()
    # Counted reps chosen again: the hold goes, the mistake with it.
    combo = editor.step_form.measure
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # to "Timed hold"
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # back to "Counted reps"
    editor.check()
    assert editor.result.valid
    assert editor.document.step_get(1, "duration") is None


def test_the_timeline_shows_each_phase_with_its_start_and_the_total(qtbot, open_editor, mine):
    editor = open_editor(mine)
    rows = editor.timeline.rows()
    assert rows[0] == ("0:00", "Get ready", "5 s")
    assert rows[1] == ("0:05", "Knee hug", "20 s")
    assert rows[2][1] == "Rest"
    assert rows[-1][1:] == ("Bridge", "12 s")
    assert editor.timeline.total.text() == "Total: 47 s (0:47)"


def test_steps_reorder_by_keys_and_the_file_keeps_its_comments(qtbot, open_editor, mine):
    editor = open_editor(mine)
    row = editor.step_list.visualItemRect(editor.step_list.item(1)).center()
    qtbot.mouseClick(editor.step_list.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert editor.step_form.fields.editors["name"].line.text() == "Bridge"
    qtbot.keyClick(editor.step_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [editor.step_list.item(i).text() for i in range(2)] == [
        "1. Bridge — 6 reps",
        "2. Knee hug — 20s",
    ]
    assert editor.step_list.currentRow() == 0
    qtbot.keyClick(editor.step_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # top
    qtbot.keyClick(editor.step_form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Bridge" in mine.read_text(encoding="utf-8").split("[[steps]]")[1])
    text = mine.read_text(encoding="utf-8")
    for comment in ("# Written by hand", "# keep this comment", "# long enough"):
        assert comment in text


def test_a_step_is_dragged_to_another_place(qtbot, open_editor, mine):
    """The list's own drag and drop, as Qt moves the row: the document follows."""
    editor = open_editor(mine)
    model = editor.step_list.model()
    assert model.moveRow(model.index(1, 0).parent(), 1, model.index(0, 0).parent(), 0)
    assert editor.document.step_get(0, "name") == "Bridge"
    assert editor.step_list.item(0).text() == "1. Bridge — 6 reps"


def test_ins_adds_a_step_and_del_removes_one(qtbot, open_editor, mine):
    editor = open_editor(mine)
    editor.step_list.setFocus()
    qtbot.keyClick(editor.step_list, Qt.Key.Key_Insert)
    assert editor.document.step_count() == 3 and editor.current == 1
    name = step_field(editor, "name").line
    assert QApplication.focusWidget() is name and name.selectedText() == "New step"
    qtbot.keyClicks(name, "Cat cow")
    assert editor.step_list.item(1).text() == "2. Cat cow — 45s"
    editor.step_list.setFocus()
    qtbot.keyClick(editor.step_list, Qt.Key.Key_Delete)
    assert [editor.document.step_get(i, "name") for i in range(2)] == ["Knee hug", "Bridge"]
    assert editor.document.text() == MINE


def test_an_include_step_picks_another_routine(qtbot, open_editor, mine):
    editor = open_editor(mine)
    click(qtbot, editor.include_button)
    include = editor.step_form.include.editors["include"]
    assert include.isVisible() and not editor.step_form.fields.isVisible()
    include.combo.setFocus()
    include.combo.lineEdit().selectAll()
    qtbot.keyClicks(include.combo.lineEdit(), "squat-and-fol")
    qtbot.waitUntil(lambda: 'did you mean "squat-and-fold"' in include.errors.text())
    qtbot.keyClick(include.combo.lineEdit(), Qt.Key.Key_D)
    qtbot.waitUntil(lambda: editor.save_button.isEnabled())
    assert any("Deep squat" in row[1] for row in editor.timeline.rows())


def test_hear_it_says_the_selected_steps_cues(qtbot, open_editor, mine, speaker):
    editor = open_editor(mine)
    editor.step_list.setCurrentRow(1)
    click(qtbot, editor.hear_button)
    assert speaker.spoken == ["Bridge, six reps"]
    editor.step_list.setCurrentRow(0)
    click(qtbot, editor.hear_button)
    assert speaker.spoken[-1] == "Knee hug, twenty seconds"


def test_a_picked_picture_is_copied_next_to_the_routine(qtbot, open_editor, mine, tmp_path):
    picture = tmp_path / "My knee hug.png"
    picture.write_bytes((paths.pictures_dir() / "knees-to-chest.svg").read_bytes())
    picture = picture.rename(tmp_path / "My knee hug.svg")
    editor = open_editor(mine)
    image = step_field(editor, "image")
    click(qtbot, image.choose)
    dialog = image.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    dialog.selectFile(str(picture))
    dialog.accept()
    assert (mine.parent / "my-knee-hug.svg").is_file()
    assert editor.document.step_get(0, "image") == "my-knee-hug.svg"
    qtbot.waitUntil(lambda: editor.save_button.isEnabled())
    click(qtbot, editor.save_button)
    library = load_library(paths.builtin_routines_dir(), mine.parent, paths.pictures_dir())
    assert library.find("mine").steps[0].image == mine.parent / "my-knee-hug.svg"


def test_the_shipped_pictures_are_offered_with_thumbnails(qtbot, open_editor, mine):
    editor = open_editor(mine)
    combo = step_field(editor, "image").combo
    names = [combo.itemData(i) for i in range(combo.count())]
    assert "glute-bridge.svg" in names
    assert not combo.itemIcon(names.index("glute-bridge.svg")).isNull()
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the first picture, chosen with a key
    assert editor.document.step_get(0, "image") == combo.currentData()


def test_a_file_changed_on_disk_is_noticed_and_mine_can_be_kept(qtbot, open_editor, mine):
    editor = open_editor(mine)
    retype(qtbot, editor.routine_form.editors["name"].line, "Mine now")
    theirs = MINE.replace("Knee hug", "Knee hold")
    mine.write_text(theirs, encoding="utf-8")
    qtbot.waitUntil(editor.disk_banner.isVisible)
    assert CHANGED_ON_DISK in editor.disk_banner.findChildren(type(editor.problems))[0].text()
    click(qtbot, editor.keep_button)
    assert not editor.disk_banner.isVisible()
    qtbot.waitUntil(lambda: editor.save_button.isEnabled())
    click(qtbot, editor.save_button)
    assert mine.read_text(encoding="utf-8") == MINE.replace("My routine", "Mine now")


def test_a_file_changed_on_disk_can_be_reloaded(qtbot, open_editor, mine):
    editor = open_editor(mine)
    retype(qtbot, editor.routine_form.editors["name"].line, "Mine now")
    mine.write_text(MINE.replace("Knee hug", "Knee hold"), encoding="utf-8")
    qtbot.waitUntil(editor.disk_banner.isVisible)
    click(qtbot, editor.reload_button)
    assert editor.routine_form.editors["name"].line.text() == "My routine"
    assert editor.step_list.item(0).text() == "1. Knee hold — 20s"
    assert not editor.isWindowModified()


def test_save_does_not_overwrite_a_change_made_on_disk_unasked(qtbot, open_editor, mine):
    editor = open_editor(mine)
    editor.watcher.removePaths(editor.watcher.files())  # a change the watcher missed
    retype(qtbot, editor.routine_form.editors["name"].line, "Mine now")
    mine.write_text(MINE.replace("Knee hug", "Knee hold"), encoding="utf-8")
    qtbot.waitUntil(lambda: editor.save_button.isEnabled())
    click(qtbot, editor.save_button)
    assert editor.disk_banner.isVisible()
    assert "Knee hold" in mine.read_text(encoding="utf-8")  # theirs, still


def test_closing_with_changes_asks_and_cancel_keeps_the_window(qtbot, open_editor, mine):
    editor = open_editor(mine)
    retype(qtbot, editor.routine_form.editors["name"].line, "Changed")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    box = question(qtbot, editor)
    assert box.windowModality() == Qt.WindowModality.WindowModal
    click(qtbot, box.button(QMessageBox.StandardButton.Cancel))
    qtbot.waitUntil(lambda: editor.question is None)
    assert editor.isVisible()

    click(qtbot, editor.close_button)
    click(qtbot, question(qtbot, editor).button(QMessageBox.StandardButton.Discard))
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert mine.read_text(encoding="utf-8") == MINE


def test_closing_with_changes_can_save_them(qtbot, open_editor, mine):
    editor = open_editor(mine)
    retype(qtbot, editor.routine_form.editors["name"].line, "Changed")
    editor.close()
    click(qtbot, question(qtbot, editor).button(QMessageBox.StandardButton.Save))
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert 'name = "Changed"  # keep this comment' in mine.read_text(encoding="utf-8")


def test_closing_a_routine_with_mistakes_offers_no_save(qtbot, open_editor, mine):
    editor = open_editor(mine)
    retype(qtbot, step_field(editor, "duration").line, "soon")
    editor.close()
    box = question(qtbot, editor)
    assert not box.button(QMessageBox.StandardButton.Save).isEnabled()
    click(qtbot, box.button(QMessageBox.StandardButton.Discard))
    qtbot.waitUntil(lambda: not editor.isVisible())


@pytest.mark.parametrize(("routine", "at_least"), [("mine", 30), ("my_sprints", 15)])
def test_every_control_is_reached_with_tab(qtbot, open_editor, request, routine, at_least):
    editor = open_editor(request.getfixturevalue(routine))
    wanted = {
        widget
        for widget in editor.findChildren(QWidget)
        if widget.isVisible()
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
        and not isinstance(widget.parentWidget(), type(editor.step_form.measure))
    }
    assert len(wanted) > at_least  # the fields, the lists, the buttons
    editor.routine_form.editors["name"].setFocus()
    reached = set()
    for _ in range(len(wanted) * 3):
        reached.add(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    missing = [w.objectName() or type(w).__name__ for w in wanted - reached]
    assert not missing, missing


def test_buttons_and_fields_have_their_own_alt_letters(qtbot, open_editor, mine):
    editor = open_editor(mine)
    assert editor.save_button.text() == "&Save" and editor.close_button.text() == "&Close"
    letters = [
        b.text()[b.text().index("&") + 1].lower()
        for b in (editor.save_button, editor.close_button, editor.hear_button, editor.add_button)
    ]
    assert len(set(letters)) == len(letters)


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
def test_the_main_window_opens_user_files_only(qtbot, open_window, speaker, mine):
    window = open_window(speaker)
    builtin = paths.builtin_routines_dir() / "squat-and-fold.toml"
    assert window.open_editor(builtin) is None
    assert "Duplicate it" in window.messages.label.text()
    editor = window.open_editor(mine)
    qtbot.addWidget(editor, before_close_func=EditorWindow.close_discarding)
    assert editor is not None and editor.isVisible()
    assert window.open_editor(mine) is editor  # the same file: the same window, in front


def test_a_long_message_is_shown_whole_in_a_small_window(qtbot, open_editor, mine):
    editor = open_editor(mine)
    editor.resize(800, 600)
    hold = step_field(editor, "duration")
    retype(qtbot, hold.line, "-5s")

    def shown_whole():
        assert hold.errors.isVisible()
        assert hold.errors.height() >= hold.errors.heightForWidth(hold.errors.width())
        assert hold.errors.heightForWidth(hold.errors.width()) > hold.line.height()  # wraps

    qtbot.waitUntil(shown_whole)


def test_a_run_shows_its_interval_and_no_steps(qtbot, open_editor, user_routines):
    path = user_routines / "my-run.toml"
    path.write_text(
        (paths.builtin_routines_dir() / "long-easy-run.toml")
        .read_text(encoding="utf-8")
        .replace('id = "long-easy-run"', 'id = "my-run"'),
        encoding="utf-8",
    )
    editor = open_editor(path)
    assert editor.interval_box.isVisible() and not editor.steps_pane.isVisible()
    every = editor.interval_form.editors["every"]
    assert every.line.text() == "15-20m"
    retype(qtbot, every.line, "20-15m")

    def told():
        assert every.errors.isVisible() and not editor.save_button.isEnabled()

    qtbot.waitUntil(told)
    retype(qtbot, every.line, "10-12m")
    qtbot.waitUntil(editor.save_button.isEnabled)
    assert editor.timeline.rows()[0] == ("0:00", "Easy running", "12 min")


def test_the_main_window_does_not_close_over_unsaved_changes(qtbot, open_window, speaker, mine):
    window = open_window(speaker)
    editor = window.open_editor(mine)
    qtbot.addWidget(editor, before_close_func=EditorWindow.close_discarding)
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    retype(qtbot, editor.routine_form.editors["name"].line, "Not saved yet")
    window.close()
    box = question(qtbot, editor)
    assert window.isVisible()  # the changes are asked about before anything closes
    click(qtbot, box.button(QMessageBox.StandardButton.Save))
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert 'name = "Not saved yet"' in mine.read_text(encoding="utf-8")
    window.close()
    assert not window.isVisible()


# -- a run's efforts -----------------------------------------------------------------

SPRINTS = (paths.builtin_routines_dir() / "sprint-session.toml").read_text(encoding="utf-8")


@pytest.fixture
def my_sprints(user_routines: Path) -> Path:
    path = user_routines / "my-sprints.toml"
    path.write_text(SPRINTS.replace('id = "sprint-session"', 'id = "my-sprints"'), "utf-8")
    return path


def effort_rows(editor: EditorWindow) -> list[str]:
    efforts = editor.efforts.list
    return [efforts.item(i).text() for i in range(efforts.count())]


def test_a_runs_efforts_are_listed_in_its_interval_box(qtbot, open_editor, my_sprints):
    editor = open_editor(my_sprints)
    assert editor.interval_box.isVisible() and editor.efforts.isVisible()
    assert not editor.step_pane.isVisible()  # a run without steps: no step form
    assert effort_rows(editor) == ["1. Sprint 100 metres — 20s", "2. Walk back — 1m45s"]
    form = editor.efforts.form.editors
    assert editor.efforts.title.text() == "Effort 1"
    assert (form["name"].line.text(), form["duration"].line.text()) == ("Sprint 100 metres", "20s")
    assert form["say"].box.toPlainText().startswith("Stay tall")
    spot = editor.efforts.list.visualItemRect(editor.efforts.list.item(1)).center()
    qtbot.mouseClick(editor.efforts.list.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert form["name"].line.text() == "Walk back"
    highlighted = {row.text(1) for row in editor.timeline.tree.selectedItems()}
    assert highlighted == {"Walk back"}  # the timeline shows where the effort is done


def test_efforts_move_with_the_buttons_and_by_dragging(qtbot, open_editor, my_sprints):
    editor = open_editor(my_sprints)
    assert not editor.efforts.up_button.isEnabled()
    click(qtbot, editor.efforts.down_button)
    assert effort_rows(editor) == ["1. Walk back — 1m45s", "2. Sprint 100 metres — 20s"]
    assert editor.efforts.form.editors["name"].line.text() == "Sprint 100 metres"
    model = editor.efforts.list.model()
    assert model.moveRow(model.index(1, 0).parent(), 1, model.index(0, 0).parent(), 0)
    assert editor.document.effort_get(0, "name") == "Sprint 100 metres"
    assert editor.document.text() == SPRINTS.replace('id = "sprint-session"', 'id = "my-sprints"')


def test_a_run_gets_efforts_and_loses_them_with_the_buttons(qtbot, open_editor, my_sprints):
    editor = open_editor(my_sprints)
    for _ in range(2):
        click(qtbot, editor.efforts.remove_button)
    assert editor.efforts.empty.isVisible() and not editor.efforts.list.isVisible()
    assert not editor.efforts.remove_button.isEnabled()
    assert "efforts" not in editor.document.text()
    click(qtbot, editor.efforts.add_button)
    name = editor.efforts.form.editors["name"]
    assert QApplication.focusWidget() is name.line and name.line.selectedText() == "New effort"
    qtbot.keyClicks(name.line, "Stride")
    editor.check()
    assert editor.result.valid
    assert editor.document.text().endswith(
        '\n\n[[interval.efforts]]\nname = "Stride"\nduration = "20s"\n'
    )


def test_a_message_about_all_the_efforts_shows_under_their_list(qtbot, open_editor, user_routines):
    path = user_routines / "empty-efforts.toml"
    path.write_text(
        SPRINTS.split("[[interval.efforts]]")[0].replace('id = "sprint-session"', "")
        + "efforts = []\n",
        encoding="utf-8",
    )
    editor = open_editor(path)
    assert "is empty" in editor.efforts.list_errors.text()
    assert editor.efforts.list_errors.isVisible() and not editor.problems.isVisible()


def test_an_efforts_key_the_form_does_not_have_is_told_at_the_effort(
    qtbot, open_editor, my_sprints
):
    my_sprints.write_text(
        my_sprints.read_text(encoding="utf-8").replace(
            'duration = "20s"', 'duration = "20s"\nreps = 3'
        ),
        encoding="utf-8",
    )
    editor = open_editor(my_sprints)
    assert effort_rows(editor)[0].startswith(MISTAKE_MARK)
    assert editor.efforts.effort_errors.isVisible()
    assert editor.efforts.effort_errors.text().startswith("reps: ")
    assert not editor.save_button.isEnabled()
