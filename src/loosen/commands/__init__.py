"""One module per `loosen` sub-command; each has `register(subparsers)`."""

from loosen.commands import list_cmd, validate

COMMANDS = (list_cmd, validate)
