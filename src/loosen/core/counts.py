"""A count with its noun, for people to read: "1 step", "2 steps", "0 breaks"."""

from __future__ import annotations


def count_of(n: int, word: str, plural: str | None = None) -> str:
    """`n` and `word`, in the plural unless `n` is 1; `plural` where it is not word + "s"."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"
