"""The routine-file cache: an unchanged file is not read again; any change is seen.

Reads are counted at the one place the loader opens a routine file
(`loader.read_regular_file`), so "not read again" means the file was not even opened.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from loosen import paths
from loosen.core.library import Library, load_library
from loosen.core.library_cache import CACHE_FILE_NAME, SETTLED_S

HOLD = '[[steps]]\nname = "Hold"\nduration = "{d}"\n'


def routine(name: str, duration: str = "45s", extra: str = "") -> str:
    return f'format = 1\nname = "{name}"\nkind = "cooldown"\n{extra}' + HOLD.format(d=duration)


def settle(path: Path, seconds_ago: float = 60 * SETTLED_S) -> None:
    """Date the file back, as a user's files are: the cache passes over files written in
    the last SETTLED_S seconds (a write in the same clock tick could not be told)."""
    when = time.time() - seconds_ago
    os.utime(path, (when, when))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    settle(path)
    return path


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    made = {name: tmp_path / name for name in ("builtin", "user", "pictures", "cache")}
    for folder in made.values():
        folder.mkdir()
    write(
        made["builtin"],
        "squat-and-fold.toml",
        'format = 1\nname = "Squat and fold"\nkind = "break"\n'
        '[[steps]]\nname = "Deep squat"\nduration = "20s"\n',
    )
    return made


def load(folders: dict[str, Path], *, cached: bool = True, **options) -> Library:
    return load_library(
        folders["builtin"],
        folders["user"],
        folders["pictures"],
        cache_dir=folders["cache"] if cached else None,
        **options,
    )


def same_library(a: Library, b: Library) -> None:
    """Equal as a person and the history see them: routines field by field (with their
    files and digests), errors, overrides and lengths."""
    assert a == b
    assert [(r.id, r.path, r.digest, r.source) for r in a] == [
        (r.id, r.path, r.digest, r.source) for r in b
    ]
    assert [(e.path, e.place, e.message) for e in a.errors] == [
        (e.path, e.place, e.message) for e in b.errors
    ]
    assert {r.id: a.planned_s(r) for r in a} == {r.id: b.planned_s(r) for r in b}


def test_an_unchanged_file_is_not_read_again(folders, reads):
    mine = write(folders["user"], "mine.toml", routine("Mine"))
    first = load(folders)
    assert mine in reads

    reads.clear()
    second = load(folders)
    assert reads == []  # neither the user's file nor the built-in one was opened
    same_library(second, first)
    same_library(second, load(folders, cached=False))


def test_a_file_with_an_error_is_not_read_again_and_keeps_its_error(folders, reads):
    write(folders["user"], "bad.toml", 'format = 1\nname = "Bad"\n')
    first = load(folders)
    reads.clear()
    second = load(folders)
    assert reads == []
    assert [e.detail for e in second.errors] == [e.detail for e in first.errors]
    assert "steps: there are none" in second.errors[0].detail


def test_same_size_new_mtime_is_read_again(folders, reads):
    mine = write(folders["user"], "mine.toml", routine("Aaaa"))
    load(folders)
    size = mine.stat().st_size
    mine.write_text(routine("Bbbb"), encoding="utf-8")
    settle(mine, seconds_ago=30 * SETTLED_S)  # another old time: only mtime tells
    assert mine.stat().st_size == size

    reads.clear()
    library = load(folders)
    assert library.get("mine").name == "Bbbb"
    assert reads == [mine]
    same_library(library, load(folders, cached=False))


def test_new_content_with_the_same_mtime_but_a_new_size_is_read_again(folders, reads):
    mine = write(folders["user"], "mine.toml", routine("Mine"))
    load(folders)
    before = mine.stat()
    mine.write_text(routine("Mine, longer now"), encoding="utf-8")
    os.utime(mine, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert mine.stat().st_mtime_ns == before.st_mtime_ns

    reads.clear()
    library = load(folders)
    assert library.get("mine").name == "Mine, longer now"
    assert reads == [mine]


def test_a_file_replaced_by_rename_is_read_again(folders, reads):
    """Editors save by writing a new file and renaming it over the old one: same name,
    same size, even the same mtime, but another file (inode)."""
    mine = write(folders["user"], "mine.toml", routine("Aaaa"))
    load(folders)
    before = mine.stat()
    replacement = folders["user"] / "mine.toml.part"
    replacement.write_text(routine("Bbbb"), encoding="utf-8")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    replacement.replace(mine)
    assert (mine.stat().st_size, mine.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    reads.clear()
    library = load(folders)
    assert library.get("mine").name == "Bbbb"
    assert reads == [mine]


def test_a_removed_file_disappears_and_an_added_one_appears(folders, reads):
    gone = write(folders["user"], "gone.toml", routine("Gone"))
    write(folders["user"], "kept.toml", routine("Kept"))
    load(folders)
    gone.unlink()
    added = write(folders["user"], "added.toml", routine("Added"))

    reads.clear()
    library = load(folders)
    assert set(library.routines) == {"squat-and-fold", "kept", "added"}
    assert reads == [added]
    same_library(library, load(folders, cached=False))


def test_a_file_written_a_moment_ago_is_read_again_until_it_settles(folders, reads):
    """Its timestamps cannot yet tell a second write in the same tick from the first."""
    mine = folders["user"] / "mine.toml"
    mine.write_text(routine("Mine"), encoding="utf-8")
    # Dated a little ahead of now, so that however slow the machine, it cannot settle
    # while the test runs.
    settle(mine, seconds_ago=-10 * SETTLED_S)
    load(folders)
    reads.clear()
    load(folders)
    assert reads == [mine]
    settle(mine)
    load(folders)
    reads.clear()
    load(folders)
    assert reads == []


def test_a_changed_include_changes_the_length_and_digest_of_the_routine_including_it(
    folders, reads
):
    """The including file is unchanged, but what it is made of is not."""
    write(
        folders["user"], "outer.toml", routine("Outer", extra="") + '[[steps]]\ninclude = "inner"\n'
    )
    inner = write(folders["user"], "inner.toml", routine("Inner", "30s"))
    before = load(folders)
    inner.write_text(routine("Inner", "50s"), encoding="utf-8")
    settle(inner, seconds_ago=30 * SETTLED_S)

    after = load(folders)
    assert after.get("outer").digest != before.get("outer").digest
    assert after.planned_s(after.get("outer")) == before.planned_s(before.get("outer")) + 20
    same_library(after, load(folders, cached=False))


def test_a_picture_removed_after_caching_gives_the_error_it_gives_without_the_cache(folders, reads):
    picture = folders["user"] / "bridge.svg"
    picture.write_text("<svg/>")
    write(
        folders["user"],
        "mine.toml",
        routine("Mine").replace('duration = "45s"', 'duration = "45s"\nimage = "bridge.svg"'),
    )
    assert not load(folders).errors
    picture.unlink()

    reads.clear()
    cached = load(folders)
    uncached = load(folders, cached=False)
    assert [e.detail for e in cached.errors] == [
        'steps[1].image: "bridge.svg" was not found next to the routine nor among the '
        "built-in pictures"
    ]
    same_library(cached, uncached)


def test_a_picture_added_after_caching_is_found_as_it_is_without_the_cache(folders, reads):
    """Added next to the routine it also wins over a built-in picture of that name."""
    write(
        folders["user"],
        "mine.toml",
        routine("Mine").replace('duration = "45s"', 'duration = "45s"\nimage = "plank.svg"'),
    )
    assert load(folders).errors  # in neither folder yet
    (folders["pictures"] / "plank.svg").write_text("<svg/>")
    assert load(folders).get("mine").steps[0].image == folders["pictures"] / "plank.svg"
    (folders["user"] / "plank.svg").write_text("<svg/>")

    cached = load(folders)
    assert cached.get("mine").steps[0].image == folders["user"] / "plank.svg"
    same_library(cached, load(folders, cached=False))


def test_built_in_and_user_files_are_told_apart(folders, reads):
    """One cache for both folders: a file's entry is for the source it was read as."""
    write(folders["user"], "mine.toml", routine("Mine"))
    load(folders)
    swapped = load_library(
        folders["user"], folders["builtin"], folders["pictures"], cache_dir=folders["cache"]
    )
    assert swapped.get("mine").source.value == "built-in"
    assert swapped.get("squat-and-fold").source.value == "user"


def test_extra_files_are_always_read(folders, reads):
    """What `loosen validate FILE` loads: the cache never answers for the files given."""
    mine = write(folders["user"], "mine.toml", routine("Mine"))
    elsewhere = write(folders["pictures"], "other.toml", routine("Other"))
    load(folders, extra_files=[mine, elsewhere])
    reads.clear()
    library = load(folders, extra_files=[mine, elsewhere])
    assert sorted(reads) == sorted([mine, elsewhere])
    assert {"mine", "other"} <= set(library.routines)


def test_the_cli_and_the_app_keep_the_cache_in_the_cache_folder(user_routines, reads):
    from loosen.commands.common import library
    from loosen.ui.main_window import _load_library_from_disk

    mine = write(user_routines, "mine.toml", routine("Mine"))
    library()
    assert (paths.cache_dir() / CACHE_FILE_NAME).is_file()
    reads.clear()
    assert library().get("mine") is not None
    assert _load_library_from_disk().get("mine") is not None
    assert mine not in reads


def test_loosen_validate_reads_the_files_it_is_given_every_time(user_routines, reads, capsys):
    from loosen.cli import main

    mine = write(user_routines, "mine.toml", routine("Mine"))
    assert main(["list"]) == 0
    for _ in range(2):
        reads.clear()
        assert main(["validate", str(mine)]) == 0
        assert reads.count(mine) == 1
    assert "mine.toml: ok (mine: 1 step" in capsys.readouterr().out
