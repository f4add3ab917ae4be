"""The player fits a small screen: 800×600 with the window's frame, in every phase."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from loosen.core.phases import PhaseKind
from loosen.ui.main_window import MainWindow

SMALL_SCREEN = (800, 600)
FRAME_AND_PANEL_PX = 40  # a title bar and a panel take about this much of the height
FITS = (SMALL_SCREEN[0], SMALL_SCREEN[1] - FRAME_AND_PANEL_PX)


def each_phase_kind(qtbot, window: MainWindow, clock, routine_id: str, kinds: set[PhaseKind]):
    """Play the routine on the fake clock; yield once in each of `kinds`, then stop."""
    window.start_routine(routine_id)
    player = window.active.view
    left = set(kinds)
    while left:
        phase = player.session.phase
        if phase.kind in left:
            left.discard(phase.kind)
            yield phase
        if phase.kind is PhaseKind.ACTIVITY:
            qtbot.keyClick(player, Qt.Key.Key_B)  # on to the break (Right: the next effort)
        elif phase.open_ended:
            qtbot.keyClick(player, Qt.Key.Key_Right)
        else:
            clock.advance(1.0)
            player.driver.timer.timeout.emit()


def assert_fits(window: MainWindow) -> None:
    window.resize(*FITS)
    window.layout().activate()
    assert window.minimumSizeHint().height() <= FITS[1]
    assert (window.width(), window.height()) == FITS  # the window really is that small
    player = window.active.view
    for control in (player.stop_button, player.pause_button, player.time_label):
        bottom = control.mapTo(window, control.rect().bottomLeft()).y()
        assert bottom <= window.height()  # nothing cut off at the bottom


ROUTINE = {PhaseKind.GET_READY, PhaseKind.WORK, PhaseKind.REST}


@pytest.mark.parametrize(
    ("routine_id", "kinds"),
    [
        ("post-run-cooldown", ROUTINE | {PhaseKind.SWITCH}),  # per-side holds
        ("core-and-hips", ROUTINE),  # reps in sets
        ("sprint-session", {PhaseKind.ACTIVITY, PhaseKind.GET_READY, PhaseKind.WORK}),
    ],
)
def test_every_phase_fits_an_800_by_600_screen(
    qtbot, open_window, speaker, clock, routine_id, kinds
):
    window = open_window(speaker)
    for _phase in each_phase_kind(qtbot, window, clock, routine_id, kinds):
        window.resize(1280, 800)  # from a large window down: its big fonts must not hold it up
        assert_fits(window)


def test_paused_and_muted_during_get_ready_fit_too(qtbot, open_window, speaker, clock):
    window = open_window(speaker)
    window.start_routine("post-run-cooldown")
    player = window.active.view
    assert player.rating_row.isVisible()  # get-ready: the tallest, with "how tight now?"
    qtbot.keyClick(player, Qt.Key.Key_Space)
    qtbot.keyClick(player, Qt.Key.Key_M)
    assert player.paused_label.isVisible() and player.mute_button.isVisible()
    assert_fits(window)


@pytest.mark.parametrize("screen", [(800, 600), (1024, 768), (1920, 1080)])
def test_the_window_opens_wholly_on_the_screen(screen):
    from PySide6.QtCore import QSize

    from loosen.ui.main_window import PREFERRED_SIZE, WINDOW_FRAME, first_size

    available = QSize(*screen)
    size = first_size(available)
    assert size.width() + WINDOW_FRAME.width() <= available.width()
    assert size.height() + WINDOW_FRAME.height() <= available.height()
    assert size.width() <= PREFERRED_SIZE.width() and size.height() <= PREFERRED_SIZE.height()
    if screen == (1920, 1080):
        assert size == PREFERRED_SIZE  # a large screen gets the full preferred size


def test_a_window_opened_on_the_screen_fits_it(qtbot, open_window, speaker):
    window = open_window(speaker)
    available = window.screen().availableGeometry().size()
    assert window.width() <= available.width() and window.height() <= available.height()
