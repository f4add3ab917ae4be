"""The app never reaches the network: health data stays on the machine.

Every system call that opens a connection, in every process and thread the app
starts (the speech worker included), is traced with strace; only local sockets
(the display, the sound server, D-Bus) may appear. Then the same app runs in a
network namespace of its own, where no network exists at all, and works the same.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

INET = re.compile(r"sa_family=AF_INET6?\b")
COMMANDS = [
    ["list", "--json"],
    ["plan", "post-run-cooldown", "--json"],
    ["history", "--json"],
    ["validate", "ROUTINES/squat-and-fold.toml"],
]


def _strace_works() -> bool:
    """strace is installed and may trace here (some sandboxes forbid ptrace)."""
    if shutil.which("strace") is None:
        return False
    done = subprocess.run(
        ["strace", "-f", "-qq", "-o", "/dev/null", "true"], capture_output=True, check=False
    )
    return done.returncode == 0


needs_strace = pytest.mark.skipif(not _strace_works(), reason="strace cannot trace here")


def traced(command: list[str], trace, user_env, **options) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace), *command],
        env=user_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **options,
    )


def inet_calls(trace) -> list[str]:
    return [line for line in trace.read_text().splitlines() if INET.search(line)]


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("arguments", COMMANDS, ids=lambda a: a[0])
def test_commands_open_no_network_connection(arguments, tmp_path, user_env):
    from loosen import paths

    arguments = [a.replace("ROUTINES", str(paths.builtin_routines_dir())) for a in arguments]
    trace = tmp_path / "trace"
    done = traced([sys.executable, "-m", "loosen", *arguments], trace, user_env)
    assert done.returncode == 0, done.stderr
    assert inet_calls(trace) == []


@needs_strace
@pytest.mark.slow
def test_export_audio_with_the_speech_worker_opens_no_network_connection(tmp_path, user_env):
    trace = tmp_path / "trace"
    out = tmp_path / "guide.wav"
    done = traced(
        [sys.executable, "-m", "loosen", "export-audio", "squat-and-fold", str(out)],
        trace,
        user_env,
    )
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0
    assert inet_calls(trace) == []


@needs_strace
@pytest.mark.slow
def test_the_app_through_two_sessions_opens_no_network_connection(tmp_path, launch_app):
    trace = tmp_path / "trace"
    child = launch_app(
        "squat-and-fold",
        sessions=2,
        prefix=["strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace)],
    )
    out, errors = child.communicate(timeout=120)
    assert child.returncode == 0, errors
    assert sum(line.startswith("rated") for line in out.splitlines()) == 2
    assert inet_calls(trace) == []


@needs_strace
def test_the_trace_sees_a_connection_when_there_is_one(tmp_path, user_env):
    """The check above can fail: a program that does connect is caught."""
    trace = tmp_path / "trace"
    connect = (
        "import socket; s = socket.socket(); s.settimeout(1)\n"
        "try: s.connect(('127.0.0.1', 9))\nexcept OSError: pass"
    )
    traced([sys.executable, "-c", connect], trace, user_env)
    assert len(inet_calls(trace)) == 1


@pytest.mark.slow
def test_the_app_works_where_there_is_no_network_at_all(launch_app):
    if subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode:
        pytest.skip("cannot make a network namespace here")
    child = launch_app("squat-and-fold", sessions=2, prefix=["unshare", "-n"])
    out, errors = child.communicate(timeout=120)
    assert child.returncode == 0, errors
    assert sum(line.startswith("rated") for line in out.splitlines()) == 2
