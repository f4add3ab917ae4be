"""Real desktops in miniature for the presence tests: an X server, a window manager, a
private session bus with stand-in services. Each is a child of the test, stopped and
waited for when the test ends.

Where a program is missing the test is skipped, except on CI, whose set-up
(packaging/bootstrap.sh) installs them all: there it fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from desktops import BUS_CONFIG, STOP_TIMEOUT_S, need, read_line, stop

HERE = Path(__file__).resolve().parent


@pytest.fixture
def x_display() -> Iterator[str]:
    """A fresh Xvfb (it has the MIT-SCREEN-SAVER extension); its display number is its
    own choice (-displayfd), so tests running side by side never collide."""
    xvfb = need("Xvfb")
    readable, writable = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(writable), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        pass_fds=(writable,),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(writable)
    try:
        number = read_line(readable)
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        os.close(readable)
        stop(server)


@pytest.fixture
def on_x_display(quiet_desktop, x_display: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The reader's environment is that X display, on an X11 session."""
    monkeypatch.setenv("DISPLAY", x_display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    return x_display


@pytest.fixture
def window_manager(on_x_display: str) -> Iterator[None]:
    """Openbox on the display (it keeps _NET_ACTIVE_WINDOW and _NET_WM_STATE)."""
    openbox = need("openbox")
    manager = subprocess.Popen(
        [openbox, "--sm-disable"],
        env=dict(os.environ, DISPLAY=on_x_display),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        stop(manager)


@pytest.fixture
def x_window(on_x_display: str) -> Iterator[subprocess.Popen]:
    """A real window of another program on the display; write "full\\n" or "normal\\n"
    to its stdin to change it."""
    window = subprocess.Popen(
        [sys.executable, str(HERE / "x_window.py")],
        env=dict(os.environ, DISPLAY=on_x_display, QT_QPA_PLATFORM="xcb"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert window.stdout is not None
        assert read_line(window.stdout.fileno()) == "shown", "the window did not open"
        yield window
    finally:
        assert window.stdin is not None
        window.stdin.close()  # it quits at the end of its input
        try:
            window.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            stop(window)
        assert window.stdout is not None
        window.stdout.close()


@pytest.fixture
def bus_address(tmp_path: Path) -> Iterator[str]:
    """A private session bus, its own daemon, with nothing on it yet."""
    daemon = need("dbus-daemon")
    config = tmp_path / "bus.conf"
    config.write_text(BUS_CONFIG.format(folder=tmp_path))
    bus = subprocess.Popen(
        [daemon, f"--config-file={config}", "--nofork", "--print-address=1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert bus.stdout is not None
        address = read_line(bus.stdout.fileno())
        assert address.startswith("unix:"), "dbus-daemon did not start"
        yield address
    finally:
        stop(bus)
        assert bus.stdout is not None
        bus.stdout.close()


@pytest.fixture
def bus(qapp, bus_address: str):
    """The test's own connection to the private bus, given to the reader."""
    from PySide6.QtDBus import QDBusConnection

    name = f"loosen-test-{bus_address}"
    connection = QDBusConnection.connectToBus(bus_address, name)
    assert connection.isConnected()
    yield connection
    QDBusConnection.disconnectFromBus(name)


@pytest.fixture
def desktop_services(bus_address: str) -> Iterator[Callable[..., None]]:
    """Starts a stand-in service on the private bus: `desktop_services(names, answers)`
    (see desktop_service.py); returns once it owns its names."""
    started: list[subprocess.Popen] = []

    def start(names: list[str], answers: dict[str, object]) -> None:
        spec = json.dumps({"names": names, "answers": answers})
        service = subprocess.Popen(
            [sys.executable, str(HERE / "desktop_service.py"), bus_address, spec],
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
        )
        started.append(service)
        assert service.stdout is not None
        assert read_line(service.stdout.fileno()) == "ready", "the stand-in did not start"

    yield start
    for service in started:
        stop(service)
        assert service.stdout is not None
        service.stdout.close()


@pytest.fixture
def quiet_desktop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing of the machine the tests run on leaks in: no X display, no sound server,
    GNOME settings at their defaults (each test sets what it needs)."""
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-sound-server'}")
    monkeypatch.setenv("GSETTINGS_BACKEND", "memory")


@pytest.fixture
def make_reader(qapp, quiet_desktop, bus):
    """PresenceReaders on the private bus, closed when the test ends."""
    from loosen.ui.presence import PresenceReader

    made: list[PresenceReader] = []

    def make() -> PresenceReader:
        reader = PresenceReader(bus=bus)
        made.append(reader)
        return reader

    yield make
    for reader in made:
        reader.close()
