"""A routine file as the editor changes it, field by field, with its layout kept (tomlkit).

A field set to the value it has changes nothing; a changed field changes its own line; a
removed field takes its line away; comments, order and blank lines elsewhere stay as the
person wrote them. `check()` runs the real loader and the library's resolver on the text
(there is no second validator) and gives their messages by place (`steps[3].duration`),
and the plan when the routine is valid. Saving is atomic, and a change made to the file
by someone else while it was open is noticed.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, MutableSequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import tomlkit
import tomlkit.exceptions
from tomlkit.container import Container
from tomlkit.items import AoT, Array, InlineTable, Item, Null, Table, Whitespace

from loosen.core.cues import CueKind
from loosen.core.library import resolve_draft
from loosen.core.loader import (
    Include,
    LoadError,
    RoutineDraft,
    read_routine_document,
    read_routine_file,
)
from loosen.core.phases import PhaseKind, Plan
from loosen.core.plan import build_plan
from loosen.core.routine import Routine, Source
from loosen.core.routine_schema import (
    DEFAULTS,
    EFFORT,
    IMAGE_SUFFIXES,
    INCLUDE,
    INTERVAL,
    MAX_FILE_BYTES,
    STEP,
    TOP,
)
from loosen.core.schema import Table as SchemaTable
from loosen.core.userfiles import UnreadableFile, read_regular_file, write_atomically

# A value as a routine file holds it: text (durations too: "45s"), a whole number, a flag.
Value = str | int | bool

TOP_LEVEL = ""  # the table of the top-level keys
DEFAULTS_TABLE = DEFAULTS.name
INTERVAL_TABLE = INTERVAL.name
STEPS_KEY = TOP["steps"].key
EFFORTS_KEY = INTERVAL["efforts"].key
_SCHEMAS: Mapping[str, SchemaTable] = {
    TOP_LEVEL: TOP,
    DEFAULTS_TABLE: DEFAULTS,
    INTERVAL_TABLE: INTERVAL,
}
# A picture the user picks is copied next to the routine; one larger than this is not a
# picture of an exercise but a mistake (a photo library, a video renamed).
MAX_PICTURE_BYTES = 20 * 1024 * 1024


class DocumentError(Exception):
    """The file cannot be edited: unreadable, or not TOML at all (the message says why)."""


# The phases that belong to a step (a rest before the next one is the step's too).
_STEP_PHASE_KINDS = (PhaseKind.WORK, PhaseKind.SWITCH, PhaseKind.REST)


@dataclass(frozen=True)
class _TableList:
    """Where a list of tables sits in the file, and its entries' keys in order."""

    table: str  # the table holding it (TOP_LEVEL for the steps)
    key: str
    keys: tuple[str, ...]
    name: str  # how the loader names it, before the entry's number

    def place(self, index: int) -> str:
        return f"{self.name}[{index + 1}]"


_STEPS = _TableList(TOP_LEVEL, STEPS_KEY, (*STEP.keys, INCLUDE.key), STEPS_KEY)
_EFFORTS = _TableList(INTERVAL_TABLE, EFFORTS_KEY, EFFORT.keys, EFFORT.name)


def step_place(index: int) -> str:
    """How the loader names a step (counted from 1): `steps[3]`."""
    return _STEPS.place(index)


def effort_place(index: int) -> str:
    """How the loader names a run's effort (counted from 1): `interval.efforts[2]`."""
    return _EFFORTS.place(index)


def field_place(key: str, table: str = TOP_LEVEL) -> str:
    """How the loader names a field of a table: `name`, `defaults.rest`, `interval.every`."""
    return f"{table}.{key}" if table else key


@dataclass(frozen=True)
class LibraryContext:
    """What a routine is checked against: the other routines it may include or break
    with (their drafts, as the library reads them) and the built-in pictures."""

    drafts: Mapping[str, RoutineDraft] = field(default_factory=dict)
    failed: Mapping[str, Path] = field(default_factory=dict)  # ids of files that failed
    pictures_dir: Path | None = None

    @classmethod
    def read(
        cls,
        builtin_dir: Path | None,
        user_dir: Path | None,
        pictures_dir: Path | None,
        leaving_out: Path | None = None,
    ) -> LibraryContext:
        """The routines in both folders, a user file replacing a built-in one of its id,
        without `leaving_out` (the file being edited: its own text is what counts)."""
        drafts: dict[str, RoutineDraft] = {}
        failed: dict[str, Path] = {}
        for folder, source in ((builtin_dir, Source.BUILT_IN), (user_dir, Source.USER)):
            for path in _routine_files(folder):
                if leaving_out is not None and _same_file(path, leaving_out):
                    continue
                parsed = read_routine_file(path, source=source, pictures_dir=pictures_dir)
                if parsed.draft is None:
                    failed.setdefault(parsed.routine_id, path)
                else:
                    drafts[parsed.draft.id] = parsed.draft
        return cls(drafts, {k: v for k, v in failed.items() if k not in drafts}, pictures_dir)

    def routine_ids(self) -> list[str]:
        """The ids an include or a break may name, sorted."""
        return sorted(self.drafts)


def _routine_files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".toml")
    except OSError:
        return []


def _same_file(one: Path, other: Path) -> bool:
    return os.path.realpath(one) == os.path.realpath(other)


@dataclass(frozen=True)
class CheckResult:
    """What the loader says of the document: its messages by place, and the plan."""

    errors: Mapping[str, tuple[str, ...]]  # place ("" for the whole file) -> messages
    routine: Routine | None = None
    plan: Plan | None = None
    # For each of the document's steps, the plan's number of its first step (an include
    # stands for several of the plan's steps).
    first_steps: tuple[int, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.errors and self.plan is not None

    def at(self, place: str) -> tuple[str, ...]:
        return self.errors.get(place, ())

    def step_phases(self, index: int) -> list[int]:
        """Indexes of the plan's phases that the document's step `index` makes."""
        if self.plan is None or not 0 <= index < len(self.first_steps):
            return []
        first = self.first_steps[index]
        end = self.first_steps[index + 1] if index + 1 < len(self.first_steps) else None
        return [
            number
            for number, phase in enumerate(self.plan.phases)
            if phase.step_number is not None
            and phase.kind in _STEP_PHASE_KINDS
            and first <= phase.step_number
            and (end is None or phase.step_number < end)
        ]

    def effort_phases(self, index: int) -> list[int]:
        """Indexes of the plan's phases in which the run's effort `index` is done."""
        if self.plan is None:
            return []
        return [
            number
            for number, phase in enumerate(self.plan.phases)
            if phase.kind is PhaseKind.ACTIVITY and phase.step_number == index + 1
        ]

    def step_cues(self, index: int) -> list[str]:
        """What the voice says as the document's step `index` starts: its announcement
        and its instruction (said in the phase before, for reps counted on a tempo)."""
        phases = self.step_phases(index)
        if self.plan is None or not phases:
            return []
        work = next((i for i in phases if self.plan.phases[i].kind is PhaseKind.WORK), None)
        if work is None:
            return []
        return [
            cue.text
            for cue in self.plan.cues
            if cue.kind in (CueKind.START, CueKind.SAY)
            and (cue.phase_index == work or (cue.phase_index == work - 1 and cue.offset_s > 0))
        ]

    def in_step(self, index: int) -> list[tuple[str, str]]:
        """(place, message) of every error in the step or one of its fields."""
        return self._within(step_place(index))

    def in_effort(self, index: int) -> list[tuple[str, str]]:
        """(place, message) of every error in the run's effort or one of its fields."""
        return self._within(effort_place(index))

    def _within(self, own: str) -> list[tuple[str, str]]:
        return [
            (place, message)
            for place, messages in self.errors.items()
            if place == own or place.startswith(own + ".")
            for message in messages
        ]


def _first_steps(draft: RoutineDraft, others: Mapping[str, RoutineDraft]) -> tuple[int, ...]:
    firsts: list[int] = []
    number = 1
    for entry in draft.entries:
        firsts.append(number)
        if isinstance(entry, Include):
            included, _ = resolve_draft(others[entry.routine_id], others)
            number += len(included.steps) if included is not None else 0
        else:
            number += 1
    return tuple(firsts)


def _grouped(errors: list[LoadError]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for error in errors:
        grouped.setdefault(error.place, []).append(error.message)
    return {place: tuple(messages) for place, messages in grouped.items()}


class RoutineDocument:
    """One routine file's text, changed a field at a time."""

    def __init__(self, text: str, path: Path) -> None:
        """`path`: where it is saved; it names the file in messages and anchors pictures."""
        self.path = path
        self._doc = _parse(text)
        self._saved_text = text  # what the file held when opened or last saved
        self._on_disk: bytes | None = None  # the file's bytes as last read or written

    @classmethod
    def open(cls, path: Path) -> RoutineDocument:
        """The file at `path`; DocumentError when it cannot be read or is not TOML."""
        data = _read(path)
        if data is None:
            raise DocumentError(f"{path} is not there")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{path} is not UTF-8 text: {exc.reason}") from exc
        document = cls(text, path)
        document._on_disk = data
        return document

    # -- the text ----------------------------------------------------------------------

    def text(self) -> str:
        """The TOML as it would be saved."""
        return tomlkit.dumps(self._doc)

    @property
    def modified(self) -> bool:
        """True when the text differs from the file as opened or last saved."""
        return self.text() != self._saved_text

    # -- fields of the top level, [defaults] and [interval] -----------------------------

    def get(self, key: str, table: str = TOP_LEVEL) -> Any:
        """The field's value as the file holds it, or None when it is not there."""
        container = self._table(table)
        if container is None or key not in container:
            return None
        return _plain(container[key])

    def set(self, key: str, value: Value | None, table: str = TOP_LEVEL) -> bool:
        """Set (None: remove) one field; True when the text changed."""
        container = self._table(table)
        if container is None:
            if value is None:
                return False
            container = self._add_table(table)
        return _set_field(container, key, value, _SCHEMAS[table].keys)

    def remove_table(self, table: str) -> bool:
        """Take a whole table out ([interval] when a run becomes a routine with steps)."""
        if table not in self._doc:
            return False
        del self._doc[table]
        return True

    def _table(self, table: str) -> Container | None:
        if table == TOP_LEVEL:
            return self._doc
        found = self._doc.get(table)
        return found.value if isinstance(found, Table | InlineTable) else None

    def _add_table(self, table: str) -> Container:
        new = tomlkit.table()
        # Before the steps, where a person would write it, with a blank line after.
        first_table = next(
            (
                index
                for index, (key, item) in enumerate(self._doc.body)
                if key is not None and isinstance(item, Table | AoT)
            ),
            None,
        )
        if first_table is None:
            self._doc.append(table, new)
        else:
            new.add(tomlkit.nl())
            self._doc._insert_at(first_table, table, new)
        return new.value

    # -- steps and a run's efforts: lists of tables -------------------------------------

    def step_count(self) -> int:
        return self._count(_STEPS)

    def step_get(self, index: int, key: str) -> Any:
        return self._entry_get(_STEPS, index, key)

    def step_set(self, index: int, key: str, value: Value | None) -> bool:
        """Set (None: remove) one field of a step; True when the text changed."""
        return self._entry_set(_STEPS, index, key, value)

    def step_keys(self, index: int) -> list[str]:
        return list(self._entry(_STEPS, index).keys())

    def add_step(self, fields: Mapping[str, Value], at: int | None = None) -> int:
        """A new step with `fields`, at `at` (None: the end); returns its index."""
        return self._add_entry(_STEPS, fields, at)

    def remove_step(self, index: int) -> None:
        self._remove_entry(_STEPS, index)

    def move_step(self, index: int, to: int) -> None:
        """Move a step (with its comments) to index `to`."""
        self._move_entry(_STEPS, index, to)

    def effort_count(self) -> int:
        """How many efforts the run has (0: none, the activity runs from break to break)."""
        return self._count(_EFFORTS)

    def effort_get(self, index: int, key: str) -> Any:
        return self._entry_get(_EFFORTS, index, key)

    def effort_set(self, index: int, key: str, value: Value | None) -> bool:
        """Set (None: remove) one field of an effort; True when the text changed."""
        return self._entry_set(_EFFORTS, index, key, value)

    def effort_keys(self, index: int) -> list[str]:
        return list(self._entry(_EFFORTS, index).keys())

    def add_effort(self, fields: Mapping[str, Value], at: int | None = None) -> int:
        """A new effort with `fields`, at `at` (None: the end); returns its index. The
        run's [interval] is made if it has none."""
        return self._add_entry(_EFFORTS, fields, at)

    def remove_effort(self, index: int) -> None:
        """Take an effort out; without the last, the run has no `efforts` at all."""
        self._remove_entry(_EFFORTS, index)

    def move_effort(self, index: int, to: int) -> None:
        """Move an effort (with its comments) to index `to`."""
        self._move_entry(_EFFORTS, index, to)

    def _entries(self, where: _TableList) -> MutableSequence[Any] | None:
        holder = self._table(where.table)
        found = holder.get(where.key) if holder is not None else None
        return found if isinstance(found, AoT | Array) else None

    def _count(self, where: _TableList) -> int:
        entries = self._entries(where)
        return len(entries) if entries is not None else 0

    def _entry(self, where: _TableList, index: int) -> Container:
        entries = self._entries(where)
        if entries is None or not 0 <= index < len(entries):
            raise IndexError(index)
        entry = entries[index]
        if not isinstance(entry, Table | InlineTable):
            raise DocumentError(f"{where.place(index)} is not a table")
        return entry.value

    def _entry_get(self, where: _TableList, index: int, key: str) -> Any:
        container = self._entry(where, index)
        return _plain(container[key]) if key in container else None

    def _entry_set(self, where: _TableList, index: int, key: str, value: Value | None) -> bool:
        return _set_field(self._entry(where, index), key, value, where.keys)

    def _add_entry(self, where: _TableList, fields: Mapping[str, Value], at: int | None) -> int:
        entries = self._entries(where)
        if entries is None:
            holder = self._table(where.table)
            if holder is None:
                holder = self._add_table(where.table)
            # In a table written inline, the list is inline too: [{...}, {...}].
            inline = where.table != TOP_LEVEL and isinstance(
                self._doc.get(where.table), InlineTable
            )
            if inline:
                holder[where.key] = tomlkit.array()
            else:
                if where.table != TOP_LEVEL and not holder.as_string().endswith("\n\n"):
                    holder.append(None, tomlkit.nl())  # a blank line before [[table.list]]
                holder.append(where.key, tomlkit.aot())
            entries = cast(MutableSequence[Any], holder[where.key])
        new: Table | InlineTable = (
            tomlkit.inline_table() if isinstance(entries, Array) else tomlkit.table()
        )
        for key, value in fields.items():
            new[key] = value
        index = len(entries) if at is None else max(0, min(at, len(entries)))
        entries.insert(index, new)
        self._separate(where, index - 1, index)
        return index

    def _remove_entry(self, where: _TableList, index: int) -> None:
        entries = self._entries(where)
        if entries is None:
            raise IndexError(index)
        del entries[index]
        if not entries:
            holder = self._table(where.table)
            assert holder is not None
            del holder[where.key]
            self._end_without_blank_line(where.table)

    def _move_entry(self, where: _TableList, index: int, to: int) -> None:
        entries = self._entries(where)
        if entries is None or index == to:
            return
        last_had_blank_line = _ends_with_blank_line(entries[-1])
        entry = entries.pop(index)
        entries.insert(to, entry)
        self._separate(where, to - 1, to, index - 1, index)
        if not last_had_blank_line:  # the file ends as it did, not with a moved blank line
            _drop_trailing_blank_lines(entries[-1])

    def _separate(self, where: _TableList, *indexes: int) -> None:
        """A blank line after each of these entries that has one after it, as tomlkit
        does not keep one with a table moved away from the end."""
        entries = self._entries(where)
        if not isinstance(entries, AoT):
            return
        for index in indexes:
            if 0 <= index < len(entries) - 1:
                table = entries[index]
                if not _ends_with_blank_line(table):
                    table.add(tomlkit.nl())

    def _end_without_blank_line(self, table: str) -> None:
        """A table that ends the file, its list of tables taken out of it, ends there
        without the blank line that stood before the list."""
        found = self._doc.get(table) if table != TOP_LEVEL else None
        keys = [key for key, _ in self._doc.body if key is not None]
        if not isinstance(found, Table) or not keys or keys[-1].key != table:
            return
        _drop_trailing_blank_lines(found)

    # -- checking --------------------------------------------------------------------

    def check(self, context: LibraryContext) -> CheckResult:
        """The loader's verdict on the text, and the plan when the routine is valid."""
        text = self.text()
        if len(text.encode("utf-8")) > MAX_FILE_BYTES:
            limit = f"{MAX_FILE_BYTES // 1024} KiB"
            return CheckResult({"": (f"is over {limit}; a routine file can be at most {limit}",)})
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            return CheckResult({"": (f"is not valid TOML: {exc}",)})
        draft, errors = read_routine_document(
            parsed, self.path, source=Source.USER, pictures_dir=context.pictures_dir
        )
        if draft is None:
            return CheckResult(_grouped(errors))
        others = {
            routine_id: other
            for routine_id, other in context.drafts.items()
            if not _same_file(other.path, self.path)
        }
        routine, errors = resolve_draft(draft, others, context.failed)
        if routine is None:
            return CheckResult(_grouped(errors))
        return CheckResult({}, routine, build_plan(routine), _first_steps(draft, others))

    # -- the file --------------------------------------------------------------------

    def save(self) -> None:
        """Write the text to the file whole, or not at all (OSError says why not)."""
        text = self.text()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with write_atomically(self.path, newline="") as out:
            out.write(text)
        self._saved_text = text
        self._on_disk = text.encode("utf-8")

    def changed_on_disk(self) -> bool:
        """True when the file is no longer what this document read or wrote."""
        return _read(self.path) != self._on_disk

    def reload(self) -> None:
        """Take the file as it is now on disk, dropping the changes made here."""
        fresh = RoutineDocument.open(self.path)
        self._doc, self._saved_text, self._on_disk = fresh._doc, fresh._saved_text, fresh._on_disk

    def keep_mine(self) -> None:
        """Keep the text here; the next save replaces what is on disk."""
        self._on_disk = _read(self.path)


def _parse(text: str) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise DocumentError(f"is not valid TOML: {exc}") from exc


def _read(path: Path) -> bytes | None:
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        return None
    except (UnreadableFile, OSError) as exc:
        raise DocumentError(f"{path} {getattr(exc, 'reason', exc)}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise DocumentError(f"{path} is over {MAX_FILE_BYTES // 1024} KiB")
    return data


def _ends_with_blank_line(item: Any) -> bool:
    return isinstance(item, Item) and item.as_string().endswith("\n\n")


def _drop_trailing_blank_lines(table: Any) -> None:
    """Take the blank lines (not comments) from the end of a table."""
    if not isinstance(table, Table):
        return
    body = table.value.body
    while body and _ends_with_blank_line(table) and isinstance(body[-1][1], Whitespace | Null):
        body.pop()


def _plain(item: Any) -> Any:
    return item.unwrap() if isinstance(item, Item) else item


def _same_value(current: Any, value: Value) -> bool:
    plain = _plain(current)
    return type(plain) is type(value) and plain == value


def _set_field(container: Container, key: str, value: Value | None, order: tuple[str, ...]) -> bool:
    if value is None:
        if key not in container:
            return False
        del container[key]
        return True
    if key in container:
        if _same_value(container[key], value):
            return False
        container[key] = value  # tomlkit keeps the line's place and its comment
        return True
    # A new key goes after the last one before it in the schema's order, else after the
    # last key there is: never after the blank line and comments that end a table.
    present = [k for k in container if isinstance(k, str)]
    earlier = order[: order.index(key)] if key in order else order
    after = next((k for k in reversed(present) if k in earlier), present[-1] if present else None)
    if after is None:
        container[key] = value
    else:
        container._insert_after(after, key, tomlkit.item(value))
    return True


# -- pictures -----------------------------------------------------------------------


def shipped_pictures(pictures_dir: Path) -> list[Path]:
    """The built-in exercise pictures any routine may name, by name."""
    if not pictures_dir.is_dir():
        return []
    return sorted(p for p in pictures_dir.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def import_picture(source: Path, folder: Path) -> str:
    """Copy a picture the user picked into `folder` (where the routine is) under a safe
    name of its own, and return that name; the same picture picked again is not copied
    twice. OSError or ValueError say why not."""
    suffix = source.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        raise ValueError(f"{source.name} is not a picture; use a {', '.join(IMAGE_SUFFIXES)} file")
    data = read_regular_file(source, MAX_PICTURE_BYTES)
    if len(data) > MAX_PICTURE_BYTES:
        raise ValueError(f"{source.name} is over {MAX_PICTURE_BYTES // (1024 * 1024)} MiB")
    stem = re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-")[:60] or "picture"
    folder.mkdir(parents=True, exist_ok=True)
    number = 1
    while True:
        name = f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}"
        target = folder / name
        existing = _read_picture(target)
        if existing == data:
            return name
        if existing is None and not target.exists():
            break
        number += 1
    partial = folder / f".{name}.{os.urandom(4).hex()}.partial"
    try:
        with partial.open("xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return name


def _read_picture(path: Path) -> bytes | None:
    try:
        return read_regular_file(path, MAX_PICTURE_BYTES)
    except (FileNotFoundError, UnreadableFile, OSError):
        return None


__all__ = [
    "DEFAULTS_TABLE",
    "INTERVAL_TABLE",
    "TOP_LEVEL",
    "CheckResult",
    "DocumentError",
    "LibraryContext",
    "RoutineDocument",
    "Value",
    "effort_place",
    "field_place",
    "import_picture",
    "shipped_pictures",
    "step_place",
]
