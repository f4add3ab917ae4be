"""Test set-up shared by every test: no display needed, and no real user folders touched."""

from __future__ import annotations

import contextlib
import os
import signal
import sys

# Must be set before Qt starts: there is no display on CI machines.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point every appdirs folder at a fresh temporary home for each test."""
    home = tmp_path_factory.mktemp("home")
    for variable, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def user_routines(isolated_user_dirs: Path) -> Path:
    folder = isolated_user_dirs / "data" / "loosen" / "routines"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every routine file the loader opens, in order (to tell a cached load from a read)."""
    from loosen.core import loader

    opened: list[Path] = []
    real = loader.read_regular_file

    def counting(path: Path, max_bytes: int) -> bytes:
        opened.append(path)
        return real(path, max_bytes)

    monkeypatch.setattr(loader, "read_regular_file", counting)
    return opened


# A test leaves no child process behind: every child alive (or unreaped) after a
# test's teardown that was not there before its setup fails that test. Children of a
# module- or session-wide fixture count against the test whose teardown ends that
# fixture.
def _children() -> frozenset[int]:
    """Our children: each thread's, since a child belongs to the thread that started it;
    but not multiprocessing's resource tracker, one per process for its lifetime."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):  # the thread ended while we looked
            found.update(int(pid) for pid in (task / "children").read_text().split())
    tracker = sys.modules.get("multiprocessing.resource_tracker")
    if tracker is not None:
        found.discard(getattr(tracker._resource_tracker, "_pid", None))
    return frozenset(found)


def _describe(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        command = "?"
    return f"{pid} ({command.strip() or 'exited, never waited for'})"


_CAN_SEE_CHILDREN = Path("/proc/self/task").is_dir() and all(
    (task / "children").exists() for task in Path("/proc/self/task").iterdir()
)
_before_test = pytest.StashKey[frozenset[int]]()
_fixture_children: dict[object, frozenset[int]] = {}  # a wider fixture -> the children it started
_left_by_fixtures: set[int] = set()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    if not _CAN_SEE_CHILDREN or fixturedef.scope == "function":
        return (yield)
    before = _children()
    try:
        return (yield)
    finally:
        _fixture_children[fixturedef] = _children() - before


def pytest_fixture_post_finalizer(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    started = _fixture_children.pop(fixturedef, frozenset())
    _left_by_fixtures.update(started & _children())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    if _CAN_SEE_CHILDREN:
        item.stash[_before_test] = _children()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    result = yield
    if _CAN_SEE_CHILDREN and _before_test in item.stash:
        held = frozenset().union(*_fixture_children.values())
        left = (_children() - item.stash[_before_test] - held) | _left_by_fixtures
        _left_by_fixtures.clear()
        if left:
            described = ", ".join(map(_describe, sorted(left)))
            for pid in left:  # stopped here, so that they count against no later test
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            pytest.fail(f"child processes left behind (now killed): {described}")
    return result
