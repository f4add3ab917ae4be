"""Journey: history edits left without pressing Save are kept, however the user leaves the row.

The user changes a rating or types a note and then clicks another row, walks the rows
with the keys, picks another filter, goes back to the library, or closes the window:
what they entered reaches the store (the status line says "Saved"), and is there when
the app opens again.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from history_testing import FixedNow
from loosen import paths
from loosen.core.history import HistoryStore, SessionRecord, Status
from loosen.ui.history_model import ROUTINE
from loosen.ui.history_view import HistoryView
from loosen.ui.main_window import MainWindow

# (routine, name, kind, before, after, note), oldest first, a day apart.
DONE = [
    ("post-run-cooldown", "Post-run cooldown", "cooldown", 7, 5, "hamstrings"),
    ("dynamic-warm-up", "Dynamic warm-up", "warm-up", 5, None, ""),
    ("post-run-cooldown", "Post-run cooldown", "cooldown", 6, 4, "hips looser"),
]


@pytest.fixture
def sessions() -> list[str]:
    """The sessions' uids, newest first (as the table shows them)."""
    now = FixedNow(datetime(2026, 11, 16, 18, tzinfo=UTC))
    uids = []
    with HistoryStore.open(paths.history_db(), now=now) as store:
        for routine, name, kind, before, after, note in DONE:
            record = store.start_session(
                routine, name, kind, planned_s=600.0, tightness_before=before
            )
            now.advance(minutes=10)
            store.finish_session(record.uid, Status.COMPLETED, active_s=600.0, steps_done=6)
            if after is not None or note:
                store.rate(record.uid, after, note)
            uids.append(record.uid)
            now.advance(days=1)
    return uids[::-1]


def stored(uid: str) -> SessionRecord:
    """The session as the history file holds it, read by a store of its own."""
    with HistoryStore.open(paths.history_db()) as store:
        record = store.get(uid)
    assert record is not None
    return record


def click(qtbot, widget, pos=None) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())


def click_row(qtbot, page: HistoryView, row: int) -> None:
    cell = page.table.visualRect(page.model.index(row, ROUTINE))
    assert page.table.viewport().rect().contains(cell.center())  # visible, where a person clicks
    click(qtbot, page.table.viewport(), cell.center())


def open_history(qtbot, window: MainWindow) -> HistoryView:
    click(qtbot, window.library_view.history_button)
    page = window.history_view
    assert page is not None and window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() == len(DONE), timeout=10_000)
    return page


def type_note(qtbot, page: HistoryView, text: str) -> None:
    click(qtbot, page.note)
    page.note.selectAll()
    qtbot.keyClicks(page.note, text)


def test_a_note_typed_then_another_row_clicked_is_saved(qtbot, open_window, speaker, sessions):
    window = open_window(speaker)
    page = open_history(qtbot, window)
    click_row(qtbot, page, 1)  # the warm-up, no note yet
    type_note(qtbot, page, "calves tight")
    with qtbot.waitSignal(page.committed, timeout=10_000) as done:
        click_row(qtbot, page, 0)
    assert done.args == ["edit"]
    assert stored(sessions[1]).note == "calves tight"
    assert page.selected().uid == sessions[0] and page.note.text() == "hips looser"
    assert page.status.isVisible() and page.status.text().startswith("Saved")
    assert not page.save_button.isEnabled()  # nothing left to save on the new row


def test_a_rating_changed_then_the_rows_walked_with_keys_is_saved(
    qtbot, open_window, speaker, sessions
):
    window = open_window(speaker)
    page = open_history(qtbot, window)
    click_row(qtbot, page, 0)  # after: 4
    click(qtbot, page.after)
    for _ in range(3):
        qtbot.keyClick(page.after, Qt.Key.Key_Down)
    assert page.after.value() == 1
    qtbot.keyClick(page.after, Qt.Key.Key_Backtab)  # back through "before", to the table
    qtbot.keyClick(page.before, Qt.Key.Key_Backtab)
    assert page.table.hasFocus()
    with qtbot.waitSignal(page.committed, timeout=10_000):
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.selected().uid == sessions[1]
    assert stored(sessions[0]).tightness_after == 1


# A combo box's list is a popup the offscreen platform can neither raise nor give the
# keyboard to; it says so, and the list works all the same.
@pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)
def test_a_rating_changed_then_the_filter_changed_is_saved(qtbot, open_window, speaker, sessions):
    window = open_window(speaker)
    page = open_history(qtbot, window)
    click_row(qtbot, page, 1)  # the warm-up, after not rated
    click(qtbot, page.after)
    for _ in range(3):  # quickly, from "–": 0, 1, 2
        qtbot.keyClick(page.after, Qt.Key.Key_Up)
    click(qtbot, page.kind_filter)  # the list opens; the keys pick "Cooldown"
    popup = page.kind_filter.view()
    qtbot.waitUntil(popup.isVisible, timeout=10_000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    with qtbot.waitSignal(page.committed, timeout=10_000):
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert page.kind_filter.currentText() == "Cooldown"
    assert page.model.row_of(sessions[1]) is None  # the warm-up is filtered out
    assert stored(sessions[1]).tightness_after == 2


def test_an_edit_left_by_going_back_to_the_library_is_saved(qtbot, open_window, speaker, sessions):
    window = open_window(speaker)
    page = open_history(qtbot, window)
    click_row(qtbot, page, 2)
    type_note(qtbot, page, "hamstrings and calves")
    with qtbot.waitSignal(page.committed, timeout=10_000):
        qtbot.keyClick(page.note, Qt.Key.Key_Escape)  # Esc: back to the library
    assert window.stack.currentWidget() is window.library_view
    assert stored(sessions[2]).note == "hamstrings and calves"


def test_an_edit_left_by_closing_the_window_is_there_after_reopening(
    qtbot, open_window, speaker, sessions
):
    window = open_window(speaker)
    page = open_history(qtbot, window)
    click_row(qtbot, page, 0)
    click(qtbot, page.before)
    qtbot.keyClick(page.before, Qt.Key.Key_Up)  # 6 → 7
    type_note(qtbot, page, "stiff after the hills")
    window.close()  # no Save, straight out

    again = open_window(speaker)
    page = open_history(qtbot, again)
    click_row(qtbot, page, 0)
    assert (page.before.value(), page.after.value(), page.note.text()) == (
        7,
        4,
        "stiff after the hills",
    )
    held = stored(sessions[0])
    assert (held.tightness_before, held.tightness_after, held.note) == (
        7,
        4,
        "stiff after the hills",
    )


def test_typing_on_the_next_row_survives_the_last_rows_save(qtbot, open_window, speaker, sessions):
    window = open_window(speaker)
    page = open_history(qtbot, window)
    click_row(qtbot, page, 1)
    type_note(qtbot, page, "calves tight")
    gate = threading.Event()  # the history thread is kept busy until the next note is typed
    page.history.submit(lambda store: gate.wait(10))
    click_row(qtbot, page, 0)  # saving the warm-up's note is under way...
    type_note(qtbot, page, "hips much looser")  # ...while the next note is typed
    with qtbot.waitSignal(page.committed, timeout=10_000):
        gate.set()  # the warm-up's save comes back
    assert page.selected().uid == sessions[0] and page.note.text() == "hips much looser"
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(page.committed, timeout=10_000):
        qtbot.keyClick(page.note, Qt.Key.Key_Return)
    assert stored(sessions[1]).note == "calves tight"
    assert stored(sessions[0]).note == "hips much looser"
