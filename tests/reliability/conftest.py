"""Shared by the reliability tests: the app in a child process, and the user's folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

APP_CHILD = Path(__file__).with_name("app_child.py")


@pytest.fixture
def user_env(isolated_user_dirs: Path) -> dict[str, str]:
    """The environment for a child process that shares this test's user folders."""
    return dict(os.environ, QT_QPA_PLATFORM="offscreen")


@pytest.fixture
def launch_app(user_env):
    """Start app_child.py; every child started is killed when the test ends."""
    started: list[subprocess.Popen[str]] = []

    def launch(
        routine_id: str = "squat-and-fold",
        sessions: int | None = None,
        prefix: list[str] | None = None,
    ) -> subprocess.Popen[str]:
        command = [*(prefix or []), sys.executable, str(APP_CHILD), routine_id]
        if sessions is not None:
            command.append(str(sessions))
        child = subprocess.Popen(
            command, env=user_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        started.append(child)
        return child

    yield launch
    for child in started:
        child.kill()
        child.communicate()
