"""Small helpers for the presence tests: find a program, read a ready line, stop a child."""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess

import pytest

START_TIMEOUT_S = 10.0  # generous: a loaded CI machine starts processes slowly
STOP_TIMEOUT_S = 5.0

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is missing: packaging/bootstrap.sh installs it for these tests")
        pytest.skip(f"{program} is not installed here")
    return found


def read_line(stream: int, timeout_s: float = START_TIMEOUT_S) -> str:
    """One line from a pipe, or "" when none comes in time (or the writer ended)."""
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while not line.endswith(b"\n") and selector.select(timeout_s):
            chunk = os.read(stream, 1)
            if not chunk:
                break
            line += chunk
    return line.decode().strip()


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def move_mouse(display: str, x: int, y: int) -> None:
    subprocess.run(
        [need("xdotool"), "mousemove", str(x), str(y)],
        env=dict(os.environ, DISPLAY=display),
        check=True,
        timeout=START_TIMEOUT_S,
    )
