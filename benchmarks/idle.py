"""CPU used by the app left idle with break reminders on: what sitting in the tray costs.

The real main window (hidden, as after closing it into the tray) with its history
thread and folder watcher, and the real reminders with their two timers; nothing due
during the run, and the desktop looked at as the app looks at it (issue 17: the real
PresenceReader, on the resync and at due moments). CPU seconds are `time.process_time()`
around a Qt event loop run for the given time, plus the CPU of the commands the reader
started and finished meanwhile (gsettings, pactl). Target: at most 0.1 % of one core.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence

TARGET_PERCENT = 0.1


class _SilentSpeaker:
    """A Speaker that says nothing: the bench measures the timers, not speech."""

    notice = None

    def prepare(self, texts: Sequence[str]) -> None: ...

    def speak(self, text: str) -> None: ...

    def beep(self, beep: object) -> None: ...

    def stop(self) -> None: ...

    def set_muted(self, muted: bool) -> None: ...

    def set_volume(self, volume: float) -> None: ...

    def set_beeps(self, enabled: bool) -> None: ...

    def set_voice_enabled(self, enabled: bool) -> None: ...


def measure_idle(seconds: float) -> dict[str, float]:
    """Run the idle app for `seconds`; its CPU seconds and share of one core."""
    home = tempfile.mkdtemp(prefix="loosen-idle-")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[variable] = os.path.join(home, variable.lower())  # noqa: PTH118
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from loosen import paths
    from loosen.core.settings import Settings
    from loosen.ui.history_service import HistoryService
    from loosen.ui.main_window import MainWindow
    from loosen.ui.tray import start_reminders

    app = QApplication.instance() or QApplication([])
    settings = Settings(reminders=True, seen_welcome=True)
    speaker = _SilentSpeaker()
    window = MainWindow(settings, speaker, HistoryService(paths.history_db()))
    window.show()
    controller = start_reminders(window, settings, speaker, quit_event_loop=lambda: None)
    window.close()  # into the tray (or the reminder window): the app idles on

    def run_for(run_s: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(round(run_s * 1000), loop.quit)
        loop.exec()

    run_for(1.0)  # start-up work (library loading, first paint) is not idling
    due_in_s = (controller.scheduler.next_due_wall() or 0) - controller.clock.wall()
    looks: list[object] = []
    if controller.presence is not None:
        controller.presence.updated.connect(looks.append)
    sources = len(getattr(controller.presence, "_sources", ()))
    children_before = _children_cpu_s()
    cpu_before, wall_before = time.process_time(), time.monotonic()
    run_for(seconds)
    cpu_s = time.process_time() - cpu_before + _children_cpu_s() - children_before
    idle_s = time.monotonic() - wall_before
    controller.quit_action.trigger()
    app.processEvents()
    return {
        "idle_s": idle_s,
        "cpu_s": cpu_s,
        "percent_of_core": 100 * cpu_s / idle_s,
        "tray": float(controller.has_tray),
        "next_due_in_s": due_in_s,
        "presence_looks": float(len(looks)),
        "presence_sources": float(sources),
    }


def _children_cpu_s() -> float:
    times = os.times()
    return times.children_user + times.children_system


def report(seconds: float) -> str:
    figures = measure_idle(seconds)
    where = "tray" if figures["tray"] else "reminder window (no tray here)"
    verdict = "within" if figures["percent_of_core"] <= TARGET_PERCENT else "OVER"
    return "\n".join(
        [
            f"Idle with reminders on, in the {where}, nothing due for "
            f"{figures['next_due_in_s'] / 60:.0f} min:",
            f"  idle for           {figures['idle_s']:9.1f} s",
            f"  desktop looked at  {figures['presence_looks']:9.0f} times "
            f"({figures['presence_sources']:.0f} presence sources answering)",
            f"  CPU used           {figures['cpu_s'] * 1000:9.1f} ms (commands included)",
            f"  share of one core  {figures['percent_of_core']:9.3f} %  "
            f"({verdict} the {TARGET_PERCENT} % target)",
        ]
    )
