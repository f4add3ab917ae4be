"""History export and import: the JSON/CSV column contract, and reading a CSV back safely.

Columns, in this order: DESIGN.md's contract (`CONTRACT_COLUMNS`), then `uid`,
`digest` and `breaks` (added later, so always last; a CSV without it reads as 0).
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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from loosen.core.history.records import (
    MAX_NOTE_CHARS,
    TIGHTNESS_MAX,
    TIGHTNESS_MIN,
    SessionRecord,
    Status,
    TimeOutOfRange,
    format_time,
    one_newline,
    parse_time,
)

CONTRACT_COLUMNS = (
    "id",
    "routine",
    "routine_name",
    "kind",
    "started_at",
    "ended_at",
    "status",
    "planned_s",
    "active_s",
    "steps_done",
    "steps_skipped",
    "tightness_before",
    "tightness_after",
    "note",
)
EXTRA_COLUMNS = ("uid", "digest", "breaks")
COLUMNS = CONTRACT_COLUMNS + EXTRA_COLUMNS
REQUIRED_COLUMNS = ("routine", "started_at", "status")

# Sessions imported without a uid get uuid5(this, "routine|started_at"): stable across runs.
_UID_NAMESPACE = uuid.UUID("6f1b8a52-3c1e-4d0b-9a57-4c6f6f73656e")
_UID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TEXT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
_KIND = re.compile(r"^[a-z0-9-]{0,40}$")
TEXT_COLUMNS = ("uid", "routine", "routine_name", "kind", "note", "digest")
# A cell a spreadsheet would run as a formula, possibly already behind escaping quotes.
_FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")


def seconds_value(seconds: float | None) -> int | float | None:
    """Seconds for export: 45.0 -> 45, 12.34567 -> 12.346, None stays None."""
    if seconds is None:
        return None
    rounded = round(float(seconds), 3)
    return int(rounded) if rounded.is_integer() else rounded


def as_dict(record: SessionRecord) -> dict[str, Any]:
    """A session as JSON-ready values, keyed and ordered by `COLUMNS`."""
    return {
        "id": record.id,
        "routine": record.routine,
        "routine_name": record.routine_name,
        "kind": record.kind,
        "started_at": format_time(record.started_at),
        "ended_at": format_time(record.ended_at) if record.ended_at else None,
        "status": str(record.status),
        "planned_s": seconds_value(record.planned_s),
        "active_s": seconds_value(record.active_s),
        "steps_done": record.steps_done,
        "steps_skipped": record.steps_skipped,
        "tightness_before": record.tightness_before,
        "tightness_after": record.tightness_after,
        "note": record.note,
        "uid": record.uid,
        "digest": record.digest,
        "breaks": record.breaks,
    }


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


def _quoted(text: str) -> str:
    return f'"{text}"'


def _optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse_optional(text: str) -> Any:
        return None if text.strip() == "" else parse(text)

    return parse_optional


# ASCII digits only ("²".isdigit() is true), and few enough to fit SQLite's integers.
_WHOLE = re.compile(r"[0-9]{1,18}")


def _id(text: str) -> int:
    value = text.strip()
    if not _WHOLE.fullmatch(value) or int(value) < 1:
        raise ValueError(f"{_quoted(text)} is not a positive whole number")
    return int(value)


def _count(text: str) -> int:
    value = text.strip()
    if not _WHOLE.fullmatch(value):
        raise ValueError(f"{_quoted(text)} is not a whole number 0 or more")
    return int(value)


def _seconds(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{_quoted(text)} is not a number of seconds") from None
    if not 0 <= value < 10**9:  # also refuses nan and inf
        raise ValueError(f"{_quoted(text)} is not a number of seconds 0 or more")
    return value


def _tightness(text: str) -> int:
    value = text.strip()
    if not _WHOLE.fullmatch(value) or not TIGHTNESS_MIN <= int(value) <= TIGHTNESS_MAX:
        raise ValueError(f"{_quoted(text)} is not 0–10")
    return int(value)


def _time(text: str) -> datetime:
    try:
        return parse_time(text)
    except TimeOutOfRange as exc:
        raise ValueError(f"{_quoted(text)} {exc}") from None
    except ValueError:
        raise ValueError(
            f"{_quoted(text)} is not an ISO 8601 time with a zone; use e.g. 2026-11-21T14:03:00Z"
        ) from None


def _status(text: str) -> Status:
    try:
        return Status(text.strip())
    except ValueError:
        allowed = ", ".join(s.value for s in Status)
        raise ValueError(f"{_quoted(text)} is not one of {allowed}") from None


def _matching(pattern: re.Pattern[str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not pattern.match(text.strip()):
            raise ValueError(f"{_quoted(text)} is not {what}")
        return text.strip()

    return parse


def _note(text: str) -> str:
    if len(text) > MAX_NOTE_CHARS:
        raise ValueError(f"is longer than {MAX_NOTE_CHARS} characters")
    return one_newline(text)


def _plain(text: str) -> str:
    return one_newline(text.strip())


def _exact(text: str) -> str:
    return one_newline(text)


_PARSERS: dict[str, tuple[Callable[[str], Any], Any]] = {  # column: (parser, default)
    "id": (_optional(_id), None),
    "routine": (_matching(_TEXT_ID, "a routine id (lower-case letters, digits, -)"), None),
    "routine_name": (_exact, ""),
    "kind": (_matching(_KIND, "a kind such as cooldown or run"), ""),
    "started_at": (_time, None),
    "ended_at": (_optional(_time), None),
    "status": (_status, None),
    "planned_s": (_optional(_seconds), None),
    "active_s": (_optional(_seconds), 0.0),
    "steps_done": (_optional(_count), 0),
    "steps_skipped": (_optional(_count), 0),
    "tightness_before": (_optional(_tightness), None),
    "tightness_after": (_optional(_tightness), None),
    "note": (_note, ""),
    "uid": (_optional(_matching(_UID, "a uid (letters, digits, - or _)")), None),
    "digest": (_plain, ""),
    "breaks": (_optional(_count), 0),
}


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
    started = values["started_at"]
    ended = values["ended_at"]
    return SessionRecord(
        id=values["id"],
        uid=values["uid"] or derived_uid(values["routine"], format_time(started)),
        routine=values["routine"],
        routine_name=values["routine_name"] or values["routine"],
        kind=values["kind"],
        digest=values["digest"],
        started_at=started,
        ended_at=ended,
        status=values["status"],
        planned_s=values["planned_s"],
        active_s=values["active_s"] if values["active_s"] is not None else 0.0,
        steps_done=values["steps_done"] or 0,
        steps_skipped=values["steps_skipped"] or 0,
        tightness_before=values["tightness_before"],
        tightness_after=values["tightness_after"],
        note=values["note"],
        breaks=values["breaks"] or 0,
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


_DEFAULTS = {name: default for name, (_, default) in _PARSERS.items()}


def _rows(reader: Any, header: list[str]) -> Iterator[SessionRecord | RowError]:
    # Looked up once, not once per cell: the import's time is mostly spent here.
    known = [
        (i, name, _PARSERS[name][0], name in TEXT_COLUMNS)
        for i, name in enumerate(header)
        if name in _PARSERS
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
