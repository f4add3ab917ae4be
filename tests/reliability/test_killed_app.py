"""SIGKILL the running app at random moments, twenty times: no session and no rating lost.

The app plays sessions back to back (app_child.py) and says what it has committed;
the test kills it at a moment drawn from a seeded generator (so a failure can be
replayed), opens the history as the next start of the app would, and checks it.
"""

from __future__ import annotations

import random
import time

import pytest

from history_testing import raw_rows
from loosen import paths
from loosen.core.history import HistoryStore, Status

KILLS = 20
SEED = 20261129


def read_until_killed(child, sessions_to_rate: int, extra_s: float) -> list[str]:
    """Lines the child printed: wait for `sessions_to_rate` ratings, then `extra_s`, kill."""
    assert child.stdout is not None
    lines: list[str] = []
    while sum(line.startswith("rated") for line in lines) < sessions_to_rate:
        line = child.stdout.readline()
        assert line, f"the app ended early: {child.stderr.read()}"
        lines.append(line.strip())
    time.sleep(extra_s)  # the random moment: mid-session, mid-rating, mid-write
    child.kill()
    rest, errors = child.communicate()
    assert "Traceback" not in errors, errors
    return lines + [line for line in rest.splitlines() if line]


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_committed(launch_app):
    draw = random.Random(SEED)
    started: set[str] = set()
    rated: dict[str, int] = {}
    for kill in range(KILLS):
        lines = read_until_killed(launch_app(), draw.randint(0, 1), draw.uniform(0.0, 0.4))
        for line in lines:
            word, uid, *value = line.split()
            started.add(uid)
            if word == "rated":
                rated[uid] = int(value[0])

        db = paths.history_db()
        if not db.exists():  # killed while starting, before the first session
            assert not started
            continue
        assert raw_rows(db, "PRAGMA integrity_check") == [("ok",)], f"after kill {kill}"
        with HistoryStore.open(db) as store:  # what the next start of the app sees
            found = {r.uid: r for r in store.sessions()}
        assert started <= set(found), f"after kill {kill}: a started session is missing"
        for uid, value in rated.items():
            assert found[uid].tightness_after == value, f"after kill {kill}: rating lost"
            assert found[uid].status is Status.COMPLETED
        assert all(r.status is not Status.RUNNING for r in found.values())
    assert len(rated) >= 5 and len(started) > len(rated)  # the draws hit both cases
