"""What a screen reader is told without looking: each phase as it starts, and the rating
question; nothing every second. Read where every accessibility event leaves the app
(`a11y.send`), as Qt's `QAccessibleAnnouncementEvent`s."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

from loosen.ui import a11y
from loosen.ui.player_view import AFTER_QUESTION, BEFORE_QUESTION, PlayerView
from loosen.ui.rating import RATING_KEYS_HINT, RATING_QUESTION
from player_journey import click, click_routine, play, rate_in_player, rate_with_keys


@pytest.fixture
def announced(monkeypatch) -> list[tuple[str, QAccessible.AnnouncementPoliteness]]:
    heard: list[tuple[str, QAccessible.AnnouncementPoliteness]] = []

    def record(event) -> None:
        assert isinstance(event, QAccessibleAnnouncementEvent)
        heard.append((event.message(), event.politeness()))

    monkeypatch.setattr(a11y, "send", record)
    return heard


def said(announced) -> list[str]:
    return [text for text, _ in announced]


def test_each_phase_is_announced_once_as_it_starts(qtbot, open_window, speaker, clock, announced):
    window = open_window(speaker)
    click_routine(qtbot, window, "Post-run cooldown")
    click(qtbot, window.library_view.start_button)
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    # The first phase, then the question it asks meanwhile (a digit answers it).
    assert said(announced) == [
        "Get ready, 5 seconds. Next: Calf stretch, straight knee",
        BEFORE_QUESTION,
    ]

    play(player, clock, 5)
    assert said(announced)[2:] == ["Work: Calf stretch, straight knee, left side, 40 seconds"]
    # The clock runs on, the cues are spoken: a screen reader hears nothing more.
    play(player, clock, 20)
    assert len(announced) == 3

    qtbot.keyClick(player, Qt.Key.Key_N)  # skipped: the phase it lands on is announced
    assert said(announced)[3:] == [
        "Switch sides: Calf stretch, straight knee, right side, 5 seconds"
    ]
    assert all(p is QAccessible.AnnouncementPoliteness.Polite for _, p in announced)

    qtbot.keyClick(player, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: player.stop_question is not None and player.stop_question.isVisible())
    qtbot.keyClick(player.stop_question, Qt.Key.Key_Y)
    rate_with_keys(qtbot, window, "2")
    # The question comes at once, ahead of anything else being said.
    question = f"{RATING_QUESTION} {RATING_KEYS_HINT}"
    assert (question, QAccessible.AnnouncementPoliteness.Assertive) in announced
    assert "Esc skips" in question


def test_the_rating_after_a_short_break_is_announced(qtbot, open_window, speaker, clock, announced):
    window = open_window(speaker)
    window.start_routine("squat-and-fold")
    player = window.active.view
    play(player, clock, 3 * 60)
    qtbot.waitUntil(player.after_row.isVisible)
    assert (AFTER_QUESTION, QAccessible.AnnouncementPoliteness.Assertive) in announced
    rate_in_player(qtbot, window, "3")
