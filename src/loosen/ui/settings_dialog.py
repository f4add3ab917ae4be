"""The settings dialog: voice, rate, volume, sound, countdown, full screen and theme."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSlider,
    QSpinBox,
    QWidget,
)

from loosen.core.settings import Settings

THEME_LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


class SettingsDialog(QDialog):
    """Edits a copy of the settings; `chosen()` gives the result when accepted."""

    def __init__(self, settings: Settings, voices: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Settings — Loosen")
        self.original = settings
        form = QFormLayout(self)

        self.speak = QCheckBox("Speak the cues")
        self.speak.setChecked(settings.speak)
        form.addRow("Voice", self.speak)
        self.voice = QComboBox(objectName="voice")
        self.voice.addItem("The system's default voice", None)
        for voice_id, name in voices:
            self.voice.addItem(name, voice_id)
        index = self.voice.findData(settings.voice)
        self.voice.setCurrentIndex(max(0, index))
        self.voice.setEnabled(bool(voices))
        form.addRow("", self.voice)

        self.rate = QSpinBox(objectName="rate", minimum=80, maximum=300, singleStep=10,
                             suffix=" words a minute")  # fmt: skip
        self.rate.setValue(settings.rate_wpm)
        form.addRow("Speaking rate", self.rate)

        self.volume = QSlider(Qt.Orientation.Horizontal, objectName="volume")
        self.volume.setRange(0, 100)
        self.volume.setValue(round(settings.volume * 100))
        form.addRow("Volume", self.volume)
        self.muted = QCheckBox("Mute everything (M in the player)")
        self.muted.setChecked(settings.muted)
        form.addRow("", self.muted)
        self.beeps = QCheckBox("Beep when there is no voice")
        self.beeps.setChecked(settings.beeps)
        form.addRow("Beeps", self.beeps)

        self.countdown = QSpinBox(objectName="countdown", minimum=-1, maximum=10)
        self.countdown.setSpecialValueText("As each routine says")
        self.countdown.setSuffix(" seconds")
        self.countdown.setValue(-1 if settings.countdown is None else settings.countdown)
        form.addRow("Countdown", self.countdown)

        self.full_screen = QCheckBox("Start sessions in full screen (F toggles)")
        self.full_screen.setChecked(settings.start_full_screen)
        form.addRow("Player", self.full_screen)

        self.theme = QComboBox(objectName="theme")
        for key, label in THEME_LABELS.items():
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        form.addRow("Look", self.theme)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> Settings:
        countdown = self.countdown.value()
        return replace(
            self.original,
            speak=self.speak.isChecked(),
            voice=self.voice.currentData(),
            rate_wpm=self.rate.value(),
            volume=self.volume.value() / 100,
            muted=self.muted.isChecked(),
            beeps=self.beeps.isChecked(),
            countdown=None if countdown < 0 else countdown,
            start_full_screen=self.full_screen.isChecked(),
            theme=self.theme.currentData(),
        )

    @classmethod
    def ask(cls, settings: Settings, voices: list[tuple[str, str]],
            parent: QWidget | None = None) -> Settings | None:  # fmt: skip
        """Show modally; the new settings, or None when cancelled. Tests replace this."""
        dialog = cls(settings, voices, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
