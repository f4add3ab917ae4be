"""The settings dialog: one speaking-rate range, the user's language first, a voice preview."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from loosen.core.cues import MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.settings import Settings
from loosen.speech.voices import Voice
from loosen.ui.settings_dialog import PREVIEW_LINE, SettingsDialog


def test_the_rate_range_is_the_one_the_settings_file_and_the_command_line_allow(qtbot):
    for rate in (MIN_RATE_WPM, MAX_RATE_WPM):
        dialog = SettingsDialog(Settings(rate_wpm=rate), [])
        qtbot.addWidget(dialog)
        assert (dialog.rate.minimum(), dialog.rate.maximum()) == (MIN_RATE_WPM, MAX_RATE_WPM)
        assert dialog.chosen().rate_wpm == rate  # shown as saved, not clamped


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
