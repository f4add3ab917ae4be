"""Counts read right: "1 step", "2 steps"."""

from __future__ import annotations

from loosen.core.counts import count_of


def test_one_is_singular_and_every_other_count_plural():
    assert [count_of(n, "step") for n in (0, 1, 2)] == ["0 steps", "1 step", "2 steps"]
    assert count_of(2, "person", "people") == "2 people"
    assert count_of(1200, "session") == "1,200 sessions"
