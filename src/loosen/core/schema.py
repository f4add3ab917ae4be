"""What a schema is: each key of a file declared once as data (type, default, limits, help).

The routine format (`routine_schema.py`) and the settings file (`settings_schema.py`) are
declared with these. Their loaders check values against them, the models take their
defaults from them, the settings dialog sets its ranges from them, the docs table is made
from them, and a routine editor can build its form from them: the shape says which widget
edits a value, the limits bound it, the label and the help say what it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from loosen.core.duration import format_duration


class Shape(StrEnum):
    """What a value is, and so which widget edits it."""

    TEXT = "text"  # a line edit (a text box when `multiline`); limits count characters
    DURATION = "duration"  # "45s", "1m30s" or whole seconds; limits in seconds
    WINDOW = "window"  # "15m", or a window "15-20m"; limits in seconds, for both ends
    HOURS = "working hours"  # "Mon-Fri 09:00-17:30", or empty for any time: a line edit
    COUNT = "count"  # a whole number: a spin box
    FRACTION = "fraction"  # a number from low to high: a slider
    FLAG = "flag"  # true or false: a check box
    CHOICE = "choice"  # one of `choices`: a combo box
    ROUTINE_ID = "routine id"  # another routine, by id: a list of the routines
    PICTURE = "picture"  # a picture file's name: a file picker
    TABLE = "table"  # a group of keys of its own: a sub-form
    TABLES = "list of tables"  # a list of such groups; limits count them


@dataclass(frozen=True)
class Choice:
    value: str  # as written in the file
    label: str  # as a form shows it


@dataclass(frozen=True)
class Field:
    """One key: what it holds, what it may hold, and how a person is told about it."""

    key: str
    shape: Shape
    label: str  # a form's label for it (a check box's text, for a flag)
    help: str  # one line: what it does, and what leaving it out means
    default: Any = None  # in the model's terms (seconds for times); None: none
    required: bool = False
    low: float | None = None  # the least allowed (see Shape for the unit)
    high: float | None = None  # the most allowed
    choices: tuple[Choice, ...] = ()
    pattern: str = ""  # a regular expression the whole value matches
    suffixes: tuple[str, ...] = ()  # the file name endings allowed
    nullable: bool = False  # null is a value too (and means the default behaviour)
    multiline: bool = False  # text that may run over several lines
    noun: str = ""  # what messages call the value: "a hold", "a voice id"
    example: str = ""  # a value as written in a file: '"45s"'
    unit: str = ""  # what a form shows after the number: " seconds"
    step: float | None = None  # a spin box's step, where 1 is too fine

    def bounds(self) -> tuple[float, float]:
        """(low, high), for a field that declares both."""
        if self.low is None or self.high is None:
            raise ValueError(f"{self.key} declares no limits")
        return self.low, self.high

    @property
    def values(self) -> tuple[str, ...]:
        """The values of the choices, in order."""
        return tuple(choice.value for choice in self.choices)


@dataclass(frozen=True)
class Table:
    """A group of keys, as one table of a file (the top level is one too)."""

    name: str  # where it sits in a file: "" (the top level), "defaults", "steps"
    home: str  # how messages point at it: "[defaults]", "a [[steps]] entry"
    help: str
    fields: tuple[Field, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(field.key for field in self.fields)

    def __getitem__(self, key: str) -> Field:
        for field in self.fields:
            if field.key == key:
                return field
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return key in self.keys

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _shown_value(field: Field, value: Any) -> str:
    """A value as a file would hold it."""
    if field.shape in (Shape.DURATION, Shape.WINDOW) and isinstance(value, int | float):
        return f'"{format_duration(value)}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return _number(value) if isinstance(value, int | float) else str(value)


def describe_default(field: Field) -> str:
    """The default as a file would hold it; "" when it is required or has none."""
    if field.required or field.default is None:
        return ""
    return _shown_value(field, field.default)


def describe_limits(field: Field) -> str:
    """What values are allowed, briefly: "1s to 1h", "1 to 500", "at most 80 characters"."""
    low, high = field.low, field.high
    if field.shape in (Shape.DURATION, Shape.WINDOW) and low is not None and high is not None:
        return f"{format_duration(low)} to {format_duration(high)}"
    if field.shape in (Shape.COUNT, Shape.FRACTION) and low is not None and high is not None:
        return f"{_number(low)} to {_number(high)}"
    if field.shape is Shape.TEXT and high is not None:
        return f"at most {_number(high)} characters"
    if field.shape is Shape.TABLES and high is not None:
        return f"{_number(low or 0)} to {_number(high)} entries"
    if field.shape is Shape.CHOICE:
        return ", ".join(field.values)
    if field.pattern:
        return f"`{field.pattern}`"
    if field.suffixes:
        return ", ".join(field.suffixes)
    return ""


def reference_markdown(tables: tuple[Table, ...]) -> str:
    """The tables as Markdown: one table per group of keys, each key a row."""
    parts = []
    for table in tables:
        rows = [
            f"### {table.home[:1].upper()}{table.home[1:]}",
            "",
            table.help,
            "",
            "| key | type | default | allowed | what it does |",
            "| --- | --- | --- | --- | --- |",
        ]
        for field in table:
            shape = f"{field.shape}, required" if field.required else str(field.shape)
            default = describe_default(field)
            cells = (
                f"`{field.key}`",
                shape,
                f"`{default}`" if default else "",
                describe_limits(field),
                field.help,
            )
            rows.append("| " + " | ".join(cells) + " |")
        parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"
