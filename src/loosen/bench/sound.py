"""A sound output for measurements and tests on a machine with no sound card.

QtMultimedia plays only where it finds an output. A PulseAudio daemon with its
default null sink is a real output that throws the sound away, which is all a
latency measurement needs.
"""

from __future__ import annotations

import shutil
import subprocess


def pulse_server() -> str | None:
    """The running PulseAudio server's address, or None."""
    if not shutil.which("pactl"):
        return None
    info = subprocess.run(["pactl", "info"], capture_output=True, text=True, check=False)
    for line in info.stdout.splitlines():
        if line.startswith("Server String:"):
            return line.split(":", 1)[1].strip()
    return None


def ensure_pulse_server() -> str | None:
    """The running server's address, starting a daemon if there is none and it can be."""
    server = pulse_server()
    if server is None and shutil.which("pulseaudio"):
        subprocess.run(["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1",
                        "--log-target=syslog"], capture_output=True, check=False)  # fmt: skip
        server = pulse_server()
    return server
