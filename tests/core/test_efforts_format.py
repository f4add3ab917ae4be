"""`[[interval.efforts]]` in a routine file: read into the model, kept by the cache,
part of the digest; mistakes in it are refused in tests/core/corpus/bad/effort*.toml."""

from __future__ import annotations

import os
import time
from pathlib import Path

from loosen.core.library import Library, load_library
from loosen.core.library_cache import SETTLED_S
from loosen.core.loader import read_routine_document
from loosen.core.routine import Step

BREAK = """format = 1
name = "Squat and fold"
kind = "break"
[[steps]]
name = "Deep squat"
duration = "20s"
"""
RUN = """format = 1
name = "Sprints"
kind = "run"
[interval]
activity = "Sprints"
total = "60m"
every = "15-20m"
break = "squat-and-fold"
"""
EFFORTS = """[[interval.efforts]]
name = "Sprint 100 metres"
duration = "20s"
say = "Drive the knees."
[[interval.efforts]]
name = "Walk back"
duration = "1m40s"
"""


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    when = time.time() - 60 * SETTLED_S  # settled, so the cache keeps it
    os.utime(path, (when, when))


def _library(tmp_path: Path, run_text: str | None) -> Library:
    """The library of the break and `run_text` as sprints.toml; None: as written before."""
    builtin, cache = tmp_path / "builtin", tmp_path / "cache"
    if run_text is not None:
        builtin.mkdir(parents=True, exist_ok=True)
        _write(builtin, "squat-and-fold.toml", BREAK)
        _write(builtin, "sprints.toml", run_text)
    return load_library(builtin, None, None, cache_dir=cache)


def test_efforts_are_read_in_order_as_timed_steps(tmp_path):
    library = _library(tmp_path, RUN + EFFORTS)
    assert not library.errors
    interval = library.get("sprints").interval
    assert interval.efforts == (
        Step(name="Sprint 100 metres", duration_s=20.0, say="Drive the knees."),
        Step(name="Walk back", duration_s=100.0),
    )


def test_the_cache_gives_back_the_same_efforts(tmp_path, reads):
    first = _library(tmp_path, RUN + EFFORTS).get("sprints")
    reads.clear()
    again = _library(tmp_path, None).get("sprints")
    assert reads == []  # from the cache this time
    assert again.interval.efforts == first.interval.efforts
    assert again.digest == first.digest


def test_a_run_without_efforts_has_none(tmp_path):
    assert _library(tmp_path, RUN).get("sprints").interval.efforts == ()


def test_the_digest_follows_the_efforts(tmp_path):
    without = _library(tmp_path / "a", RUN).get("sprints").digest
    with_efforts = _library(tmp_path / "b", RUN + EFFORTS).get("sprints").digest
    longer_walk = (
        _library(tmp_path / "c", RUN + EFFORTS.replace('"1m40s"', '"2m"')).get("sprints").digest
    )
    assert len({without, with_efforts, longer_walk}) == 3


def test_every_mistake_in_the_efforts_is_reported_at_once():
    doc = {
        "format": 1,
        "name": "Sprints",
        "kind": "run",
        "interval": {
            "activity": "Sprints",
            "every": "15-20m",
            "break": "squat-and-fold",
            "efforts": [
                {"name": "Sprint", "duration": "0s"},
                {"name": "", "duration": "1m40s", "sya": "Breathe."},
            ],
        },
    }
    draft, errors = read_routine_document(doc, Path("sprints.toml"))
    assert draft is None
    assert [(e.place, e.message) for e in errors] == [
        (
            "interval.efforts[1].duration",
            '"0s" is zero; an effort must last at least 1s',
        ),
        (
            "interval.efforts[2].sya",
            'unknown key (did you mean "say"?); allowed here: name, duration, say',
        ),
        ("interval.efforts[2].name", "is empty; write a few words"),
    ]
