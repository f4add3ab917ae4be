"""A sound output for measurements and tests on a machine with no sound card.

QtMultimedia plays only where it finds an output. A PulseAudio daemon with a null
sink is a real output that throws the sound away, which is all a latency measurement
needs. Each user gets a private daemon in a folder of its own, a child of the caller
that is stopped (and waited for) on leaving: none is left running, and none that
someone else started is borrowed or stopped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

READY_TIMEOUT_S = 10.0


def _wait_ready(notify: socket.socket) -> bool:
    """True once the daemon says READY=1 (sd_notify), False if it never does in time."""
    with contextlib.suppress(TimeoutError):
        while True:
            if b"READY=1" in notify.recv(4096).split(b"\n"):
                return True
    return False


@contextlib.contextmanager
def private_sound_output() -> Iterator[str | None]:
    """The address of a PulseAudio server with a null sink, for PULSE_SERVER, while
    inside; None where PulseAudio is not installed or does not start."""
    if not shutil.which("pulseaudio"):
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="loosen-pulse-") as name:
        folder = Path(name)
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
            notify.bind(str(folder / "notify"))
            notify.settimeout(READY_TIMEOUT_S)
            env = dict(
                os.environ,
                NOTIFY_SOCKET=str(folder / "notify"),
                PULSE_RUNTIME_PATH=name,
                PULSE_STATE_PATH=name,
            )
            command = [
                "pulseaudio",
                "--daemonize=no",
                "-n",
                "--exit-idle-time=-1",
                "--log-target=stderr",
                "--load=module-null-sink",
                f"--load=module-native-protocol-unix auth-anonymous=1 socket={folder / 'native'}",
            ]
            daemon = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                yield f"unix:{folder / 'native'}" if _wait_ready(notify) else None
            finally:
                daemon.terminate()
                try:
                    daemon.wait(timeout=READY_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    daemon.kill()
                    daemon.wait()
