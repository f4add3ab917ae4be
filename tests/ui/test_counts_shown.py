"""Wherever a count is shown, one is singular: no "1 steps"."""

from __future__ import annotations

from loosen.core.session import Summary
from loosen.ui.library_view import step_amount
from loosen.ui.player_view import summary_text

from helpers import step


def test_the_session_summary_counts_right():
    one = Summary(
        planned_s=60, active_s=60, steps_done=1, steps_skipped=0, breaks_taken=1, work_share=1.0
    )
    text = summary_text(one, True, run=True)
    assert "1 step done" in text and "1 break taken" in text
    assert "steps" not in text and "breaks" not in text


def test_a_single_rep_step_reads_right_in_the_library():
    assert step_amount(step("Deep squat", reps=1)) == "1 rep, your pace"
    assert step_amount(step("Bridge", reps=1, tempo_s=3.0)) == "1 rep × 3s"
