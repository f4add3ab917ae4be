"""Start Loosen at login: the XDG autostart entry written or removed, as the setting says.

Linux desktops start whatever `$XDG_CONFIG_HOME/autostart/*.desktop` names at login.
The entry is Loosen's own (written whole, atomically); turned off, it is removed. macOS
(a login item) and Windows (a Run key) are done by their packages: packaging/README.md.
Each starts the app quietly (`QUIET_FLAG`): in the tray, no window, nothing said.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

from loosen import paths
from loosen.core.userfiles import write_atomically

QUIET_FLAG = "--quiet"  # `loosen --quiet`: the tray only (cli.py takes it from here)

# The app as the desktop should start it: the `loosen` command where it is on the PATH,
# the bundle's own executable when frozen, else this Python running the package.
ENTRY = """[Desktop Entry]
Type=Application
Name=Loosen
Comment=Break reminders for runners with a tight lower back
Exec={command} {quiet}
Icon=loosen
Terminal=false
X-GNOME-Autostart-enabled=true
"""


def launch_command() -> str:
    if getattr(sys, "frozen", False):
        return _quoted(sys.executable)
    found = shutil.which("loosen")
    if found is not None:
        return _quoted(found)
    return f"{_quoted(sys.executable)} -m loosen"


def _quoted(path: str) -> str:
    """A path as a desktop entry's Exec key takes it (quoted when it has a space)."""
    if any(c in path for c in ' \t"\\`$'):
        escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
        return '"' + escaped.replace("$", "\\$") + '"'
    return path


def set_autostart(on: bool, entry: Path | None = None) -> None:
    """Write (on) or remove (off) the autostart entry; OSError when it cannot be."""
    entry = paths.autostart_file() if entry is None else entry
    if entry is None:
        return  # no XDG autostart here: the package's installer offers it
    if on:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with write_atomically(entry) as out:
            out.write(ENTRY.format(command=launch_command(), quiet=QUIET_FLAG))
    else:
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()


def autostart_on(entry: Path | None = None) -> bool:
    entry = paths.autostart_file() if entry is None else entry
    return entry is not None and entry.is_file()
