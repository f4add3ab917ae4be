"""Routine files that are not what they seem: a named pipe, a looping link, a folder, a
socket, a file nobody can read, includes nested a thousand deep.

Each must be one line in the library's errors (`loosen list`, `loosen validate`, the
app's banner) while every other routine loads; nothing hangs, nothing prints a
traceback, and a named pipe is never opened.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from odd_files import (
    has_reader,
    loosen,
    make_fifo,
    make_link_loop,
    release_readers,
    within_deadline,
)

from loosen import paths
from loosen.core.library import load_library
from loosen.core.routine_schema import MAX_INCLUDE_DEPTH

GOOD = 'format = 1\nname = "Mine"\nkind = "cooldown"\n[[steps]]\nname = "Hold"\nduration = "45s"\n'


def make_socket(path: Path) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays on disk, as a crashed program leaves it
    return path


def make_folder(path: Path) -> Path:
    path.mkdir()
    (path / "inside.toml").write_text(GOOD)
    return path


def make_dangling_link(path: Path) -> Path:
    path.symlink_to("gone.toml")
    return path


def make_unreadable(path: Path) -> Path:
    # A file even root cannot read: the process's own memory, from the unmapped page 0.
    path.symlink_to("/proc/self/mem")
    return path


ODD_ENTRIES: dict[str, tuple[Callable[[Path], Path], str]] = {
    # what is put there: (how it is made, words the one-line error must hold)
    "named pipe": (make_fifo, "is a named pipe (FIFO), not a file"),
    "link loop": (make_link_loop, "is a symbolic link that leads round in a loop"),
    "folder": (make_folder, "is a folder, not a file"),
    "socket": (make_socket, "is a socket, not a file"),
    "dangling link": (make_dangling_link, "cannot be read: No such file or directory"),
    "unreadable file": (make_unreadable, "cannot be read: Input/output error"),
}


@pytest.fixture
def routines(user_routines: Path):
    """The user's routines folder with one good routine; pipes released at the end."""
    (user_routines / "mine.toml").write_text(GOOD)
    yield user_routines
    release_readers(user_routines)


@pytest.mark.parametrize("kind", list(ODD_ENTRIES))
def test_an_odd_entry_is_one_error_and_the_rest_loads(routines, kind):
    make, words = ODD_ENTRIES[kind]
    odd = make(routines / "x.toml")

    library = within_deadline(
        lambda: load_library(paths.builtin_routines_dir(), routines, paths.pictures_dir()),
        pipes_under=routines,
    )

    assert [str(e) for e in library.errors] == [f"{odd}: {words}"]
    assert library.get("mine") is not None and library.get("squat-and-fold") is not None


@pytest.mark.parametrize("kind", list(ODD_ENTRIES))
def test_list_plan_and_validate_finish_with_one_line_and_no_traceback(routines, kind):
    make, words = ODD_ENTRIES[kind]
    odd = make(routines / "x.toml")

    listed = loosen("list", "--json")
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr
    data = json.loads(listed.stdout)
    assert data["errors"] == [{"path": str(odd), "message": words}]
    assert "mine" in {r["id"] for r in data["routines"]}

    table = loosen("list")
    assert table.returncode == 0 and "Traceback" not in table.stderr, table.stderr
    assert f"  {odd}: {words}" in table.stderr.splitlines()

    planned = loosen("plan", "mine")
    assert planned.returncode == 0 and "Traceback" not in planned.stderr, planned.stderr

    checked = loosen("validate", str(odd), str(routines / "mine.toml"))
    assert checked.returncode == 1 and "Traceback" not in checked.stderr, checked.stderr
    assert checked.stderr.splitlines() == [f"{odd}: {words}"]
    assert f"{routines / 'mine.toml'}: ok" in checked.stdout


def test_a_named_pipe_is_never_opened_for_reading(routines):
    fifo = make_fifo(routines / "waiting.toml")
    seen: list[bool] = []

    def load_and_look():
        library = load_library(paths.builtin_routines_dir(), routines, paths.pictures_dir())
        seen.append(has_reader(fifo))  # nobody left holding it either
        return library

    within_deadline(load_and_look, pipes_under=routines)
    assert seen == [False]


def test_several_odd_entries_are_each_one_line_among_good_files(routines):
    make_fifo(routines / "a-pipe.toml")
    make_link_loop(routines / "b-loop.toml")
    make_folder(routines / "c-folder.toml")
    (routines / "d-other.toml").write_text(GOOD.replace("Mine", "Other"))

    listed = loosen("list", "--json")

    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert sorted(Path(e["path"]).name for e in data["errors"]) == [
        "a-pipe.toml",
        "b-loop.toml",
        "c-folder.toml",
    ]
    assert {"mine", "d-other"} <= {r["id"] for r in data["routines"]}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_without_read_permission_is_one_error(routines):
    locked = routines / "locked.toml"
    locked.write_text(GOOD.replace("Mine", "Locked"))
    locked.chmod(0)
    library = load_library(None, routines)
    assert [str(e) for e in library.errors] == [f"{locked}: cannot be read: Permission denied"]
    assert library.get("mine") is not None


def test_the_app_with_a_named_pipe_among_the_routines_plays_and_exits(routines, launch_app):
    make_fifo(routines / "x.toml")
    child = launch_app("mine", sessions=1)
    try:
        out, errors = child.communicate(timeout=60)
    finally:
        release_readers(routines)
    assert child.returncode == 0 and "Traceback" not in errors, errors
    assert any(line.startswith("rated ") for line in out.splitlines()), out


def test_the_app_banner_names_the_pipe_in_one_line(qtbot, routines):
    from loosen.core.clock import FakeClock
    from loosen.core.settings import Settings
    from loosen.ui.history_service import HistoryService
    from loosen.ui.main_window import MainWindow

    from helpers import RecordingSpeaker

    fifo = make_fifo(routines / "x.toml")
    window = MainWindow(
        Settings(seen_welcome=True),
        RecordingSpeaker(),
        HistoryService(paths.history_db()),
        clock=FakeClock(),
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.library_loaded, timeout=10_000):
        window.show()
    banner = window.library_view.banner
    assert banner.isVisible()
    assert f"{fifo}: is a named pipe (FIFO), not a file" in banner.text()
    assert window.library is not None and window.library.get("mine") is not None
    window.close()


@pytest.mark.parametrize("make", [make_link_loop, make_fifo], ids=["link loop", "named pipe"])
def test_a_picture_that_is_not_a_file_is_one_error_on_its_step(routines, make):
    make(routines / "odd.svg")
    pictured = GOOD.replace("Mine", "Pictured") + 'image = "odd.svg"\n'
    (routines / "pictured.toml").write_text(pictured)

    library = within_deadline(lambda: load_library(None, routines), pipes_under=routines)

    (error,) = library.errors
    assert (error.path.name, error.place) == ("pictured.toml", "steps[1].image")
    assert library.get("mine") is not None and library.get("pictured") is None


def chain(folder: Path, length: int, prefix: str = "level") -> list[str]:
    """`length` routines, each including the next; the last has a step of its own."""
    ids = [f"{prefix}-{n}" for n in range(length)]
    for here, below in itertools.pairwise(ids):
        (folder / f"{here}.toml").write_text(
            f'format = 1\nname = "{here}"\nsteps = [{{ include = "{below}" }}]\n'
        )
    (folder / f"{ids[-1]}.toml").write_text(GOOD.replace("Mine", ids[-1]))
    return ids


def test_includes_a_thousand_deep_are_refused_where_too_deep_and_the_rest_loads(user_routines):
    ids = chain(user_routines, 1000)

    library = load_library(None, user_routines)

    too_deep = ids[: -MAX_INCLUDE_DEPTH - 1]
    loaded = ids[-MAX_INCLUDE_DEPTH - 1 :]
    assert all(library.get(i) is not None for i in loaded)
    assert not any(library.get(i) is not None for i in too_deep)
    by_file = {e.path.stem: e for e in library.errors}
    assert sorted(by_file) == sorted(too_deep) and len(library.errors) == len(too_deep)
    first = by_file["level-0"]
    assert first.place == "steps[1].include"
    assert f"at most {MAX_INCLUDE_DEPTH} levels of include are allowed" in first.message


def test_includes_at_the_limit_load_and_one_more_is_refused(user_routines):
    fits = chain(user_routines, MAX_INCLUDE_DEPTH + 1, prefix="fits")
    over = chain(user_routines, MAX_INCLUDE_DEPTH + 2, prefix="over")

    library = load_library(None, user_routines)

    assert library.get(fits[0]) is not None
    assert len(library.get(fits[0]).steps) == 1
    assert library.get(over[0]) is None and library.get(over[1]) is not None
    assert [e.path.stem for e in library.errors] == [over[0]]


def test_a_routine_deep_inside_a_long_chain_loads_on_its_own_whatever_the_order(user_routines):
    # "a-top" sorts (and so loads) first: it reaches "z-base" too deep, yet "z-base"'s own
    # short chain must load, and "b-short" including "z-base" must too.
    top = chain(user_routines, MAX_INCLUDE_DEPTH, prefix="a-top")
    (user_routines / f"{top[-1]}.toml").write_text(
        f'format = 1\nname = "{top[-1]}"\nsteps = [{{ include = "z-base-0" }}]\n'
    )
    base = chain(user_routines, 2, prefix="z-base")
    (user_routines / "b-short.toml").write_text(
        'format = 1\nname = "Short"\nsteps = [{ include = "z-base-0" }]\n'
    )

    library = load_library(None, user_routines)

    assert library.get(top[0]) is None
    assert library.get("b-short") is not None and library.get(base[0]) is not None
    assert [e.path.stem for e in library.errors] == [top[0]]


def test_loosen_list_with_a_thousand_deep_chain_has_no_traceback(user_routines):
    chain(user_routines, 1000)
    listed = loosen("list", "--json")
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr[-2000:]
    data = json.loads(listed.stdout)
    assert len(data["errors"]) == 1000 - MAX_INCLUDE_DEPTH - 1
