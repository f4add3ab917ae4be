"""Managing routine files: new, duplicate, rename, delete and undo, restore a built-in."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from loosen import paths
from loosen.core.library import Library, load_library
from loosen.core.plan import build_plan
from loosen.core.routine import Source
from loosen.core.routine_files import (
    BadName,
    FolderNotWritable,
    NameClash,
    RoutineFileGone,
    delete,
    duplicate,
    ids_in_use,
    name_problem,
    new_routine,
    rename,
    restore_builtin,
    undo,
)
from loosen.core.routine_schema import NAME_CHARACTERS

BUILT_IN = paths.builtin_routines_dir()
BUILT_IN_FILES = sorted(BUILT_IN.glob("*.toml"))

MINE = """\
# My physio's routine: no id line, so the file's name is its id.
format = 1
name = "Physio's stretches"   # as she wrote it down
kind = "cooldown"

[[steps]]
name = "Knee hug"   # both knees
duration = "20s"
"""


def library(folder: Path) -> Library:
    return load_library(BUILT_IN, folder, paths.pictures_dir())


def taken(folder: Path) -> set[str]:
    return ids_in_use(folder, library(folder).routines)


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    """Each line that differs, as (before, after); the files must keep their length."""
    old, new = before.decode().splitlines(), after.decode().splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "routines"
    made.mkdir()
    return made


@pytest.fixture
def trash(tmp_path: Path) -> Path:
    return tmp_path / "deleted-routines"


@pytest.mark.parametrize("source", BUILT_IN_FILES, ids=lambda p: p.stem)
def test_a_built_in_duplicate_keeps_every_byte_but_its_id_and_name_lines(source, folder):
    original = library(folder).get(source.stem)
    assert original is not None and original.source is Source.BUILT_IN

    copy_path = duplicate(original, folder, taken=taken(folder))

    assert copy_path == folder / f"{source.stem}-copy.toml"
    changes = changed_lines(source.read_bytes(), copy_path.read_bytes())
    assert changes == [
        (f'id = "{source.stem}"', f'id = "{source.stem}-copy"'),
        (f'name = "{original.name}"', f'name = "{original.name} (copy)"'),
    ]
    copy = library(folder).get(f"{source.stem}-copy")
    assert copy is not None and copy.source is Source.USER
    assert copy.name == f"{original.name} (copy)"
    assert build_plan(copy).phases == build_plan(original).phases
    assert library(folder).get(source.stem).source is Source.BUILT_IN  # still the built-in


def test_a_copy_of_a_file_without_an_id_line_takes_its_id_from_its_file_name(folder):
    (folder / "physio.toml").write_text(MINE, encoding="utf-8")
    original = library(folder).get("physio")

    first = duplicate(original, folder, taken=taken(folder))
    second = duplicate(original, folder, taken=taken(folder))

    assert (first.name, second.name) == ("physio-copy.toml", "physio-copy-2.toml")
    assert changed_lines(MINE.encode(), first.read_bytes()) == [
        (
            """name = "Physio's stretches"   # as she wrote it down""",
            """name = "Physio's stretches (copy)"   # as she wrote it down""",
        )
    ]
    loaded = library(folder)
    assert loaded.errors == ()
    assert {"physio", "physio-copy", "physio-copy-2"} <= set(loaded.routines)


def test_a_copy_takes_no_id_a_built_in_has(folder):
    # As if a built-in (or a file that failed to load) were called "dynamic-warm-copy".
    (folder / "dynamic-warm.toml").write_text(MINE, encoding="utf-8")
    original = library(folder).get("dynamic-warm")
    blocked = {*taken(folder), "dynamic-warm-copy"}

    assert duplicate(original, folder, taken=blocked).name == "dynamic-warm-copy-2.toml"


def test_a_new_routine_is_valid_named_as_asked_and_clashes_with_no_id(folder):
    made = [
        new_routine(folder, name, taken=taken(folder))
        for name in ("Squat and fold", "Étirements du soir", "!!!", "  Lunch break  ")
    ]

    assert [p.name for p in made] == [
        "squat-and-fold-2.toml",  # "squat-and-fold" is a built-in's
        "etirements-du-soir.toml",
        "my-routine.toml",
        "lunch-break.toml",
    ]
    loaded = library(folder)
    assert loaded.errors == ()
    assert [loaded.get(p.stem).name for p in made] == [
        "Squat and fold",
        "Étirements du soir",
        "!!!",
        "Lunch break",
    ]
    assert all(len(loaded.get(p.stem).steps) == 1 for p in made)
    assert loaded.get("squat-and-fold").source is Source.BUILT_IN  # not overridden


@pytest.mark.parametrize("name", ["", "   ", "x" * (NAME_CHARACTERS + 1), "two\nlines"])
def test_a_name_the_loader_would_refuse_is_refused_with_its_message(name, folder):
    assert name_problem(name) is not None
    with pytest.raises(BadName, match=r"\.toml: the name "):
        new_routine(folder, name)
    assert list(folder.iterdir()) == []


def test_rename_changes_the_name_line_only_and_keeps_the_id_and_file(folder):
    path = folder / "physio.toml"
    path.write_text(MINE, encoding="utf-8")

    rename(path, 'Evening "loose back"')

    assert [p.name for p in folder.iterdir()] == ["physio.toml"]
    assert changed_lines(MINE.encode(), path.read_bytes()) == [
        (
            """name = "Physio's stretches"   # as she wrote it down""",
            """name = "Evening \\"loose back\\""   # as she wrote it down""",
        )
    ]
    assert library(folder).get("physio").name == 'Evening "loose back"'


def test_rename_keeps_a_byte_order_mark_and_windows_line_ends(folder):
    path = folder / "physio.toml"
    original = b"\xef\xbb\xbf" + MINE.replace("\n", "\r\n").encode()
    path.write_bytes(original)

    rename(path, "Renamed")

    assert path.read_bytes() == original.replace(b"Physio's stretches", b"Renamed")


def test_delete_moves_the_file_aside_and_undo_brings_back_its_exact_bytes(folder, trash):
    path = folder / "physio.toml"
    original = b"\xef\xbb\xbf" + MINE.replace("\n", "\r\n").encode()
    path.write_bytes(original)

    deleted = delete(path, trash)

    assert deleted.routine_id == "physio"
    assert not path.exists()
    assert library(folder).get("physio") is None
    assert [entry.aside.read_bytes() for entry in deleted.files] == [original]

    undo(deleted)

    assert path.read_bytes() == original
    assert list(trash.iterdir()) == []
    assert library(folder).get("physio").name == "Physio's stretches"


def test_undo_never_replaces_a_file_made_since_and_keeps_the_deleted_one(folder, trash):
    path = folder / "physio.toml"
    path.write_text(MINE, encoding="utf-8")
    deleted = delete(path, trash)
    path.write_text(MINE.replace("Physio's", "Newer"), encoding="utf-8")

    with pytest.raises(NameClash, match=r"physio\.toml exists again .* kept as "):
        undo(deleted)

    assert "Newer" in path.read_text(encoding="utf-8")
    assert deleted.files[0].aside.read_text(encoding="utf-8") == MINE


def test_restore_built_in_sets_the_users_copy_aside_and_undo_brings_it_back(folder, trash):
    built_in = library(folder).get("squat-and-fold")
    mine = duplicate(built_in, folder, taken=taken(folder))
    override = folder / "my-squats.toml"
    mine.rename(override)
    text = override.read_text(encoding="utf-8").replace("squat-and-fold-copy", "squat-and-fold")
    override.write_text(text, encoding="utf-8")
    assert library(folder).overridden == ("squat-and-fold",)
    assert library(folder).get("squat-and-fold").name == "Squat and fold (copy)"

    deleted = restore_builtin("squat-and-fold", folder, trash)

    restored = library(folder)
    assert restored.overridden == ()
    assert restored.get("squat-and-fold").source is Source.BUILT_IN
    assert restored.get("squat-and-fold").name == built_in.name
    assert not override.exists()

    undo(deleted)

    assert override.read_text(encoding="utf-8") == text
    assert library(folder).overridden == ("squat-and-fold",)


def test_restore_built_in_with_no_copy_of_it_says_so(folder, trash):
    with pytest.raises(RoutineFileGone, match='replaces the built-in "squat-and-fold"'):
        restore_builtin("squat-and-fold", folder, trash)


def test_a_folder_that_cannot_be_written_is_named_in_one_line(tmp_path, trash):
    in_the_way = tmp_path / "routines"
    in_the_way.write_text("a file where the folder should be", encoding="utf-8")
    built_in = library(tmp_path / "none").get("squat-and-fold")

    with pytest.raises(FolderNotWritable) as raised:
        duplicate(built_in, in_the_way)
    assert "squat-and-fold-copy.toml could not be written in" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_trash_folder_that_cannot_be_made_leaves_the_file_in_place(folder, tmp_path):
    path = folder / "physio.toml"
    path.write_text(MINE, encoding="utf-8")
    in_the_way = tmp_path / "trash"
    in_the_way.write_text("", encoding="utf-8")

    with pytest.raises(FolderNotWritable, match=r"physio\.toml could not be set aside"):
        delete(path, in_the_way)
    assert path.read_text(encoding="utf-8") == MINE


def test_a_file_gone_meanwhile_is_named(folder, trash):
    gone = folder / "physio.toml"
    with pytest.raises(RoutineFileGone, match=r"physio\.toml is no longer in"):
        rename(gone, "Anything")
    with pytest.raises(RoutineFileGone, match=r"physio\.toml is no longer in"):
        delete(gone, trash)


def test_the_diff_of_a_copy_is_what_a_person_would_expect(folder):
    """The whole unified diff, as a reviewer reads it: two lines out, two lines in."""
    source = BUILT_IN / "post-run-cooldown.toml"
    copy = duplicate(library(folder).get("post-run-cooldown"), folder, taken=taken(folder))
    diff = [
        line
        for line in difflib.unified_diff(
            source.read_text(encoding="utf-8").splitlines(),
            copy.read_text(encoding="utf-8").splitlines(),
            lineterm="",
            n=0,
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert diff == [
        '-id = "post-run-cooldown"',
        '-name = "Post-run cooldown"',
        '+id = "post-run-cooldown-copy"',
        '+name = "Post-run cooldown (copy)"',
    ]
    assert source.read_text(encoding="utf-8").startswith("# Post-run cooldown on a mat")
    assert copy.read_text(encoding="utf-8").startswith("# Post-run cooldown on a mat")
