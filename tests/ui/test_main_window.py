"""The main window: the library, a whole session end to end, and what reaches the history."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from loosen import paths
from loosen.core.history import Status
from loosen.core.session import State
from loosen.core.settings import Settings, load_settings
from loosen.ui.history_service import HistoryService
from loosen.ui.main_window import MainWindow
from loosen.ui.player_view import PlayerView
from player_journey import (
    answer_stop_question,
    back_to_window,
    click,
    rate_in_player,
    rate_with_keys,
    rating_dialog,
)

SHORT = (
    'format = 1\nid = "short"\nname = "Short one"\nkind = "cooldown"\n'
    '[defaults]\nget_ready = "2s"\nrest = "0s"\n[[steps]]\nname = "Hold"\nduration = "10s"\n'
    '[[steps]]\nname = "Squat"\nreps = 2\n'
)


@pytest.fixture
def window(open_window, speaker, user_routines):
    (user_routines / "short.toml").write_text(SHORT)
    return open_window(speaker)


def records(window: MainWindow):
    return window.history.submit(lambda store: store.sessions()).result(timeout=10)


def test_the_library_is_grouped_by_kind_with_the_users_routine(window):
    tree = window.library_view.tree
    groups = [
        tree.topLevelItem(i).text(0)
        for i in range(tree.topLevelItemCount())
        if not tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
    ]
    assert groups == ["Warm-ups", "Cooldowns", "Breaks", "Strength", "Runs"]
    assert window.library_view.select("short")
    assert window.library_view.title.text() == "Short one"
    assert window.windowTitle() == "Loosen"


def test_a_bad_file_shows_as_a_banner_and_a_new_file_appears_live(qtbot, window, user_routines):
    assert not window.library_view.banner.isVisible()
    with qtbot.waitSignal(window.library_loaded, timeout=10_000):
        (user_routines / "broken.toml").write_text('format = 1\nname = "Broken"\n')
    assert window.library_view.banner.isVisible()
    assert "broken.toml: steps: there are none" in window.library_view.banner.text()
    with qtbot.waitSignal(window.library_loaded, timeout=10_000):
        (user_routines / "extra.toml").write_text(SHORT.replace('"short"', '"extra"'))
    assert window.library_view.select("extra")


def test_the_welcome_panel_shows_once(qtbot, window, speaker, clock):
    assert window.library_view.welcome.isVisible()
    qtbot.mouseClick(
        window.library_view.welcome.findChild(type(window.library_view.start_button)),
        Qt.MouseButton.LeftButton,
    )
    assert not window.library_view.welcome.isVisible()
    assert load_settings(paths.settings_file())[0].seen_welcome


def test_a_session_end_to_end_is_logged_with_its_ratings(qtbot, window, clock):
    window.start_routine("short")
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    assert window.windowTitle() == "Short one — Loosen"
    qtbot.keyClick(player, Qt.Key.Key_6)  # before: 6, during get-ready
    for _ in range(12 * 4):
        clock.advance(0.25)
        player.driver.timer.timeout.emit()
    assert player.session.phase.open_ended
    qtbot.keyClick(player, Qt.Key.Key_Return)  # done with the squats: the session ends
    rate_with_keys(qtbot, window, "3")
    assert window.stack.currentWidget() is window.summary_page
    assert "Your back: 6 → 3 of 10, 3 points looser." in window.summary_page.body.text()
    (record,) = records(window)
    assert record.status is Status.COMPLETED
    assert (record.tightness_before, record.tightness_after) == (6, 3)
    assert (record.steps_done, record.steps_skipped) == (2, 0)
    assert record.active_s == pytest.approx(12, abs=0.3)
    assert record.routine == "short" and record.kind == "cooldown"


def test_escape_skips_the_rating_and_the_session_is_still_logged(qtbot, window):
    window.start_routine("short")
    player = window.stack.currentWidget()
    for _ in range(3):
        qtbot.keyClick(player, Qt.Key.Key_Right)
    rate_with_keys(qtbot, window, "", Qt.Key.Key_Escape)
    (record,) = records(window)
    # Both steps skipped to the end: reached, with nothing done, so partial.
    assert record.status is Status.PARTIAL and record.tightness_after is None
    assert record.steps_skipped == 2
    assert "No rating this time" in window.summary_page.body.text()


def test_stop_after_confirming_is_logged_as_stopped(qtbot, window, clock):
    window.start_routine("short")
    player = window.stack.currentWidget()
    clock.advance(4)
    player.driver.timer.timeout.emit()
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    assert answer_stop_question(qtbot, player, "Yes").startswith("Stop now?")
    dialog = rating_dialog(qtbot, window)
    click(qtbot, dialog.row.buttons[5])
    qtbot.mouseClick(dialog.note, Qt.MouseButton.LeftButton)  # the note takes focus on a click
    qtbot.keyClicks(dialog.note, "stiff")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: window.rating_dialog is None)  # closed once written
    (record,) = records(window)
    assert record.status is Status.STOPPED and record.tightness_after == 5
    assert record.note == "stiff"
    assert window.summary_page.body.text().startswith("Stopped")


def test_closing_mid_session_asks_and_a_stopped_session_is_still_rated(qtbot, window, clock):
    window.start_routine("short")
    player = window.stack.currentWidget()
    clock.advance(3)
    player.driver.timer.timeout.emit()
    uid = window.active.uid.result(timeout=10)
    window.close()
    assert window.isVisible()  # until the user has answered
    assert player.session.state is State.PAUSED  # the clock stands still while asked
    answer_stop_question(qtbot, player, "Yes")
    rate_with_keys(qtbot, window, "4")
    assert not window.isVisible()
    from loosen.core.history import HistoryStore

    with HistoryStore.open(paths.history_db()) as store:
        record = store.get(uid)
    assert record.status is Status.STOPPED and record.tightness_after == 4
    assert record.active_s == pytest.approx(3, abs=0.3)


def test_closing_mid_session_and_cancelling_goes_on_as_before(qtbot, window, clock):
    window.start_routine("short")
    player = window.stack.currentWidget()
    clock.advance(3)
    player.driver.timer.timeout.emit()
    window.close()
    assert player.session.state is State.PAUSED  # the clock stands still while asked
    answer_stop_question(qtbot, player, "No")
    assert window.isVisible() and window.stack.currentWidget() is player
    assert player.session.state is State.RUNNING
    clock.advance(1)
    player.driver.timer.timeout.emit()
    assert player.session.active_s() == pytest.approx(4)  # no time lost, none gained
    (record,) = records(window)
    assert record.status is Status.RUNNING


def test_a_speaker_notice_appears_without_blocking(qtbot, clock, user_routines):
    from helpers import RecordingSpeaker

    history = HistoryService(paths.history_db())
    made = MainWindow(
        Settings(seen_welcome=True),
        RecordingSpeaker(notice="No voice: install"),
        history,
        clock=clock,
    )
    qtbot.addWidget(made)
    made.show()
    assert made.messages.isVisible() and "No voice" in made.messages.label.text()
    assert not made.library_view.welcome.isVisible()
    made.close()


def test_settings_file_problems_do_not_stop_the_app(tmp_path):
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"theme": "purple"}))
    settings, problems = load_settings(path)
    assert settings.theme == "system" and "theme" in problems[0]


def test_settings_are_applied_and_kept(qtbot, window, speaker):
    from dataclasses import replace

    chosen = replace(
        window.settings, volume=0.3, beeps=False, speak=False, countdown=5, theme="dark"
    )
    click(qtbot, window.settings_button)
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    dialog.volume.setValue(30)
    for box in (dialog.beeps, dialog.speak):  # clicked on their tick boxes
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    dialog.countdown.setValue(5)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    click(qtbot, dialog.ok_button)
    assert window.settings_dialog is None and not dialog.isVisible()
    assert (speaker.volume, speaker.beeps_enabled, speaker.voice_enabled) == (0.3, False, False)
    assert load_settings(paths.settings_file())[0] == chosen
    window.start_routine("short")
    steps = window.active.session.routine.steps
    assert {s.countdown for s in steps} == {5}


def test_the_settings_dialog_round_trips(qtbot):
    from loosen.ui.settings_dialog import SettingsDialog

    original = Settings(voice="en-gb", rate_wpm=150, volume=0.5, countdown=None, theme="light")
    dialog = SettingsDialog(original, [("en-gb", "English (GB)"), ("en-us", "English (US)")])
    qtbot.addWidget(dialog)
    assert dialog.chosen() == original
    dialog.voice.setCurrentIndex(dialog.voice.findData("en-us"))
    dialog.rate.setValue(180)
    dialog.countdown.setValue(0)
    chosen = dialog.chosen()
    assert (chosen.voice, chosen.rate_wpm, chosen.countdown) == ("en-us", 180, 0)


def test_runs_show_their_planned_breaks_where_routines_show_steps(window):
    tree = window.library_view.tree
    rows = {
        tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole): tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
    }
    assert rows["sprint-session"].text(2) == "2 breaks"
    assert rows["long-easy-run"].text(2) == "3 breaks"
    assert rows["squat-and-fold"].text(2) == "2"


def test_m_in_the_player_mutes_for_later_and_the_library_says_so_with_a_click_to_undo(
    qtbot, window, speaker
):
    muted = window.library_view.muted_button
    assert not muted.isVisible()
    window.start_routine("short")
    player = window.stack.currentWidget()
    qtbot.keyClick(player, Qt.Key.Key_M)
    assert player.mute_button.isVisible() and speaker.muted
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    answer_stop_question(qtbot, player, "Yes")
    rate_with_keys(qtbot, window, "", Qt.Key.Key_Escape)
    back = window.summary_page.findChild(QPushButton)
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.library_view
    assert muted.isVisible() and "unmute" in muted.text()  # the reason for the silence
    assert load_settings(paths.settings_file())[0].muted
    qtbot.mouseClick(muted, Qt.MouseButton.LeftButton)
    assert not muted.isVisible() and not speaker.muted
    assert not load_settings(paths.settings_file())[0].muted
    window.start_routine("short")
    assert not window.stack.currentWidget().mute_button.isVisible()


def test_a_window_opened_muted_says_so_in_the_library_and_the_player(
    qtbot, clock, speaker, user_routines
):
    (user_routines / "short.toml").write_text(SHORT)
    made = MainWindow(
        Settings(muted=True), speaker, HistoryService(paths.history_db()), clock=clock
    )
    qtbot.addWidget(made, before_close_func=MainWindow.stop_active_session)
    with qtbot.waitSignal(made.library_loaded):
        made.show()
    assert made.library_view.muted_button.isVisible()
    made.start_routine("short")
    assert made.active.view.mute_button.isVisible()


def test_loosen_run_of_a_file_that_failed_to_load_says_why(open_window, speaker, user_routines):
    (user_routines / "my-typo.toml").write_text(
        'format = 1\nname = "Typo"\n[[steps]]\nname = "A"\nduraton = "5s"\n', encoding="utf-8"
    )
    window = open_window(speaker)
    window.start_routine("my-typo")
    assert window.active is None
    text = window.messages.label.text()
    assert "my-typo.toml failed to load" in text and 'did you mean "duration"' in text


def test_the_summary_compares_with_the_last_rating_once_the_history_answers(qtbot, window):
    for rating in ("5", "3"):
        window.start_routine("short")
        player = window.stack.currentWidget()
        back_to_window(qtbot, window)  # from the last rating dialog
        assert QApplication.focusWidget() is player  # the keys go to the player
        for _ in range(3):
            qtbot.keyClick(player, Qt.Key.Key_Right)
        rate_with_keys(qtbot, window, rating)
    body = window.summary_page.body
    assert body.text().startswith("Completed · ")  # at once, the comparison to follow
    qtbot.waitUntil(lambda: "2 looser than after your last short one." in body.text())
    assert "Your back now: 3 of 10." in body.text()


@pytest.mark.parametrize("rate", [True, False])
def test_a_short_desk_break_is_rated_in_the_player_or_not_at_all_never_in_a_dialog(
    qtbot, window, clock, rate
):
    window.settings = replace(window.settings, rate_short_breaks=rate)
    window.start_routine("squat-and-fold")  # the built-in one-minute break
    player = window.stack.currentWidget()
    clock.advance(600)
    player.driver.timer.timeout.emit()
    if rate:
        rate_in_player(qtbot, window, "3")
    else:
        qtbot.waitUntil(lambda: window.active is None)
    assert window.rating_dialog is None
    (record,) = records(window)
    assert record.tightness_after == (3 if rate else None)
    body = window.summary_page.body.text()
    assert ("Your back now: 3 of 10." in body) if rate else ("No rating this time" in body)
