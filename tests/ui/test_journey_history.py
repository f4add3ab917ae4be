"""Journey: reviewing and editing history, as a person does it, with the mouse and the keys.

A few sessions made through the real store; the user opens the history page by
clicking, clicks a row, changes the after-rating and the note, saves, deletes another
session and takes it back, closes the app and opens it again. What the table shows
is checked on screen, and what the history holds through `loosen history --json`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from history_testing import FixedNow
from loosen import cli, paths
from loosen.core.history import HistoryStore, Status
from loosen.ui.history_model import BACK, NOTE, ROUTINE, STATUS
from loosen.ui.history_view import HistoryView
from loosen.ui.main_window import MainWindow

# (routine, name, kind, before, after, note, status), oldest first, a day apart.
DONE = [
    ("post-run-cooldown", "Post-run cooldown", "cooldown", 7, 5, "hamstrings", Status.COMPLETED),
    ("dynamic-warm-up", "Dynamic warm-up", "warm-up", 5, None, "", Status.COMPLETED),
    ("squat-and-fold", "Squat and fold", "break", None, None, "", Status.STOPPED),
    ("post-run-cooldown", "Post-run cooldown", "cooldown", 6, 4, "hips looser", Status.COMPLETED),
]


@pytest.fixture
def sessions() -> list[str]:
    """The sessions' uids, newest first (as the table shows them)."""
    now = FixedNow(datetime(2026, 11, 16, 18, tzinfo=UTC))
    uids = []
    with HistoryStore.open(paths.history_db(), now=now) as store:
        for routine, name, kind, before, after, note, status in DONE:
            record = store.start_session(
                routine, name, kind, planned_s=600.0, tightness_before=before
            )
            now.advance(minutes=10)
            store.finish_session(record.uid, status, active_s=600.0, steps_done=6)
            if after is not None or note:
                store.rate(record.uid, after, note)
            uids.append(record.uid)
            now.advance(days=1)
    return uids[::-1]


def history_json(capsys) -> list[dict]:
    """What `loosen history --json` prints: every session, oldest first."""
    capsys.readouterr()
    assert cli.main(["history", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def shown(page: HistoryView, column: int) -> list[str]:
    model = page.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def click(qtbot, widget, pos=None) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())


def click_row(qtbot, page: HistoryView, row: int) -> None:
    cell = page.table.visualRect(page.model.index(row, ROUTINE))
    assert page.table.viewport().rect().contains(cell.center())  # visible, where a person clicks
    click(qtbot, page.table.viewport(), cell.center())


def open_history(qtbot, window: MainWindow, rows: int) -> HistoryView:
    click(qtbot, window.library_view.history_button)
    page = window.history_view
    assert page is not None and window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() == rows, timeout=10_000)
    return page


def test_reviewing_and_editing_history(qtbot, open_window, speaker, sessions, capsys):
    window = open_window(speaker)
    page = open_history(qtbot, window, len(DONE))
    assert window.windowTitle() == "History — Loosen"
    assert shown(page, ROUTINE) == [
        "Post-run cooldown",
        "Squat and fold",
        "Dynamic warm-up",
        "Post-run cooldown",
    ]
    assert shown(page, BACK) == ["6 → 4", "", "5 → –", "7 → 5"]
    assert shown(page, STATUS) == ["Completed", "Stopped", "Completed", "Completed"]
    assert not page.save_button.isEnabled() and not page.delete_button.isEnabled()

    # The warm-up was never rated after: a click on it, then the rating and a note.
    click_row(qtbot, page, 2)
    assert page.selected().uid == sessions[2]
    assert page.delete_button.isEnabled() and page.after.isEnabled() and page.note.isEnabled()
    assert (page.before.value(), page.after.value(), page.note.text()) == (5, -1, "")
    click(qtbot, page.after)
    for _ in range(4):  # quickly, from "–": 0, 1, 2, 3
        qtbot.keyClick(page.after, Qt.Key.Key_Up)
    assert page.after.value() == 3 and page.save_button.isEnabled()
    click(qtbot, page.note)
    qtbot.keyClicks(page.note, "calves tight")
    with qtbot.waitSignal(page.committed, timeout=10_000) as done:
        click(qtbot, page.save_button)
    assert done.args == ["edit"]
    assert shown(page, BACK)[2] == "5 → 3" and shown(page, NOTE)[2] == "calves tight"
    assert page.status.text().startswith("Saved: Dynamic warm-up")
    assert not page.save_button.isEnabled()

    # The stopped break is deleted (Delete key on the clicked row), then taken back.
    click_row(qtbot, page, 1)
    assert page.selected().uid == sessions[1]
    with qtbot.waitSignal(page.committed, timeout=10_000) as done:
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert done.args == ["delete"]
    assert shown(page, ROUTINE) == ["Post-run cooldown", "Dynamic warm-up", "Post-run cooldown"]
    assert page.undo_button.isVisible() and page.status.text().startswith("Deleted: Squat")
    assert [item["routine"] for item in history_json(capsys)] == [
        "post-run-cooldown",
        "dynamic-warm-up",
        "post-run-cooldown",
    ]
    with qtbot.waitSignal(page.committed, timeout=10_000) as done:
        click(qtbot, page.undo_button)
    assert done.args == ["undo"] and not page.undo_button.isVisible()
    assert shown(page, STATUS) == ["Completed", "Stopped", "Completed", "Completed"]
    assert page.selected().uid == sessions[1]

    # The newest cooldown: its note typed over, Enter saves; then a key walk down the rows.
    click_row(qtbot, page, 0)
    click(qtbot, page.note)
    page.note.selectAll()
    qtbot.keyClicks(page.note, "hips and calves looser")
    with qtbot.waitSignal(page.committed, timeout=10_000):
        qtbot.keyClick(page.note, Qt.Key.Key_Return)
    click_row(qtbot, page, 0)
    for _ in range(3):
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.selected().uid == sessions[3] and page.note.text() == "hamstrings"
    assert page.delete_button.isEnabled()

    # Closed, and opened again: everything is as it was left.
    window.close()
    again = open_window(speaker)
    page = open_history(qtbot, again, len(DONE))
    assert shown(page, BACK) == ["6 → 4", "", "5 → 3", "7 → 5"]
    assert shown(page, NOTE) == ["hips and calves looser", "", "calves tight", "hamstrings"]
    again.close()

    held = history_json(capsys)  # oldest first, the table's rows upside down
    assert [(item["routine"], item["status"]) for item in held] == [
        (routine, str(status)) for routine, _, _, _, _, _, status in DONE
    ]
    assert [(item["tightness_before"], item["tightness_after"], item["note"]) for item in held] == [
        (7, 5, "hamstrings"),
        (5, 3, "calves tight"),
        (None, None, ""),
        (6, 4, "hips and calves looser"),
    ]
    restored = held[2]
    assert restored["started_at"].startswith("2026-11-18T18:20")  # its own time, not the undo's
    assert restored["ended_at"].startswith("2026-11-18T18:30")
