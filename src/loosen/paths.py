"""Every file and folder Loosen uses, in one place (appdirs decides where they live)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import appdirs  # type: ignore[import-untyped]  # appdirs ships no type hints or stubs

from loosen.sha256 import sha256_hex

APP_NAME = "loosen"
_PACKAGE_DIR = Path(__file__).resolve().parent

# Where appdirs follows the XDG base directory spec (Linux, the BSDs): each variable and
# the folder under $HOME it stands for. appdirs takes a variable set to "" or to a
# relative path as it is, which puts the user's data under the current folder; the
# spec says to ignore such a value, so these folders are worked out here.
_USES_XDG = appdirs.system not in ("win32", "darwin")
_XDG_DEFAULTS = {
    "XDG_DATA_HOME": ".local/share",
    "XDG_CONFIG_HOME": ".config",
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
}


def _user_dir(variable: str, from_appdirs: Callable[..., str]) -> Path:
    if not _USES_XDG:
        return Path(from_appdirs(APP_NAME, appauthor=False))
    value = os.environ.get(variable, "")
    base = Path(value) if Path(value).is_absolute() else Path.home() / _XDG_DEFAULTS[variable]
    return base / APP_NAME


def data_dir() -> Path:
    """User data: history and the user's own routines. `XDG_DATA_HOME` moves it on Linux."""
    return _user_dir("XDG_DATA_HOME", appdirs.user_data_dir)


def config_dir() -> Path:
    """Settings. `XDG_CONFIG_HOME` moves it on Linux."""
    return _user_dir("XDG_CONFIG_HOME", appdirs.user_config_dir)


def autostart_file() -> Path | None:
    """The XDG autostart entry that starts Loosen at login (`XDG_CONFIG_HOME/autostart`,
    shared by every program, not Loosen's own folder); None where there is no XDG
    autostart (macOS and Windows: packaging/README.md)."""
    if not _USES_XDG:
        return None
    return (
        _user_dir("XDG_CONFIG_HOME", appdirs.user_config_dir).parent
        / "autostart"
        / (f"{APP_NAME}.desktop")
    )


def cache_dir() -> Path:
    """Rebuildable files such as rendered speech clips."""
    return _user_dir("XDG_CACHE_HOME", appdirs.user_cache_dir)


def state_dir() -> Path:
    """Files worth keeping that are not the user's data: sessions waiting to be written
    when the data folder cannot be. `XDG_STATE_HOME` moves it on Linux."""
    return _user_dir("XDG_STATE_HOME", appdirs.user_state_dir)


def reminder_state_file() -> Path:
    """The break reminders' count, kept over a restart of the app."""
    return state_dir() / "reminders.json"


def log_dir() -> Path:
    if _USES_XDG:
        return cache_dir() / "log"  # where appdirs puts logs on these systems
    return Path(appdirs.user_log_dir(APP_NAME, appauthor=False))


def qt_log_file() -> Path:
    """Qt's chatter that is no use on the user's terminal (sound back-ends it looked for)."""
    return log_dir() / "qt-messages.log"


def instance_lock_file() -> Path:
    """Held by the running app for its whole life: one Loosen per user (ui/instance.py)."""
    return state_dir() / "instance.lock"


def instance_server_name() -> str:
    """Where the running app listens for a second `loosen`: a local socket (a named pipe
    on Windows). Named after the state folder, so each user, and each test's folders,
    has its own; in the user's private runtime folder when there is one."""
    digest = sha256_hex(str(state_dir()).encode())[:16]
    name = f"{APP_NAME}-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if sys.platform.startswith("linux") and runtime and Path(runtime).is_dir():
        return str(Path(runtime) / f"{name}.sock")
    return name  # Qt puts it in the temporary folder (a pipe name on Windows)


def user_routines_dir() -> Path:
    return data_dir() / "routines"


def deleted_routines_dir() -> Path:
    """Routine files deleted in the library, kept so Undo can bring them back (and a
    person can, by hand, long after). Beside the routines folder, never read as one."""
    return data_dir() / "deleted-routines"


def history_db() -> Path:
    return data_dir() / "history.sqlite3"


def settings_file() -> Path:
    return config_dir() / "settings.json"


def _shipped(name: str) -> Path:
    # In a wheel (or a PyInstaller bundle) the folder sits inside the package; in a
    # source checkout or an editable install it is at the top of the repository.
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent.parent / name


def builtin_routines_dir() -> Path:
    return _shipped("routines")


def assets_dir() -> Path:
    return _shipped("assets")


def pictures_dir() -> Path:
    """Exercise pictures that any routine may name."""
    return assets_dir() / "exercises"
