"""`loosen history [--json | --csv | --import FILE.csv]`: the session log, exported or restored;
`--reminders` prints the desk-break reminder log instead."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from loosen import paths
from loosen.commands.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    UserError,
    library,
    print_json,
)
from loosen.commands.terminal import escape_controls, json_ascii_only, utf8_stdout
from loosen.core.counts import count_of
from loosen.core.duration import format_duration
from loosen.core.history import HistoryError, HistoryStore, SessionRecord, csvio, insights, stats
from loosen.core.history.records import local_time
from loosen.core.history.reminder_log import REMINDER_COLUMNS, REMINDER_OUTCOMES, ReminderRecord

NOTE_WIDTH = 40
BUSY_TIMEOUT_MS = 3000  # how long to wait for another program's write lock
PROGRESS_EVERY_ROWS = 5000  # how often an import on a terminal says how far it got


def register(subparsers: argparse._SubParsersAction, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="show the session log; export or restore it",
        description="Show the sessions done, newest first, with how tight the back was "
        "before and after (0 loose – 10 as tight as it gets), and a summary. --json and "
        "--csv print every session, oldest first; --import reads such a CSV back without "
        "adding sessions already present.",
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--json", action="store_true", help="print every session as JSON")
    what.add_argument("--csv", action="store_true", help="print every session as CSV")
    what.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE.csv",
        type=Path,
        help="add the sessions in a CSV made by --csv (a restore, or a move to a new machine)",
    )
    parser.add_argument(
        "--reminders",
        action="store_true",
        help="print the desk-break reminder log instead: each reminder, when it was due and "
        "given, and how it was answered (with --json or --csv, every field)",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help="print only what the history says helps (with --json, as JSON)",
    )
    parser.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help="show only the newest N sessions in the table (the summary uses them all)",
    )
    parser.set_defaults(handler=run)


REMINDER_DAYS = 7


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number 1 or more")
    return int(text)


def run(args: argparse.Namespace) -> int:
    path = paths.history_db()
    if args.summary and (args.csv or args.import_file is not None):
        raise UserError(
            "--summary prints text, or JSON with --json; not with --csv or --import", EXIT_USAGE
        )
    if args.reminders and (args.summary or args.import_file is not None or args.limit):
        raise UserError(
            "--reminders prints the reminder log, as text, --json or --csv; "
            "not with --summary, --import or --limit",
            EXIT_USAGE,
        )
    if args.import_file is not None:
        return _import(path, args.import_file)
    if args.reminders:
        return _reminders(path, args)
    if not os.path.lexists(path):
        return _show([], args, path)  # do not create a file just to say it is empty
    _check_openable(path)
    with _open_store(path) as store:
        try:
            records = store.sessions(newest_first=not (args.json or args.csv))
            since = datetime.now(UTC) - timedelta(days=REMINDER_DAYS)
            answers = [r.outcome for r in store.reminders(since=since)]
        except HistoryError as exc:
            raise UserError(str(exc)) from None
        _print_notices(store)  # after reading: a row that could not be read is one
        code = _show(records, args, path)
        if not (args.json or args.csv or args.summary) and (line := reminder_line(answers)):
            print(line)
        return code


def _reminders(path: Path, args: argparse.Namespace) -> int:
    """`--reminders`: every reminder, oldest first, as DESIGN.md gives it."""
    records: list[ReminderRecord] = []
    if os.path.lexists(path):  # no file is no reminders; none is made to say so
        _check_openable(path)
        with _open_store(path) as store:
            try:
                records = store.reminders()
            except HistoryError as exc:
                raise UserError(str(exc)) from None
            _print_notices(store)
    rows = [record.as_dict() for record in records]
    if args.json:
        print_json_list(rows)
    elif args.csv:
        with utf8_stdout() as out:
            write_reminders_csv(rows, out)
    elif not rows:
        print("No break reminders yet. Turn them on in Settings.")
    else:
        print_reminder_table(records)
    return EXIT_OK


def write_reminders_csv(rows: Sequence[dict[str, str | None]], out: Any) -> None:
    """The columns are the JSON keys, in their order; a null is an empty cell."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REMINDER_COLUMNS)
    for row in rows:
        writer.writerow(["" if row[key] is None else row[key] for key in REMINDER_COLUMNS])


def print_reminder_table(records: Sequence[ReminderRecord]) -> None:
    """DUE, GIVEN, STAGE, OUTCOME, ANSWERED (local time), ROUTINE."""
    header = ("DUE", "GIVEN", "STAGE", "OUTCOME", "ANSWERED", "ROUTINE")

    def when(moment: datetime | None) -> str:
        return "–" if moment is None else local_time(moment).isoformat(" ", "minutes")[:16]

    rows = [
        (
            when(r.due_at),
            when(r.given_at),
            r.stage or "–",
            r.outcome,
            when(r.answered_at),
            escape_controls(r.routine),
        )
        for r in records
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        sys.stdout.write("  ".join(cells).rstrip() + "\n")


def _open_store(path: Path) -> HistoryStore:
    return HistoryStore.open(path, busy_timeout_ms=BUSY_TIMEOUT_MS, spare_dir=paths.state_dir())


def _print_notices(store: HistoryStore) -> None:
    for notice in store.notices:
        print(f"loosen: {escape_controls(notice)}", file=sys.stderr)
    store.notices.clear()


def _check_openable(path: Path) -> None:
    """A history that is there but cannot be opened (a symlink loop, a dangling link, a
    FIFO) is an error that says why, never "No sessions yet"."""
    try:
        path.stat()
    except OSError as exc:
        raise UserError(f"history cannot be opened ({path}): {exc.strerror or exc}") from None


def _show(records: Sequence[SessionRecord], args: argparse.Namespace, path: Path) -> int:
    if args.summary:
        existing = {routine.id for routine in library()}
        if args.json:
            print_json(summary_json(records, existing))
        else:
            for line in summary_lines(records, datetime.now(UTC), existing):
                print(line)
    elif args.json:
        print_json_list([csvio.as_dict(r) for r in records])
    elif args.csv:
        with utf8_stdout() as out:
            csvio.write_csv(records, out)
    elif not records:
        print(f"No sessions yet. Each routine you run is recorded in {path}")
    else:
        shown = records[: args.limit] if args.limit else records
        print_table(shown)
        if len(shown) < len(records):
            print(f"… and {len(records) - len(shown)} older")
        print()
        existing = {routine.id for routine in library()}
        for line in summary_lines(records, datetime.now(UTC), existing):
            print(line)
    return EXIT_OK


def reminder_line(outcomes: Sequence[str]) -> str | None:
    """How the desk-break reminders of the last week were answered, or None if none were."""
    if not outcomes:
        return None
    counts = ", ".join(f"{outcomes.count(o)} {o}" for o in REMINDER_OUTCOMES if o in outcomes)
    return f"Break reminders in the last {REMINDER_DAYS} days: {counts}."


def print_json_list(items: Sequence[dict[str, Any]]) -> None:
    """A JSON list with one session per line: readable, greppable, and 5× faster to write
    than `indent=2` (which bypasses the C encoder) for years of sessions."""
    if not items:
        sys.stdout.write("[]\n")
        return
    ascii_only = json_ascii_only()
    lines = ",\n".join("  " + json.dumps(item, ensure_ascii=ascii_only) for item in items)
    sys.stdout.write(f"[\n{lines}\n]\n")


def _import(path: Path, file: Path) -> int:
    """Stream `file` into the history: flat memory whatever its size, bad rows reported
    as they are met, and every good row added in one transaction (all or nothing)."""
    try:
        with file.open("rb") as raw, io.TextIOWrapper(raw, "utf-8-sig", newline="") as text:
            try:
                rows = csvio.stream_csv(text)
            except csvio.CsvFileError as exc:
                raise UserError(f"{file}: {exc}") from None
            progress = _Progress(file, raw)
            with _open_store(path) as store:
                try:
                    counts = store.import_records(progress.good_rows(rows))
                except HistoryError as exc:
                    raise UserError(f"{exc}; nothing was imported") from None
                finally:
                    progress.end()
                _print_notices(store)
    except OSError as exc:
        raise UserError(f"{file}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UserError(
            f"{file}: is not UTF-8 text; export it again as UTF-8 CSV (nothing was imported)"
        ) from None
    print(
        f"imported {counts.imported}, skipped {counts.skipped} already present, "
        f"{progress.bad} bad rows"
    )
    return EXIT_INVALID if progress.bad else EXIT_OK


class _Progress:
    """Follows an import: prints each bad row as it is met, and on a terminal says every
    `PROGRESS_EVERY_ROWS` rows how far into the file it is (one line, rewritten)."""

    def __init__(self, file: Path, raw: BinaryIO) -> None:
        self.file = file
        self.raw = raw
        self.bad = 0
        self.on_terminal = sys.stderr.isatty()
        self._shown = False
        try:
            self.size = os.fstat(raw.fileno()).st_size  # 0 for a pipe: rows only
        except OSError:
            self.size = 0

    def good_rows(self, rows: Iterable[SessionRecord | csvio.RowError]) -> Iterator[SessionRecord]:
        for n, row in enumerate(rows, 1):
            if isinstance(row, csvio.RowError):
                self.bad += 1
                self.end()
                print(f"{self.file}: {escape_controls(str(row))}", file=sys.stderr)
            else:
                yield row
            if self.on_terminal and n % PROGRESS_EVERY_ROWS == 0:
                self._show(n)

    def _show(self, rows: int) -> None:
        share = f" ({min(self.raw.tell() * 100 // self.size, 100)} %)" if self.size else ""
        sys.stderr.write(f"\rreading {escape_controls(self.file.name)}: {rows:,} rows{share}")
        sys.stderr.flush()
        self._shown = True

    def end(self) -> None:
        """Clear the progress line, so that what comes next starts on a line of its own."""
        if self._shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self._shown = False


def _tightness(record: SessionRecord) -> str:
    before, after = record.tightness_before, record.tightness_after
    if before is None and after is None:
        return ""
    return f"{'–' if before is None else before} → {'–' if after is None else after}"


def _note(text: str) -> str:
    flat = escape_controls(" ".join(text.split()))
    return flat if len(flat) <= NOTE_WIDTH else flat[: NOTE_WIDTH - 1] + "…"


def print_table(records: Sequence[SessionRecord]) -> None:
    """WHEN (local time), ROUTINE, STATUS, TIME (active), TIGHTNESS (before → after), NOTE."""
    header = ("WHEN", "ROUTINE", "STATUS", "TIME", "TIGHTNESS", "NOTE")
    rows = [
        (
            local_time(r.started_at).isoformat(" ", "minutes")[:16],
            escape_controls(r.routine_name),
            str(r.status),
            format_duration(round(r.active_s)),
            _tightness(r),
            _note(r.note),
        )
        for r in records
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    out = sys.stdout
    for row in [header, *rows]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        out.write("  ".join(cells).rstrip() + "\n")


def _points(change: float) -> str:
    if round(change, 1) == 0:
        return "no change"
    return f"{abs(change):.1f} points {'looser' if change > 0 else 'tighter'}"


def effect_line(found: insights.Insights) -> str:
    best = found.helps_most
    if best is not None:
        return (
            f"Loosens you most: {escape_controls(best.routine_name)}, "
            f"{_points(best.mean_change)} on average "
            f"({insights.interval_text(best.stat)}"
            f"{count_of(best.n, 'session')} rated before and after)."
        )
    line = (
        "Which routine loosens you most: not enough yet; rate "
        f"{insights.MIN_SESSIONS} completed sessions of a routine before and after"
    )
    if found.effects:
        most = found.effects[0]
        removed = "" if most.exists else ", removed"
        line += f" (so far {escape_controls(most.routine_name)}{removed}: {most.n})"
    return line + "."


def summary_lines(
    records: Sequence[SessionRecord], now: datetime, existing: Collection[str]
) -> list[str]:
    """The few sentences under the table; each says how much it rests on.

    `existing` holds the ids of the routines in the library now: a removed routine is
    never put forward."""
    s = stats.summarize(records, now)
    found = insights.insights(records, existing)
    lines = [
        f"{count_of(s.total, 'session')}; {s.last_7_days} in the last 7 days, "
        f"{s.last_28_days} in the last 28. "
        f"Streak: {count_of(s.streaks.current, 'day')} (longest {s.streaks.longest}).",
        effect_line(found),
    ]
    recent, previous = s.trend.recent, s.trend.previous
    weeks = s.trend.days // 7
    if recent.mean is not None:
        line = (
            f"Tightness after sessions: {recent.mean:.1f} in the last {weeks} weeks "
            f"({recent.n} rated)"
        )
        if previous.mean is not None:
            line += f", {previous.mean:.1f} in the {weeks} before ({previous.n} rated)"
        lines.append(line + ".")
    lines.extend(insights.habit_text(h) for h in found.habits if h.with_.n + h.without.n)
    return lines


def summary_json(records: Sequence[SessionRecord], existing: Collection[str]) -> dict[str, Any]:
    """`--summary --json`, as DESIGN.md gives it; figures to 3 decimal places."""
    return _rounded(insights.insights(records, existing).as_dict())


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value
