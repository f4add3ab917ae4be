"""The settings dialog: one speaking-rate range, the user's language first, a voice preview."""

from __future__ import annotations

from loosen.core.cues import MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.settings import Settings
from loosen.ui.settings_dialog import SettingsDialog


def test_the_rate_range_is_the_one_the_settings_file_and_the_command_line_allow(qtbot):
    for rate in (MIN_RATE_WPM, MAX_RATE_WPM):
        dialog = SettingsDialog(Settings(rate_wpm=rate), [])
        qtbot.addWidget(dialog)
        assert (dialog.rate.minimum(), dialog.rate.maximum()) == (MIN_RATE_WPM, MAX_RATE_WPM)
        assert dialog.chosen().rate_wpm == rate  # shown as saved, not clamped
