"""Last-resort clip playback: the platform's command-line player, one process per clip.

Used only when QtMultimedia finds no sound output (an ALSA-only Linux without
PulseAudio or PipeWire, say) while the system's own player may still reach the card.
This stands in for pyttsx3's own `say()`, which on Linux runs `aplay` too but blocks
its caller and cannot be cut off: here the clip was rendered ahead of time, the player
is a QProcess (never blocking the UI thread), and stop() kills it at once.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QProcessEnvironment, Signal

# The player for each platform, given the WAV file as its last argument. Windows has
# none: QtMultimedia's Windows backend always has an output when the machine has one.
PLAYERS = {"linux": ["aplay", "-q"], "darwin": ["afplay"]}
KILL_WAIT_MS = 200


def platform_player() -> list[str] | None:
    """The command that plays a WAV file here, or None when there is none."""
    for prefix, command in PLAYERS.items():
        if sys.platform.startswith(prefix) and shutil.which(command[0]):
            return command
    return None


def player_environment() -> QProcessEnvironment:
    """The environment for the player: the system's own, not a bundle's.

    A PyInstaller bundle points LD_LIBRARY_PATH at its own libraries (keeping the
    user's in LD_LIBRARY_PATH_ORIG); `aplay` must load the system's, not ours.
    """
    environment = QProcessEnvironment.systemEnvironment()
    if getattr(sys, "frozen", False):
        original = environment.value("LD_LIBRARY_PATH_ORIG")
        if original:
            environment.insert("LD_LIBRARY_PATH", original)
        else:
            environment.remove("LD_LIBRARY_PATH")
    return environment


class ProcessPlayback(QObject):
    """Plays one clip at a time with an external player; a new clip cuts the old one."""

    failed = Signal(str)  # the player could not play: one line for the user

    def __init__(self, command: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.command = command
        self.broken = False
        self._process: QProcess | None = None
        app = QCoreApplication.instance()
        if app is not None:
            # A player still running at quit would be destroyed with the app, its
            # finished() arriving for an object already gone: stop it first.
            app.aboutToQuit.connect(self.stop)

    def play(self, path: Path) -> None:
        if self.broken:
            return
        self.stop()
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedOutputChannel)
        process.finished.connect(lambda code, status, p=process: self._finished(p, code, status))
        process.errorOccurred.connect(lambda error, p=process: self._error(p, error))
        process.setProcessEnvironment(player_environment())
        self._process = process
        process.start(self.command[0], [*self.command[1:], str(path)])

    def is_playing(self) -> bool:
        process = self._process
        return process is not None and process.state() != QProcess.ProcessState.NotRunning

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.state() != QProcess.ProcessState.NotRunning:
            process.kill()
            # Reaping a killed child takes a millisecond or so; its finished() is then
            # ignored as no longer ours.
            process.waitForFinished(KILL_WAIT_MS)
        process.deleteLater()

    def _finished(self, process: QProcess, code: int, status: QProcess.ExitStatus) -> None:
        if process is not self._process:
            return  # stopped on purpose (or the app is quitting and it is already gone)
        self._process = None
        # Destroyed with its parent while still running, a process reports finishing
        # from inside its own destruction: then there is nothing left to delete.
        with contextlib.suppress(RuntimeError):
            process.deleteLater()
        if status == QProcess.ExitStatus.NormalExit and code != 0:
            self._give_up(f"{self.command[0]} could not play a cue (exit code {code})")

    def _error(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if process is self._process and error == QProcess.ProcessError.FailedToStart:
            self._process = None
            process.deleteLater()
            self._give_up(f"{self.command[0]} could not be started")

    def _give_up(self, why: str) -> None:
        self.broken = True
        self.failed.emit(why)
