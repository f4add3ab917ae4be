"""A settings.json that is not what it seems: JSON nested a hundred thousand deep, a named
pipe, a folder, a looping link.

The app must start every time: the defaults are used, the user is told in one line,
and what was there is set aside under a dated name (nothing lost), so the next start
is clean. Nothing waits on a pipe, neither on reading nor on saving.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from odd_files import (
    DEADLINE_S,
    has_reader,
    make_fifo,
    make_link_loop,
    release_readers,
    within_deadline,
)

from loosen import paths
from loosen.core.settings import Settings, load_settings, save_settings

DEEP = 100_000


@pytest.fixture
def settings_path():
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    yield path
    release_readers(path.parent)


def set_aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.unreadable-*"))


@pytest.mark.parametrize(
    "content",
    [
        '{"a": ' * DEEP + "1" + "}" * DEEP,
        "[" * DEEP + "]" * DEEP,
        '{"theme": "dark", "x": ' + "[" * DEEP + "]" * DEEP + "}",
    ],
    ids=["objects", "lists", "deep-inside-good-settings"],
)
def test_settings_nested_too_deep_give_defaults_one_line_and_are_kept_aside(settings_path, content):
    settings_path.write_text(content)

    loaded, problems = load_settings(settings_path)

    assert loaded == Settings()
    (aside,) = set_aside(settings_path)
    assert aside.read_text() == content  # every byte kept
    assert len(problems) == 1 and "\n" not in problems[0] and aside.name in problems[0]
    assert load_settings(settings_path) == (Settings(), [])  # the next start is clean


def test_an_oversized_settings_file_is_kept_aside_not_read_whole(settings_path):
    content = '{"theme": "dark", "pad": "' + "x" * (8 * 1024 * 1024) + '"}'
    settings_path.write_text(content)
    loaded, problems = load_settings(settings_path)
    assert loaded == Settings() and len(problems) == 1
    (aside,) = set_aside(settings_path)
    assert aside.stat().st_size == len(content)


ODD = {
    "named pipe": (make_fifo, "is a named pipe (FIFO), not a file"),
    "folder": (Path.mkdir, "is a folder, not a file"),
    "link loop": (make_link_loop, "is a symbolic link that leads round in a loop"),
}


@pytest.mark.parametrize("kind", list(ODD))
def test_an_odd_settings_entry_gives_defaults_one_line_and_is_set_aside(settings_path, kind):
    make, words = ODD[kind]
    make(settings_path)

    loaded, problems = within_deadline(
        lambda: load_settings(settings_path), pipes_under=settings_path.parent
    )

    assert loaded == Settings()
    (aside,) = set_aside(settings_path)
    assert problems == [
        f"{settings_path}: {words}; kept it as {aside.name} and started from the defaults"
    ]
    assert not os.path.lexists(settings_path)
    if kind == "named pipe":
        assert aside.is_fifo() and not has_reader(aside)
    # What the user then chooses is saved to a plain file and read back.
    chosen = replace(Settings(), theme="dark")
    within_deadline(lambda: save_settings(chosen, settings_path), pipes_under=settings_path.parent)
    assert load_settings(settings_path) == (chosen, [])


def test_saving_over_a_named_pipe_does_not_wait_on_it(settings_path):
    make_fifo(settings_path)
    chosen = replace(Settings(), volume=0.5)
    within_deadline(lambda: save_settings(chosen, settings_path), pipes_under=settings_path.parent)
    assert settings_path.is_file() and load_settings(settings_path) == (chosen, [])


START_AND_QUIT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
QTimer.singleShot(0, app.quit)  # the first thing the event loop does: the start is over
from loosen.ui.app import run_app
sys.exit(run_app())
"""


@pytest.mark.parametrize("kind", ["named pipe", "deep"])
def test_the_app_starts_twice_over_an_odd_settings_file(settings_path, user_env, kind):
    if kind == "named pipe":
        make_fifo(settings_path)
    else:
        settings_path.write_text("[" * DEEP + "]" * DEEP)
    for _ in range(2):  # the second start proves the bad file no longer stops it
        try:
            started = subprocess.run(
                [sys.executable, "-c", START_AND_QUIT],
                env=user_env,
                capture_output=True,
                text=True,
                timeout=DEADLINE_S * 2,
            )
        finally:
            release_readers(settings_path.parent)
        assert started.returncode == 0 and "Traceback" not in started.stderr, started.stderr
    assert len(set_aside(settings_path)) == 1
