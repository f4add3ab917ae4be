"""A session's columns, declared once: each one's SQL, Python type, export form and CSV parser.

Everything else that lists a session's columns reads `SESSION_COLUMNS`: the `sessions`
table and the migrations that add to it (schema.py), a row to a record and back
(rows.py), the JSON and CSV export and the CSV import (csvio.py), and the file of
sessions waiting to be written (pending.py), which holds each session in its export
form. The declared order is the table's; the export lists DESIGN.md's contract columns
first, then the others, each group in declared order.

To add a column: declare it here with the schema version that adds it (`since`), give
`SessionRecord` a field of the same name, and append that version's migration to
schema.py (`schema.adding_columns(version)`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loosen.core.history import cells
from loosen.core.history.records import (
    SessionRecord,
    Status,
    check_tightness,
    format_time,
    parse_time,
)


def seconds_value(seconds: float) -> int | float:
    """Seconds for export: 45.0 -> 45, 12.34567 -> 12.346."""
    rounded = round(float(seconds), 3)
    return int(rounded) if rounded.is_integer() else rounded


Convert = Callable[[Any], Any] | None


@dataclass(frozen=True)
class Form:
    """How one kind of value is kept in SQLite and in the export, and read back from each.

    A conversion sees a value, never None (None is NULL in SQL and null in JSON); a
    conversion that is None keeps the value as it is.
    """

    python_type: type
    sql_type: str
    to_sql: Convert = None
    from_sql: Convert = None
    export: Convert = None  # to a JSON value; a CSV cell is written from it
    load: Convert = None  # the export form back (the pending file)
    text: bool = False  # a CSV text cell: kept from formulas, and its blank is a value


TEXT = Form(str, "TEXT", load=str, text=True)
WHOLE = Form(int, "INTEGER", load=int)
TIGHTNESS = Form(int, "INTEGER", load=check_tightness)
SECONDS = Form(float, "REAL", export=seconds_value, load=float)
TIME = Form(datetime, "TEXT", format_time, parse_time, format_time, parse_time)
STATUS = Form(Status, "TEXT", str, Status, str, Status)

# SQL constraints, `{name}` standing for their column. They are what the schema version
# that added the column wrote into every file since: changing what a column admits (a
# new status, say) takes a migration, not an edit here (test_history_columns checks).
NOT_NEGATIVE = "CHECK ({name} >= 0)"
A_TIGHTNESS = "CHECK ({name} BETWEEN 0 AND 10)"
# Version 4 added 'partial'; SQLite cannot widen a CHECK in place, so version 4 rebuilt
# the table (schema.py).
A_STATUS = "CHECK ({name} IN ('running', 'completed', 'partial', 'stopped', 'interrupted'))"


@dataclass(frozen=True)
class Column:
    """One column of the `sessions` table, and of a session wherever it goes."""

    name: str
    form: Form
    # A CSV cell to a value (ValueError says why); None for a column the export leaves out.
    parse: Callable[[str], Any] | None = None
    optional: bool = False  # may be NULL; the others are NOT NULL
    # The value where it is absent (an older CSV, pending file or database), and, in a
    # CSV, the value of a blank cell that is not text.
    default: Any = None
    default_in_sql: bool = False  # also the table's DEFAULT
    checks: str = ""  # SQL constraints beyond the type and NOT NULL
    required: bool = False  # a CSV without it cannot be imported
    contract: bool = False  # one of DESIGN.md's export columns, which come first
    in_record: bool = True  # a field of SessionRecord (not the store's owner token)
    since: int = 1  # the schema version that added it

    @property
    def exported(self) -> bool:
        """In the JSON and CSV export, and read back by the import."""
        return self.parse is not None

    @property
    def sql(self) -> str:
        """Its definition in CREATE TABLE or ADD COLUMN."""
        parts = [self.name, self.form.sql_type]
        if not self.optional:
            parts.append("NOT NULL")
        if self.default_in_sql:
            parts.append(f"DEFAULT {sql_literal(self.default)}")
        if self.checks:
            parts.append(self.checks.format(name=self.name))
        return " ".join(parts)

    def cell_parser(self) -> Callable[[str], Any]:
        """What reads this column's CSV cells (a text cell already `csvio.restored`)."""
        parse = self.parse
        assert parse is not None
        if self.form.text or self.required:
            return parse
        default = self.default

        def parse_or_default(text: str) -> Any:
            return default if text.strip() == "" else parse(text)

        return parse_or_default


def sql_literal(value: Any) -> str:
    """`value` written into SQL: a default, or a column an older file does not have."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


SESSION_COLUMNS: tuple[Column, ...] = (
    Column("id", WHOLE, optional=True, checks="PRIMARY KEY", contract=True, parse=cells.row_id),
    Column("uid", TEXT, checks="UNIQUE", parse=cells.uid),
    Column(
        "routine",
        TEXT,
        required=True,
        contract=True,
        parse=cells.routine_id,
    ),
    Column("routine_name", TEXT, default="", contract=True, parse=cells.exact),
    Column(
        "kind",
        TEXT,
        default="",
        contract=True,
        parse=cells.kind,
    ),
    Column("digest", TEXT, default="", default_in_sql=True, parse=cells.plain),
    Column("started_at", TIME, required=True, contract=True, parse=cells.moment),
    Column("ended_at", TIME, optional=True, contract=True, parse=cells.moment),
    Column(
        "status",
        STATUS,
        checks=A_STATUS,
        required=True,
        contract=True,
        parse=cells.status,
    ),
    Column(
        "planned_s",
        SECONDS,
        optional=True,
        checks="CHECK (planned_s IS NULL OR planned_s >= 0)",
        contract=True,
        parse=cells.seconds,
    ),
    Column(
        "active_s",
        SECONDS,
        default=0.0,
        default_in_sql=True,
        checks=NOT_NEGATIVE,
        contract=True,
        parse=cells.seconds,
    ),
    Column(
        "steps_done",
        WHOLE,
        default=0,
        default_in_sql=True,
        checks=NOT_NEGATIVE,
        contract=True,
        parse=cells.count,
    ),
    Column(
        "steps_skipped",
        WHOLE,
        default=0,
        default_in_sql=True,
        checks=NOT_NEGATIVE,
        contract=True,
        parse=cells.count,
    ),
    Column(
        "tightness_before",
        TIGHTNESS,
        optional=True,
        checks=A_TIGHTNESS,
        contract=True,
        parse=cells.tightness,
    ),
    Column(
        "tightness_after",
        TIGHTNESS,
        optional=True,
        checks=A_TIGHTNESS,
        contract=True,
        parse=cells.tightness,
    ),
    Column("note", TEXT, default="", default_in_sql=True, contract=True, parse=cells.note),
    # The token of the store that wrote the row (owners.py).
    Column("owner", TEXT, optional=True, in_record=False),
    # The last write: an interrupted session ended about then.
    Column("updated_at", TIME),
    # In a run, the breaks taken (a run is one session, breaks and all).
    Column(
        "breaks",
        WHOLE,
        default=0,
        default_in_sql=True,
        checks=NOT_NEGATIVE,
        since=3,
        parse=cells.count,
    ),
)

RECORD_COLUMNS = tuple(c for c in SESSION_COLUMNS if c.in_record)
EXPORT_COLUMNS = tuple(c for c in SESSION_COLUMNS if c.exported and c.contract) + tuple(
    c for c in SESSION_COLUMNS if c.exported and not c.contract
)
BY_NAME = {c.name: c for c in SESSION_COLUMNS}


_Exports = list[tuple[str, Convert]]


def _exports(columns: tuple[Column, ...]) -> _Exports:
    # Looked up once: exporting years of sessions spends its time here.
    return [(c.name, c.form.export) for c in columns]


_AS_DICT, _EXPORT_FORM = _exports(EXPORT_COLUMNS), _exports(RECORD_COLUMNS)


def _exported(record: SessionRecord, exports: _Exports) -> dict[str, Any]:
    data = {}
    for name, convert in exports:
        value = getattr(record, name)
        data[name] = value if value is None or convert is None else convert(value)
    return data


def as_dict(record: SessionRecord) -> dict[str, Any]:
    """A session as JSON-ready values, keyed and ordered as the export (`EXPORT_COLUMNS`)."""
    return _exported(record, _AS_DICT)


def export_form(record: SessionRecord) -> dict[str, Any]:
    """Every field of a session, as JSON-ready values: how the pending file keeps it."""
    return _exported(record, _EXPORT_FORM)


def from_export_form(data: Mapping[str, Any]) -> SessionRecord:
    """The reverse of `export_form`. An absent value is the column's default (a file
    from before the column); ValueError when one that has none is missing."""
    values: dict[str, Any] = {}
    for column in RECORD_COLUMNS:
        value = data.get(column.name)
        if value is not None:
            load = column.form.load
            value = value if load is None else load(value)
        elif not column.optional:
            if column.default is None:
                raise ValueError(f"{column.name} is missing")
            value = column.default
        values[column.name] = value
    return SessionRecord(**values)
