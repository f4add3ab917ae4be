"""One question to a command-line tool (gsettings, pactl), asked without blocking the UI thread.

The tool runs as a QProcess; its output comes back through signals, and a tool that
has not answered within a short time is killed, so nothing waits on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QProcess, QTimer

from loosen.speech.fallback import player_environment

COMMAND_TIMEOUT_MS = 2000  # pactl or gsettings on a loaded machine; far less when idle
KILL_WAIT_MS = 200


@dataclass(frozen=True)
class CommandQuestion:
    """A command whose standard output, read by `reads`, is the answer."""

    what: str  # names the source in the one log line written when it is dropped
    program: str
    arguments: tuple[str, ...]
    reads: Callable[[str], Any]  # raises ValueError (or KeyError, TypeError) on odd output


# Called with (value, None) on an answer, (None, why) on a failure or a timeout.
OnAnswer = Callable[[Any, str | None], None]


def ask(question: CommandQuestion, on_answer: OnAnswer, owner: QObject) -> QProcess:
    """Start the command; `on_answer` is called once, later, on this thread. The
    process is returned so that its owner can stop it (`stop`) when closing early."""
    process = QProcess(owner)
    environment = player_environment()  # the system's libraries, not a bundle's
    environment.insert("LC_ALL", "C")  # messages and numbers as the parser expects them
    process.setProcessEnvironment(environment)
    answered = False

    def answer(value: Any, why: str | None) -> None:
        nonlocal answered
        if answered:
            return
        answered = True
        timer.stop()
        process.deleteLater()
        on_answer(value, why)

    def finished(code: int, status: QProcess.ExitStatus) -> None:
        if status != QProcess.ExitStatus.NormalExit:
            answer(None, "stopped before it answered")
            return
        if code != 0:
            error = bytes(process.readAllStandardError().data()).decode(errors="replace")
            last_line = (error.strip().splitlines() or [""])[-1]
            answer(None, f"exit code {code}: {last_line}")
            return
        output = bytes(process.readAllStandardOutput().data()).decode(errors="replace")
        try:
            value = question.reads(output)
        except (ValueError, KeyError, TypeError) as error:
            answer(None, f"output it cannot read ({error})")
            return
        answer(value, None)

    def failed(error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            answer(None, f"{question.program} is not installed")

    def too_slow() -> None:
        answer(None, f"no answer within {COMMAND_TIMEOUT_MS} ms")
        stop(process)

    timer = QTimer(process)
    timer.setSingleShot(True)
    timer.timeout.connect(too_slow)
    process.finished.connect(finished)
    process.errorOccurred.connect(failed)
    timer.start(COMMAND_TIMEOUT_MS)
    process.start(question.program, list(question.arguments))
    return process


def stop(process: QProcess) -> None:
    """Kill a running command and reap it (a killed child goes in a millisecond or so)."""
    if process.state() != QProcess.ProcessState.NotRunning:
        process.kill()
        process.waitForFinished(KILL_WAIT_MS)
