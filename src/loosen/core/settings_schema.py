"""The settings file as data: every setting, its type, default, limits, label and help.

`settings.py` checks and fills the file from this, the settings dialog takes its
ranges, steps, units, choices and tooltips from it. The app reads the settings before
its window is first seen, so this imports only the schemas it takes limits from, not
the modules that use the settings (the reminders take their shortest interval from here).
"""

from __future__ import annotations

from loosen.core.routine_schema import COUNTDOWN as ROUTINE_COUNTDOWN
from loosen.core.routine_schema import INTERVAL
from loosen.core.schema import Choice, Field, Shape, Table

SPEAK = Field(
    "speak",
    Shape.FLAG,
    "Speak the cues",
    "Spoken cues; off, the player beeps and shows the cues on screen",
    default=True,
)
VOICE = Field(
    "voice",
    Shape.TEXT,
    "Voice",
    "The speech engine's voice; none chosen, the system's default",
    nullable=True,
    low=1,
    high=199,
    noun="a voice id",
)
# The speaking rates espeak-ng accepts: the one range the settings, the settings dialog
# and the command line all allow.
RATE_WPM = Field(
    "rate_wpm",
    Shape.COUNT,
    "Speaking rate",
    "How fast the voice speaks, in words a minute",
    default=160,
    low=80,
    high=450,
    unit=" words a minute",
    step=10,
)
VOLUME = Field(
    "volume",
    Shape.FRACTION,
    "Volume",
    "How loud cues and beeps play, from silent to full",
    default=0.8,
    low=0,
    high=1,
)
MUTED = Field(
    "muted",
    Shape.FLAG,
    "Mute everything (M in the player)",
    "No voice and no beeps; the cues still show on screen",
    default=False,
)
BEEPS = Field(
    "beeps",
    Shape.FLAG,
    "Beep when there is no voice",
    "Without a speech engine, a beep marks each cue",
    default=True,
)
COUNTDOWN = Field(
    "countdown",
    Shape.COUNT,
    "Countdown to each change",
    "“Three, two, one” before every hold, rest, switch and get-ready ends, and before "
    "the first of counted reps. A phase shorter than this counts down the seconds it has.",
    nullable=True,  # null: as each routine says
    low=ROUTINE_COUNTDOWN.low,
    high=ROUTINE_COUNTDOWN.high,
    unit=ROUTINE_COUNTDOWN.unit,
)
START_FULL_SCREEN = Field(
    "start_full_screen",
    Shape.FLAG,
    "Start sessions in full screen (F toggles)",
    "The player fills the screen, to be read from the mat",
    default=False,
)
THEME = Field(
    "theme",
    Shape.CHOICE,
    "Look",
    "Light or dark colours, or whichever the desktop uses",
    default="system",
    choices=(
        Choice("system", "Follow the system"),
        Choice("light", "Light"),
        Choice("dark", "Dark"),
    ),
)
SEEN_WELCOME = Field(
    "seen_welcome",
    Shape.FLAG,
    "Welcome seen",
    "The library's welcome has been closed once",
    default=False,
)
# Desk-break reminders: off until the user asks, so the app never nags unasked.
MIN_INTERVAL_S = 60.0  # shorter than this would nag; settings refuse it
REMINDERS = Field(
    "reminders",
    Shape.FLAG,
    "Remind me to take a break at the desk",
    "A notification and a spoken line when a break is due",
    default=False,
)
REMINDER_ROUTINE = Field(
    "reminder_routine",
    Shape.ROUTINE_ID,
    "Break routine",
    "The routine a reminder offers",
    default="squat-and-fold",
    pattern=INTERVAL["break"].pattern,
    example=INTERVAL["break"].example,
)
REMINDER_EVERY = Field(
    "reminder_every",
    Shape.WINDOW,
    "Every",
    "A fixed time between breaks, or a window: gently at its start, firmly at its end",
    default="15-20m",
    low=MIN_INTERVAL_S,
    high=24 * 3600,
    example='"15-20m"',
)
# Issue 17: the days and hours reminders may come (core/working_hours.py reads the text).
WORKING_HOURS = Field(
    "working_hours",
    Shape.HOURS,
    "Working hours",
    "The days and hours reminders may come; empty, any time",
    default="",
    example='"Mon-Fri 09:00-17:30"',
)
START_AT_LOGIN = Field(
    "start_at_login",
    Shape.FLAG,
    "Start Loosen when I log in",
    "Loosen starts with the desktop, so the break reminders need no remembering",
    default=False,
)

# Issue 16: after a desk break this short, a one-key rating in the player, not a dialog.
SHORT_BREAK_S = 120.0
RATE_SHORT_BREAKS = Field(
    "rate_short_breaks",
    Shape.FLAG,
    "Ask how my back is after a short break",
    "After a break of two minutes or less: one key in the player, never a dialog",
    default=True,
)
SAFETY_NOTE_DISMISSED_AT = Field(
    "safety_note_dismissed_at",
    Shape.TEXT,
    "Safety note dismissed",
    "When the note that the tightness is not easing was last closed (UTC); none if never",
    nullable=True,
    low=1,
    high=40,
    noun="a time",
)

SETTINGS = Table(
    "",
    "the settings file",
    "settings.json in the config folder; a key left out has its default.",
    (
        SPEAK,
        VOICE,
        RATE_WPM,
        VOLUME,
        MUTED,
        BEEPS,
        COUNTDOWN,
        START_FULL_SCREEN,
        THEME,
        SEEN_WELCOME,
        REMINDERS,
        REMINDER_ROUTINE,
        REMINDER_EVERY,
        WORKING_HOURS,
        START_AT_LOGIN,
        RATE_SHORT_BREAKS,
        SAFETY_NOTE_DISMISSED_AT,
    ),
)
