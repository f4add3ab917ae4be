"""The suite fails a test that leaves a child process behind (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).with_name("conftest.py")

LEAKY = """
import subprocess, sys

def test_starts_a_child_and_forgets_it():
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])

def test_starts_a_child_and_waits_for_it():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
"""


@pytest.mark.slow
def test_a_test_that_leaves_a_child_running_fails_and_one_that_waits_passes(pytester):
    pytester.makeconftest(CONFTEST.read_text())
    pytester.makepyfile(test_inner=LEAKY)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*ERROR at teardown of test_starts_a_child_and_forgets_it*", "*child processes left*"]
    )
