"""Start-up to a visible window and memory, on a real X server, beside other programs.

The benchmark starts its own X server (Xvfb, no window manager) and D-Bus, then
launches each program in turn, several times, interleaved so that a busy moment on
the machine falls on all of them alike: a bare PySide6 window (the least any PySide6
app can do), Loosen as a user starts it (the `loosen` command), and, where they are
installed, Workrave and Safe Eyes (its Settings window: it shows none otherwise).

For each launch, seen from the X server (xwatch.py): when its first top-level
window is mapped, and when something is first drawn in it (the moment a user first
sees it); then, SETTLE_S later, the resident memory of the program's whole process
tree (its session: Loosen's speech worker would count, were it started).

Python programs run as installed ones do, from compiled bytecode (kept in the run's
own folder; the first, uncounted launch of each writes it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

RUNS = 5
SETTLE_S = 3.0  # memory is read this long after the first window is drawn
TARGET_TIME_RATIO = 1.3  # Loosen's first window within 1.3× a bare PySide6 window's
TARGET_MEMORY_RATIO = 1.5  # and its process tree within 1.5× the bare window's memory
TARGET_LIST_S = 0.150  # `loosen list`, a sub-command with no window
WINDOW_TIMEOUT_S = 60.0
DISPLAY_VARIABLE = "LOOSEN_BENCH_DISPLAY"  # a display number to use, where it matters
# Another checkout's src/ to measure in the same run, beside this one (before and after).
COMPARE_VARIABLE = "LOOSEN_BENCH_COMPARE"
SYSTEM_BUS_SOCKET = Path("/run/dbus/system_bus_socket")
XVFB_OPTIONS = ("-screen", "0", "1280x800x24", "-nolisten", "tcp")

# What the installed `loosen` command runs (its console script), without runpy's
# `python -m` on top.
_LOOSEN_COMMAND = "import sys; from loosen.cli import main; sys.exit(main())"

_BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv)
window = QWidget()
window.setWindowTitle("bare")
window.resize(1100, 720)
window.show()
sys.exit(app.exec())
"""


@dataclass
class Program:
    label: str
    command: list[str]
    pythonpath: str | None = None  # where its `loosen` comes from, when not ours
    list_s: list[float] = field(default_factory=list)  # `loosen list`, for Loosen
    launches: list[tuple[float, float, float]] = field(default_factory=list)  # map, draw, MB

    def median(self, index: int) -> float:
        return statistics.median(launch[index] for launch in self.launches)

    def environment(self, env: dict[str, str]) -> dict[str, str]:
        """`env` for this program: another checkout's Loosen gets its source first, and a
        cache folder of its own (the routine-file cache is keyed by the code that wrote
        it, so two checkouts sharing one would each find it stale and read every file)."""
        if self.pythonpath is None:
            return env
        return dict(
            env,
            PYTHONPATH=os.pathsep.join([self.pythonpath, env["PYTHONPATH"]]),
            XDG_CACHE_HOME=f"{env['XDG_CACHE_HOME']}-compared",
        )


def programs() -> tuple[list[Program], list[str]]:
    """What can be measured here, and a line for each that cannot."""
    found = [
        Program("bare PySide6 window", [sys.executable, "-c", _BARE_WINDOW]),
        Program("Loosen", [sys.executable, "-c", _LOOSEN_COMMAND]),
    ]
    other = os.environ.get(COMPARE_VARIABLE)
    if other:
        found.append(
            Program(f"Loosen from {Path(other).parent.name}", found[1].command, pythonpath=other)
        )
    missing = []
    for label, name, arguments in (
        ("Workrave", "workrave", []),
        ("Safe Eyes (Settings)", "safeeyes", ["--settings"]),
    ):
        path = shutil.which(name)
        if path is None:
            missing.append(f"  {label:<24} not installed")
        else:
            found.append(Program(label, [path, *arguments]))
    return found, missing


@contextlib.contextmanager
def _running(command: list[str], **options: object) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(command, text=True, **options)  # type: ignore[call-overload]
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def real_display(home: Path) -> Iterator[tuple[dict[str, str], str]]:
    """An X server and a session bus of our own, and the environment that uses them;
    the second value says where the system bus comes from."""
    with contextlib.ExitStack() as stack:
        chosen = os.environ.get(DISPLAY_VARIABLE)
        if chosen:
            xvfb = stack.enter_context(
                _running(
                    ["Xvfb", f":{chosen}", *XVFB_OPTIONS],
                    stderr=subprocess.DEVNULL,
                )
            )
            display = f":{chosen}"
            _wait_for_display(chosen, xvfb)
        else:
            read, write = os.pipe()
            stack.enter_context(
                _running(
                    ["Xvfb", "-displayfd", str(write), *XVFB_OPTIONS],
                    pass_fds=(write,),
                    stderr=subprocess.DEVNULL,
                )
            )
            os.close(write)
            with os.fdopen(read) as number:
                display = f":{number.readline().strip()}"
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "PYTHONDONTWRITEBYTECODE")
            and not name.startswith(("DBUS_", "XDG_"))
        }
        env.update(
            DISPLAY=display,
            HOME=str(home),
            PYTHONPYCACHEPREFIX=str(home / "bytecode"),
            XDG_DATA_HOME=str(home / "data"),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_CACHE_HOME=str(home / "cache"),
            XDG_STATE_HOME=str(home / "state"),
        )
        (home / "config" / "safeeyes" / "style").mkdir(parents=True)  # Safe Eyes needs it
        env["DBUS_SESSION_BUS_ADDRESS"] = _bus(stack, "--session")
        if SYSTEM_BUS_SOCKET.exists():
            system_bus = "the system's D-Bus"
        else:  # Safe Eyes will not start without one; a private bus stands in
            env["DBUS_SYSTEM_BUS_ADDRESS"] = _bus(
                stack, "--config-file=/usr/share/dbus-1/session.conf"
            )
            system_bus = "a private D-Bus standing in for the system's (none runs here)"
        yield env, system_bus


def _wait_for_display(number: str, xvfb: subprocess.Popen[str]) -> None:
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not socket.exists():
        if xvfb.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Xvfb could not start on :{number}")
        time.sleep(0.05)


def _bus(stack: contextlib.ExitStack, kind: str) -> str:
    daemon = stack.enter_context(
        _running(
            ["dbus-daemon", kind, "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    )
    assert daemon.stdout is not None
    return daemon.stdout.readline().strip()


def tree_rss_mb(session: int) -> float:
    """Resident memory of every process in this session (a launch's whole tree)."""
    total_kb = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, StopIteration):
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[3]) != session:  # the fields after the name: state, ppid, pgrp, sid
                continue
            status = (entry / "status").read_text().splitlines()
            total_kb += int(next(line for line in status if line.startswith("VmRSS")).split()[1])
    return total_kb / 1024


def _stop_session(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # whatever is left of its tree
    process.wait()


def launch(program: Program, env: dict[str, str], watch: object) -> tuple[float, float, float]:
    """(s to mapped, s to drawn, MB of its tree SETTLE_S after drawn) for one launch."""
    from benchmarks.xwatch import XWatch

    assert isinstance(watch, XWatch)
    env = program.environment(env)
    watch.started()
    process = subprocess.Popen(
        program.command,
        env=env,
        cwd=env["HOME"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        try:
            first = watch.first_window(WINDOW_TIMEOUT_S, gone=lambda: process.poll() is not None)
        except TimeoutError:
            _stop_session(process)
            assert process.stderr is not None
            raise RuntimeError(
                f"{program.label} showed no window: {process.stderr.read()}"
            ) from None
        drawn_s = first.drawn_s if first.drawn_s is not None else first.mapped_s
        time.sleep(SETTLE_S)
        if process.poll() is not None:
            raise RuntimeError(f"{program.label} exited early ({process.returncode})")
        return first.mapped_s, drawn_s, tree_rss_mb(process.pid)
    finally:
        _stop_session(process)


def list_seconds(program: Program, env: dict[str, str]) -> float:
    """Seconds `loosen list` takes, from launch to exit."""
    env = program.environment(env)
    started = time.perf_counter()
    subprocess.run(
        [*program.command, "list"], env=env, cwd=env["HOME"], capture_output=True, check=True
    )
    return time.perf_counter() - started


def measure(runs: int = RUNS) -> tuple[list[Program], list[str], str, str]:
    from benchmarks import child_environment
    from benchmarks.xwatch import XWatch

    found, missing = programs()
    with (
        tempfile.TemporaryDirectory(prefix="loosen-bench-start-") as folder,
        real_display(Path(folder) / "home") as (env, system_bus),
    ):
        env = child_environment(env)
        watch = XWatch(env["DISPLAY"])
        try:
            for program in found:
                launch(program, env, watch)  # disk cache and bytecode; not counted
            for _ in range(runs):
                for program in found:
                    program.launches.append(launch(program, env, watch))
            listed = [p for p in found if p.label.startswith("Loosen")]
            for program in listed:
                list_seconds(program, env)  # not counted, as above
            for _ in range(runs):  # interleaved too
                for program in listed:
                    program.list_s.append(list_seconds(program, env))
        finally:
            watch.close()
        return found, missing, env["DISPLAY"], system_bus


def report(runs: int = RUNS) -> str:
    found, missing, display, system_bus = measure(runs)
    bare, loosen = found[0], found[1]
    lines = [
        f"Start-up on a real X server (Xvfb {display}, no window manager; median of {runs} "
        "launches each, interleaved):",
        f"  {'':<24} {'mapped':>8} {'drawn':>8}   memory {SETTLE_S:g} s after (whole tree)",
    ]
    for program in found:
        lines.append(
            f"  {program.label:<24} {program.median(0) * 1000:5.0f} ms "
            f"{program.median(1) * 1000:5.0f} ms   {program.median(2):6.1f} MB"
        )
    lines += missing
    time_ratio = loosen.median(1) / bare.median(1)
    memory_ratio = loosen.median(2) / bare.median(2)
    lines.append(
        f"  Loosen / bare window: {time_ratio:.2f}× in time (target ≤ {TARGET_TIME_RATIO:g}×: "
        f"{_verdict(time_ratio <= TARGET_TIME_RATIO)}), {memory_ratio:.2f}× in memory "
        f"(target ≤ {TARGET_MEMORY_RATIO:g}×: {_verdict(memory_ratio <= TARGET_MEMORY_RATIO)})"
    )
    workrave = next((p for p in found if p.label == "Workrave"), None)
    if workrave is not None:
        lines.append(
            f"  Loosen drawn {loosen.median(1) * 1000:.0f} ms, Workrave "
            f"{workrave.median(1) * 1000:.0f} ms (target: no later: "
            f"{_verdict(loosen.median(1) <= workrave.median(1))})"
        )
    for program in (p for p in found if p.list_s):
        listed_s = statistics.median(program.list_s)
        lines.append(
            f"  `loosen list` ({program.label}): {listed_s * 1000:.0f} ms, no window "
            f"(target ≤ {TARGET_LIST_S * 1000:.0f} ms: {_verdict(listed_s <= TARGET_LIST_S)})"
        )
    lines.append(f"  Safe Eyes' system bus: {system_bus}")
    return "\n".join(lines)


def _verdict(met: bool) -> str:
    return "meets it" if met else "MISSES it"
