"""The stats: change per session, weekly trend, adherence (insights.py ranks routines)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from loosen.core.history import SessionRecord, Status
from loosen.core.history.insights import effects
from loosen.core.history.stats import (
    Mean,
    compare_periods,
    count_since,
    streaks,
    summarize,
    tightness_points,
    weekly,
)

MONDAY = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # ISO week 45
_n = 0


def s(
    at: datetime,
    routine: str = "cool",
    kind: str = "cooldown",
    before: int | None = None,
    after: int | None = None,
    status: Status = Status.COMPLETED,
    minutes: float = 10,
) -> SessionRecord:
    global _n
    _n += 1
    return SessionRecord(
        uid=f"u{_n}",
        routine=routine,
        routine_name=routine.title(),
        kind=kind,
        started_at=at,
        ended_at=at + timedelta(minutes=minutes),
        status=status,
        active_s=minutes * 60,
        tightness_before=before,
        tightness_after=after,
    )


def day(n: int, hour: int = 8) -> datetime:
    return MONDAY + timedelta(days=n, hours=hour - 8)


def test_change_is_before_minus_after_only_when_both_are_given():
    assert s(MONDAY, before=7, after=4).change == 3
    assert s(MONDAY, before=2, after=5).change == -3
    assert s(MONDAY, before=7).change is None
    assert s(MONDAY, after=4).change is None


def test_tightness_points_are_the_rated_sessions_oldest_first():
    later, earlier, unrated = s(day(1), after=3), s(day(0), before=6), s(day(2))
    points = tightness_points([later, unrated, earlier])
    assert [(p.before, p.after, p.change) for p in points] == [(6, None, None), (None, 3, None)]


def test_the_routine_name_is_the_most_recent_one():
    records = [s(day(1), "cool", before=5, after=3), s(day(0), "cool", before=5, after=3)]
    records[0] = SessionRecord(**{**records[0].__dict__, "routine_name": "Renamed"})
    assert effects(records, existing={"cool"})[0].routine_name == "Renamed"


def test_weeks_run_monday_to_sunday_and_empty_weeks_are_kept():
    records = [
        s(day(0), before=6, after=4),
        s(day(6, 20), after=2, status=Status.STOPPED),
        s(day(15), before=5, after=5),  # week 47; week 46 had nothing
    ]
    weeks = weekly(records, tz=UTC)
    assert [(w.week, w.start, w.sessions, w.completed, w.rated) for w in weeks] == [
        (45, date(2026, 11, 2), 2, 1, 2),
        (46, date(2026, 11, 9), 0, 0, 0),
        (47, date(2026, 11, 16), 1, 1, 1),
    ]
    assert (weeks[0].mean_before, weeks[0].mean_after) == (6.0, 3.0)
    assert weeks[1].mean_after is None
    assert weekly([]) == []


def test_days_and_weeks_are_the_users_local_ones():
    late_sunday = datetime(2026, 11, 8, 23, 30, tzinfo=UTC)  # Monday 00:30 in Paris
    paris = timezone(timedelta(hours=1))
    assert weekly([s(late_sunday)], tz=UTC)[0].week == 45
    assert weekly([s(late_sunday)], tz=paris)[0].week == 46


def test_streaks_count_days_with_a_completed_session():
    records = [
        s(day(0)),
        s(day(1)),
        s(day(1, 18)),  # two on one day count once
        s(day(2)),
        s(day(4), status=Status.STOPPED),  # stopped does not keep a streak
        s(day(5)),
        s(day(6)),
    ]
    result = streaks(records, today=date(2026, 11, 8), tz=UTC)
    assert (result.current, result.longest) == (2, 3)
    # Today is not over: no session yet today still leaves yesterday's streak standing.
    assert streaks(records, today=date(2026, 11, 9), tz=UTC).current == 2
    assert streaks(records, today=date(2026, 11, 10), tz=UTC).current == 0
    assert streaks([], today=date(2026, 11, 10)).longest == 0


def test_count_since_is_adherence_over_a_window():
    records = [s(day(0)), s(day(3)), s(day(6))]
    assert count_since(records, day(3)) == 2


def test_periods_compare_tightness_after_recent_against_before():
    now = day(56)
    records = [
        s(day(50), after=2),
        s(day(40), after=4),
        s(day(20), after=6),
        s(day(10), after=8),
        s(day(-1), after=9),  # older than both periods
        s(day(45)),  # not rated
    ]
    result = compare_periods(records, now, days=28)
    assert result.recent == Mean(2, 3.0)
    assert result.previous == Mean(2, 7.0)


def test_the_summary_gathers_the_figures_the_cli_prints():
    records = [s(day(i), before=6, after=3) for i in range(5)]
    summary = summarize(records, now=day(4, 20), tz=UTC)
    assert (summary.total, summary.last_7_days, summary.last_28_days) == (5, 5, 5)
    assert (summary.streaks.current, summary.streaks.longest) == (5, 5)
    assert summary.trend.recent == Mean(5, 3.0)
