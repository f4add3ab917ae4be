"""Issue 17's Done-when, on a real X display: with reminders every minute, 100 s untouched
gives an `away` entry and no reminder; active again, a reminder comes about a minute later.

The idle time is the X server's own (MIT-SCREEN-SAVER, read by the PresenceReader) and
xdotool moves the mouse. The reminders' clock is a fake one the test moves: only the X
server's idle time has to grow for real, and only as far as counts as away (30 s), not
the whole 100 s, which the fake clock covers.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from desktops import move_mouse

from loosen import paths
from loosen.core.clock import FakeClock
from loosen.core.reminders import MIN_AWAY_S, State
from loosen.core.settings import Settings
from loosen.ui.history_service import HistoryService
from loosen.ui.presence.x11 import X11Desktop
from loosen.ui.tray import ReminderController

from helpers import RecordingSpeaker

MINUTE_S = 60.0
UNTOUCHED_S = 100.0
# The X server's idle time has reached "away" with this to spare, read at any moment after.
AWAY_MARGIN_S = 1.0
BACK_MARGIN_S = 5.0  # how long before the look the move may be, on a loaded machine
FIRM = "Time for your break now: Squat and fold."
pytestmark = [
    pytest.mark.slow,  # the X server's idle time grows in real time: about 31 s
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints", "This plugin does not support raise"
    ),
]


@pytest.fixture
def idle(on_x_display):
    """The X server's idle time, read as the reader reads it."""
    desktop = X11Desktop.open()
    assert desktop is not None, "Xvfb has MIT-SCREEN-SAVER: the X11 source must open"
    yield desktop
    desktop.close()


def outcomes(history: HistoryService) -> list[str]:
    return [r.outcome for r in history.submit(lambda store: store.reminders()).result(10)]


def test_untouched_is_away_with_no_reminder_and_back_brings_one_a_minute_later(
    qtbot, on_x_display, idle, make_reader
):
    move_mouse(on_x_display, 10, 10)  # the user at the desk, now
    clock = FakeClock(wall=datetime(2026, 12, 1, 10, 0, tzinfo=UTC).timestamp())
    speaker = RecordingSpeaker()
    history = HistoryService(paths.history_db())
    reader = make_reader()
    controller = ReminderController(
        Settings(reminders=True, reminder_every="1m"),
        speaker,
        history,
        clock=clock,
        start_break=lambda routine_id: None,
        show_main=lambda: None,
        quit_app=lambda: None,
        routine_name=lambda routine_id: "Squat and fold",
        tray_available=False,
        presence=reader,
    )
    qtbot.addWidget(controller.menu)
    qtbot.addWidget(controller.window)
    reminded: list[object] = []
    controller.reminded.connect(reminded.append)
    started = clock.wall()

    def at(moment_s: float) -> None:
        """The fake clock reaches `moment_s` after the start, and the due timer fires
        there, as Qt fires it; the desktop is looked at, then the reminders check."""
        clock.advance(started + moment_s - clock.wall())
        assert controller.due_timer.isActive()
        with qtbot.waitSignal(reader.updated, timeout=5000):
            controller.due_timer.timeout.emit()

    def untouched_long_enough() -> None:
        idle_s = idle.idle_s()
        assert idle_s is not None and idle_s >= MIN_AWAY_S + AWAY_MARGIN_S

    # Untouched: the X server's idle time grows, for real, past what counts as away.
    qtbot.waitUntil(untouched_long_enough, timeout=int((MIN_AWAY_S + 30) * 1000))
    at(MINUTE_S)  # the reminder's moment: the user is away, so none comes
    assert controller.scheduler.state() is State.AWAY
    at(UNTOUCHED_S)  # 100 s untouched
    qtbot.waitUntil(lambda: outcomes(history) == ["away"], timeout=5000)
    assert reminded == [] and speaker.spoken == []
    assert not controller.window.message.isVisible()

    move_mouse(on_x_display, 200, 150)  # back at the desk
    looked_s = controller.due_timer.interval() / 1000  # the next look to see them back
    at(UNTOUCHED_S + looked_s)
    assert controller.scheduler.state() is State.WAITING
    wait_s = controller.scheduler.next_due_wall() - clock.wall()
    # A minute from the first move, which the X server dates a moment before the look.
    assert MINUTE_S - BACK_MARGIN_S <= wait_s <= MINUTE_S
    assert reminded == []
    at(UNTOUCHED_S + looked_s + wait_s)
    assert [r.stage.value for r in reminded] == ["firm"]
    assert speaker.spoken == [FIRM] and controller.window.message.text() == FIRM
    assert outcomes(history) == ["away"]  # given, not yet answered

    controller.stop()
    history.close()
