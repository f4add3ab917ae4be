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


@pytest.fixture(autouse=True)
def no_unanswered_questions(request, monkeypatch):
    """A modal question no test answers would wait for ever: fail at once instead.
    Tests marked `real_dialogs` answer the real boxes themselves, by clicking."""
    from loosen.ui.main_window import MainWindow
    from loosen.ui.player_view import PlayerView

    if request.node.get_closest_marker("real_dialogs"):
        return

    def unanswered(*_args):
        pytest.fail("a question was asked that this test does not answer")

    monkeypatch.setattr(PlayerView, "confirm_stop", staticmethod(unanswered))
    monkeypatch.setattr(MainWindow, "ask_rating", staticmethod(unanswered))
