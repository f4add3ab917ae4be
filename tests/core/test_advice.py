"""The library's suggestion and the safety note, on histories whose answer is known."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from loosen.core.history import SessionRecord, Status
from loosen.core.history.advice import (
    NOTE_QUIET,
    RoutineChoice,
    Worry,
    before_after_text,
    gentlest,
    not_easing,
    note_due,
    safety_note,
    suggestion,
)
from loosen.core.history.insights import insights

NOW = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
_uids = itertools.count()


def rated(days_ago: float, before: int | None, after: int | None, routine="cool") -> SessionRecord:
    at = NOW - timedelta(days=days_ago)
    return SessionRecord(
        uid=f"a{next(_uids)}",
        routine=routine,
        routine_name=routine.capitalize(),
        kind="cooldown",
        started_at=at,
        ended_at=at + timedelta(minutes=10),
        status=Status.COMPLETED,
        tightness_before=before,
        tightness_after=after,
    )


def test_three_tight_after_ratings_in_a_row_are_a_worry():
    history = [rated(5, 8, 7), rated(3, 8, 8), rated(1, 9, 7)]
    assert not_easing(history, NOW) is Worry.STILL_TIGHT


def test_a_looser_session_between_breaks_the_run():
    history = [rated(5, 8, 7), rated(3, 8, 4), rated(1, 9, 7), rated(0.5, None, None)]
    assert not_easing(history, NOW) is None


def test_a_weekly_mean_two_points_higher_than_two_weeks_before_is_a_worry():
    history = [rated(17, 4, 3), rated(16, 4, 3)]  # two weeks before: mean 3.5
    history += [rated(3, 6, 5), rated(1, 6, 5)]  # this week: 5.5
    assert not_easing(history, NOW) is Worry.RISING
    history[-1] = rated(1, 5, 5)  # 5.25: a rise of 1.75
    assert not_easing(history, NOW) is None


def test_one_rating_a_week_is_too_little_to_call_a_rise():
    assert not_easing([rated(16, 2, None), rated(2, 8, None)], NOW) is None


def test_a_dismissed_note_stays_away_for_two_weeks():
    assert note_due(Worry.RISING, None, NOW)
    assert not note_due(Worry.RISING, NOW - NOTE_QUIET + timedelta(hours=1), NOW)
    assert note_due(Worry.RISING, NOW - NOTE_QUIET, NOW)
    assert not note_due(None, None, NOW)


@pytest.mark.parametrize("worry", list(Worry))
def test_the_note_sends_to_a_professional_and_names_the_gentlest_routine(worry):
    text = safety_note(worry, "Hip flexors and hamstrings")
    assert "physiotherapist or a doctor" in text and "Hip flexors and hamstrings" in text


CHOICES = [
    RoutineChoice("post-run-cooldown", "Post-run cooldown", "cooldown", 738.0),
    RoutineChoice("hips", "Hip flexors and hamstrings", "cooldown", 480.0),
    RoutineChoice("squat-and-fold", "Squat and fold", "break", 71.0),
    RoutineChoice("long-easy-run", "Long easy run", "run", 4500.0),
]


def test_the_gentlest_routine_is_the_shortest_cooldown_then_a_break():
    assert gentlest(CHOICES).id == "hips"
    assert gentlest(CHOICES[2:]).id == "squat-and-fold"
    assert gentlest(CHOICES[3:]).id == "long-easy-run"
    assert gentlest([]) is None


def test_the_suggestion_names_what_helped_most_once_it_is_known():
    history = [rated(i, 7, 4, routine="hips") for i in range(6)]
    found = insights(history, existing={c.id for c in CHOICES})
    last = {"hips": NOW}
    assert suggestion(found, CHOICES, last) == "Helped you most: Hips (6 sessions)"


def test_with_too_little_to_tell_it_suggests_the_untried_then_the_longest_undone():
    found = insights([rated(1, 7, 4)], existing={c.id for c in CHOICES})
    last = {"post-run-cooldown": NOW, "hips": NOW - timedelta(days=9)}
    assert suggestion(found, CHOICES, last) == "Not tried yet: Long easy run"
    last |= {"squat-and-fold": NOW - timedelta(days=2), "long-easy-run": NOW}
    assert suggestion(found, CHOICES, last) == "Not done for longest: Hip flexors and hamstrings"
    assert suggestion(found, [], {}) is None


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (6, 3, "Your back: 6 → 3 of 10, 3 points looser."),
        (4, 5, "Your back: 4 → 5 of 10, 1 point tighter."),
        (5, 5, "Your back: 5 → 5 of 10, no change."),
        (None, 2, "Your back now: 2 of 10."),
    ],
)
def test_the_end_screen_says_before_after_and_the_change(before, after, text):
    assert before_after_text(before, after) == text
