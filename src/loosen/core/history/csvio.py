"""History export and import: the JSON/CSV column contract, and reading a CSV back safely.

Columns, in this order: DESIGN.md's contract (`CONTRACT_COLUMNS`), then `uid`,
`digest` and `breaks` (added later, so always last; a CSV without it reads as 0);
each is declared in columns.py, with its export form and its parser.
Times are ISO 8601 UTC to the second ("2026-11-21T14:03:00Z"); a missing value is
an empty CSV field and a JSON null. Seconds print as whole numbers when they are
whole, else with up to three decimals, so export → import → export is byte-identical.

On import, a session's identity is its `uid`; a CSV without that column gets one
derived from (routine, started_at), so importing the same file twice adds nothing.

A text cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`,
`@`, a tab or a CR: OWASP's "CSV injection") is written with a `'` in front, which
spreadsheets show as text. The import takes one `'` off a cell that starts with `'`s
and then one of those characters, and a cell that already started so gets one more
on export: every text reads back exactly.
"""

from __future__ import annotations

import csv
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from loosen.core.history.columns import EXPORT_COLUMNS
from loosen.core.history.columns import as_dict as as_dict  # the export form, used with it
from loosen.core.history.records import SessionRecord, format_time, one_newline

COLUMNS = tuple(c.name for c in EXPORT_COLUMNS)
CONTRACT_COLUMNS = tuple(c.name for c in EXPORT_COLUMNS if c.contract)
REQUIRED_COLUMNS = tuple(c.name for c in EXPORT_COLUMNS if c.required)
TEXT_COLUMNS = tuple(c.name for c in EXPORT_COLUMNS if c.form.text)

# Sessions imported without a uid get uuid5(this, "routine|started_at"): stable across runs.
_UID_NAMESPACE = uuid.UUID("6f1b8a52-3c1e-4d0b-9a57-4c6f6f73656e")
# A cell a spreadsheet would run as a formula, possibly already behind escaping quotes.
_FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")


def defused(text: str) -> str:
    """`text` as a CSV cell no spreadsheet runs as a formula; `restored` undoes it."""
    return "'" + text if _FORMULA_LIKE.match(text) else text


def restored(text: str) -> str:
    """The text `defused` was given."""
    return text[1:] if text.startswith("'") and _FORMULA_LIKE.match(text[1:]) else text


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return defused(one_newline(value)) if isinstance(value, str) else value


def write_csv(records: Iterable[SessionRecord], stream: TextIO) -> None:
    """The CSV export: a header, then one line per session, "\\n" line ends."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        data = as_dict(record)
        writer.writerow([_cell(data[c]) for c in COLUMNS])


@dataclass(frozen=True)
class RowError:
    line: int  # where the row starts in the file, 1 = the header
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedCsv:
    records: list[SessionRecord]
    errors: list[RowError]


class CsvFileError(ValueError):
    """The file as a whole cannot be read as a history CSV (empty, no header, wrong columns)."""


def derived_uid(routine: str, started_at_text: str) -> str:
    """The uid of a session imported without one: stable, so a re-import finds it."""
    return uuid.uuid5(_UID_NAMESPACE, f"{routine}|{started_at_text}").hex


_VERSION_AT = 12  # where a UUID's hex form says its version


def is_derived_uid(uid: str, routine: str, started_at_text: str) -> bool:
    """Whether `uid` is `derived_uid(routine, started_at_text)`; cheap for most uids."""
    # Only a version-5 UUID can be one: Loosen's own (version 4) are told apart at once.
    if len(uid) != 32 or uid[_VERSION_AT] != "5":
        return False
    return uid == derived_uid(routine, started_at_text)


def _record(values: dict[str, Any]) -> SessionRecord:
    # An end before the start is kept as written: it is what a wall clock set back
    # mid-session records, and the store keeps such sessions.
    routine = values["routine"]
    uid = values["uid"] or derived_uid(routine, format_time(values["started_at"]))
    return SessionRecord(
        **(values | {"uid": uid, "routine_name": values["routine_name"] or routine})
    )


def _header(row: Sequence[str]) -> list[str]:
    names = [cell.strip().lstrip("\ufeff").lower() for cell in row]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise CsvFileError(
            f"line 1: missing column(s) {', '.join(missing)}; "
            f"a history CSV has {', '.join(CONTRACT_COLUMNS)}"
        )
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise CsvFileError(f"line 1: column {name} appears twice")
        seen.add(name)
    return names


def read_csv(lines: Iterable[str]) -> ParsedCsv:
    """Sessions from a history CSV (open the file with `newline=""`), all in memory.

    What `stream_csv` yields, gathered: for tests and small files.
    """
    records: list[SessionRecord] = []
    errors: list[RowError] = []
    for item in stream_csv(lines):
        if isinstance(item, RowError):
            errors.append(item)
        else:
            records.append(item)
    return ParsedCsv(records, errors)


def stream_csv(lines: Iterable[str]) -> Iterator[SessionRecord | RowError]:
    """Sessions from a history CSV, one row at a time, so any size reads in flat memory.

    Reads the header at once: raises CsvFileError now when there is no usable one.
    Then yields each good row as a SessionRecord and each bad one as a RowError with
    its line number and every problem in it. Columns other than `COLUMNS` are
    ignored. A CSV that cannot be parsed past some point (a broken quote, a NUL
    byte) yields the rows before it and a RowError for that line, and stops.
    """
    reader = csv.reader(lines, strict=True)
    try:
        first = next(reader, None)
    except csv.Error as exc:
        raise CsvFileError(f"line 1: {exc}") from None
    if first is None:
        raise CsvFileError("is empty; expected a header line and one line per session")
    return _rows(reader, _header(first))


_DEFAULTS = {c.name: c.default for c in EXPORT_COLUMNS}


def _rows(reader: Any, header: list[str]) -> Iterator[SessionRecord | RowError]:
    # Looked up once, not once per cell: the import's time is mostly spent here.
    by_name = {c.name: c for c in EXPORT_COLUMNS}
    known = [
        (i, name, by_name[name].cell_parser(), name in TEXT_COLUMNS)
        for i, name in enumerate(header)
        if name in by_name
    ]
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            yield RowError(line, f"{exc}; the rest of the file was not read")
            return
        if row is None:
            return
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) != len(header):
            yield RowError(line, f"has {len(row)} fields; the header has {len(header)}")
            continue
        values = dict(_DEFAULTS)
        problems = []
        for i, name, parse, is_text in known:
            try:
                values[name] = parse(restored(row[i]) if is_text else row[i])
            except ValueError as exc:
                problems.append(f"{name}: {exc}")
        if not problems:
            try:
                yield _record(values)
                continue
            except ValueError as exc:
                problems.append(str(exc))
        yield RowError(line, "; ".join(problems))
