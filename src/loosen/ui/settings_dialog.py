"""The settings dialog: voice, rate, volume, sound, countdown, full screen, theme, reminders,
working hours and starting at login."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from loosen.core.language import user_language
from loosen.core.schema import Field
from loosen.core.settings import Settings, reminder_every_ok, working_hours_problem
from loosen.core.settings_schema import (
    BEEPS,
    COUNTDOWN,
    MUTED,
    RATE_SHORT_BREAKS,
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
from loosen.speech.voices import Voice, order_voices, speaks

VOLUME_STEPS = 100
MIN_WIDTH = 600  # the volume slider's positions: percent
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
        presence_missing: str | None = None,
    ) -> None:
        """`voices` are listed in `language` first (the user's, by default); `preview`
        (by default the parent window's `preview_voice`) makes the Preview button speak.
        `presence_missing` is said once under the reminders: no source tells when the
        user is away."""
        self._presence_missing = presence_missing
        super().__init__(parent)
        self.setWindowTitle("Settings — Loosen")
        # Wide enough that the hints under the reminder rows wrap onto few lines: the
        # dialog then fits an 800x600 screen with every hint showing.
        self.setMinimumWidth(MIN_WIDTH)
        self.original = settings
        # The fields scroll above the buttons where the screen is short (large text on a
        # small screen); elsewhere the dialog is as tall as they are (_fit_height).
        self.body = QWidget()
        form = QFormLayout(self.body)

        self.speak = _check_box(SPEAK, settings.speak)
        form.addRow("Voice", self.speak)
        self.voice = QComboBox(objectName="voice", toolTip=VOICE.help)
        self._language = language or user_language()
        self._preview = preview if preview is not None else getattr(parent, "preview_voice", None)
        self.preview_button = QPushButton("Preview", objectName="previewVoice")
        self.preview_button.setToolTip("Say a cue in this voice at this rate")
        self.preview_button.clicked.connect(self._speak_preview)
        # The voice chosen: the settings' until the user picks one (it may be listed
        # only once the engine has started).
        self._wanted_voice = settings.voice
        self.voice.activated.connect(self._voice_picked)
        self.set_voices(voices)
        voice_row = QHBoxLayout()
        voice_row.addWidget(self.voice, 1)
        voice_row.addWidget(self.preview_button)
        form.addRow("", voice_row)
        # "Voice" heads the speech rows; a screen reader reads it as the voice list's name.
        voice_label = form.labelForField(self.speak)
        if isinstance(voice_label, QLabel):
            voice_label.setBuddy(self.voice)

        self.rate = _spin_box(RATE_WPM, "rate")
        self.rate.setValue(settings.rate_wpm)
        form.addRow(RATE_WPM.label, self.rate)

        self.volume = QSlider(Qt.Orientation.Horizontal, objectName="volume", toolTip=VOLUME.help)
        least, most = VOLUME.bounds()
        self.volume.setRange(round(least * VOLUME_STEPS), round(most * VOLUME_STEPS))
        self.volume.setValue(round(settings.volume * VOLUME_STEPS))
        form.addRow(VOLUME.label, self.volume)
        self.muted = _check_box(MUTED, settings.muted)
        form.addRow("", self.muted)
        self.beeps = _check_box(BEEPS, settings.beeps)
        form.addRow("Beeps", self.beeps)

        # One below the schema's least: null, each routine's own countdown.
        self.countdown = _spin_box(COUNTDOWN, "countdown")
        self.countdown.setMinimum(self.countdown.minimum() - 1)
        self.countdown.setSpecialValueText("As each routine says")
        self.countdown.setValue(
            self.countdown.minimum() if settings.countdown is None else settings.countdown
        )
        form.addRow(COUNTDOWN.label, self.countdown)

        self.full_screen = _check_box(START_FULL_SCREEN, settings.start_full_screen)
        form.addRow("Player", self.full_screen)

        self.theme = QComboBox(objectName="theme", toolTip=THEME.help)
        for choice in THEME.choices:
            self.theme.addItem(choice.label, choice.value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        form.addRow(THEME.label, self.theme)

        self._add_reminder_rows(
            form, settings, routines if routines is not None else _routines_of(parent)
        )

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.body)
        outer = QVBoxLayout(self)
        outer.addWidget(self.scroll, 1)
        outer.addWidget(buttons)
        self._check_every()

    def _voice_picked(self) -> None:
        self._wanted_voice = self.voice.currentData()

    def set_voices(self, voices: Sequence[Voice | tuple[str, str]]) -> None:
        """List `voices` (they may come after the dialog opened: the engine was starting),
        keeping the one chosen."""
        self.voice.clear()
        self._add_voices([v if isinstance(v, Voice) else Voice(*v) for v in voices], self._language)
        self.voice.setCurrentIndex(max(0, self.voice.findData(self._wanted_voice)))
        self.voice.setEnabled(bool(voices))
        self.preview_button.setEnabled(bool(voices) and self._preview is not None)

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
        self.reminders = _check_box(REMINDERS, settings.reminders)
        form.addRow("Breaks", self.reminders)
        self.reminder_routine = QComboBox(
            objectName="reminderRoutine", toolTip=REMINDER_ROUTINE.help
        )
        for routine_id, name in routines:
            self.reminder_routine.addItem(name, routine_id)
        if self.reminder_routine.findData(settings.reminder_routine) < 0:
            self.reminder_routine.addItem(settings.reminder_routine, settings.reminder_routine)
        self.reminder_routine.setCurrentIndex(
            self.reminder_routine.findData(settings.reminder_routine)
        )
        form.addRow(REMINDER_ROUTINE.label, self.reminder_routine)
        # Under its routine, which it is about (after the working hours' notes, it read as
        # one of them).
        self.rate_short_breaks = _check_box(RATE_SHORT_BREAKS, settings.rate_short_breaks)
        form.addRow("", self.rate_short_breaks)
        self.reminder_every = QLineEdit(
            settings.reminder_every, objectName="reminderEvery", toolTip=REMINDER_EVERY.help
        )
        self.reminder_every.setPlaceholderText(REMINDER_EVERY.default)
        self.reminder_every.textChanged.connect(self._check_every)
        form.addRow(REMINDER_EVERY.label, self.reminder_every)
        self.every_hint = QLabel(objectName="reminderEveryHint", wordWrap=True)
        form.addRow("", self.every_hint)
        self.reminders.toggled.connect(self._check_every)
        self.working_hours = QLineEdit(
            settings.working_hours, objectName="workingHours", toolTip=WORKING_HOURS.help
        )
        self.working_hours.setPlaceholderText(f"Any time, or e.g. {WORKING_HOURS.example}")
        self.working_hours.textChanged.connect(self._check_every)
        form.addRow(WORKING_HOURS.label, self.working_hours)
        self.hours_hint = QLabel(objectName="workingHoursHint", wordWrap=True)
        self.hours_hint.setVisible(False)
        form.addRow("", self.hours_hint)
        if self._presence_missing:
            self.presence_note = QLabel(
                self._presence_missing, objectName="presenceMissing", wordWrap=True
            )
            form.addRow("", self.presence_note)
        self.start_at_login = _check_box(START_AT_LOGIN, settings.start_at_login)
        form.addRow("Start", self.start_at_login)

    def _check_every(self) -> None:
        ok = reminder_every_ok(self.reminder_every.text())
        on = self.reminders.isChecked()
        self.reminder_routine.setEnabled(on)
        self.reminder_every.setEnabled(on)
        self.working_hours.setEnabled(on)
        hours_problem = working_hours_problem(self.working_hours.text())
        self.hours_hint.setText(hours_problem or "")
        self.hours_hint.setVisible(on and hours_problem is not None)
        if ok:
            self.every_hint.setText(
                '"15m" for every 15 minutes; a window like "15-20m" '
                "gives a gentle reminder at 15, a firm one at 20"
            )
        else:
            shortest, longest = (_in_words(limit) for limit in REMINDER_EVERY.bounds())
            self.every_hint.setText(
                'Not an interval: use e.g. "15m", or a window like "15-20m" '
                f"({shortest} to {longest})"
            )
        self.ok_button.setEnabled((ok and hours_problem is None) or not on)
        if self.isVisible():
            self._fit_height()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        screen = self.screen()
        if screen is not None:  # never wider than the screen (200 % of 800×600: 400 across)
            free = screen.availableGeometry().width()
            self.setMinimumWidth(min(MIN_WIDTH, free))
            self.resize(min(self.width(), free), self.height())
        self._fit_height()

    def _fit_height(self) -> None:
        """Tall enough for every wrapped hint at this width, as far as the screen allows
        (then the fields scroll): Qt sizes a window with wrapped text to at most two
        thirds of the screen, which on an 800x600 screen cut the hints under the
        reminder rows in half."""
        form = self.body.layout()
        if form is None:
            return
        around = self.height() - self.scroll.viewport().height()  # the buttons, the margins
        needed = form.totalHeightForWidth(self.scroll.viewport().width()) + around
        screen = self.screen()
        if needed > self.height() and screen is not None:
            self.resize(self.width(), min(needed, screen.availableGeometry().height()))

    def chosen(self) -> Settings:
        countdown = self.countdown.value()
        as_written = countdown == self.countdown.minimum()
        every = self.reminder_every.text().strip()
        hours = self.working_hours.text().strip()
        return replace(
            self.original,
            speak=self.speak.isChecked(),
            voice=self.voice.currentData(),
            rate_wpm=self.rate.value(),
            volume=self.volume.value() / VOLUME_STEPS,
            muted=self.muted.isChecked(),
            beeps=self.beeps.isChecked(),
            countdown=None if as_written else countdown,
            start_full_screen=self.full_screen.isChecked(),
            theme=self.theme.currentData(),
            reminders=self.reminders.isChecked(),
            reminder_routine=self.reminder_routine.currentData(),
            reminder_every=every if reminder_every_ok(every) else self.original.reminder_every,
            working_hours=(
                hours if working_hours_problem(hours) is None else self.original.working_hours
            ),
            start_at_login=self.start_at_login.isChecked(),
            rate_short_breaks=self.rate_short_breaks.isChecked(),
        )


def _routines_of(parent: QWidget | None) -> list[tuple[str, str]]:
    """(id, name) of the routines in the parent window's library, breaks first."""
    library = getattr(parent, "library", None)
    if library is None:
        return []
    ordered = sorted(library, key=lambda r: (r.kind.value != "break", r.name.lower()))
    return [(r.id, r.name) for r in ordered]


def _check_box(field: Field, checked: bool) -> QCheckBox:
    """A check box for a true-or-false setting: its label, its help as the tooltip."""
    box = QCheckBox(field.label, toolTip=field.help)
    box.setChecked(checked)
    return box


def _spin_box(field: Field, name: str) -> QSpinBox:
    """A spin box over a whole-number setting's range, step and unit."""
    least, most = field.bounds()
    return QSpinBox(
        objectName=name,
        minimum=int(least),
        maximum=int(most),
        singleStep=int(field.step or 1),
        suffix=field.unit,
        toolTip=field.help,
    )


def _in_words(seconds: float) -> str:
    """A whole number of the largest unit that fits: 60 -> "1 minute", 86400 -> "24 hours"."""
    for unit, size in (("hour", 3600), ("minute", 60), ("second", 1)):
        count, rest = divmod(round(seconds), size)
        if count and not rest:
            return f"{count} {unit}" + ("" if count == 1 else "s")
    return f"{seconds:g} seconds"
