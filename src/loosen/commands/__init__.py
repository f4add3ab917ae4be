"""One module per `loosen` sub-command, each with `register(subparsers, name)`.

A command's module is imported only when that command runs (or when `--help` lists
them all): `loosen list` loads nothing of the history, the audio export or the app.
"""

from importlib import import_module
from types import ModuleType

# Each command's name and its module here, in the order `loosen --help` lists them.
COMMANDS = {
    "list": "list_cmd",
    "validate": "validate",
    "plan": "plan_cmd",
    "run": "run",
    "history": "history_cmd",
    "export-audio": "export_audio",
}


def load(name: str) -> ModuleType:
    """The module of the command called `name`."""
    return import_module(f"{__name__}.{COMMANDS[name]}")
