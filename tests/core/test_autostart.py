"""Start at login: the XDG autostart entry written and removed, as the setting says."""

from __future__ import annotations

import configparser
import sys

import pytest

from loosen import paths
from loosen.core.autostart import autostart_on, launch_command, set_autostart

pytestmark = pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG autostart")


def test_the_entry_is_written_where_the_desktop_looks_and_removed(isolated_user_dirs):
    entry = isolated_user_dirs / "config" / "autostart" / "loosen.desktop"
    assert paths.autostart_file() == entry
    assert not autostart_on()
    set_autostart(True)
    assert autostart_on()
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.read(entry, encoding="utf-8")
    desktop = parsed["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"] == "Loosen"
    # It starts quietly: the tray, no window, nothing said (`loosen --quiet`).
    assert desktop["Exec"] == f"{launch_command()} --quiet"
    set_autostart(True)  # again: the same one entry
    assert sorted(p.name for p in entry.parent.iterdir()) == ["loosen.desktop"]
    set_autostart(False)
    assert not entry.exists() and not autostart_on()
    set_autostart(False)  # already off: nothing to do, no error


def test_a_path_with_a_space_is_quoted_for_exec(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: "/opt/my apps/loosen")
    assert launch_command() == '"/opt/my apps/loosen"'
