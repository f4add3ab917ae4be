"""The player, driven by a fake clock: what it shows and what every key does."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QMessageBox

from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE, MIN_RATE_WPM
from loosen.core.phases import PhaseKind
from loosen.core.plan import break_length_s
from loosen.core.session import Session, State
from loosen.speech.beeps import Beep
from loosen.ui.player_view import PlayerView
from player_journey import answer_stop_question

from helpers import routine, run_routine, step

LUNGE = step(
    "Hip flexor lunge stretch", duration_s=45.0, sides=True, say="Tuck under.", rest_s=10.0
)
SQUAT = step("Deep squat", reps=2)


def make_player(qtbot, clock, speaker, made=None) -> PlayerView:
    made = made or routine(LUNGE, SQUAT, get_ready_s=5.0)
    view = PlayerView(Session(made, clock), speaker)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitActive(view):
        view.activateWindow()
    view.start()
    return view


def tick(view: PlayerView, clock, seconds: float, step_s: float = 0.25) -> None:
    """Move time on and fire the driver's timer as Qt would, without waiting."""
    for _ in range(round(seconds / step_s)):
        clock.advance(step_s)
        view.driver.timer.timeout.emit()


def press(qtbot, view, key) -> None:
    qtbot.keyClick(view, key)


def test_the_display_is_computed_from_the_clock(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    assert view.kind_label.text() == "Get ready"
    assert view.time_label.text() == "0:05"
    tick(view, clock, 5.0 + 10.5)
    assert view.step_label.text() == "Hip flexor lunge stretch"
    assert view.side_label.text() == "Left side"
    assert view.time_label.text() == "0:35"  # 34.5 s left shows as 0:35
    assert view.kind_label.text() == "Work"
    assert view.phase_bar.value() == round(10.5 / 45 * 1000)
    assert view.next_label.text() == "Next: right side"
    assert view.say_label.text() == "Tuck under."


def test_cues_go_to_the_speaker_in_order(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    tick(view, clock, 6)
    assert speaker.spoken == [
        "Get ready. First: hip flexor lunge stretch",
        "one",
        "Hip flexor lunge stretch, left side, forty-five seconds",
    ]
    assert Beep.START in speaker.beeps
    assert speaker.prepared[0] == "Get ready. First: hip flexor lunge stretch"
    assert view.cue_label.text() == "“Hip flexor lunge stretch, left side, forty-five seconds”"


def test_space_pauses_and_resumes(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    tick(view, clock, 7)
    press(qtbot, view, Qt.Key.Key_Space)
    assert view.session.state is State.PAUSED
    assert view.pause_button.text() == "Resume" and "paused" in view.kind_label.text()
    shown = view.time_label.text()
    clock.advance(120)
    view.driver.timer.timeout.emit()
    assert view.time_label.text() == shown
    press(qtbot, view, Qt.Key.Key_Space)
    assert view.session.state is State.RUNNING and view.pause_button.text() == "Pause"


@pytest.mark.parametrize("key", [Qt.Key.Key_Right, Qt.Key.Key_N])
def test_right_or_n_skips(qtbot, clock, speaker, key):
    view = make_player(qtbot, clock, speaker)
    tick(view, clock, 6)
    stops = speaker.stops
    press(qtbot, view, key)
    assert view.session.phase.kind is PhaseKind.SWITCH
    assert speaker.stops > stops  # the old cue is cut off


@pytest.mark.parametrize("key", [Qt.Key.Key_Left, Qt.Key.Key_P])
def test_left_or_p_goes_back(qtbot, clock, speaker, key):
    view = make_player(qtbot, clock, speaker)
    tick(view, clock, 15)
    press(qtbot, view, key)
    assert view.session.phase.side.value == "left" and view.time_label.text() == "0:45"
    press(qtbot, view, key)  # within two seconds: the get-ready before it
    assert view.session.phase.kind is PhaseKind.GET_READY


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_D])
def test_enter_or_d_finishes_an_open_ended_step(qtbot, clock, speaker, key):
    view = make_player(qtbot, clock, speaker)
    press(qtbot, view, Qt.Key.Key_D)  # not open-ended now: nothing happens
    assert view.session.phase.kind is PhaseKind.GET_READY
    assert not view.done_button.isVisible()
    tick(view, clock, 5 + 45 + 5 + 45 + 10 + 1)
    assert view.session.phase.open_ended and view.done_button.isVisible()
    assert view.reps_label.text() == "2 reps in your own time · Enter when done"
    with qtbot.waitSignal(view.finished) as finished:
        press(qtbot, view, key)
    summary, completed = finished.args
    assert completed and summary.steps_done == 2


def test_skip_to_the_end_finishes(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    with qtbot.waitSignal(view.finished) as finished:
        for _ in range(len(view.session.phases)):
            press(qtbot, view, Qt.Key.Key_Right)
    assert finished.args[1] is True
    assert finished.args[0].steps_skipped == 2
    assert not view.stop_button.isEnabled()


@pytest.mark.parametrize(("answer", "state"), [("Yes", State.FINISHED), ("No", State.RUNNING)])
def test_escape_asks_before_stopping(qtbot, clock, speaker, answer, state):
    view = make_player(qtbot, clock, speaker)
    tick(view, clock, 8)
    press(qtbot, view, Qt.Key.Key_Escape)
    press(qtbot, view, Qt.Key.Key_Escape)  # pressed again while asked: one question
    assert view.session.state is State.PAUSED  # while the question is open
    assert len([w for w in view.children() if isinstance(w, QMessageBox)]) == 1
    answer_stop_question(qtbot, view, answer)
    assert view.session.state is state
    if answer == "No":
        assert view.session.active_s() == pytest.approx(8)  # paused while asking, no time lost


def test_f_asks_for_full_screen_and_m_mutes(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    with qtbot.waitSignal(view.full_screen_toggled):
        press(qtbot, view, Qt.Key.Key_F)
    with qtbot.waitSignal(view.mute_toggled) as muted:
        press(qtbot, view, Qt.Key.Key_M)
    assert muted.args == [True] and speaker.muted
    spoken = len(speaker.spoken)
    tick(view, clock, 6)
    assert len(speaker.spoken) == spoken  # muted: nothing said
    assert view.cue_label.text()  # but still shown


def test_a_digit_during_get_ready_rates_the_back_before_and_stays_to_be_seen(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    assert view.rating_row.isVisible()
    with qtbot.waitSignal(view.before_rated) as rated:
        press(qtbot, view, Qt.Key.Key_4)
    assert rated.args == [4] and view.rating_row.isVisible()
    assert view.rating_row.buttons[4].isChecked()
    assert view.rating_row.question.text().startswith("Your back before: 4 of 10")
    assert view.session.state is State.RUNNING  # the start was never held up


def test_the_before_rating_takes_ten_and_can_be_changed_until_the_end(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    with qtbot.waitSignals([view.before_rated, view.before_rated]):
        press(qtbot, view, Qt.Key.Key_1)
        press(qtbot, view, Qt.Key.Key_0)
    assert view.rating_row.value == 10 and view.rating_row.buttons[10].isChecked()
    tick(view, clock, 60)  # well past the first work phase
    assert view.rating_row.isVisible()
    with qtbot.waitSignal(view.before_rated) as changed:
        qtbot.mouseClick(view.rating_row.buttons[6], Qt.MouseButton.LeftButton)
    assert changed.args == [6]
    assert view.rating_row.question.text().startswith("Your back before: 6 of 10")


def test_the_before_question_goes_once_the_first_work_phase_ends_unanswered(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    first_work_ends = next(p.end_s for p in view.session.phases if p.kind is PhaseKind.WORK)
    tick(view, clock, first_work_ends - 1)
    assert view.rating_row.isVisible()  # missed the get-ready: still asked
    tick(view, clock, 2)
    assert not view.rating_row.isVisible()


def test_b_takes_the_break_in_a_run(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker, run_routine())
    assert view.break_button.isVisible()
    assert view.reps_label.text() == "Break due from 15:00, at 20:00 at the latest"
    assert view.side_label.text() == "Since the start"
    tick(view, clock, 60, step_s=1.0)
    assert view.time_label.text() == "1:00"  # the activity counts up
    assert view.session_label.text() == "1:00 in · 59:00 left"
    press(qtbot, view, Qt.Key.Key_B)
    assert view.session.phase.kind is PhaseKind.GET_READY
    assert "Break time: squat and fold" in speaker.spoken
    assert view.position_label.text() == "Break 1 · starting"
    assert not view.break_button.isVisible()


def test_b_before_the_window_is_offered_as_an_early_break(qtbot, clock, speaker):
    # Waiting to cross a road at minute 8: the break is taken early, and the count restarts.
    view = make_player(qtbot, clock, speaker, run_routine())
    tick(view, clock, 8 * 60, step_s=1.0)
    assert view.break_button.text() == "Take the break early"
    assert view.reps_label.styleSheet() == ""  # not due yet: no emphasis
    press(qtbot, view, Qt.Key.Key_B)
    tick(view, clock, 3 + 20 + 20, step_s=0.5)  # the break, whole
    assert view.session.phase.kind is PhaseKind.ACTIVITY
    assert view.time_label.text() == "0:00" and view.side_label.text() == "Since your last break"
    assert view.reps_label.text() == "Break due from 15:00, at 20:00 at the latest"


def test_inside_the_window_the_break_is_due_and_stands_out(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker, run_routine())
    tick(view, clock, 15 * 60, step_s=1.0)
    assert speaker.spoken[-1] == "Break due: squat and fold at the next natural pause"
    assert view.reps_label.text() == "Break due: take it at your next pause (B) · by 20:00"
    assert "font-weight: 600" in view.reps_label.styleSheet()
    assert view.break_button.text() == "Take the break now"


def test_no_break_is_offered_when_none_would_end_in_time(qtbot, clock, speaker):
    # 21 minutes: one break at 20:00 leaves 0:06 of running, too short for another.
    view = make_player(qtbot, clock, speaker, run_routine(total_s=20 * 60 + 43 + 20))
    tick(view, clock, 20 * 60 + 43 + 5, step_s=1.0)
    assert view.session.phase.kind is PhaseKind.ACTIVITY
    assert view.reps_label.text() == "No more breaks · 0:15 to go"
    assert not view.break_button.isVisible()
    press(qtbot, view, Qt.Key.Key_B)  # refused by the session: nothing happens
    assert view.session.phase.kind is PhaseKind.ACTIVITY


def test_the_break_is_offered_only_when_the_session_would_take_it(qtbot, clock, speaker):
    # Spoken slowly, the lead-in before counted reps grows to fit the instruction, so a
    # break takes longer: the player offers one only if it ends by the total at this rate.
    squat = step("Deep squat", reps=4, tempo_s=5.0, say="Sink your hips slowly, back round.")
    run = run_routine()
    counted = replace(run.interval.break_routine, steps=(squat,))
    run = replace(run, interval=replace(run.interval, break_routine=counted))
    slow_s = break_length_s(run, MIN_RATE_WPM)
    usual_s = break_length_s(run, DEFAULT_WORDS_PER_MINUTE)
    assert slow_s > usual_s + 2
    run = replace(run, interval=replace(run.interval, total_s=20 * 60 + slow_s + 120))
    view = PlayerView(Session(run, clock, words_per_minute=MIN_RATE_WPM), speaker)
    qtbot.addWidget(view)
    view.show()
    view.start()
    # After the one break, at a moment when another would fit at the usual rate only.
    tick(view, clock, run.interval.total_s - (slow_s + usual_s) / 2, step_s=1.0)
    assert view.session.phase.kind is PhaseKind.ACTIVITY
    assert not view.break_button.isVisible()
    assert not view.reps_label.text().endswith("B if you need one")


def test_the_time_font_grows_with_the_window(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    view.resize(800, 600)
    small = view.time_label.font().pixelSize()
    view.resize(1280, 800)
    assert view.time_label.font().pixelSize() > small
    assert view.time_label.font().pixelSize() > 3 * view.step_label.font().pixelSize()


def laid_out(view: PlayerView) -> list:
    """Where everything on the player is, once the layout has caught up with the texts."""
    view.layout().activate()
    shown = (
        view.band,
        view.step_label,
        view.side_label,
        view.time_label,
        view.reps_label,
        view.say_label,
        view.phase_bar,
        view.next_label,
        view.cue_label,
        view.session_bar,
    )
    return [w.geometry() for w in shown]


def assert_paused_under_the_figures(view: PlayerView) -> None:
    clock, badge = view.time_label.geometry(), view.paused_label.geometry()
    figures_bottom = clock.center().y() + QFontMetrics(view.time_label.font()).capHeight() // 2
    assert figures_bottom < badge.top() < figures_bottom + badge.height()
    assert abs(badge.center().x() - clock.center().x()) <= 1
    assert view.rect().contains(badge)


def test_paused_is_plain_from_across_the_room_and_nothing_moves(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    tick(view, clock, 7)
    assert not view.paused_label.isVisible()
    bright = view.time_label.palette().color(view.time_label.foregroundRole())
    layout_before = laid_out(view)
    press(qtbot, view, Qt.Key.Key_Space)
    assert view.paused_label.isVisible() and view.paused_label.text() == "PAUSED"
    # Large type, right under the clock's figures, which it leaves whole.
    assert view.paused_label.font().pixelSize() > 1.5 * view.step_label.font().pixelSize()
    assert_paused_under_the_figures(view)
    dimmed = view.time_label.palette().color(view.time_label.foregroundRole())
    assert dimmed.alpha() < bright.alpha() / 2  # the clock dims while it stands still
    assert laid_out(view) == layout_before  # no jump: nothing else on screen moves
    press(qtbot, view, Qt.Key.Key_Space)
    assert not view.paused_label.isVisible()
    assert view.time_label.palette().color(view.time_label.foregroundRole()).alpha() == 255


def test_muted_shows_in_the_player_and_m_or_a_click_undoes_it(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    assert not view.mute_button.isVisible()
    layout_before = laid_out(view)
    press(qtbot, view, Qt.Key.Key_M)
    assert view.mute_button.isVisible() and view.mute_button.text() == "Muted — M to unmute"
    assert laid_out(view) == layout_before  # shown without a jump
    press(qtbot, view, Qt.Key.Key_M)
    assert not view.mute_button.isVisible() and not speaker.muted
    press(qtbot, view, Qt.Key.Key_M)
    with qtbot.waitSignal(view.mute_toggled) as toggled:
        qtbot.mouseClick(view.mute_button, Qt.MouseButton.LeftButton)
    assert toggled.args == [False] and not view.mute_button.isVisible() and not speaker.muted


def test_a_player_opened_muted_says_so(qtbot, clock, speaker):
    view = PlayerView(Session(routine(LUNGE), clock), speaker, muted=True)
    qtbot.addWidget(view)
    view.show()
    assert view.mute_button.isVisible()


def test_set_and_rep_are_said_once_together(qtbot, clock, speaker):
    bridge = step("Glute bridge", reps=12, tempo_s=3.0, sets=2, rest_s=20.0)
    view = make_player(qtbot, clock, speaker, routine(bridge, get_ready_s=5.0))
    tick(view, clock, 5 + 7)  # the third rep of the first set
    assert view.reps_label.text().startswith("Set 1 of 2 · Rep ")
    assert view.side_label.text() == ""  # not "set 1 of 2" a second time
    shown = view.reps_label.text() + view.side_label.text() + view.step_label.text()
    assert shown.lower().count("set ") == 1


def test_a_timed_step_in_sets_shows_which_set_beside_its_side(qtbot, clock, speaker):
    plank = step("Side plank", duration_s=30.0, sides=True, sets=2, rest_s=10.0)
    view = make_player(qtbot, clock, speaker, routine(plank, get_ready_s=5.0))
    tick(view, clock, 6)
    assert view.side_label.text() == "Left side"
    assert view.reps_label.text() == "Set 1 of 2" and view.reps_label.isVisible()


def test_the_switch_says_which_side_comes_next(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    tick(view, clock, 5 + 45 + 1)
    assert view.session.phase.kind is PhaseKind.SWITCH
    assert view.kind_label.text() == "Switch sides"
    assert view.next_label.text() == "Next: right side"


def test_paused_stays_under_the_figures_on_a_small_screen(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    view.resize(784, 470)  # the player's share of an 800x600 screen
    press(qtbot, view, Qt.Key.Key_Space)
    assert_paused_under_the_figures(view)
    view.resize(1264, 660)
    assert_paused_under_the_figures(view)


def test_the_muted_sign_stays_put_when_the_session_pauses(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    view.resize(784, 470)
    press(qtbot, view, Qt.Key.Key_M)
    centre = view.mute_button.geometry().center()
    press(qtbot, view, Qt.Key.Key_Space)
    assert view.kind_label.text().endswith("paused")
    assert view.mute_button.geometry().center() == centre
    assert abs(centre.x() - view.band.width() // 2) <= 1  # in the middle of the band


def test_a_session_stopped_while_paused_shows_stopped_not_the_phase(
    qtbot, monkeypatch, clock, speaker
):
    view = make_player(qtbot, clock, speaker)
    tick(view, clock, 7)
    press(qtbot, view, Qt.Key.Key_Space)
    assert view.paused_label.isVisible()
    press(qtbot, view, Qt.Key.Key_Escape)
    with qtbot.waitSignal(view.finished):
        answer_stop_question(qtbot, view, "Yes")
    # What shows behind the rating: stopped, nothing to press, no PAUSED left over.
    assert view.kind_label.text() == "Stopped"
    assert not view.paused_label.isVisible()
    assert not view.pause_button.isEnabled() and not view.skip_button.isEnabled()


def test_after_a_short_break_one_key_in_the_player_rates_it_and_one_then_zero_is_ten(
    qtbot, clock, speaker
):
    view = make_player(qtbot, clock, speaker)
    answers: list[int | None] = []
    view.ask_after(answers.append)
    assert view.after_row.isVisible() and not view.rating_row.isVisible()
    press(qtbot, view, Qt.Key.Key_1)
    press(qtbot, view, Qt.Key.Key_0)
    qtbot.waitUntil(lambda: answers == [10])
    press(qtbot, view, Qt.Key.Key_4)  # answered: a late key is not a second rating
    assert answers == [10]


def test_the_light_rating_takes_one_alone_once_the_moment_for_ten_has_passed(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    answers: list[int | None] = []
    view.ask_after(answers.append)
    press(qtbot, view, Qt.Key.Key_1)
    assert answers == []
    qtbot.waitUntil(lambda: answers == [1])


def test_escape_skips_the_light_rating_and_does_not_ask_to_stop(qtbot, clock, speaker):
    view = make_player(qtbot, clock, speaker)
    answers: list[int | None] = []
    view.ask_after(answers.append)
    press(qtbot, view, Qt.Key.Key_Escape)
    assert answers == [None] and view.stop_question is None
