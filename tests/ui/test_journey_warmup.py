"""Journey: a warm-up before a run, in the hallway, shoes on.

Two clicks start it (the row, then Start); the voice carries it to the end with no
touch of the machine; one digit and Enter rate it; the history holds it, completed.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from loosen.core.history import Status
from loosen.core.phases import PhaseKind
from loosen.ui.player_view import PlayerView
from player_journey import click, click_routine, play, rate_with_keys, records


def test_a_warm_up_from_two_clicks_to_a_rating(qtbot, open_window, speaker, clock):
    window = open_window(speaker)
    click_routine(qtbot, window, "Dynamic warm-up")
    assert window.library_view.title.text() == "Dynamic warm-up"
    click(qtbot, window.library_view.start_button)

    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    assert window.windowTitle() == "Dynamic warm-up — Loosen"
    assert player.kind_label.text() == "Get ready"
    assert player.step_label.text() == "Next: Brisk march"
    assert player.time_label.text() == "0:05"
    qtbot.keyClick(player, Qt.Key.Key_7)  # how tight before: one key, while getting ready
    assert player.rating_row.buttons[7].isChecked()  # seen, and open to change

    plan = player.session.plan
    play(player, clock, 10)
    assert (player.kind_label.text(), player.step_label.text()) == ("Work", "Brisk march")
    play(player, clock, plan.total_s)  # hands off: the session runs to its end

    # Every cue heard, in the plan's order, each once: nothing late, nothing lost.
    assert speaker.spoken == [cue.text for cue in plan.cues]
    assert speaker.spoken[-1] == "Session complete"
    rate_with_keys(qtbot, window, "2")  # one digit and Enter
    assert window.stack.currentWidget() is window.summary_page
    body = window.summary_page.body.text()
    assert body.startswith("Completed · ") and "9 steps done, 0 skipped" in body
    assert "Your back: 7 → 2 of 10, 5 points looser." in body
    assert window.windowTitle() == "Loosen"

    (record,) = records(window)
    assert record.routine == "dynamic-warm-up" and record.kind == "warm-up"
    assert record.status is Status.COMPLETED
    assert (record.steps_done, record.steps_skipped) == (9, 0)
    assert (record.tightness_before, record.tightness_after) == (7, 2)
    assert record.active_s == pytest.approx(plan.total_s, abs=0.01)
    assert {p.kind for p in plan.phases} >= {
        PhaseKind.GET_READY,
        PhaseKind.WORK,
        PhaseKind.SWITCH,
        PhaseKind.REST,
    }
