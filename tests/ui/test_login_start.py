"""`loosen --quiet`, as the login entry starts it: the tray alone, or the small reminder window
where there is no tray; nothing said; a second `loosen` still brings the window forward."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from app_processes import AppProcesses, child_env, run_loosen, wait_until_listening
from loosen import paths
from loosen.core.settings import Settings, save_settings
from loosen.ui.app import BROUGHT_FORWARD

# `loosen --quiet` in a child, its tray there or not (TRAY); once started, it says what
# shows, and quits.
QUIET_START = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import loosen.ui.tray as tray
from loosen.cli import main

start_reminders = tray.start_reminders

def started(window, *args, **kwargs):
    reminders = start_reminders(window, *args, tray_available=TRAY, **kwargs)
    def report():
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        print(json.dumps({
            "windows": [w.windowTitle() for w in shown],
            "minimized": [w.windowTitle() for w in shown if w.isMinimized()],
            "tray": reminders.tray is not None and reminders.tray.isVisible(),
            "speech": "loosen.speech.synth" in sys.modules,
        }), flush=True)
        QApplication.instance().quit()
    QTimer.singleShot(0, report)  # after the start is over
    return reminders

tray.start_reminders = started
sys.exit(main(["--quiet"]))
"""
REMINDER_WINDOW = "Break reminders — Loosen"


def quiet_start(tray: bool, reminders: bool) -> dict:
    save_settings(replace(Settings(), reminders=reminders), paths.settings_file())
    result = subprocess.run(
        [sys.executable, "-c", QUIET_START.replace("TRAY", str(tray))],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_a_tray_only_the_icon_shows_and_nothing_is_said():
    shown = quiet_start(tray=True, reminders=True)
    assert shown["windows"] == [] and shown["tray"]
    assert not shown["speech"]  # the speech engine has not even started


def test_without_a_tray_the_small_reminder_window_shows_not_the_main_one():
    shown = quiet_start(tray=False, reminders=True)
    assert shown["windows"] == [REMINDER_WINDOW] and not shown["minimized"]
    assert not shown["speech"]


def test_with_reminders_off_the_main_window_shows_minimised_never_nothing():
    shown = quiet_start(tray=True, reminders=False)
    assert shown["windows"] == ["Loosen"] and shown["minimized"] == ["Loosen"]
    assert not shown["tray"]


def test_quiet_goes_with_no_command():
    result = run_loosen("--quiet", "list")
    assert result.returncode == 2 and "--quiet opens the app" in result.stderr


@pytest.mark.slow
def test_after_a_quiet_start_a_second_loosen_brings_the_window_forward():
    save_settings(replace(Settings(), reminders=True), paths.settings_file())
    processes = AppProcesses()
    try:
        app = processes("--quiet")
        wait_until_listening(app)
        again_quiet = run_loosen("--quiet")  # the login entry, with Loosen already open
        assert again_quiet.returncode == 0 and again_quiet.stdout == ""
        second = run_loosen()
        assert second.returncode == 0, second.stderr
        assert second.stdout.strip() == BROUGHT_FORWARD
    finally:
        processes.kill_all()
