"""Durations and windows as routine files write them."""

import pytest

from loosen.core.duration import (
    DurationError,
    Window,
    format_clock,
    format_duration,
    parse_duration,
    parse_window,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("1m30s", 90),
        ("2m", 120),
        ("1h", 3600),
        ("1h15m", 4500),
        ("2.5s", 2.5),
        (" 3s ", 3),
        ("10min", 600),
        (45, 45),
        (0, 0),
    ],
)
def test_parses_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("45", "has no unit"),
        ("-5s", "is not a duration"),
        (-5, "negative"),
        ("", "is not a duration"),
        ("s", "is not a duration"),
        ("1m30", "is not a duration"),
        ("forty", "is not a duration"),
        (True, "is not a duration"),
        (2.5, 'write a string like "2.5s"'),
        (None, "is not a duration"),
        ([45], "is not a duration"),
    ],
)
def test_refuses_non_durations_with_a_hint(value, fragment):
    with pytest.raises(DurationError, match=fragment.replace("(", r"\(")):
        parse_duration(value)


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("15-20m", Window(900, 1200)),
        ("15m-20m", Window(900, 1200)),
        ("15m - 20m", Window(900, 1200)),
        ("90s-2m", Window(90, 120)),
        ("15m", Window(900, 900)),
        (600, Window(600, 600)),
    ],
)
def test_parses_windows(text, window):
    assert parse_window(text) == window


def test_a_fixed_interval_is_a_window_of_no_width():
    assert parse_window("15m").fixed
    assert not parse_window("15-20m").fixed


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("20-15m", "ends before it starts"), ("15-20", "is not a window"), ("soon", "interval")],
)
def test_refuses_bad_windows(value, fragment):
    with pytest.raises(DurationError, match=fragment):
        parse_window(value)


@pytest.mark.parametrize(
    ("seconds", "text"), [(45, "45s"), (90, "1m30s"), (3600, "1h"), (0, "0s"), (2.5, "2.5s")]
)
def test_formats_durations_back_to_file_style(seconds, text):
    assert format_duration(seconds) == text
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (75, "1:15"), (3725, "1:02:05")])
def test_formats_a_clock_reading(seconds, text):
    assert format_clock(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"), [(54, "54 s"), (732, "12 min"), (3600, "1 h"), (4500, "1 h 15 min")]
)
def test_formats_a_length_for_people(seconds, text):
    from loosen.core.duration import format_length

    assert format_length(seconds) == text
