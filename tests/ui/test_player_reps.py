"""Counted reps in the player: the voice and the screen say the same rep, every rep."""

from __future__ import annotations

from loosen.core.cues import number_words
from loosen.core.session import Session
from loosen.ui.player_view import PlayerView

from helpers import routine, step

DEAD_BUG = step("Dead bug", reps=6, tempo_s=4.0, say="Press your lower back into the mat.")


def test_each_rep_said_is_the_rep_on_screen_from_the_first_to_the_last(qtbot, clock, speaker):
    view = PlayerView(Session(routine(DEAD_BUG, get_ready_s=5.0), clock), speaker)
    qtbot.addWidget(view)
    view.show()
    view.start()
    numbers = {number_words(n): n for n in range(1, 7)}
    counted: list[tuple[int, str]] = []
    heard = 0
    while view.session.phase is not None and clock.now() < 1000 + 120:
        clock.advance(0.25)
        view.driver.timer.timeout.emit()
        for text in speaker.spoken[heard:]:
            if text in numbers and view.session.phase.kind.value == "work":
                counted.append((numbers[text], view.reps_label.text()))
        heard = len(speaker.spoken)
    assert counted == [(n, f"Rep {n} of 6") for n in range(1, 7)]
    # The instruction came before the first rep, not over the count.
    assert speaker.spoken.index(DEAD_BUG.say) < speaker.spoken.index("one")
