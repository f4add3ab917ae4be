"""The routine file format (format 1) as data: every key, its type, default, limits and help.

The loader checks files against this, the model (`routine.py`) takes its defaults from
it, `docs/routine-format.md` lists it (`packaging/make_routine_format_doc.py` writes that
table), and a routine editor can make its form from it. Durations are in seconds.
"""

from __future__ import annotations

import re
from enum import StrEnum

from loosen.core.duration import format_duration
from loosen.core.schema import Choice, Field, Shape, Table, reference_markdown

FORMAT = 1  # the format this version of Loosen reads and writes
MAX_FILE_BYTES = 256 * 1024
# Always used with fullmatch: a `$` would also match before a final newline.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
# A routine's steps, its includes' steps counted: more is a generated file, not a
# routine, and its plan would take long to build.
MAX_STEPS = 200
# Routines including routines that include routines...: deeper than this is a mistake
# (or a generated file), and resolving it must not run out of stack.
MAX_INCLUDE_DEPTH = 20
# A run's efforts, repeated in order: a cycle of a few (a sprint, a walk back), not a
# whole session written out.
MAX_EFFORTS = 20
NAME_CHARACTERS = 80  # a name is read aloud and shown large: a line, not a paragraph
TEXT_CHARACTERS = 600  # an instruction, summary or caution: a few sentences


class Kind(StrEnum):
    """The values `kind` takes."""

    WARM_UP = "warm-up"
    COOLDOWN = "cooldown"
    BREAK = "break"
    STRENGTH = "strength"
    RUN = "run"

    @property
    def label(self) -> str:
        """How the library heads this kind's group."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.WARM_UP: "Warm-ups",
    Kind.COOLDOWN: "Cooldowns",
    Kind.BREAK: "Breaks",
    Kind.STRENGTH: "Strength",
    Kind.RUN: "Runs",
}

# -- keys a step and [defaults] share: declared once, listed in both tables ------------

TEMPO = Field(
    "tempo",
    Shape.DURATION,
    "Seconds per rep",
    "With reps: how long one rep takes; the voice counts them. Without: the step waits for done",
    low=0.5,
    high=60,
    noun="a rep",
    example='"3s"',
)
SETS = Field(
    "sets",
    Shape.COUNT,
    "Sets",
    "How many times the step is done, with its rest between sets",
    default=1,
    low=1,
    high=50,
    example="2",
)
SIDES = Field(
    "sides",
    Shape.FLAG,
    "Both sides",
    "Done once per side, left then right, with a switch between",
    default=False,
    example="true",
)
REST = Field(
    "rest",
    Shape.DURATION,
    "Rest",
    "Rest after the step (except the last) and between its sets",
    default=10.0,
    low=0,
    high=1800,
    noun="a rest",
    example='"20s"',
)
COUNTDOWN = Field(
    "countdown",
    Shape.COUNT,
    "Countdown",
    "Seconds counted aloud before a timed phase ends; 0 turns it off",
    default=3,
    low=0,
    high=10,
    unit=" seconds",
    example="3",
)
SWITCH = Field(
    "switch",
    Shape.DURATION,
    "Time to switch sides",
    "The pause between the left and the right side",
    default=5.0,
    low=0,
    high=120,
    noun="the time to switch sides",
    example='"5s"',
)

# -- the tables ----------------------------------------------------------------------

TOP = Table(
    "",
    "the top level",
    "What the routine is. `format` and `name` are required.",
    (
        Field(
            "format",
            Shape.COUNT,
            "Format",
            f"The file format's version: {FORMAT}; a newer one needs a newer Loosen",
            required=True,
            low=1,
            high=1_000_000,
            example=str(FORMAT),
        ),
        Field(
            "id",
            Shape.ROUTINE_ID,
            "Id",
            "Lower-case letters, digits and dashes; left out, the file's name without .toml",
            pattern=ID_PATTERN.pattern,
            example='"post-run-cooldown"',
        ),
        Field(
            "name",
            Shape.TEXT,
            "Name",
            "The routine's name, as the library shows it",
            required=True,
            low=1,
            high=NAME_CHARACTERS,
            example='"Post-run cooldown"',
        ),
        Field(
            "kind",
            Shape.CHOICE,
            "Kind",
            "What it is for; left out, a run when it has [interval], else strength",
            choices=tuple(Choice(kind.value, kind.value) for kind in Kind),
            example='"cooldown"',
        ),
        Field(
            "summary",
            Shape.TEXT,
            "Summary",
            "A sentence or two on what the routine does, shown in the library",
            low=1,
            high=TEXT_CHARACTERS,
            multiline=True,
        ),
        Field(
            "caution",
            Shape.TEXT,
            "Caution",
            "When to stop, shown with the routine in the library",
            low=1,
            high=TEXT_CHARACTERS,
            multiline=True,
        ),
        Field(
            "defaults", Shape.TABLE, "Defaults", "Values for every step that does not set its own"
        ),
        Field(
            "steps",
            Shape.TABLES,
            "Steps",
            "The exercises, in order (not in a run); includes' steps count toward the most",
            low=1,
            high=MAX_STEPS,
        ),
        Field("interval", Shape.TABLE, "Interval", "A run's activity and its breaks (runs only)"),
    ),
)

DEFAULTS = Table(
    "defaults",
    "[defaults]",
    "Optional. Each key is what every step has unless it sets its own; the default "
    "column is what applies when neither says.",
    (
        REST,
        COUNTDOWN,
        Field(
            "get_ready",
            Shape.DURATION,
            "Get ready",
            "The lead-in before the first step; 0 for none",
            default=5.0,
            low=0,
            high=600,
            noun="the lead-in",
            example='"5s"',
        ),
        SWITCH,
        SETS,
        SIDES,
        TEMPO,
    ),
)

STEP = Table(
    "steps",
    "a [[steps]] entry",
    "One exercise: a `name`, and either `duration` (a timed hold) or `reps`.",
    (
        Field(
            "name",
            Shape.TEXT,
            "Name",
            "The exercise, as the voice announces it",
            required=True,
            low=1,
            high=NAME_CHARACTERS,
            example='"Glute bridge"',
        ),
        Field(
            "duration",
            Shape.DURATION,
            "Hold",
            "How long a timed hold lasts (instead of reps)",
            low=1,
            high=3600,
            noun="a hold",
            example='"45s"',
        ),
        Field(
            "reps",
            Shape.COUNT,
            "Reps",
            "How many repetitions (instead of duration)",
            low=1,
            high=500,
            example="12",
        ),
        TEMPO,
        SETS,
        SIDES,
        REST,
        Field(
            "say",
            Shape.TEXT,
            "Instruction",
            "What the voice says after the step's name: how to do it",
            low=1,
            high=TEXT_CHARACTERS,
            multiline=True,
        ),
        Field(
            "image",
            Shape.PICTURE,
            "Picture",
            "A picture file in the routine's folder or among the built-in pictures",
            suffixes=IMAGE_SUFFIXES,
            example='"plank.svg"',
        ),
        COUNTDOWN,
        SWITCH,
    ),
)

# A step may instead be only this: it inlines another routine's steps.
INCLUDE = Field(
    "include",
    Shape.ROUTINE_ID,
    "Include",
    "Another routine's id; its steps come here, each with that routine's defaults",
    pattern=ID_PATTERN.pattern,
    example='"squat-and-fold"',
)
INCLUDE_STEP = Table(
    "steps",
    "an include step",
    "A [[steps]] entry with this key alone stands for another routine's steps.",
    (INCLUDE,),
)

EFFORT = Table(
    "interval.efforts",
    "an [[interval.efforts]] entry",
    "Optional, in a run: the efforts the activity is made of, in order, repeated until a "
    "break or the end. A break never cuts one: it starts when the effort under way ends, "
    "and the efforts start again from the first after it. The last may be cut by `total`.",
    (
        Field(
            "name",
            Shape.TEXT,
            "Name",
            "The effort, as the voice announces it",
            required=True,
            low=1,
            high=NAME_CHARACTERS,
            example='"Sprint 100 metres"',
        ),
        Field(
            "duration",
            Shape.DURATION,
            "Length",
            "How long the effort lasts",
            required=True,
            low=1,
            high=3600,
            noun="an effort",
            example='"20s"',
        ),
        Field(
            "say",
            Shape.TEXT,
            "Instruction",
            "What the voice says after the effort's name and length: how to do it",
            low=1,
            high=TEXT_CHARACTERS,
            multiline=True,
        ),
    ),
)

INTERVAL = Table(
    "interval",
    "[interval]",
    'A run (`kind = "run"`) has this instead of steps: an activity with breaks in it.',
    (
        Field(
            "activity",
            Shape.TEXT,
            "Activity",
            "What is done between the breaks",
            required=True,
            low=1,
            high=NAME_CHARACTERS,
            example='"Sprints"',
        ),
        Field(
            "total",
            Shape.DURATION,
            "Total",
            "The whole session, breaks included; left out, until the user stops",
            low=60,
            high=24 * 3600,
            noun="a session",
            example='"60m"',
        ),
        Field(
            "every",
            Shape.WINDOW,
            "Every",
            "Time between breaks: fixed, or a window (gently at its start, firmly at its end)",
            required=True,
            low=60,
            high=4 * 3600,
            noun="the time between breaks",
            example='"15-20m"',
        ),
        Field(
            "break",
            Shape.ROUTINE_ID,
            "Break",
            "The id of the routine run at each break",
            required=True,
            pattern=ID_PATTERN.pattern,
            example='"squat-and-fold"',
        ),
        Field(
            "efforts",
            Shape.TABLES,
            "Efforts",
            "What the activity is made of, repeated in order (see below); left out, one "
            "activity from break to break",
            low=1,
            high=MAX_EFFORTS,
        ),
    ),
)

TABLES = (TOP, DEFAULTS, STEP, INCLUDE_STEP, INTERVAL, EFFORT)


def reference() -> str:
    """Every key as Markdown tables, then the limits on a routine as a whole."""
    longest = INTERVAL["total"]
    return reference_markdown(TABLES) + (
        "\n### A routine as a whole\n\n"
        f"- A file holds at most {MAX_FILE_BYTES // 1024} KiB.\n"
        f"- A routine has at most {MAX_STEPS} steps, its includes' steps counted.\n"
        f"- Includes nest at most {MAX_INCLUDE_DEPTH} deep, and never in a circle.\n"
        f"- Its steps add up to at most {format_duration(longest.bounds()[1])}, "
        f"as long as {longest.noun} may last.\n"
    )
