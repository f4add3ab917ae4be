"""One module per `loosen` sub-command; each has `register(subparsers)`."""

from loosen.commands import list_cmd, plan_cmd, run, validate

COMMANDS = (list_cmd, validate, plan_cmd, run)
