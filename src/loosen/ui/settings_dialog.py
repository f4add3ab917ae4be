"""The settings dialog: voice, rate, volume, sound, countdown, full screen, theme, reminders."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from loosen.core.cues import MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.language import user_language
from loosen.core.settings import Settings, reminder_every_ok
from loosen.speech.voices import Voice, order_voices, speaks

THEME_LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
# What Preview says: a cue as a session would, so the choice is judged on real words.
PREVIEW_LINE = "Hip flexor lunge stretch, left side, forty-five seconds."

# Says a line in a voice (None: the default) at a rate; returns at once.
Previewer = Callable[[str, str | None, int], object]


class SettingsDialog(QDialog):
    """Edits a copy of the settings; `chosen()` gives the result when accepted (shown with
    `open()`, window-modal: the answer comes from `finished`)."""

    def __init__(
        self,
        settings: Settings,
        voices: Sequence[Voice | tuple[str, str]],
        parent: QWidget | None = None,
        *,
        routines: list[tuple[str, str]] | None = None,
        language: str | None = None,
        preview: Previewer | None = None,
    ) -> None:
        """`voices` are listed in `language` first (the user's, by default); `preview`
        (by default the parent window's `preview_voice`) makes the Preview button speak."""
        super().__init__(parent)
        self.setWindowTitle("Settings — Loosen")
        self.original = settings
        form = QFormLayout(self)

        self.speak = QCheckBox("Speak the cues")
        self.speak.setChecked(settings.speak)
        form.addRow("Voice", self.speak)
        self.voice = QComboBox(objectName="voice")
        self._add_voices(
            [v if isinstance(v, Voice) else Voice(*v) for v in voices], language or user_language()
        )
        index = self.voice.findData(settings.voice)
        self.voice.setCurrentIndex(max(0, index))
        self.voice.setEnabled(bool(voices))
        self._preview = preview if preview is not None else getattr(parent, "preview_voice", None)
        self.preview_button = QPushButton("Preview", objectName="previewVoice")
        self.preview_button.setToolTip("Say a cue in this voice at this rate")
        self.preview_button.setEnabled(bool(voices) and self._preview is not None)
        self.preview_button.clicked.connect(self._speak_preview)
        voice_row = QHBoxLayout()
        voice_row.addWidget(self.voice, 1)
        voice_row.addWidget(self.preview_button)
        form.addRow("", voice_row)

        self.rate = QSpinBox(
            objectName="rate",
            minimum=MIN_RATE_WPM,
            maximum=MAX_RATE_WPM,
            singleStep=10,
            suffix=" words a minute",
        )
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
        self.countdown.setToolTip(
            "“Three, two, one” before every hold, rest, switch and get-ready ends, and "
            "before the first of counted reps. A phase shorter than this counts down the "
            "seconds it has."
        )
        form.addRow("Countdown to each change", self.countdown)

        self.full_screen = QCheckBox("Start sessions in full screen (F toggles)")
        self.full_screen.setChecked(settings.start_full_screen)
        form.addRow("Player", self.full_screen)

        self.theme = QComboBox(objectName="theme")
        for key, label in THEME_LABELS.items():
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        form.addRow("Look", self.theme)

        self._add_reminder_rows(
            form, settings, routines if routines is not None else _routines_of(parent)
        )

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)
        self._check_every()

    def _add_voices(self, voices: list[Voice], language: str) -> None:
        """The default first, then the user's language, a line, and every other voice."""
        self.voice.addItem("The system's default voice", None)
        ordered = order_voices(voices, language)
        own = [v for v in ordered if speaks(v, language)]
        for position, voice in enumerate(ordered):
            if own and position == len(own):
                self.voice.insertSeparator(self.voice.count())
            self.voice.addItem(voice.name.strip(), voice.id)

    def _speak_preview(self) -> None:
        if self._preview is not None:
            self._preview(PREVIEW_LINE, self.voice.currentData(), self.rate.value())

    def _add_reminder_rows(
        self, form: QFormLayout, settings: Settings, routines: list[tuple[str, str]]
    ) -> None:
        self.reminders = QCheckBox("Remind me to take a break at the desk")
        self.reminders.setChecked(settings.reminders)
        form.addRow("Breaks", self.reminders)
        self.reminder_routine = QComboBox(objectName="reminderRoutine")
        for routine_id, name in routines:
            self.reminder_routine.addItem(name, routine_id)
        if self.reminder_routine.findData(settings.reminder_routine) < 0:
            self.reminder_routine.addItem(settings.reminder_routine, settings.reminder_routine)
        self.reminder_routine.setCurrentIndex(
            self.reminder_routine.findData(settings.reminder_routine)
        )
        form.addRow("Break routine", self.reminder_routine)
        self.reminder_every = QLineEdit(settings.reminder_every, objectName="reminderEvery")
        self.reminder_every.setPlaceholderText("15-20m")
        self.reminder_every.textChanged.connect(self._check_every)
        form.addRow("Every", self.reminder_every)
        self.every_hint = QLabel(objectName="reminderEveryHint", wordWrap=True)
        form.addRow("", self.every_hint)
        self.reminders.toggled.connect(self._check_every)

    def _check_every(self) -> None:
        ok = reminder_every_ok(self.reminder_every.text())
        on = self.reminders.isChecked()
        self.reminder_routine.setEnabled(on)
        self.reminder_every.setEnabled(on)
        if ok:
            self.every_hint.setText(
                '"15m" for every 15 minutes; a window like "15-20m" '
                "gives a gentle reminder at 15, a firm one at 20"
            )
        else:
            self.every_hint.setText(
                'Not an interval: use e.g. "15m", or a window like "15-20m" (1 minute to 24 hours)'
            )
        self.ok_button.setEnabled(ok or not on)

    def chosen(self) -> Settings:
        countdown = self.countdown.value()
        every = self.reminder_every.text().strip()
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
            reminders=self.reminders.isChecked(),
            reminder_routine=self.reminder_routine.currentData(),
            reminder_every=every if reminder_every_ok(every) else self.original.reminder_every,
        )


def _routines_of(parent: QWidget | None) -> list[tuple[str, str]]:
    """(id, name) of the routines in the parent window's library, breaks first."""
    library = getattr(parent, "library", None)
    if library is None:
        return []
    ordered = sorted(library, key=lambda r: (r.kind.value != "break", r.name.lower()))
    return [(r.id, r.name) for r in ordered]
