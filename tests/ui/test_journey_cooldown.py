"""Journey: a cooldown on the mat, with per-side stretches.

Started with the mouse; paused with Space and resumed; a hold skipped with Right
pressed quickly several times, one of them taken back with Left; muted and unmuted
with M; the window closed mid-way (kept open once, then closed for good); rated with
keys. What the person sees at each point, and what the history then holds.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from loosen import paths
from loosen.core.history import HistoryStore, Status
from loosen.core.phases import PhaseKind
from loosen.ui.player_view import PlayerView
from player_journey import answer_stop_question, click, click_routine, play, rate_with_keys


def test_a_cooldown_paused_skipped_taken_back_closed_and_rated(qtbot, open_window, speaker, clock):
    window = open_window(speaker)
    click_routine(qtbot, window, "Post-run cooldown")
    click(qtbot, window.library_view.start_button)
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    qtbot.keyClick(player, Qt.Key.Key_6)  # before: 6

    # The first hold, left side.
    play(player, clock, 5 + 10)
    assert (player.kind_label.text(), player.step_label.text()) == (
        "Work",
        "Calf stretch, straight knee",
    )
    assert player.side_label.text() == "Left side"
    assert player.next_label.text() == "Next: right side"
    assert player.time_label.text() == "0:30"

    # Space: paused, plain to see; the clock stands still however long the break.
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert player.paused_label.isVisible() and player.paused_label.text() == "PAUSED"
    assert player.pause_button.text() == "Resume"
    play(player, clock, 90)
    assert player.time_label.text() == "0:30"
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert not player.paused_label.isVisible()

    # To the switch: it says which side comes next.
    play(player, clock, 31)
    assert player.kind_label.text() == "Switch sides"
    assert player.next_label.text() == "Next: right side"
    play(player, clock, 5)
    assert (player.session.phase.kind, player.side_label.text()) == (PhaseKind.WORK, "Right side")

    # Right, quickly, three times: the right side, the rest, the next stretch's left side.
    for _ in range(3):
        qtbot.keyClick(player, Qt.Key.Key_Right)
    assert player.step_label.text() == "Calf stretch, bent knee"
    assert player.side_label.text() == "Right side"
    # Left: one too far; back to the start of its left side.
    qtbot.keyClick(player, Qt.Key.Key_Left)
    assert (player.step_label.text(), player.side_label.text()) == (
        "Calf stretch, bent knee",
        "Left side",
    )
    assert player.time_label.text() == "0:40"

    # M: muted, said on screen; M again: not.
    qtbot.keyClick(player, Qt.Key.Key_M)
    assert player.mute_button.isVisible() and speaker.muted
    qtbot.keyClick(player, Qt.Key.Key_M)
    assert not player.mute_button.isVisible() and not speaker.muted

    play(player, clock, 20)
    uid = window.active.uid.result(timeout=10)

    # The window closed mid-way: asked, as Esc asks; "go on" changes nothing.
    window.close()
    assert player.kind_label.text() == "Work  ·  paused"  # paused while asked: no time lost
    answer_stop_question(qtbot, player, "No")
    assert window.isVisible() and window.stack.currentWidget() is player
    assert player.kind_label.text() == "Work" and player.time_label.text() == "0:20"
    play(player, clock, 5)
    assert player.time_label.text() == "0:15"  # the session went on
    # Closed again, and this time stopped: still rated, then the window goes.
    window.close()
    answer_stop_question(qtbot, player, "Yes")
    assert window.isVisible()  # until the rating is given
    rate_with_keys(qtbot, window, "3")
    assert not window.isVisible()

    with HistoryStore.open(paths.history_db()) as store:
        record = store.get(uid)
    assert record.status is Status.STOPPED
    assert (record.tightness_before, record.tightness_after) == (6, 3)
    # Skipped: the first stretch (its right side) and the second (its left side, skipped
    # before Left took it back); neither was finished, so none is done.
    assert (record.steps_done, record.steps_skipped) == (0, 2)
    assert record.active_s == pytest.approx(5 + 40 + 5 + 1 + 25, abs=0.5)  # pauses not counted
