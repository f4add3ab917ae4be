"""The settings dialog: the schema's ranges, the user's language first, a voice preview."""

from __future__ import annotations

import threading
from dataclasses import replace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QLabel

from loosen.core.cues import MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.settings import Settings
from loosen.core.settings_schema import (
    BEEPS,
    COUNTDOWN,
    MUTED,
    RATE_WPM,
    REMINDER_EVERY,
    REMINDER_ROUTINE,
    REMINDERS,
    SPEAK,
    START_AT_LOGIN,
    START_FULL_SCREEN,
    THEME,
    VOICE,
    VOLUME,
    WORKING_HOURS,
)
from loosen.speech.voices import Voice
from loosen.ui.settings_dialog import PREVIEW_LINE, VOLUME_STEPS, SettingsDialog


def test_the_rate_range_is_the_one_the_settings_file_and_the_command_line_allow(qtbot):
    for rate in (MIN_RATE_WPM, MAX_RATE_WPM):
        dialog = SettingsDialog(Settings(rate_wpm=rate), [])
        qtbot.addWidget(dialog)
        assert (dialog.rate.minimum(), dialog.rate.maximum()) == (MIN_RATE_WPM, MAX_RATE_WPM)
        assert dialog.chosen().rate_wpm == rate  # shown as saved, not clamped


def test_the_dialogs_ranges_steps_units_and_choices_are_the_schemas(qtbot):
    dialog = SettingsDialog(Settings(), [])
    qtbot.addWidget(dialog)
    rate, countdown, volume = dialog.rate, dialog.countdown, dialog.volume
    assert (rate.minimum(), rate.maximum()) == RATE_WPM.bounds()
    assert (rate.singleStep(), rate.suffix()) == (RATE_WPM.step, RATE_WPM.unit)
    # One step below the least countdown stands for null: as each routine says.
    assert (countdown.minimum() + 1, countdown.maximum()) == COUNTDOWN.bounds()
    assert countdown.suffix() == COUNTDOWN.unit
    assert (volume.minimum() / VOLUME_STEPS, volume.maximum() / VOLUME_STEPS) == VOLUME.bounds()
    theme = dialog.theme
    assert [(theme.itemData(i), theme.itemText(i)) for i in range(theme.count())] == [
        (choice.value, choice.label) for choice in THEME.choices
    ]
    assert dialog.reminder_every.placeholderText() == REMINDER_EVERY.default


def test_every_control_is_labelled_and_explained_by_the_schema(qtbot):
    dialog = SettingsDialog(Settings(), [])
    qtbot.addWidget(dialog)
    controls = {
        SPEAK: dialog.speak,
        VOICE: dialog.voice,
        RATE_WPM: dialog.rate,
        VOLUME: dialog.volume,
        MUTED: dialog.muted,
        BEEPS: dialog.beeps,
        COUNTDOWN: dialog.countdown,
        START_FULL_SCREEN: dialog.full_screen,
        THEME: dialog.theme,
        REMINDERS: dialog.reminders,
        REMINDER_ROUTINE: dialog.reminder_routine,
        REMINDER_EVERY: dialog.reminder_every,
        WORKING_HOURS: dialog.working_hours,
        START_AT_LOGIN: dialog.start_at_login,
    }
    form = dialog.body.layout()  # the fields, in their scroll area
    for field, control in controls.items():
        assert control.toolTip() == field.help, field.key
        if isinstance(control, QCheckBox):
            assert control.text() == field.label, field.key
        elif field is not VOICE:  # the voice list shares the "Voice" row of its check box
            assert form.labelForField(control).text() == field.label, field.key


def test_the_countdown_can_be_set_anywhere_in_the_schemas_range_or_left_to_routines(qtbot):
    low, high = (int(limit) for limit in COUNTDOWN.bounds())
    for countdown in (None, low, high):
        dialog = SettingsDialog(Settings(countdown=countdown), [])
        qtbot.addWidget(dialog)
        assert dialog.chosen().countdown == countdown


def test_an_interval_outside_the_schemas_range_is_refused_in_words(qtbot):
    dialog = SettingsDialog(Settings(reminders=True), [])
    qtbot.addWidget(dialog)
    dialog.reminder_every.setText("30s")
    assert not dialog.ok_button.isEnabled()
    assert dialog.every_hint.text().endswith("(1 minute to 24 hours)")


def test_working_hours_are_refused_in_words_and_kept_when_good(qtbot):
    dialog = SettingsDialog(Settings(reminders=True), [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.working_hours.text() == "" and not dialog.hours_hint.isVisible()
    dialog.working_hours.setText("Mon-Fri 17:30-09:00")
    assert not dialog.ok_button.isEnabled()
    assert dialog.hours_hint.isVisible()
    assert "the hours end before they start" in dialog.hours_hint.text()
    assert "Mon-Fri 09:00-17:30" in dialog.hours_hint.text()  # what is allowed, in words
    dialog.working_hours.setText("Mon-Fri 09:00-17:30")
    assert dialog.ok_button.isEnabled() and not dialog.hours_hint.isVisible()
    dialog.start_at_login.setChecked(True)
    chosen = dialog.chosen()
    assert (chosen.working_hours, chosen.start_at_login) == ("Mon-Fri 09:00-17:30", True)


def test_settings_says_once_when_no_source_tells_away_from_the_desk(qtbot):
    from loosen.ui.presence import MISSING_TEXT

    dialog = SettingsDialog(Settings(), [], presence_missing=MISSING_TEXT)
    qtbot.addWidget(dialog)
    said = [label for label in dialog.findChildren(QLabel) if label.text() == MISSING_TEXT]
    assert len(said) == 1
    quiet = SettingsDialog(Settings(), [])
    qtbot.addWidget(quiet)
    assert not [label for label in quiet.findChildren(QLabel) if label.text() == MISSING_TEXT]


def test_the_short_break_question_sits_under_its_routine_not_among_the_hours_notes(qtbot):
    from loosen.ui.presence import MISSING_TEXT

    dialog = SettingsDialog(Settings(reminders=True), [], presence_missing=MISSING_TEXT)
    qtbot.addWidget(dialog)
    form = dialog.reminder_routine.parentWidget().layout()
    row_of = {
        name: form.getWidgetPosition(widget)[0]
        for name, widget in (
            ("routine", dialog.reminder_routine),
            ("rate short breaks", dialog.rate_short_breaks),
            ("working hours", dialog.working_hours),
            ("away note", dialog.presence_note),
            ("login", dialog.start_at_login),
        )
    }
    assert row_of["rate short breaks"] == row_of["routine"] + 1
    assert row_of["working hours"] < row_of["away note"] < row_of["login"]


VOICES = [
    Voice("gmw/af", "Afrikaans", ("af",)),
    Voice("gmw/de", "German", ("de",)),
    Voice("gmw/en", "English (Great Britain)", ("en-gb",)),
    Voice("gmw/en-us", "English (America)", ("en-us",)),
]


def listed(dialog: SettingsDialog) -> list[str]:
    return [dialog.voice.itemText(i) for i in range(dialog.voice.count())]


def test_the_users_language_comes_first_in_the_voice_list(qtbot, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    dialog = SettingsDialog(Settings(), VOICES)
    qtbot.addWidget(dialog)
    assert listed(dialog) == [
        "The system's default voice",
        "English (America)",
        "English (Great Britain)",
        "",
        "Afrikaans",
        "German",
    ]
    german = SettingsDialog(Settings(voice="gmw/de"), VOICES, language="de-de")
    qtbot.addWidget(german)
    assert listed(german)[1] == "German" and german.chosen().voice == "gmw/de"


def test_preview_speaks_the_chosen_voice_and_rate_and_returns_at_once(qtbot):
    asked = []
    dialog = SettingsDialog(
        Settings(), VOICES, language="en-us", preview=lambda *args: asked.append(args)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.voice.setCurrentIndex(dialog.voice.findData("gmw/en"))
    dialog.rate.setValue(200)
    button = dialog.preview_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    assert asked == [(PREVIEW_LINE, "gmw/en", 200)]
    assert dialog.isVisible() and dialog.chosen() == replace(
        Settings(), voice="gmw/en", rate_wpm=200
    )  # nothing is saved by a preview; the dialog stays open


def test_without_voices_or_a_way_to_speak_there_is_no_preview(qtbot):
    no_engine = SettingsDialog(Settings(), [], preview=lambda *args: None)
    no_speaker = SettingsDialog(Settings(), VOICES)
    for dialog in (no_engine, no_speaker):
        qtbot.addWidget(dialog)
        assert not dialog.preview_button.isEnabled()


def test_the_window_lends_its_preview_to_the_dialog(qtbot, open_window, speaker):
    asked = []
    window = open_window(speaker, preview_voice=lambda *args: asked.append(args))
    dialog = SettingsDialog(window.settings, VOICES, window)
    dialog.preview_button.click()
    assert asked and asked[0][1] is None  # the default voice, until one is chosen


def test_voices_listed_after_the_dialog_opened_reach_it_and_keep_the_choice(
    qtbot, open_window, speaker
):
    """The engine may still be starting when Settings first opens: the dialog opens at
    once, and its voices arrive when the engine has them (from the engine's thread)."""
    window = open_window(speaker, voices=list)  # none known yet
    window.settings = replace(window.settings, voice="gmw/en")
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None and not dialog.voice.isEnabled()
    with qtbot.waitSignal(window.voices_listed):
        threading.Thread(target=window.voices_listed.emit, args=(list(VOICES),)).start()
    assert dialog.voice.isEnabled() and dialog.voice.currentData() == "gmw/en"
    assert dialog.voice.count() > len(VOICES)  # the default, and a line, besides
    dialog.reject()


def test_start_at_login_from_the_dialog_writes_and_removes_the_entry(qtbot, open_window, speaker):
    from loosen import paths

    window = open_window(speaker)
    entry = paths.autostart_file()
    for wanted in (True, False):
        window.open_settings()
        dialog = window.settings_dialog
        qtbot.mouseClick(dialog.start_at_login, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
        assert dialog.start_at_login.isChecked() is wanted
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.settings_dialog is None)
        assert entry.exists() is wanted and window.settings.start_at_login is wanted


def test_every_hint_under_the_reminder_rows_shows_whole(qtbot):
    from loosen.ui.presence import MISSING_TEXT

    dialog = SettingsDialog(Settings(reminders=True), [], presence_missing=MISSING_TEXT)
    qtbot.addWidget(dialog)
    dialog.working_hours.setText("Mon-Fri 17:30-09")  # refused: its hint shows too
    dialog.show()
    qtbot.waitExposed(dialog)
    free = dialog.screen().availableGeometry()
    assert dialog.height() <= free.height()
    for label in (dialog.every_hint, dialog.hours_hint, dialog.presence_note):
        assert label.isVisible()
        assert label.height() >= label.heightForWidth(label.width()), label.text()
