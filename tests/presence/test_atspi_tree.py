"""Loosen as a Linux screen reader (Orca) reads it, over AT-SPI: an X server, a private
session bus, the accessibility bus's launcher and registry, and the app on the xcb
platform, each a child of the test; a small client lists the tree with busctl.

Through AT-SPI, not Qt's own interfaces: what the bridge sends is what a person with a
screen reader hears (tests/ui/test_accessible_names.py checks every window in-process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from desktops import START_TIMEOUT_S, STOP_TIMEOUT_S, need, read_line, stop

from app_processes import wait_for
from loosen.ui.player_view import BEFORE_QUESTION

LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
REGISTRY = Path("/usr/libexec/at-spi2-registryd")
HERE = Path(__file__).resolve().parent
ROOT = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"
APP_START_TIMEOUT_S = 60.0  # a loaded machine; the library shows in about a second
# Lists, tables and trees are read as a whole here: their rows are the routines' cells.
WHOLE_ROLES = {"list", "table", "tree", "tree table"}
MAX_DEPTH = 14


def _program(path: Path) -> str:
    if not path.exists():
        return need(path.name)  # skipped here, failed on CI: bootstrap.sh installs it
    return str(path)


def busctl(address: str, *args: str) -> object:
    """One busctl call on the bus at `address`; its answer's data, from JSON."""
    done = subprocess.run(
        [need("busctl"), f"--address={address}", "--json=short", *args],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        check=True,
    )
    return json.loads(done.stdout)["data"]


@dataclass(frozen=True)
class Node:
    role: str
    name: str
    depth: int


class AtspiClient:
    """Reads the accessibility tree on the a11y bus, as a screen reader would."""

    def __init__(self, address: str) -> None:
        self.address = address

    def children(self, bus_name: str, path: str) -> list[tuple[str, str]]:
        (found,) = busctl(self.address, "call", bus_name, path, ACCESSIBLE, "GetChildren")
        return [(child_bus, child_path) for child_bus, child_path in found]

    def role(self, bus_name: str, path: str) -> str:
        (role,) = busctl(self.address, "call", bus_name, path, ACCESSIBLE, "GetRoleName")
        return role

    def name(self, bus_name: str, path: str) -> str:
        name = busctl(self.address, "get-property", bus_name, path, ACCESSIBLE, "Name")
        assert isinstance(name, str)
        return name

    def applications(self) -> dict[str, tuple[str, str]]:
        """The applications the registry knows, by name."""
        return {self.name(*app): app for app in self.children("org.a11y.atspi.Registry", ROOT)}

    def tree(self, bus_name: str, path: str, depth: int = 0) -> list[Node]:
        role = self.role(bus_name, path)
        nodes = [Node(role, self.name(bus_name, path), depth)]
        if role in WHOLE_ROLES or depth >= MAX_DEPTH:
            return nodes
        for child in self.children(bus_name, path):
            nodes += self.tree(*child, depth + 1)
        return nodes


@pytest.fixture
def a11y_bus(quiet_desktop, x_display: str, bus_address: str, tmp_path: Path) -> Iterator[str]:
    """The accessibility bus of that display and session bus, with its registry; its
    address. The registry is started here (not on demand by the bus), so it is ours
    to stop."""
    env = dict(
        os.environ,
        DISPLAY=x_display,
        DBUS_SESSION_BUS_ADDRESS=bus_address,
        XDG_RUNTIME_DIR=str(tmp_path),
    )
    launcher = subprocess.Popen(
        [_program(LAUNCHER), "--launch-immediately"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    registry = None
    try:
        address = wait_for(lambda: _a11y_address(bus_address), "the accessibility bus")
        registry = subprocess.Popen(
            [_program(REGISTRY)],
            env=dict(env, AT_SPI_BUS_ADDRESS=address),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _registry_up(address), "the accessibility registry")
        yield address
    finally:
        if registry is not None:
            stop(registry)
        stop(launcher)


def _a11y_address(bus_address: str) -> str:
    try:
        (address,) = busctl(
            bus_address, "call", "org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress"
        )
    except subprocess.CalledProcessError:
        return ""  # the launcher has not taken its name yet
    return address


def _registry_up(address: str) -> bool:
    try:
        busctl(address, "call", "org.a11y.atspi.Registry", ROOT, ACCESSIBLE, "GetChildren")
    except subprocess.CalledProcessError:
        return False
    return True


@pytest.fixture
def start_loosen(
    x_display: str, bus_address: str, a11y_bus: str
) -> Iterator[Callable[..., subprocess.Popen]]:
    """Starts `loosen ARGS...` as a person does, on the xcb platform with accessibility
    on; stopped when the test ends."""
    started: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        app = subprocess.Popen(
            [sys.executable, "-m", "loosen", *args],
            env=dict(
                os.environ,
                DISPLAY=x_display,
                DBUS_SESSION_BUS_ADDRESS=bus_address,
                QT_QPA_PLATFORM="xcb",
                QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
                QT_ACCESSIBILITY="1",
            ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(app)
        return app

    yield start
    for app in started:
        stop(app)
        assert app.stderr is not None
        app.stderr.close()


@pytest.fixture
def listener(a11y_bus: str) -> Iterator[subprocess.Popen]:
    """A screen reader's ear on the accessibility bus (atspi_listener.py): each
    announcement heard, a JSON line on its stdout."""
    heard = subprocess.Popen(
        [sys.executable, str(HERE / "atspi_listener.py"), a11y_bus],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert heard.stdout is not None
        assert read_line(heard.stdout.fileno()) == "ready", "the listener did not register"
        yield heard
    finally:
        assert heard.stdin is not None
        heard.stdin.close()  # it ends with its input
        try:
            heard.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            stop(heard)
        assert heard.stdout is not None
        heard.stdout.close()


def test_the_library_is_read_over_atspi(start_loosen, a11y_bus: str):
    loosen_on_x = start_loosen()
    client = AtspiClient(a11y_bus)

    def library_shown() -> list[Node] | None:
        assert loosen_on_x.poll() is None, loosen_on_x.stderr.read()
        try:
            app = client.applications().get("Loosen")
            nodes = client.tree(*app) if app is not None else []
        except subprocess.CalledProcessError:
            # A widget went while the walk read it (the window still being built after
            # its first paint): read the tree again, as a screen reader does on a change.
            return None
        return nodes if any(n.name == "Start" for n in nodes) else None

    nodes = wait_for(library_shown, "the library over AT-SPI", APP_START_TIMEOUT_S)
    assert nodes[0] == Node("application", "Loosen", 0)
    assert Node("frame", "Loosen", 1) in nodes
    buttons = {n.name for n in nodes if n.role == "push button"}
    assert {"Start", "Export audio guide…", "History", "Settings…", "New…"} <= buttons
    (start,) = [n for n in nodes if n.name == "Start"]
    assert start.role == "push button"
    assert any(n.name == "Routines" and n.role in WHOLE_ROLES for n in nodes)


def test_the_player_announces_its_first_phase_over_atspi(start_loosen, listener):
    """`loosen run` opens the player: a screen reader hears the get-ready, then the
    question asked during it, politely (after what it is saying), once each."""
    app = start_loosen("run", "post-run-cooldown")
    assert listener.stdout is not None
    heard = []
    for _ in range(2):
        line = read_line(listener.stdout.fileno(), APP_START_TIMEOUT_S)
        assert line, f"nothing announced: {app.poll()}"
        heard.append(json.loads(line))
    polite = 1  # ATSPI_LIVE_POLITE
    assert [(text, politeness) for _, politeness, _, text, *_ in heard] == [
        ("Get ready, 5 seconds. Next: Calf stretch, straight knee", polite),
        (BEFORE_QUESTION, polite),
    ]
