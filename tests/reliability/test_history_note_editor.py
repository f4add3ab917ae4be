"""The history page's note editor never cuts a note the rating dialog took."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from history_testing import FixedNow
from loosen import paths
from loosen.core.history import HistoryStore
from loosen.core.history.records import MAX_NOTE_CHARS
from loosen.ui.history_service import HistoryService
from loosen.ui.history_view import HistoryView
from loosen.ui.rating import Rating, RatingDialog


def test_the_rating_dialog_stops_a_pasted_note_at_the_limit(qtbot):
    committed: list[Rating] = []
    dialog = RatingDialog(lambda rating, written: (committed.append(rating), written()))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.clipboard().setText("n" * (MAX_NOTE_CHARS + 500))
    qtbot.mouseClick(dialog.note, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.note, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Escape)
    assert committed == [Rating(None, "n" * MAX_NOTE_CHARS)]


def test_changing_only_the_rating_keeps_a_long_note_whole(qtbot):
    note = ("calves tight after the hill reps; " * 1000)[:20_000].strip()
    with HistoryStore.open(paths.history_db(), now=FixedNow()) as store:
        first = store.start_session("post-run-cooldown", "Post-run cooldown", "cooldown")
        store.finish_session(first.uid, active_s=600)
        store.rate(first.uid, 5, note)
    service = HistoryService(paths.history_db())
    try:
        view = HistoryView(service)
        qtbot.addWidget(view)
        view.show()
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            view.reload()
        view.select_row(0)
        view.after.selectAll()
        qtbot.keyClicks(view.after, "2")
        with qtbot.waitSignal(view.committed, timeout=10_000):
            qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
        saved = service.submit(lambda store: store.get(first.uid)).result(timeout=10)
    finally:
        service.close()
    assert (saved.tightness_after, saved.note) == (2, note)
