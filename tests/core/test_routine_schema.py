"""The routine format is declared once, as data, and the loader and the model obey it."""

from __future__ import annotations

from pathlib import Path

import pytest

from loosen.core.duration import format_duration, parse_duration, parse_window
from loosen.core.loader import read_routine_document
from loosen.core.routine import Routine, Step
from loosen.core.routine_schema import (
    DEFAULTS,
    EFFORT,
    ID_PATTERN,
    INCLUDE,
    INTERVAL,
    STEP,
    TABLES,
    TOP,
    Kind,
    reference,
)
from loosen.core.schema import Field, Shape

PATH = Path("/routines/check.toml")
REFERENCE_PAGE = Path(__file__).resolve().parents[2] / "docs" / "routine-format.md"
EVERY_FIELD = [(table.home, field) for table in TABLES for field in table]
VALUE_FIELDS = [(home, f) for home, f in EVERY_FIELD if f.shape not in (Shape.TABLE, Shape.TABLES)]


def _ids(pairs: list[tuple[str, Field]]) -> list[str]:
    return [f"{home}:{field.key}" for home, field in pairs]


def _as_written(field: Field, value: object) -> object:
    """A value of the field's shape as a file holds it."""
    if field.shape in (Shape.DURATION, Shape.WINDOW) and isinstance(value, int | float):
        return format_duration(value)
    return value


def _document(table: str, key: str, value: object) -> dict[str, object]:
    """The smallest routine that loads, with `key = value` set in `table`."""
    if table in (INTERVAL.home, EFFORT.home):
        doc: dict[str, object] = {
            "format": 1,
            "name": "Run",
            "kind": "run",
            "interval": {"activity": "Run", "every": "15m", "break": "squat-and-fold"},
        }
        if table == EFFORT.home:
            doc["interval"]["efforts"] = [{"name": "Sprint", "duration": "20s", key: value}]  # type: ignore[index]
        else:
            doc["interval"][key] = value  # type: ignore[index]
        return doc
    step: dict[str, object] = {"name": "Hold", "reps": 5} if key == "tempo" else {"name": "Hold"}
    if "reps" not in step and key != "reps":
        step["duration"] = "45s"
    doc = {"format": 1, "name": "Check", "kind": "cooldown", "steps": [step]}
    if table == DEFAULTS.home:
        doc["defaults"] = {key: value}
    elif table == STEP.home:
        step[key] = value
    else:
        doc[key] = value
    return doc


@pytest.mark.parametrize(("home", "field"), VALUE_FIELDS, ids=_ids(VALUE_FIELDS))
def test_every_default_is_of_its_own_type_and_within_its_own_limits(home, field):
    default = field.default
    if default is None:
        return  # required, or leaving it out means something of its own (see its help)
    if field.shape is Shape.FLAG:
        assert isinstance(default, bool)
    elif field.shape is Shape.COUNT:
        assert isinstance(default, int) and not isinstance(default, bool)
        assert field.low <= default <= field.high
    elif field.shape is Shape.DURATION:
        assert isinstance(default, float)
        assert parse_duration(format_duration(default)) == default
        assert field.low <= default <= field.high
    else:
        pytest.fail(f"{home} {field.key}: no check for a default of shape {field.shape}")


@pytest.mark.parametrize(("home", "field"), VALUE_FIELDS, ids=_ids(VALUE_FIELDS))
def test_every_field_says_what_it_is_for_a_form_and_the_docs(home, field):
    assert field.label and field.help and "\n" not in field.help and "|" not in field.help
    if field.shape in (Shape.DURATION, Shape.WINDOW, Shape.COUNT, Shape.TEXT):
        assert field.low is not None and field.high is not None and field.low <= field.high
    if field.shape in (Shape.DURATION, Shape.WINDOW):
        assert field.noun, "duration messages name what lasts too long"
    if field.required or field.shape in (Shape.ROUTINE_ID, Shape.PICTURE):
        assert field.example, "messages and forms show an example of what to write"


def test_kind_choices_are_the_models_kinds():
    assert TOP["kind"].values == tuple(kind.value for kind in Kind)


def test_the_steps_model_defaults_are_the_schemas():
    step = Step(name="Hold", duration_s=45)
    assert (step.sets, step.sides, step.rest_s, step.countdown, step.switch_s, step.tempo_s) == (
        DEFAULTS["sets"].default,
        DEFAULTS["sides"].default,
        DEFAULTS["rest"].default,
        DEFAULTS["countdown"].default,
        DEFAULTS["switch"].default,
        DEFAULTS["tempo"].default,
    )
    assert Routine("r", "R", Kind.BREAK).get_ready_s == DEFAULTS["get_ready"].default


def test_a_step_that_says_nothing_gets_the_schemas_defaults():
    draft, errors = read_routine_document(
        {"format": 1, "name": "Check", "steps": [{"name": "Curl", "reps": 8}]}, PATH
    )
    assert errors == []
    (step,) = draft.entries
    assert (step.sets, step.sides, step.rest_s, step.countdown, step.switch_s, step.tempo_s) == (
        DEFAULTS["sets"].default,
        DEFAULTS["sides"].default,
        DEFAULTS["rest"].default,
        DEFAULTS["countdown"].default,
        DEFAULTS["switch"].default,
        DEFAULTS["tempo"].default,
    )
    assert draft.get_ready_s == DEFAULTS["get_ready"].default


@pytest.mark.parametrize("table", [TOP, DEFAULTS, STEP, INTERVAL], ids=lambda t: t.home)
def test_an_unknown_key_is_answered_with_the_schemas_keys(table):
    doc = _document(table.home, "zzz", 1)
    _, errors = read_routine_document(doc, PATH)
    (error,) = errors
    assert error.message == f"unknown key; allowed here: {', '.join(table.keys)}"
    place = {TOP.home: "", STEP.home: "steps[1]."}.get(table.home, f"{table.name}.")
    assert error.place == f"{place}zzz"


def test_a_near_miss_is_matched_against_the_schemas_keys():
    for table in (DEFAULTS, STEP, INTERVAL):
        for key in table.keys:
            typo = key[:-1] + ("x" if key[-1] != "x" else "y")
            _, errors = read_routine_document(_document(table.home, typo, 1), PATH)
            assert any(f'did you mean "{key}"' in e.message for e in errors), (table.home, key)


RANGED = [
    (home, f)
    for home, f in VALUE_FIELDS
    if f.shape in (Shape.DURATION, Shape.WINDOW, Shape.COUNT) and home != TOP.home
]


@pytest.mark.parametrize(("home", "field"), RANGED, ids=_ids(RANGED))
def test_the_loader_allows_exactly_the_schemas_range(home, field):
    whole = field.shape is Shape.COUNT
    nudge = 1 if whole else 0.5
    for value in (field.low, field.high):
        _, errors = read_routine_document(
            _document(home, field.key, _as_written(field, int(value) if whole else value)), PATH
        )
        assert errors == [], (field.key, value)
    for value in (field.low - nudge, field.high + nudge):
        if value < 0:
            continue
        shown = int(value) if whole else value
        _, errors = read_routine_document(
            _document(home, field.key, _as_written(field, shown)), PATH
        )
        assert len(errors) == 1, (field.key, value, errors)
        limit = field.low if value < field.low else field.high
        limit_text = str(int(limit)) if whole else format_duration(limit)
        assert limit_text in errors[0].message


TEXTS = [(home, f) for home, f in VALUE_FIELDS if f.shape is Shape.TEXT]


@pytest.mark.parametrize(("home", "field"), TEXTS, ids=_ids(TEXTS))
def test_the_loader_allows_text_up_to_the_schemas_length(home, field):
    longest = "a" * int(field.high)
    assert read_routine_document(_document(home, field.key, longest), PATH)[1] == []
    _, errors = read_routine_document(_document(home, field.key, longest + "a"), PATH)
    assert [e.message for e in errors] == [
        f"is {len(longest) + 1} characters long; at most {int(field.high)} are allowed"
    ]
    if not field.multiline:
        _, errors = read_routine_document(_document(home, field.key, "two\nlines"), PATH)
        assert [e.message for e in errors] == ["has a line break; keep it on one line"]


def test_the_examples_are_valid_values():
    for _, field in VALUE_FIELDS:
        if not field.example or field.shape is Shape.PICTURE:
            continue
        value = field.example.strip('"')
        if field.shape is Shape.ROUTINE_ID:
            assert ID_PATTERN.fullmatch(value), field.key
        elif field.shape is Shape.DURATION:
            assert field.low <= parse_duration(value) <= field.high, field.key
        elif field.shape is Shape.WINDOW:
            window = parse_window(value)
            assert field.low <= window.start_s <= window.end_s <= field.high
        elif field.shape is Shape.CHOICE:
            assert value in field.values
    assert ID_PATTERN.fullmatch(INCLUDE.example.strip('"'))


def test_the_docs_list_every_key_as_the_schema_declares_it():
    """Run `packaging/make_routine_format_doc.py` when this fails after a schema change."""
    page = REFERENCE_PAGE.read_text(encoding="utf-8")
    assert reference() in page
