"""A run routine end to end through the main window, in simulated time: its breaks, its
cues in order, and one session in the history with the breaks it took."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from efforts_testing import PLAIN_RUN_ID, PLAIN_RUN_NAME, PLAIN_RUN_TOML
from loosen.core.history import Status
from loosen.core.phases import PhaseKind
from loosen.ui.player_view import PlayerView
from player_journey import answer_stop_question, rate_with_keys, rating_dialog

from helpers import RecordingSpeaker

# squat-and-fold: get ready, two counted steps, a rest; the get-ready (3 s) and the rest
# (3 s) grow to 14 s and 11 s to say each step and its instruction before its first rep.
BREAK_LENGTH_S = 14 + 24 + 11 + 24
BREAK_TIME = "Break time: squat and fold. First: deep squat, slowly"
EARLY_BREAK_AT = 15 * 60 + 1  # inside the window, early enough for a fourth to fit


class TimedSpeaker(RecordingSpeaker):
    """Remembers when each line was said, in seconds of the session."""

    def __init__(self, clock) -> None:
        super().__init__()
        self.clock = clock
        self.started_at: float | None = None
        self.said: list[tuple[float, str]] = []

    def speak(self, text: str) -> None:
        super().speak(text)
        if self.started_at is None:
            self.started_at = self.clock.now()
        self.said.append((round(self.clock.now() - self.started_at, 1), text))


@pytest.fixture
def window(open_window, clock, user_routines):
    # A run of one block between breaks (the built-in sprint hour is made of efforts).
    (user_routines / f"{PLAIN_RUN_ID}.toml").write_text(PLAIN_RUN_TOML, encoding="utf-8")
    return open_window(TimedSpeaker(clock))


def play_until(player: PlayerView, clock, active_s: float) -> None:
    """Move time on as the driver's timer would wake, up to `active_s` of the session."""
    session = player.session
    while session.state.value == "running" and session.active_s() < active_s - 1e-6:
        wait = session.seconds_to_next_change()
        clock.advance(min(wait if wait else 0.001, active_s - session.active_s()))
        player.driver.timer.timeout.emit()


def test_a_run_with_an_early_break_a_firm_break_and_a_last_stretch(qtbot, window, clock):
    window.start_routine(PLAIN_RUN_ID)
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    assert window.windowTitle() == f"{PLAIN_RUN_NAME} — Loosen"
    speaker = window.speaker
    qtbot.keyClick(player, Qt.Key.Key_7)  # how tight before: asked in a run's first minutes

    # Before the window: the count, the window, and a break only "early".
    play_until(player, clock, 5 * 60)
    assert player.kind_label.text() == "Run"
    assert player.time_label.text() == "5:00"
    assert player.reps_label.text() == "Break due from 15:00, at 20:00 at the latest"
    assert player.break_button.text() == "Take the break early"

    # 1. Inside the window, B: the break runs in place, then the run resumes.
    play_until(player, clock, EARLY_BREAK_AT)
    assert player.break_button.text() == "Take the break now"
    qtbot.keyClick(player, Qt.Key.Key_B)
    assert player.session.phase.kind is PhaseKind.GET_READY
    assert player.position_label.text() == "Break 1 · starting"
    play_until(player, clock, EARLY_BREAK_AT + 20)
    assert player.position_label.text() == "Break 1 · step 1 of 2"
    first_back = EARLY_BREAK_AT + BREAK_LENGTH_S
    play_until(player, clock, first_back + 1)
    assert player.session.phase.kind is PhaseKind.ACTIVITY
    assert (
        player.time_label.text() == "0:01" and player.side_label.text() == "Since your last break"
    )

    # 2. No B: at the window's end the firm cue, and the break starts by itself.
    second = first_back + 20 * 60
    play_until(player, clock, second + 1)
    assert player.session.phase.kind is PhaseKind.GET_READY
    second_back = second + BREAK_LENGTH_S

    # 3. A third break fits before the hour (it ends by 60:00); after it, the last stretch.
    third = second_back + 20 * 60
    third_back = third + BREAK_LENGTH_S
    play_until(player, clock, third_back + 5)
    left = 3600 - third_back - 5
    assert player.reps_label.text() == f"No more breaks · {_clock(left)} to go · B if you need one"
    assert player.break_button.isVisible()  # one more would still end by 60:00
    play_until(player, clock, 3600 - BREAK_LENGTH_S + 1)
    assert player.reps_label.text() == f"No more breaks · {_clock(BREAK_LENGTH_S - 1)} to go"
    assert not player.break_button.isVisible()
    play_until(player, clock, 3600 + 1)

    dialog = rating_dialog(qtbot, window)
    assert dialog.summary_label.text() == (
        "Completed · 1:00:00 · 6 steps done, 0 skipped · 3 breaks taken"
    )
    rate_with_keys(qtbot, window, "2")
    assert window.stack.currentWidget() is window.summary_page

    # The cues that carry the run, at their moments and in order.
    said = [
        (at, text)
        for at, text in speaker.said
        if not text.endswith(("one", "two")) or text.startswith("Break")
    ]
    key = [
        (at, text)
        for at, text in said
        if text.startswith(("Sprint", "Break", "Back to", "Session"))
    ]
    assert key == [
        (0.0, "Sprint repeats with walk-backs. Next break in fifteen to twenty minutes"),
        (900.0, "Break due: squat and fold at the next natural pause"),
        (EARLY_BREAK_AT, BREAK_TIME),
        (first_back, "Back to sprint repeats with walk-backs"),
        (first_back + 900, "Break due: squat and fold at the next natural pause"),
        (second, BREAK_TIME),  # the firm cue
        (second_back, "Back to sprint repeats with walk-backs"),
        (second_back + 900, "Break due: squat and fold at the next natural pause"),
        (third, BREAK_TIME),
        (
            third_back,
            "Back to sprint repeats with walk-backs. No more breaks: one minute twenty to go",
        ),
        (3600.0, "Session complete"),
    ]
    # Nothing said in the window between the gentle cue and the break but the break itself.
    gentle = said.index((first_back + 900, "Break due: squat and fold at the next natural pause"))
    assert said[gentle + 1][1].startswith("Break time")

    (record,) = window.history.submit(lambda store: store.sessions()).result(timeout=10)
    assert record.status is Status.COMPLETED and record.routine == PLAIN_RUN_ID
    assert record.kind == "run" and record.planned_s == 3600
    assert record.active_s == pytest.approx(3600, abs=0.5)
    assert (record.breaks, record.steps_done, record.steps_skipped) == (3, 6, 0)
    assert (record.tightness_before, record.tightness_after) == (7, 2)


def test_a_run_stopped_mid_way_keeps_the_breaks_it_took(qtbot, window, clock):
    window.start_routine("long-easy-run")
    player = window.stack.currentWidget()
    play_until(player, clock, 2 * 60)
    qtbot.keyClick(player, Qt.Key.Key_B)  # early, before the window: allowed, and counted
    play_until(player, clock, 2 * 60 + BREAK_LENGTH_S + 30)
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    answer_stop_question(qtbot, player, "Yes")
    rate_with_keys(qtbot, window, "", Qt.Key.Key_Escape)  # no rating this time
    (record,) = window.history.submit(lambda store: store.sessions()).result(timeout=10)
    assert record.status is Status.STOPPED
    assert (record.breaks, record.steps_done) == (1, 2)
    assert record.active_s == pytest.approx(2 * 60 + BREAK_LENGTH_S + 30, abs=0.5)
    stopped_at = _clock(2 * 60 + BREAK_LENGTH_S + 30)
    assert window.summary_page.body.text().startswith(f"Stopped · {stopped_at} · 2 steps done")


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
