"""The settings are declared once, as data; the settings file obeys that declaration."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE, MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.duration import format_duration, parse_window
from loosen.core.routine_schema import COUNTDOWN as ROUTINE_COUNTDOWN
from loosen.core.routine_schema import ID_PATTERN
from loosen.core.schema import Field, Shape
from loosen.core.settings import Settings, load_settings
from loosen.core.settings_schema import COUNTDOWN, RATE_WPM, SETTINGS
from loosen.core.working_hours import parse_hours

EVERY_SETTING = list(SETTINGS)


def _default_allowed(field: Field) -> bool:
    default = field.default
    if default is None:
        return field.nullable
    match field.shape:
        case Shape.FLAG:
            return isinstance(default, bool)
        case Shape.COUNT:
            return type(default) is int and field.low <= default <= field.high
        case Shape.FRACTION:
            return type(default) is float and field.low <= default <= field.high
        case Shape.CHOICE:
            return default in field.values
        case Shape.ROUTINE_ID:
            return isinstance(default, str) and ID_PATTERN.fullmatch(default) is not None
        case Shape.WINDOW:
            window = parse_window(default)
            return field.low <= window.start_s <= window.end_s <= field.high
        case Shape.HOURS:
            return default == "" or parse_hours(default) is not None
    return False


@pytest.mark.parametrize("field", EVERY_SETTING, ids=lambda f: f.key)
def test_every_default_is_of_its_own_type_and_within_its_own_limits(field):
    assert _default_allowed(field), (field.key, field.default)
    assert field.label and field.help and "\n" not in field.help


def test_the_settings_model_has_the_schemas_keys_in_order_and_its_defaults():
    assert tuple(f.name for f in fields(Settings)) == SETTINGS.keys
    assert {f.name: getattr(Settings(), f.name) for f in fields(Settings)} == {
        field.key: field.default for field in SETTINGS
    }


def test_a_file_holding_every_default_loads_without_a_problem(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({field.key: field.default for field in SETTINGS}))
    assert load_settings(path) == (Settings(), [])


def _just_outside(field: Field) -> list[object]:
    """Values next to the field's limits, on the wrong side."""
    match field.shape:
        case Shape.COUNT:
            return [int(field.low) - 1, int(field.high) + 1, True]
        case Shape.FRACTION:
            return [field.low - 0.01, field.high + 0.01, True]
        case Shape.TEXT:
            return ["", "v" * (int(field.high) + 1)]
        case Shape.WINDOW:
            return [format_duration(field.low - 1), format_duration(field.high + 1)]
        case Shape.CHOICE:
            return ["x" + field.values[0]]
        case Shape.ROUTINE_ID:
            return ["Not An Id"]
        case Shape.FLAG:
            return [1, "yes"]
        case Shape.HOURS:
            return ["Mon-Fri", "Mon-Fri 17:30-09:00", "Someday 09:00-10:00", 9]
    raise AssertionError(field.shape)


def _at_the_limits(field: Field) -> list[object]:
    match field.shape:
        case Shape.COUNT:
            return [int(field.low), int(field.high)]
        case Shape.FRACTION:
            return [float(field.low), float(field.high)]
        case Shape.TEXT:
            return ["v" * int(field.low), "v" * int(field.high)]
        case Shape.WINDOW:
            return [format_duration(field.low), format_duration(field.high)]
        case Shape.CHOICE:
            return list(field.values)
        case Shape.FLAG:
            return [True, False]
        case Shape.HOURS:
            return ["", "Mon-Fri 09:00-17:30", "Sat,Sun 10:00-12:00"]
    return [field.default]


@pytest.mark.parametrize("field", EVERY_SETTING, ids=lambda f: f.key)
def test_the_settings_file_allows_exactly_what_the_schema_allows(tmp_path, field):
    path = tmp_path / "settings.json"
    for value in _at_the_limits(field):
        path.write_text(json.dumps({field.key: value}))
        settings, problems = load_settings(path)
        assert problems == [] and getattr(settings, field.key) == value, value
    for value in _just_outside(field):
        path.write_text(json.dumps({field.key: value}))
        settings, (problem,) = load_settings(path)
        assert getattr(settings, field.key) == field.default
        assert problem.startswith(f"{path}: {field.key}: {json.dumps(value)} is not allowed")
    if field.nullable:
        path.write_text(json.dumps({field.key: None}))
        assert load_settings(path) == (Settings(), [])


def test_the_speaking_rate_is_declared_once():
    assert RATE_WPM.bounds() == (MIN_RATE_WPM, MAX_RATE_WPM)
    assert DEFAULT_WORDS_PER_MINUTE == RATE_WPM.default == Settings().rate_wpm


def test_the_countdown_setting_takes_what_a_routines_countdown_takes():
    assert COUNTDOWN.bounds() == ROUTINE_COUNTDOWN.bounds()
