"""A session's planned length, as the history records it when the player starts."""

from __future__ import annotations

from dataclasses import replace

from loosen.core.cues import MIN_RATE_WPM
from loosen.core.plan import build_plan


def recorded(window):
    return window.history.submit(lambda store: store.sessions()).result(timeout=10)


def test_the_history_records_the_length_planned_at_the_users_speaking_rate(
    qtbot, speaker, open_window
):
    window = open_window(speaker)
    window.settings = replace(window.settings, rate_wpm=MIN_RATE_WPM)
    window.start_routine("squat-and-fold")  # counted reps: slow speech lengthens lead-ins
    routine = window.library.find("squat-and-fold")
    slow = build_plan(routine, MIN_RATE_WPM).total_s
    assert slow > build_plan(routine).total_s

    def recorded_slow() -> None:
        assert [r.planned_s for r in recorded(window)] == [slow]

    qtbot.waitUntil(recorded_slow)


def test_a_run_with_no_end_records_no_planned_length(qtbot, speaker, open_window, user_routines):
    (user_routines / "open-run.toml").write_text(
        'format = 1\nname = "Open run"\nkind = "run"\n[interval]\nactivity = "Running"\n'
        'every = "15m"\nbreak = "squat-and-fold"\n'
    )
    window = open_window(speaker)
    window.start_routine("open-run")

    def recorded_without_length() -> None:
        assert [(r.routine, r.planned_s) for r in recorded(window)] == [("open-run", None)]

    qtbot.waitUntil(recorded_without_length)
