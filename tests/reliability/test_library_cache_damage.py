"""A routine-file cache that is damaged, foreign, stale or unwritable is never the
user's problem: the library loads exactly as it does without one, and a usable cache
takes its place where it can."""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from pathlib import Path

import pytest
from disks import fill, set_read_only, tmpfs

from loosen.core.library import Library, load_library
from loosen.core.library_cache import CACHE_FILE_NAME, SETTLED_S, cache_version

ROUTINES = {
    "squat-and-fold.toml": 'format = 1\nname = "Squat and fold"\nkind = "break"\n'
    '[[steps]]\nname = "Deep squat"\nduration = "20s"\n',
    "mine.toml": 'format = 1\nname = "Mine"\nkind = "cooldown"\n'
    '[[steps]]\nname = "Hold"\nduration = "45s"\nsides = true\n'
    '[[steps]]\ninclude = "squat-and-fold"\n',
    "bad.toml": 'format = 1\nname = "Bad"\n[[steps]]\nname = "X"\n',
}


@pytest.fixture
def user(tmp_path: Path) -> Path:
    folder = tmp_path / "user"
    folder.mkdir()
    long_ago = time.time() - 60 * SETTLED_S  # settled files, which the cache keeps
    for name, text in ROUTINES.items():
        (folder / name).write_text(text, encoding="utf-8")
        os.utime(folder / name, (long_ago, long_ago))
    return folder


def load(user: Path, cache_dir: Path | None) -> Library:
    return load_library(None, user, None, cache_dir=cache_dir)


def assert_as_uncached(library: Library, user: Path) -> None:
    uncached = load(user, None)
    assert library == uncached
    assert [(r.id, r.path, r.digest) for r in library] == [
        (r.id, r.path, r.digest) for r in uncached
    ]
    assert [str(e) for e in library.errors] == [str(e) for e in uncached.errors]
    assert {r.id: library.planned_s(r) for r in library} == {
        r.id: uncached.planned_s(r) for r in uncached
    }


def good_cache(user: Path, cache_dir: Path) -> bytes:
    load(user, cache_dir)
    return (cache_dir / CACHE_FILE_NAME).read_bytes()


def with_header(body: bytes, **header: str) -> bytes:
    fields = {
        "cache": "loosen routine-file cache",
        "version": cache_version(),
        "sha256": hashlib.sha256(body).hexdigest(),
        **header,
    }
    return json.dumps(fields).encode() + b"\n" + body


def damaged(kind: str, good: bytes) -> bytes:
    rng = random.Random(kind)
    header, _, body = good.partition(b"\n")
    if kind == "random bytes":
        return rng.randbytes(len(good))
    if kind == "truncated":
        return good[: len(good) * 2 // 3]
    if kind == "one bit flipped":  # still JSON, still the right shape: only the digest tells
        at = len(header) + 1 + body.index(b'"Mine"') + 1
        return good[:at] + bytes([good[at] ^ 0x20]) + good[at + 1 :]
    if kind == "empty":
        return b""
    if kind == "another version":
        return with_header(body, version="0.0.1/0.0/old")
    if kind == "foreign JSON":
        return json.dumps({"cache": "something else", "entries": [1, 2, 3]}).encode()
    if kind == "entries of the wrong shape":
        entries = json.loads(body)
        for path, entry in entries.items():
            if path.endswith("bad.toml"):
                entry["file"] = ["x", 3, None]
            elif path.endswith("mine.toml"):
                entry["file"][3][7] = [[1, 2], {"include": 5}]
            else:
                entries[path] = 7
        return with_header(json.dumps(entries).encode())
    if kind == "a list, not entries":
        return with_header(b"[1, 2, 3]")
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "random bytes",
        "truncated",
        "one bit flipped",
        "empty",
        "another version",
        "foreign JSON",
        "entries of the wrong shape",
        "a list, not entries",
    ],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(kind, user, tmp_path, reads):
    cache_dir = tmp_path / "cache"
    good = good_cache(user, cache_dir)
    (cache_dir / CACHE_FILE_NAME).write_bytes(damaged(kind, good))

    reads.clear()
    library = load(user, cache_dir)
    assert len(reads) == len(ROUTINES)
    assert_as_uncached(library, user)

    reads.clear()  # replaced by a good one: the next load reads nothing
    library = load(user, cache_dir)
    assert reads == []
    assert_as_uncached(library, user)


def test_a_folder_in_place_of_the_cache_file_is_left_alone(user, tmp_path, reads):
    cache_dir = tmp_path / "cache"
    (cache_dir / CACHE_FILE_NAME).mkdir(parents=True)
    (cache_dir / CACHE_FILE_NAME / "someone's.txt").write_text("kept")
    for _ in range(2):
        reads.clear()
        library = load(user, cache_dir)
        assert len(reads) == len(ROUTINES)
        assert_as_uncached(library, user)
    assert (cache_dir / CACHE_FILE_NAME / "someone's.txt").read_text() == "kept"
    assert sorted(p.name for p in cache_dir.iterdir()) == [CACHE_FILE_NAME]  # no leftovers


def test_a_file_in_place_of_the_cache_folder_is_left_alone(user, tmp_path):
    cache_dir = tmp_path / "cache"
    cache_dir.write_text("not a folder")
    assert_as_uncached(load(user, cache_dir), user)
    assert cache_dir.read_text() == "not a folder"


@pytest.fixture
def small_disk(tmp_path):
    with tmpfs(tmp_path / "disk", size_kb=256) as disk:
        if disk is None:
            pytest.skip("mounting a tmpfs is not allowed here")
        yield disk


def test_a_read_only_cache_folder_changes_nothing_but_speed(user, small_disk, reads):
    cache_dir = small_disk / "loosen"
    good_cache(user, cache_dir)
    (user / "added.toml").write_text(ROUTINES["mine.toml"].replace('"Mine"', '"Added"'))
    set_read_only(small_disk, True)
    try:
        reads.clear()
        library = load(user, cache_dir)  # the cache is read, but cannot be updated
        assert reads == [user / "added.toml"]
        assert_as_uncached(library, user)
    finally:
        set_read_only(small_disk, False)


def test_a_full_disk_leaves_the_old_cache_and_no_half_written_file(user, small_disk, reads):
    cache_dir = small_disk / "loosen"
    before = good_cache(user, cache_dir)
    filler = fill(small_disk)
    try:
        (user / "mine.toml").write_text(ROUTINES["mine.toml"].replace('"Mine"', '"Renamed"'))
        library = load(user, cache_dir)
        assert library.get("mine").name == "Renamed"
        assert_as_uncached(library, user)
        assert (cache_dir / CACHE_FILE_NAME).read_bytes() == before
        assert sorted(p.name for p in cache_dir.iterdir()) == [CACHE_FILE_NAME]
    finally:
        filler.unlink()
