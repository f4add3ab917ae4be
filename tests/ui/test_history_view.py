"""The history page: its table model, filters, edits, delete and undo, export, and its charts."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from loosen import paths
from loosen.core.history import HistoryStore, SessionRecord, Status, csvio
from loosen.core.history.records import MAX_NOTE_CHARS
from loosen.core.history.trends import Activity, trends
from loosen.core.settings import Settings
from loosen.ui.history_model import BACK, DATE, NOTE, ROUTINE, STATUS, TIME, HistoryTableModel
from loosen.ui.history_service import HistoryService
from loosen.ui.history_view import HistoryView
from loosen.ui.main_window import MainWindow
from player_journey import click, save_as

TODAY = date(2026, 11, 20)  # a Friday
COOL, WARM, BREAK = "post-run-cooldown", "dynamic-warm-up", "squat-and-fold"


def record(
    n: int, routine: str, days_ago: int, before=None, after=None, note="", status=Status.COMPLETED
) -> SessionRecord:
    kind, name = {
        COOL: ("cooldown", "Post-run cooldown"),
        WARM: ("warm-up", "Dynamic warm-up"),
        BREAK: ("break", "Squat and fold"),
    }[routine]
    started = datetime(2026, 11, 20, 7, tzinfo=UTC) - timedelta(days=days_ago, minutes=n)
    return SessionRecord(
        uid=f"s{n}",
        routine=routine,
        routine_name=name,
        kind=kind,
        started_at=started,
        ended_at=started + timedelta(minutes=10),
        status=status,
        planned_s=600.0,
        active_s=605.0,
        steps_done=8,
        tightness_before=before,
        tightness_after=after,
        note=note,
    )


# Cooldowns loosen 3, 2, 3, 2 (mean 2.5, n=4); warm-ups 0 and 1 (n=2); one unrated break.
KNOWN = [
    record(1, COOL, 0, 7, 4, "hips looser"),
    record(2, WARM, 1, 5, 5),
    record(3, COOL, 2, 6, 4),
    record(4, BREAK, 2, status=Status.STOPPED),
    record(5, COOL, 3, 8, 5),
    record(6, WARM, 4, 6, 5),
    record(7, COOL, 9, 5, 3),
]


LIBRARY = frozenset({COOL, WARM, BREAK})


@pytest.fixture
def known_db() -> Path:
    with HistoryStore.open(paths.history_db()) as store:
        store.import_records(KNOWN)
    return paths.history_db()


@pytest.fixture
def history(qtbot, known_db):
    service = HistoryService(known_db)
    yield service
    service.close()


@pytest.fixture
def view(qtbot, history):
    made = HistoryView(history, today=lambda: TODAY, tz=UTC, existing=lambda: LIBRARY)
    qtbot.addWidget(made)
    made.resize(1100, 700)
    with qtbot.waitSignal(made.charts_ready, timeout=10_000):
        made.reload()
        made.show()
    return made


def plain(html: str) -> str:
    """What a rich-text label reads as."""
    return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ")


def stored(history: HistoryService, uid: str) -> SessionRecord | None:
    return history.submit(lambda store: store.get(uid)).result(timeout=10)


def texts(view: HistoryView, column: int) -> list[str]:
    model = view.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


# -- the model ---------------------------------------------------------------------------


def test_the_table_model_is_a_sound_qt_model_through_every_change(qtmodeltester):
    model = HistoryTableModel()
    model.set_records(list(KNOWN))
    # Qt's own tester stays attached and checks every change below as it happens.
    qtmodeltester.check(model)
    model.set_filter(routine=COOL)
    assert model.rowCount() == 4
    model.remove("s3")
    model.insert(KNOWN[2])
    model.set_filter(kind="warm-up")
    assert [r.uid for r in model.shown] == ["s2", "s6"]
    qtmodeltester.check(model, force_py=True)


def test_sessions_show_newest_first_with_date_routine_status_time_back_and_note(view):
    assert view.model.rowCount() == len(KNOWN)
    assert [r.uid for r in view.model.shown] == ["s1", "s2", "s3", "s4", "s5", "s6", "s7"]
    model = view.model
    row = [model.data(model.index(0, c)) for c in (ROUTINE, STATUS, TIME, BACK, NOTE)]
    assert row == ["Post-run cooldown", "Completed", "10:05", "7 → 4", "hips looser"]
    assert model.data(model.index(0, DATE)).endswith(
        "2026 " + KNOWN[0].started_at.astimezone().strftime("%H:%M")
    )
    assert texts(view, STATUS)[3] == "Stopped" and texts(view, BACK)[3] == ""


def test_a_restored_session_goes_back_to_its_place_by_date():
    model = HistoryTableModel()
    model.set_records(list(KNOWN))
    model.remove("s3")
    assert model.insert(KNOWN[2]) == 2
    model.set_filter(routine=WARM)
    assert model.insert(record(99, COOL, 1)) is None  # filtered out, but kept
    model.set_filter()
    assert [r.uid for r in model.shown][:4] == ["s1", "s2", "s99", "s3"]


# -- filters -------------------------------------------------------------------------------


def test_the_filters_offer_the_routines_and_kinds_in_the_history(view):
    routines = [view.routine_filter.itemText(i) for i in range(view.routine_filter.count())]
    kinds = [view.kind_filter.itemText(i) for i in range(view.kind_filter.count())]
    assert routines == ["All routines", "Dynamic warm-up", "Post-run cooldown", "Squat and fold"]
    assert kinds == ["All kinds", "Break", "Cooldown", "Warm-up"]


def test_every_kind_in_the_filter_fits_its_box_uncut(qtbot, view):
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    combo = view.kind_filter  # it once showed "Cooldowi"
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    for i in range(combo.count()):
        text = combo.itemText(i)
        assert combo.fontMetrics().horizontalAdvance(text) <= field.width(), text


def test_filtering_by_routine_narrows_the_table_and_the_charts(qtbot, view):
    with qtbot.waitSignal(view.charts_ready, timeout=10_000):
        view.routine_filter.setCurrentIndex(view.routine_filter.findData(COOL))
    assert set(texts(view, ROUTINE)) == {"Post-run cooldown"} and view.model.rowCount() == 4
    assert [e.routine for e in view.charts.effects.effects] == [COOL]
    assert view.insight.text() == (
        "Not enough yet to tell what helps: 4 sessions rated before and after so far; "
        "a routine needs at least 5 completed ones."
    )
    with qtbot.waitSignal(view.charts_ready, timeout=10_000):
        view.set_filter(kind="warm-up")
    assert view.model.rowCount() == 2
    assert view.insight.text().startswith("Not enough yet to tell what helps: 2 sessions")
    with qtbot.waitSignal(view.charts_ready, timeout=10_000):
        view.set_filter(routine=COOL, kind="warm-up")
    assert view.model.rowCount() == 0


# -- editing, delete, undo -----------------------------------------------------------------


def click_row(qtbot, view: HistoryView, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A click with the mouse on the row's routine cell, where a person would click."""
    cell = view.table.visualRect(view.model.index(row, ROUTINE))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, modifier, cell.center())


def editing_enabled(view: HistoryView) -> bool:
    controls = (view.before, view.after, view.note, view.delete_button)
    enabled = [control.isEnabled() for control in controls]
    assert len(set(enabled)) == 1, enabled  # all or none, never half
    return enabled[0]


def test_a_row_clicked_with_the_mouse_can_be_edited_and_deleted(qtbot, view, history):
    assert not editing_enabled(view)
    click_row(qtbot, view, 1)  # s2, warm-up 5 → 5
    assert view.selected().uid == "s2" and editing_enabled(view)
    assert (view.before.value(), view.after.value()) == (5, 5)
    qtbot.mouseClick(view.after, Qt.MouseButton.LeftButton)
    view.after.selectAll()
    qtbot.keyClicks(view.after, "3")
    assert view.save_button.isEnabled()
    with qtbot.waitSignal(view.committed, timeout=10_000) as done:
        click_row(qtbot, view, 2)  # another row: s2's edit is saved on the way
    assert done.args == ["edit"] and stored(history, "s2").tightness_after == 3
    assert view.selected().uid == "s3" and (view.before.value(), view.after.value()) == (6, 4)
    assert editing_enabled(view) and not view.save_button.isEnabled()
    view.after.selectAll()
    qtbot.keyClicks(view.after, "2")
    with qtbot.waitSignal(view.committed, timeout=10_000) as done:
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert done.args == ["edit"] and stored(history, "s3").tightness_after == 2
    with qtbot.waitSignal(view.committed, timeout=10_000) as done:
        qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert done.args == ["delete"] and stored(history, "s3") is None


def test_the_editing_controls_follow_the_selection_however_it_changes(qtbot, view):
    click_row(qtbot, view, 0)
    assert editing_enabled(view)
    click_row(qtbot, view, 0, Qt.KeyboardModifier.ControlModifier)  # ctrl-click: deselects
    assert view.selected() is None and not editing_enabled(view)
    assert view.after.value() == -1 and view.note.text() == ""
    click_row(qtbot, view, 0, Qt.KeyboardModifier.ControlModifier)  # and selects again
    assert view.selected().uid == "s1" and editing_enabled(view)
    assert view.note.text() == "hips looser"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.selected().uid == "s2" and editing_enabled(view)
    with qtbot.waitSignal(view.charts_ready, timeout=10_000):
        view.set_filter(routine=COOL)  # s2 is a warm-up: no longer shown
    assert view.selected() is None and not editing_enabled(view)
    click_row(qtbot, view, 1)
    assert view.selected().uid == "s3" and editing_enabled(view)
    with qtbot.waitSignal(view.charts_ready, timeout=10_000):
        view.set_filter(kind="cooldown")  # s3 is still shown: it stays selected
    assert view.selected().uid == "s3" and editing_enabled(view)


def test_an_edit_is_committed_through_the_service_and_shown(qtbot, view, history):
    view.select_row(1)  # s2, warm-up 5 → 5
    assert view.selected().uid == "s2" and not view.save_button.isEnabled()
    view.before.setValue(6)
    view.after.setValue(3)
    view.note.setText("  calves tight  ")
    assert view.save_button.isEnabled()
    with qtbot.waitSignal(view.committed, timeout=10_000) as done:
        view.save_button.click()
    assert done.args == ["edit"]
    saved = stored(history, "s2")
    assert (saved.tightness_before, saved.tightness_after, saved.note) == (6, 3, "calves tight")
    assert texts(view, BACK)[1] == "6 → 3" and texts(view, NOTE)[1] == "calves tight"
    assert not view.save_button.isEnabled()


def test_a_rating_can_be_cleared(qtbot, view, history):
    view.select_row(0)
    view.after.setValue(-1)
    with qtbot.waitSignal(view.committed, timeout=10_000):
        view.save_edit()
    assert stored(history, "s1").tightness_after is None
    assert texts(view, BACK)[0] == "7 → –"


def test_enter_in_a_rating_box_saves(qtbot, view, history):
    click_row(qtbot, view, 1)  # s2, warm-up 5 → 5
    qtbot.mouseClick(view.after, Qt.MouseButton.LeftButton)
    qtbot.keyClick(view.after, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.committed, timeout=10_000):
        qtbot.keyClick(view.after, Qt.Key.Key_Return)
    assert stored(history, "s2").tightness_after == 4
    assert view.status.text().startswith("Saved: Dynamic warm-up")


def test_a_note_typed_in_the_editor_keeps_to_the_declared_limit(qtbot, view, history, tmp_path):
    click_row(qtbot, view, 1)
    qtbot.mouseClick(view.note, Qt.MouseButton.LeftButton)
    QApplication.clipboard().setText("x" * (MAX_NOTE_CHARS + 50))
    qtbot.keyClick(view.note, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(view.committed, timeout=10_000):
        qtbot.keyClick(view.note, Qt.Key.Key_Return)
    saved = stored(history, "s2")
    assert len(saved.note) == MAX_NOTE_CHARS
    out = tmp_path / "history.csv"  # and the history's own export reads back in
    with out.open("w", encoding="utf-8", newline="") as handle:
        csvio.write_csv([saved], handle)
    parsed = csvio.read_csv(out.read_text(encoding="utf-8").splitlines(keepends=True))
    assert not parsed.errors and parsed.records[0].note == saved.note


def test_a_save_answered_late_leaves_the_newer_text_in_the_editor(qtbot, view, history):
    click_row(qtbot, view, 1)
    gate = threading.Event()  # the history thread waits until both saves are sent
    history.submit(lambda store: gate.wait(10))
    qtbot.mouseClick(view.note, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.note, "calves")
    qtbot.keyClick(view.note, Qt.Key.Key_Return)
    qtbot.keyClicks(view.note, " tight")
    qtbot.keyClick(view.note, Qt.Key.Key_Return)
    seen: list[str] = []  # what the editor shows as each save comes back
    view.committed.connect(lambda _: seen.append(view.note.text()))
    with qtbot.waitSignals([view.committed, view.committed], timeout=10_000):
        gate.set()
    assert seen == ["calves tight", "calves tight"]
    assert stored(history, "s2").note == "calves tight"


def test_an_edit_the_store_refuses_stays_in_the_editors_to_save_again(
    qtbot, view, history, monkeypatch
):
    from loosen.core.history import HistoryError

    def refuse(store, uid, tightness_before):
        raise HistoryError("history.sqlite3 is read-only")

    click_row(qtbot, view, 1)
    with monkeypatch.context() as patched:
        patched.setattr(HistoryStore, "set_before", refuse)
        view.note.setText("calves tight")
        with qtbot.waitSignal(history.notice, timeout=10_000) as said:
            view.save_edit()
        assert said.args == ["History: history.sqlite3 is read-only"]
        qtbot.waitUntil(view.save_button.isEnabled, timeout=10_000)
    assert view.note.text() == "calves tight"
    with qtbot.waitSignal(view.committed, timeout=10_000):
        view.save_button.click()
    assert stored(history, "s2").note == "calves tight"


def test_an_edit_then_delete_then_undo_brings_back_the_edit(qtbot, view, history):
    click_row(qtbot, view, 0)  # s1
    view.note.setText("hips looser, calves tight")
    deleted = qtbot.waitSignal(
        view.committed, timeout=10_000, check_params_cb=lambda what: what == "delete"
    )
    with deleted:
        qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    with qtbot.waitSignal(view.committed, timeout=10_000) as done:
        view.undo_delete()
    assert done.args == ["undo"]
    assert stored(history, "s1").note == "hips looser, calves tight"


def test_delete_then_undo_puts_the_session_back_with_its_ratings(qtbot, view, history):
    view.select_row(0)
    before = stored(history, "s1")
    with qtbot.waitSignal(view.committed, timeout=10_000) as done:
        view.delete_button.click()
    assert done.args == ["delete"]
    assert stored(history, "s1") is None
    assert view.model.rowCount() == len(KNOWN) - 1 and view.model.row_of("s1") is None
    assert view.undo_button.isVisible() and "Deleted: Post-run cooldown" in view.status.text()
    with qtbot.waitSignal(view.committed, timeout=10_000) as done:
        view.undo_button.click()
    assert done.args == ["undo"]
    after = stored(history, "s1")
    assert (after.tightness_before, after.tightness_after, after.note) == (7, 4, "hips looser")
    assert after.started_at == before.started_at and after.status is before.status
    assert view.model.row_of("s1") == 0 and view.selected().uid == "s1"
    assert not view.undo_button.isVisible()


def test_undo_is_a_stack_and_the_charts_follow(qtbot, view):
    for _ in range(2):
        view.select_row(0)
        with qtbot.waitSignal(view.charts_ready, timeout=10_000):
            view.delete_selected()
    assert [r.uid for r in view.deleted] == ["s1", "s2"]
    assert sum(e.n for e in view.charts.effects.effects) == 4  # s1 and s2 were both rated
    with qtbot.waitSignal(view.charts_ready, timeout=10_000):
        view.undo_delete()
    assert [r.uid for r in view.deleted] == ["s1"] and view.model.row_of("s2") == 0
    with qtbot.waitSignal(view.charts_ready, timeout=10_000):
        qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.deleted == [] and view.model.rowCount() == len(KNOWN)
    assert sum(e.n for e in view.charts.effects.effects) == 6


def test_a_delete_the_store_refuses_keeps_the_session_and_says_why(
    qtbot, view, history, monkeypatch
):
    from loosen.core.history import HistoryError

    def refuse(store, uid):
        raise HistoryError("history.sqlite3 is read-only")

    monkeypatch.setattr(HistoryStore, "delete", refuse)
    view.select_row(0)
    with qtbot.waitSignal(history.notice, timeout=10_000) as said:
        view.delete_selected()
    assert said.args == ["History: history.sqlite3 is read-only"]
    qtbot.waitUntil(view.delete_button.isEnabled, timeout=10_000)
    assert view.model.row_of("s1") == 0 and view.deleted == []
    assert stored(history, "s1") is not None


# -- export --------------------------------------------------------------------------------


def test_export_writes_the_csv_contract(qtbot, view, tmp_path, monkeypatch):
    out = tmp_path / "history.csv"
    click(qtbot, view.export_button)
    save_as(qtbot, view, out)
    qtbot.waitUntil(lambda: view.status.text().startswith("Exported"), timeout=10_000)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(csvio.COLUMNS)
    parsed = csvio.read_csv(out.read_text(encoding="utf-8").splitlines(keepends=True))
    assert not parsed.errors
    assert [r.uid for r in parsed.records] == [r.uid for r in reversed(view.model.shown)]
    assert view.status.text() == f"Exported 7 sessions to {out}"


def test_a_bad_export_path_gives_one_line(qtbot, view, tmp_path, monkeypatch):
    out = tmp_path / "no such folder" / "history.csv"
    view.export_to(out)  # (the file dialog itself offers only folders that exist)
    qtbot.waitUntil(lambda: view.status.text().startswith("Could not export"), timeout=10_000)
    assert view.status.text() == f"Could not export to {out}: No such file or directory"


# -- the charts ----------------------------------------------------------------------------


def test_each_chart_holds_the_series_computed_for_the_history(view):
    expected = trends(KNOWN, TODAY, UTC, LIBRARY)
    assert view.trends == expected
    charts = view.charts
    stretching, runs = expected.after
    assert (stretching.activity, runs.activity) == (Activity.STRETCHING, Activity.RUNS)
    line = charts.tightness.lines[Activity.STRETCHING]
    x, y = line.points.getData()
    assert list(x) == [p.at.timestamp() for p in stretching.points]
    assert list(y) == [p.value for p in stretching.points] == [3, 5, 5, 4, 5, 4]
    mean_x, mean_y = line.mean_curve.getData()
    # s7 is five days before the next rated session: one unbroken line
    assert list(mean_x) == [p.at.timestamp() for p in stretching.weekly_mean]
    assert list(mean_y) == pytest.approx([p.value for p in stretching.weekly_mean])
    assert runs.points == [] and len(charts.tightness.lines[Activity.RUNS].points.getData()[0]) == 0
    # The title names what is drawn, and only that, with the dots' shape.
    assert charts.tightness.shown == [Activity.STRETCHING]
    title = plain(charts.titles[0].text())
    assert title == "Back after ● stretching"

    bars = charts.effects.bars.opts
    assert list(bars["width"]) == [2.5, 0.5]  # cooldown first, then warm-up
    assert bars["y"][0] > bars["y"][1]  # the best on top
    assert [label.toPlainText() for label in charts.effects.labels] == [
        "Post-run cooldown · 4, not enough yet",
        "Dynamic warm-up · 2, not enough yet",
    ]
    # Each bar carries its 90 % interval; two warm-ups rated 0 and 1 still have spread.
    errors = charts.effects.errors.opts
    assert all(width > 0.3 for width in [*errors["left"], *errors["right"]])

    cells = charts.calendar.cells.opts
    assert len(cells["x0"]) == len(expected.adherence.days)
    busy = [i for i, d in enumerate(expected.adherence.days) if d.sessions]
    assert len(busy) == 6  # days 0, 1, 2, 3, 4 and 9 before today
    alphas = [b.alpha() for b in cells["brushes"]]
    assert {alphas[i] for i in busy} == {110, 180} and alphas[0] == 70
    assert charts.streak.text() == "Streak: 5 days · longest 5 · 6 of 28 days"


def test_the_insight_line_says_not_enough_yet_below_five_sessions(view):
    assert not view.empty_note.isVisibleTo(view)
    assert view.insight.text() == (
        "Not enough yet to tell what helps: 6 sessions rated before and after so far; "
        "a routine needs at least 5 completed ones."
    )


def test_the_insight_names_a_routine_with_enough_sessions_never_a_removed_one(
    qtbot, isolated_user_dirs
):
    gone = [record(20 + i, WARM, i, 8, 2) for i in range(6)]  # warm-up: since removed
    kept = [record(30 + i, COOL, i, 6, 4 + i % 2) for i in range(5)]
    with HistoryStore.open(paths.history_db()) as store:
        store.import_records(gone + kept)
    service = HistoryService(paths.history_db())
    made = HistoryView(service, today=lambda: TODAY, tz=UTC, existing=lambda: {COOL})
    qtbot.addWidget(made)
    made.resize(1100, 700)
    with qtbot.waitSignal(made.charts_ready, timeout=10_000):
        made.reload()
        made.show()
    # changes 2, 1, 2, 1, 2: mean 1.6, sd 0.548, t(0.95, 4 df) = 2.132
    assert made.insight.text() == (
        "Post-run cooldown: back 1.6 points looser on average over 5 sessions "
        "(90 % interval +1.1 to +2.1)."
    )
    labels = [label.toPlainText() for label in made.charts.effects.labels]
    assert "Dynamic warm-up (removed) · 6" in labels
    service.close()


def test_an_empty_history_says_it_is_too_early(qtbot, isolated_user_dirs):
    service = HistoryService(paths.history_db())
    made = HistoryView(service, today=lambda: TODAY, tz=UTC)
    qtbot.addWidget(made)
    with qtbot.waitSignal(made.charts_ready, timeout=10_000):
        made.reload()
    assert made.model.rowCount() == 0 and made.selected() is None
    assert made.insight.text().startswith("Too early to tell what helps")
    assert all(len(line.points.getData()[0]) == 0 for line in made.charts.tightness.lines.values())
    assert made.empty_note.isVisibleTo(made) and "No sessions yet" in made.empty_note.text()
    # The empty date axis covers the calendar's weeks, not a blink of 1970.
    low, high = made.charts.tightness.viewRange()[0]
    assert datetime.fromtimestamp(high, UTC).date() >= TODAY - timedelta(days=1)
    assert high - low > 60 * 86_400
    service.close()


# -- in the main window --------------------------------------------------------------------


def test_the_history_button_opens_the_page_and_back_returns(qtbot, clock, speaker, known_db):
    history = HistoryService(known_db)  # the window closes it
    window = MainWindow(Settings(seen_welcome=True), speaker, history, clock=clock)
    qtbot.addWidget(window)
    window.show()
    window.library_view.history_button.click()
    page = window.history_view
    assert window.stack.currentWidget() is page and window.windowTitle() == "History — Loosen"
    qtbot.waitUntil(lambda: page.model.rowCount() == len(KNOWN), timeout=10_000)
    page.back_button.click()
    assert window.stack.currentWidget() is window.library_view
    assert window.windowTitle() == "Loosen"
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.library_view.history_button.click()  # again: the same page, read afresh
    assert window.history_view is page
    window.close()


def test_an_edit_left_by_hiding_the_window_to_the_tray_is_saved(qtbot, clock, speaker, known_db):
    history = HistoryService(known_db)  # the window closes it
    window = MainWindow(Settings(seen_welcome=True), speaker, history, clock=clock)
    qtbot.addWidget(window)
    window.show()
    window.library_view.history_button.click()
    page = window.history_view
    qtbot.waitUntil(lambda: page.model.rowCount() == len(KNOWN), timeout=10_000)
    click_row(qtbot, page, 0)
    page.before.setValue(9)
    with qtbot.waitSignal(page.committed, timeout=10_000):
        window.hide()  # what closing does while reminders keep the app in the tray
    assert stored(history, "s1").tightness_before == 9
    window.close()


def test_the_app_starts_without_loading_pyqtgraph():
    code = (
        "import sys\n"
        "import loosen.ui.main_window, loosen.ui.history_view\n"
        "print('pyqtgraph' in sys.modules, 'numpy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    assert result.stdout.split() == ["False", "False"]


def test_the_weekly_line_breaks_over_a_gap_of_more_than_a_week(qtbot):
    import math

    from loosen.core.history.trends import AfterSeries, TimePoint, rolling_mean
    from loosen.ui.history_charts import TightnessChart

    chart = TightnessChart()
    qtbot.addWidget(chart)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    after = [TimePoint(start + timedelta(days=d), v) for d, v in ((0, 6), (1, 4), (12, 3))]
    chart.set_series([AfterSeries(Activity.STRETCHING, after, rolling_mean(after))])
    x, y = chart.lines[Activity.STRETCHING].mean_curve.getData()
    assert [None if math.isnan(v) else v for v in y] == [6, 5, None, 3]
    assert list(x)[2] == list(x)[1]  # the break sits at the last point before the gap


def test_ratings_after_runs_and_after_stretching_are_drawn_apart(qtbot, isolated_user_dirs):
    mixed = []
    for day in range(6):
        run = record(40 + day, COOL, 18 - day, 5, 7)  # runs leave the back at 7
        mixed.append(
            SessionRecord(
                **{**run.__dict__, "routine": "easy-run", "kind": "run", "uid": f"r{day}"}
            )
        )
        mixed.append(record(50 + day, COOL, 18 - day, 6, 3))  # stretching leaves it at 3
    with HistoryStore.open(paths.history_db()) as store:
        store.import_records(mixed)
    service = HistoryService(paths.history_db())
    made = HistoryView(service, today=lambda: TODAY, tz=UTC, existing=lambda: {COOL, "easy-run"})
    qtbot.addWidget(made)
    with qtbot.waitSignal(made.charts_ready, timeout=10_000):
        made.reload()
    lines = made.charts.tightness.lines
    assert set(lines[Activity.RUNS].mean_curve.getData()[1]) == {7}
    assert set(lines[Activity.STRETCHING].mean_curve.getData()[1]) == {3}
    assert made.charts.tightness.shown == [Activity.STRETCHING, Activity.RUNS]
    assert plain(made.charts.titles[0].text()) == "Back after ● stretching  ▼ runs"
    assert len(made.trends.after[1].points) == 6
    # The habits, each with its n, and "not enough yet" while a side is short.
    assert made.habits.text().startswith(
        "Tightness after runs: none with a break taken, 7.0 without (90 % interval"
    )
    assert "6 runs); not enough yet to compare (5 a side needed)." in made.habits.text()
    service.close()
