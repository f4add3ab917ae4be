"""Scale figures for the benchmark script: years of daily sessions, opened, listed, summed up."""

from __future__ import annotations

import io
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loosen.core.history import csvio, insights, stats
from loosen.core.history.records import SessionRecord, Status
from loosen.core.history.store import HistoryStore

_ROUTINES = (
    ("dynamic-warm-up", "Dynamic warm-up", "warm-up"),
    ("post-run-cooldown", "Post-run cooldown", "cooldown"),
    ("squat-and-fold", "Squat and fold", "break"),
    ("core-and-hips", "Core and hips", "strength"),
    ("easy-run-with-breaks", "Easy run with back breaks", "run"),
)


def synthetic_sessions(n: int, seed: int = 5) -> list[SessionRecord]:
    """`n` plausible sessions, a few a day, ending now-ish; deterministic for a seed."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 7, tzinfo=UTC) - timedelta(hours=8 * n)
    records = []
    for i in range(n):
        routine, name, kind = _ROUTINES[i % len(_ROUTINES)]
        started = start + timedelta(hours=8 * i, minutes=rng.randrange(60))
        active = float(rng.randrange(120, 1800))
        before = rng.choice((None, *range(2, 9)))
        after = None if before is None else max(0, before - rng.randrange(0, 4))
        records.append(
            SessionRecord(
                uid=f"{rng.getrandbits(128):032x}",
                routine=routine,
                routine_name=name,
                kind=kind,
                started_at=started,
                ended_at=started + timedelta(seconds=active),
                status=rng.choice((Status.COMPLETED,) * 8 + (Status.STOPPED, Status.INTERRUPTED)),
                planned_s=1800.0,
                active_s=active,
                steps_done=rng.randrange(0, 12),
                steps_skipped=rng.randrange(0, 2),
                tightness_before=before,
                tightness_after=after,
                note=rng.choice(("", "", "", "hips tight", "felt good")),
                digest="0123456789abcdef",
            )
        )
    return records


def filled_history(path: Path, n: int = 10_000) -> datetime:
    """Write `n` synthetic sessions to a new history at `path`; the moment they end near.

    For figures measured elsewhere (the history view's open time needs Qt, which the
    core never imports).
    """
    now = datetime(2026, 1, 2, tzinfo=UTC)
    with HistoryStore.open(Path(path), now=lambda: now, keep_backups=0) as store:
        store.import_records(synthetic_sessions(n))
    return now


def history_scale_figures(tmpdir: Path, n: int = 10_000) -> dict[str, float]:
    """Seconds to open, list and summarize a history of `n` sessions, and its size.

    Keys: `fill_s` (one import transaction), `first_open_s` (includes the day's
    backup), `open_s` (a normal open: integrity check, migrations, interrupted
    check), `list_s` (every session, newest first), `stats_s` (the CLI summary and
    the weekly series), `export_csv_s`, `start_finish_s` (one session written, as
    the app does: two commits with a full sync), `db_bytes`, `sessions`.
    """
    path = Path(tmpdir) / "history.sqlite3"
    now = datetime(2026, 1, 2, tzinfo=UTC)
    figures: dict[str, float] = {"sessions": float(n)}

    def clock() -> datetime:
        return now

    with HistoryStore.open(path, now=clock, keep_backups=0) as store:
        records = synthetic_sessions(n)
        t0 = time.perf_counter()
        store.import_records(records)
        figures["fill_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    with HistoryStore.open(path, now=clock):
        figures["first_open_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    store = HistoryStore.open(path, now=clock)
    figures["open_s"] = time.perf_counter() - t0
    try:
        t0 = time.perf_counter()
        listed = store.sessions()
        figures["list_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        stats.summarize(listed, now, tz=UTC)
        stats.weekly(listed, tz=UTC)
        insights.insights(listed, existing=(), tz=UTC)
        figures["stats_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        csvio.write_csv(reversed(listed), io.StringIO())
        figures["export_csv_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        session = store.start_session("squat-and-fold", "Squat and fold", "break")
        store.finish_session(session.uid, active_s=60)
        figures["start_finish_s"] = time.perf_counter() - t0
    finally:
        store.close()
    figures["db_bytes"] = float(path.stat().st_size)
    return figures
