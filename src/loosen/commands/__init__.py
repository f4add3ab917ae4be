"""One module per `loosen` sub-command; each has `register(subparsers)`."""

from loosen.commands import export_audio, history_cmd, list_cmd, plan_cmd, run, validate

COMMANDS = (list_cmd, validate, plan_cmd, run, history_cmd, export_audio)
