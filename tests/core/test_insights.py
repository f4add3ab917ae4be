"""What the history says helps: checked on histories whose truth is known."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loosen.core.history import SessionRecord, Status
from loosen.core.history.insights import (
    MIN_SESSIONS,
    effects,
    habits,
    helps_most,
    insights,
    stat,
    t_quantile,
)

START = datetime(2026, 8, 3, 7, 0, tzinfo=UTC)  # a Monday
_uids = itertools.count()


def session(
    at: datetime,
    routine: str = "cool",
    *,
    kind: str = "cooldown",
    before: int | None = None,
    after: int | None = None,
    status: Status = Status.COMPLETED,
    minutes: float = 10,
    breaks: int = 0,
) -> SessionRecord:
    return SessionRecord(
        uid=f"u{next(_uids)}",
        routine=routine,
        routine_name=routine.replace("-", " ").capitalize(),
        kind=kind,
        started_at=at,
        ended_at=at + timedelta(minutes=minutes),
        status=status,
        active_s=minutes * 60,
        tightness_before=before,
        tightness_after=after,
        breaks=breaks,
    )


def rated(routine: str, changes: list[int], start: datetime = START) -> list[SessionRecord]:
    """One completed session a day, starting at 7 before and ending `change` looser."""
    return [
        session(start + timedelta(days=i), routine, before=7, after=7 - change)
        for i, change in enumerate(changes)
    ]


def simulated_user(
    seed: int, sessions_per_routine: int, true_effects: dict[str, float], noise_sd: float = 1.5
) -> list[SessionRecord]:
    """A back that answers to each routine by its true effect, rated in whole numbers."""
    rng = random.Random(seed)
    records = []
    when = START
    for _ in range(sessions_per_routine):
        for routine, effect in true_effects.items():
            before = rng.randint(4, 8)
            after = round(before - effect + rng.gauss(0, noise_sd))
            records.append(session(when, routine, before=before, after=min(10, max(0, after))))
            when += timedelta(hours=9)
    return records


# Published two-sided 90 % points of Student's t (the 0.95 quantile).
@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 6.3138), (2, 2.9200), (3, 2.3534), (4, 2.1318), (9, 1.8331), (30, 1.6973)],
)
def test_t_quantile_matches_the_published_table(df, expected):
    assert t_quantile(0.95, df) == pytest.approx(expected, abs=0.002)


def test_identical_changes_never_draw_a_zero_width_interval():
    (effect,) = effects(rated("cool", [3, 3, 3]), existing={"cool"})
    assert effect.mean_change == 3
    assert effect.stat.low is not None and effect.stat.high is not None
    assert effect.stat.low < 3 - 0.5 and effect.stat.high > 3 + 0.5


def test_the_interval_covers_the_true_mean_about_nine_times_in_ten():
    rng = random.Random(7)
    covered = 0
    trials = 2000
    for _ in range(trials):
        values = [rng.gauss(2.0, 1.5) for _ in range(6)]
        result = stat(values, rounding_sd=0.0)
        assert result.low is not None and result.high is not None
        covered += result.low <= 2.0 <= result.high
    assert 0.87 <= covered / trials <= 0.93


def test_the_issue_example_names_the_well_tried_routine_not_the_removed_lucky_one():
    history = rated("old-stretch", [3, 3, 3]) + rated(
        "post-run-cooldown", [2, 3, 2, 3, 2, 2, 3, 2, 3, 2, 2, 3, 2, 3, 2, 2, 3, 2, 3, 3]
    )
    ranked = effects(history, existing={"post-run-cooldown"})
    best = helps_most(ranked)
    assert best is not None and best.routine == "post-run-cooldown"
    assert best.n == 20
    old = next(e for e in ranked if e.routine == "old-stretch")
    assert not old.exists and not old.enough


def test_a_removed_routine_is_never_suggested_however_well_it_did():
    history = rated("gone", [4] * 10) + rated("here", [1, 2] * 5)
    assert helps_most(effects(history, existing={"here"})).routine == "here"
    assert helps_most(effects(history, existing=set())) is None


def test_nothing_is_named_before_five_sessions():
    history = rated("cool", [3] * (MIN_SESSIONS - 1))
    assert helps_most(effects(history, existing={"cool"})) is None
    history += rated("cool", [3], start=START + timedelta(days=30))
    assert helps_most(effects(history, existing={"cool"})).routine == "cool"


def test_ten_steady_sessions_beat_five_lucky_ones():
    """The lower bound, not the raw mean, ranks: more evidence of a smaller effect wins."""
    steady = rated("steady", [2, 2, 3, 2, 2, 3, 2, 2, 3, 2] * 2)
    lucky = rated("lucky", [6, 0, 5, 1, 6])
    ranked = effects(steady + lucky, existing={"steady", "lucky"})
    assert ranked[0].routine == "steady"
    assert next(e for e in ranked if e.routine == "lucky").mean_change > ranked[0].mean_change


@pytest.mark.parametrize("seed", range(30))
def test_a_simulated_user_gets_the_routine_their_back_answers_to(seed):
    truth = {"hips": 2.5, "hamstrings": 0.0, "core": 0.3, "desk-break": -0.2}
    history = simulated_user(seed, sessions_per_routine=12, true_effects=truth)
    best = helps_most(effects(history, existing=set(truth)))
    assert best is not None and best.routine == "hips"


def test_sessions_not_completed_do_not_count_toward_what_helps():
    history = rated("cool", [2] * 5) + [
        session(START + timedelta(days=40 + i), "cool", before=9, after=1, status=status)
        for i, status in enumerate(
            [Status.STOPPED, Status.INTERRUPTED, Status.RUNNING, Status.PARTIAL]
        )
    ]
    (effect,) = effects(history, existing={"cool"})
    assert effect.n == 5 and effect.mean_change == 2


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e"]),
        st.lists(st.integers(-10, 10), min_size=1, max_size=12),
        min_size=1,
    ),
    st.sets(st.sampled_from(["a", "b", "c", "d", "e"])),
)
def test_whatever_the_history_the_answer_rests_on_enough_and_says_how_much(changes, existing):
    history = [r for routine, values in changes.items() for r in rated(routine, values)]
    ranked = effects(history, existing)
    assert sorted(e.routine for e in ranked) == sorted(changes)
    for effect in ranked:
        assert effect.n == len(changes[effect.routine])
        assert effect.exists == (effect.routine in existing)
        assert effect.stat.low < effect.mean_change < effect.stat.high
    best = helps_most(ranked)
    if best is not None:
        assert best.n >= MIN_SESSIONS and best.exists
        assert all(not e.enough or not e.exists or e.stat.low <= best.stat.low for e in ranked)
    else:
        assert not any(e.enough and e.exists for e in ranked)


def test_runs_with_a_break_are_compared_with_runs_without():
    runs = [
        session(START + timedelta(days=i), "sprint-hour", kind="run", after=after, breaks=breaks)
        for i, (after, breaks) in enumerate([(3, 2), (4, 1), (3, 3), (6, 0), (7, 0), (6, 0)])
    ]
    breaks_habit = habits(runs)[0]
    assert (breaks_habit.with_.n, breaks_habit.without.n) == (3, 3)
    assert breaks_habit.with_.mean == pytest.approx(10 / 3)
    assert breaks_habit.without.mean == pytest.approx(19 / 3)
    assert not breaks_habit.enough  # three a side is not enough yet


def test_a_cooldown_within_three_hours_is_judged_by_the_next_rating():
    day = timedelta(days=1)
    history = []
    for i in range(6):
        run = session(START + i * 2 * day, "easy-run", kind="run", minutes=40)
        history.append(run)
        if i % 2 == 0:
            history.append(session(run.end + timedelta(hours=1), "post-run-cooldown"))
        next_day = START + i * 2 * day + day
        history.append(session(next_day, "desk-break", kind="break", before=3 if i % 2 == 0 else 6))
    cooldown = habits(history)[1]
    assert (cooldown.with_.n, cooldown.without.n) == (3, 3)
    assert cooldown.with_.mean == 3 and cooldown.without.mean == 6


def test_regular_weeks_compare_that_weeks_before_ratings():
    week = timedelta(days=7)
    busy = [session(START + timedelta(days=d), before=3) for d in range(3)]
    quiet = [session(START + week, before=7), session(START + 2 * week, before=8)]
    regular = habits(busy + quiet)[2]
    assert regular.with_.n == 3 and regular.with_.mean == 3
    assert regular.without.n == 2 and regular.without.mean == 7.5


def test_a_single_value_has_a_mean_but_no_interval_and_none_has_neither():
    assert stat([4]).as_dict() == {"n": 1, "mean": 4, "low": None, "high": None}
    assert stat([]).as_dict() == {"n": 0, "mean": None, "low": None, "high": None}


def test_the_summary_has_the_shape_design_md_gives():
    history = rated("cool", [2, 3, 2, 3, 2, 2])
    summary = insights(history, existing={"cool"}).as_dict()
    assert list(summary) == ["sessions", "rated", "helps_most", "effects", "habits"]
    assert summary["sessions"] == summary["rated"] == 6
    assert list(summary["helps_most"]) == [
        "routine",
        "routine_name",
        "exists",
        "n",
        "mean_change",
        "low",
        "high",
    ]
    assert [list(h) for h in summary["habits"]] == [["question", "with", "without"]] * 3
    assert list(summary["habits"][0]["with"]) == ["n", "mean", "low", "high"]


def test_the_cooldown_habit_takes_the_next_rating_and_only_completed_cooldowns():
    def at(d: int, hour: int) -> datetime:
        return START + timedelta(days=d, hours=hour - 7)

    history = [
        # Run 1, cooled down within 3 h; next rating (next morning's warm-up): 3.
        session(at(0, 7), "easy-run", kind="run", minutes=60),
        session(at(0, 9), "cool", before=6, after=4),
        session(at(1, 7), "warm", kind="warm-up", before=3),
        # Run 2: the next rating is the next run's own "before": 6; a cooldown 5 h
        # later does not count as "after the run".
        session(at(1, 8), "easy-run", kind="run", minutes=60),
        session(at(1, 14), "cool"),
        # Run 3: a cooldown stopped half-way does not count; next rating 7.
        session(at(2, 8), "easy-run", kind="run", before=6, minutes=60),
        session(at(2, 9), "cool", status=Status.STOPPED),
        session(at(3, 8), "warm", kind="warm-up", before=7),
        # Run 4, cooled down, but nothing rated before run 5: no outcome.
        session(at(4, 8), "easy-run", kind="run", minutes=60),
        session(at(4, 9), "cool"),
        session(at(5, 8), "easy-run", kind="run", minutes=60),
    ]
    cooldown = habits(history)[1]
    assert (cooldown.with_.n, cooldown.with_.mean) == (1, 3)
    assert (cooldown.without.n, cooldown.without.mean) == (2, 6.5)
