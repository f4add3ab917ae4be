"""Fakes for the UI tests: a speaker that records, a clock that only moves when told."""

from __future__ import annotations

import pytest

from loosen import paths
from loosen.core.clock import FakeClock
from loosen.core.settings import Settings

from helpers import RecordingSpeaker


@pytest.fixture
def speaker() -> RecordingSpeaker:
    return RecordingSpeaker()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def open_window(qtbot, clock):
    """Makes main windows on the fake clock, shown once their library has loaded;
    closes them (recording any session as stopped) when the test ends."""
    from loosen.ui.history_service import HistoryService
    from loosen.ui.main_window import MainWindow

    made = []

    def open_(speaker, **options) -> MainWindow:
        window = MainWindow(
            Settings(), speaker, HistoryService(paths.history_db()), clock=clock, **options
        )
        # The test is over when pytest-qt closes it: no one is there to answer.
        qtbot.addWidget(window, before_close_func=MainWindow.stop_active_session)
        with qtbot.waitSignal(window.library_loaded):
            window.show()
        made.append(window)
        return window

    yield open_
    for window in made:
        if window.isVisible():
            window.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """A question the app asked and no test answered stays open (nothing waits for it):
    fail the test that left it, before its windows close and take the question along.
    (A dialog a test made on its own, with no window under it, is that test's business.)"""
    result = yield
    from PySide6.QtWidgets import QApplication, QMessageBox

    from loosen.ui.rating import RatingDialog

    unanswered = [
        widget.windowTitle()
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QMessageBox | RatingDialog)
        and widget.isVisible()
        and widget.parentWidget() is not None
    ]
    if unanswered:
        pytest.fail(f"a question was asked that this test does not answer: {unanswered}")
    return result


@pytest.fixture(autouse=True)
def _theme_back_to_the_desktops():
    """The palette belongs to the whole application: a test that chose a theme hands the
    next test the desktop's again."""
    yield
    import sys

    style = sys.modules.get("loosen.ui.style")
    if style is not None:
        style.apply_theme("system")
