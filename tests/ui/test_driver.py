"""The session driver on a fake clock: user actions re-arm its timer, and that is no sleep."""

from __future__ import annotations

from loosen.core.clock import FakeClock
from loosen.core.session import Event, Paused, PauseReason, Session, State
from loosen.ui.driver import SessionDriver

from helpers import routine, step


def driven(qtbot, clock: FakeClock) -> tuple[SessionDriver, list[Event]]:
    session = Session(
        routine(
            step("Lunge", duration_s=30.0, sides=True),
            step("Fold", duration_s=30.0),
            get_ready_s=5.0,
        ),
        clock,
    )
    driver = SessionDriver(session)
    seen: list[Event] = []
    driver.events.connect(seen.extend)
    driver.start()
    return driver, seen


def test_keys_pressed_every_third_of_a_second_never_pause_the_session(qtbot, clock):
    driver, seen = driven(qtbot, clock)
    session = driver.session
    for n in range(50):  # Right, Left, Right, … for 15 s: the timer never gets to fire
        clock.advance(0.3)
        driver.act(session.skip() if n % 2 == 0 else session.back())
        assert driver.timer.isActive()
    clock.advance(0.1)
    driver.timer.timeout.emit()
    assert session.state is State.RUNNING
    assert not [e for e in seen if isinstance(e, Paused)]


def test_a_sleep_between_two_key_presses_still_pauses(qtbot, clock):
    driver, seen = driven(qtbot, clock)
    session = driver.session
    clock.advance(0.3)
    driver.act(session.skip())
    clock.suspend(3600)
    clock.advance(0.3)
    driver.act(session.back())
    assert Paused(PauseReason.SUSPEND) in seen
    assert session.state is State.PAUSED and not driver.timer.isActive()


def test_a_sleep_is_noticed_when_the_timer_wakes(qtbot, clock):
    driver, seen = driven(qtbot, clock)
    clock.advance(0.5)
    driver.timer.timeout.emit()
    clock.suspend(600)
    driver.timer.timeout.emit()
    assert seen[-1] == Paused(PauseReason.SUSPEND)
    assert driver.session.state is State.PAUSED
