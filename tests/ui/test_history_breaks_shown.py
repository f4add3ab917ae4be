"""The history page says how many desk breaks were taken each week, of those given."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from loosen import paths
from loosen.core.history import HistoryStore
from loosen.ui.history_service import HistoryService
from loosen.ui.history_view import HistoryView

TODAY = date(2026, 12, 2)  # a Wednesday
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def answer(store: HistoryStore, outcome: str, at: datetime, *, given: bool = True) -> None:
    store.log_reminder(
        "squat-and-fold",
        outcome,
        at,
        at + timedelta(minutes=1),
        given_at=at if given else None,
        stage="firm" if given else None,
    )


def open_view(qtbot) -> HistoryView:
    history = HistoryService(paths.history_db())
    view = HistoryView(history, today=lambda: TODAY, tz=UTC)
    qtbot.addWidget(view, before_close_func=lambda _: history.close())
    view.reload()
    view.show()
    return view


def test_the_weeks_breaks_taken_of_those_given_are_shown(qtbot):
    with HistoryStore.open(paths.history_db()) as store:
        hour = timedelta(hours=1)
        for n, outcome in enumerate(["taken", "snoozed", "skipped", "taken", "away"]):
            answer(store, outcome, MONDAY + n * hour)
        answer(store, "away", MONDAY + 6 * hour, given=False)  # before any reminder
        answer(store, "taken", MONDAY - timedelta(days=7))  # the week before
    view = open_view(qtbot)

    def shown() -> None:
        assert view.breaks.isVisible()

    qtbot.waitUntil(shown, timeout=10_000)
    assert view.breaks.text() == (
        "Desk breaks this week: 3 of 4 breaks taken (1 away)"
        " · 1 more away before a reminder came\n"
        "Weeks before, from Monday: 23 Nov: 1 of 1 · 16 Nov: none · 09 Nov: none"
        " · 02 Nov: none · 26 Oct: none"
    )


def test_without_reminders_the_line_is_not_there(qtbot):
    view = open_view(qtbot)
    with qtbot.waitSignal(view.charts_ready, timeout=10_000):
        pass
    assert not view.breaks.isVisible() and view.breaks.text() == ""
