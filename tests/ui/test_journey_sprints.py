"""Journey: the sprint hour, sprint by sprint, as a runner does it with the keys.

Started with two clicks; the player shows the effort under way large, its time left and
the next one; N pressed quickly skips efforts, P goes back to the one before; at the
window's end the walk back under way runs whole and the break follows it; after the
break the efforts start again from the sprint; B in a sprint takes a break at once, and
B pressed again in the break does nothing more; the window is closed mid-way, the
session stopped and rated, and the history keeps the breaks taken. Time is a fake
clock, and the player's timer is fired at each moment it asks for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from loosen import paths
from loosen.core.history import HistoryStore, Status
from loosen.core.phases import PhaseKind
from loosen.speech.beeps import Beep
from player_journey import answer_stop_question, click, click_routine, rate_with_keys

SPRINT, WALK = "Sprint 100 metres", "Walk back"
GENTLE = "Break due: squat and fold at the next natural pause"
MIN = 60.0


def play_until(player, clock, active_s: float) -> None:
    """Move time on as the driver's timer would wake, up to `active_s` of the session."""
    session = player.session
    while session.state.value == "running" and session.active_s() < active_s - 1e-6:
        wait = session.seconds_to_next_change()
        clock.advance(min(wait if wait else 0.001, active_s - session.active_s()))
        player.driver.timer.timeout.emit()


def on_screen(player) -> tuple[str, str, str]:
    return player.step_label.text(), player.time_label.text(), player.next_label.text()


def test_a_sprint_hour_with_skips_a_break_that_waits_and_one_taken_early(
    qtbot, open_window, speaker, clock
):
    window = open_window(speaker)
    click_routine(qtbot, window, "Sprint hour with back breaks")
    click(qtbot, window.library_view.start_button)
    player = window.active.view
    session = player.session
    qtbot.keyClick(player, Qt.Key.Key_6)  # how tight before, asked as the run starts

    # The sprint under way, large, with its time left, and what comes next.
    assert player.kind_label.text() == "Run"
    assert on_screen(player) == (SPRINT, "0:20", f"Next: {WALK}")
    assert player.side_label.text() == "0:00 since the start"
    assert speaker.spoken[0] == f"{SPRINT}, twenty seconds"
    assert speaker.beeps[0] is Beep.START
    play_until(player, clock, 5)
    assert on_screen(player) == (SPRINT, "0:15", f"Next: {WALK}")

    # N, quickly, three times: to the walk back, the next sprint, its walk back.
    for _ in range(3):
        qtbot.keyClick(player, Qt.Key.Key_N)
    assert on_screen(player) == (WALK, "1:45", f"Next: {SPRINT}")
    assert speaker.spoken[-1] == f"{WALK}, one minute forty-five"
    # P in its first seconds: back to the sprint before it, whole again.
    qtbot.keyClick(player, Qt.Key.Key_P)
    assert on_screen(player) == (SPRINT, "0:20", f"Next: {WALK}")
    assert player.side_label.text() == "0:05 since the start"  # the count goes on

    # At 15 minutes, the gentle cue; past 20, the walk back under way is not cut short.
    play_until(player, clock, 15 * MIN + 5)  # after the announcement of the walk back
    assert GENTLE in speaker.spoken
    assert player.reps_label.text() == "Break due: take it at your next pause (B) · by 20:00"
    play_until(player, clock, 20 * MIN + 1)
    under_way = session.phase
    assert under_way.is_effort and under_way.start_s < 20 * MIN < under_way.end_s
    assert player.reps_label.text() == "Break when this effort ends · B takes it now"
    assert player.next_label.text() == "Next: Squat and fold break"
    play_until(player, clock, under_way.end_s + 0.5)
    assert session.phase.kind is PhaseKind.GET_READY
    assert player.position_label.text() == "Break 1 · starting"
    assert speaker.spoken.count("Break time: squat and fold. First: deep squat, slowly") == 1

    # After the break, the efforts start again from the sprint.
    break_ends = session.phases[session.index + 1 :]
    back_at = next(p.start_s for p in break_ends if p.is_effort)
    play_until(player, clock, back_at + 3)
    assert on_screen(player) == (SPRINT, "0:17", f"Next: {WALK}")
    assert player.side_label.text() == "0:03 since your last break"
    assert player.reps_label.text() == "Break due from 15:00, at 20:00 at the latest"

    # B in the sprint, twice quickly: the break at once, and only one.
    qtbot.keyClick(player, Qt.Key.Key_B)
    qtbot.keyClick(player, Qt.Key.Key_B)
    assert session.phase.kind is PhaseKind.GET_READY
    assert player.position_label.text() == "Break 2 · starting"
    assert session.breaks_taken == 2

    # Closed mid-way: asked, stopped, rated; the history keeps both breaks.
    play_until(player, clock, back_at + 10)
    window.close()
    answer_stop_question(qtbot, player, "Yes")
    rate_with_keys(qtbot, window, "3")
    assert not window.isVisible()
    with HistoryStore.open(paths.history_db()) as store:
        (record,) = store.sessions()
    assert (record.routine, record.status, record.breaks) == (
        "sprint-session",
        Status.STOPPED,
        2,
    )
    assert (record.tightness_before, record.tightness_after) == (6, 3)
