"""Read one routine file (TOML, format 1) into a draft, or into precise errors.

A draft is a routine before its references are resolved: `include` steps and an
interval's `break` name other routines, which only the library can look up.
Every problem is collected (not just the first) and names the file, the place in
it, what was wrong and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from loosen.core.duration import (
    DURATION_HINT,
    DurationError,
    Window,
    format_duration,
    parse_duration,
    parse_window,
)
from loosen.core.routine import Source, Step
from loosen.core.routine_schema import (
    DEFAULTS,
    EFFORT,
    FORMAT,
    ID_PATTERN,
    IMAGE_SUFFIXES,
    INCLUDE,
    INTERVAL,
    MAX_EFFORTS,
    MAX_FILE_BYTES,
    MAX_STEPS,
    STEP,
    TOP,
    Kind,
)
from loosen.core.schema import Field, Shape, Table
from loosen.core.userfiles import UnreadableFile, read_regular_file, real_path
from loosen.sha256 import sha256_hex

_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # all but tab and line breaks

# Built-in defaults, used when neither the step nor [defaults] says.
BUILT_IN_DEFAULTS: Mapping[str, Any] = {spec.key: spec.default for spec in DEFAULTS}
# What read_routine_file makes of a file is cached between runs (library_cache.py); a
# change to what it derives (fields, checks, messages) must bump this, so no cache made
# by the older code is trusted.
LOADER_SCHEMA = 2


@dataclass(frozen=True)
class LoadError:
    """One problem in one routine file."""

    path: Path
    place: str  # "steps[3].duration", "" for the whole file
    message: str

    @property
    def detail(self) -> str:
        """The error without the file: what `loosen list --json` puts in "message"."""
        return f"{self.place}: {self.message}" if self.place else self.message

    def __str__(self) -> str:
        return f"{self.path}: {self.detail}"


@dataclass(frozen=True)
class Include:
    """A step that inlines another routine's steps."""

    routine_id: str
    place: str


@dataclass(frozen=True)
class IntervalDraft:
    activity: str
    every: Window
    break_id: str
    total_s: float | None
    efforts: tuple[Step, ...] = ()


@dataclass(frozen=True)
class RoutineDraft:
    id: str
    name: str
    kind: Kind
    entries: tuple[Step | Include, ...]
    get_ready_s: float
    summary: str
    caution: str
    interval: IntervalDraft | None
    source: Source
    path: Path


@dataclass
class ParsedFile:
    path: Path
    draft: RoutineDraft | None = None
    errors: list[LoadError] = field(default_factory=list)
    content_sha256: str = ""
    routine_id: str = ""  # the id the file claims (or its name), even when it fails
    # Where pictures were looked for: whether each is there decided the result as much
    # as the file's own text did.
    pictures_looked_at: list[Path] = field(default_factory=list)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """' (did you mean "sides"?)' for a near miss, else ''."""
    import difflib  # here: a library read from its cache has no misses to look at

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        close = [c for c in choices if c.lower() == word.lower()]
    return f' (did you mean "{close[0]}"?)' if close else ""


def _shown(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


class _FileReader:
    """Walks one parsed TOML document, collecting every error with its place."""

    def __init__(self, path: Path, source: Source, pictures_dir: Path | None) -> None:
        self.path = path
        self.source = source
        self.pictures_dir = pictures_dir
        self.errors: list[LoadError] = []
        self.pictures_looked_at: list[Path] = []

    def error(self, place: str, message: str) -> None:
        self.errors.append(LoadError(self.path, place, message))

    # -- generic value readers; each returns None after reporting an error ----------

    def check_keys(self, table: Mapping[str, Any], schema: Table, where: str) -> None:
        allowed = schema.keys
        for key in table:
            if key in allowed:
                continue
            prefix = f"{where}." if where else ""
            # An exact key from another table says more than a near miss here.
            hint = _belongs_elsewhere(key, where) or did_you_mean(key, allowed)
            self.error(
                f"{prefix}{key}",
                f"unknown key{hint}; allowed here: {', '.join(allowed)}",
            )

    def text(self, value: object, place: str, spec: Field) -> str | None:
        if not isinstance(value, str):
            self.error(place, f"{_shown(value)} is not text; write it in quotes")
            return None
        text = value.strip()
        limit = int(spec.bounds()[1])
        if not text:
            self.error(place, "is empty; write a few words")
            return None
        if len(text) > limit:
            self.error(place, f"is {len(text)} characters long; at most {limit} are allowed")
            return None
        if not spec.multiline and ("\n" in text or "\r" in text):
            self.error(place, "has a line break; keep it on one line")
            return None
        if _CONTROL_CHARACTER.search(text):
            self.error(place, "contains control characters; use plain text")
            return None
        return text

    def seconds(self, value: object, place: str, spec: Field) -> float | None:
        try:
            seconds = parse_duration(value)
        except DurationError as exc:
            self.error(place, str(exc))
            return None
        return self._within(seconds, place, spec, value)

    def _within(self, seconds: float, place: str, spec: Field, raw: object) -> float | None:
        low, high = spec.bounds()
        if seconds < low:
            if low <= 1 and seconds == 0:
                self.error(
                    place,
                    f"{_shown(raw)} is zero; {spec.noun} must last at least {format_duration(low)}",
                )
            else:
                self.error(
                    place,
                    f"{_shown(raw)} is too short; {spec.noun} must last at least "
                    f"{format_duration(low)}",
                )
            return None
        if seconds > high:
            self.error(
                place,
                f"{_shown(raw)} is too long; {spec.noun} can last at most {format_duration(high)}",
            )
            return None
        return seconds

    def window(self, value: object, place: str, spec: Field) -> Window | None:
        try:
            window = parse_window(value)
        except DurationError as exc:
            self.error(place, str(exc))
            return None
        if self._within(window.start_s, place, spec, value) is None:
            return None
        if self._within(window.end_s, place, spec, value) is None:
            return None
        return window

    def count(self, value: object, place: str, spec: Field) -> int | None:
        low, high = spec.bounds()
        allowed = f"a whole number from {int(low)} to {int(high)}"
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(place, f"{_shown(value)} is not a whole number; use {allowed}")
            return None
        if not low <= value <= high:
            self.error(place, f"{value} is out of range; use {allowed}")
            return None
        return value

    def flag(self, value: object, place: str) -> bool | None:
        if not isinstance(value, bool):
            self.error(place, f"{_shown(value)} is not true or false")
            return None
        return value

    def image(self, value: object, place: str) -> Path | None:
        """A picture file name, found in the routine's folder or the built-in pictures."""
        if not isinstance(value, str) or not value.strip():
            self.error(
                place, f"{_shown(value)} is not a file name; use e.g. {STEP['image'].example}"
            )
            return None
        name = value.strip()
        posix, windows = PurePosixPath(name), PureWindowsPath(name)
        if (
            posix.is_absolute()
            or windows.is_absolute()
            or windows.drive
            or ".." in posix.parts
            or ".." in windows.parts
        ):
            self.error(
                place,
                f'"{name}" points outside the routine\'s folder; give a file name '
                "in the routine's folder or one of the built-in pictures",
            )
            return None
        if posix.suffix.lower() not in IMAGE_SUFFIXES:
            self.error(place, f'"{name}" is not a picture; use a {", ".join(IMAGE_SUFFIXES)} file')
            return None
        folders = [self.path.parent]
        if self.pictures_dir is not None:
            folders.append(self.pictures_dir)
        for folder in folders:
            candidate = folder / name
            self.pictures_looked_at.append(candidate)
            inside = real_path(candidate).is_relative_to(real_path(folder))
            if not inside:
                # A link that leads out of the folder: refuse rather than follow it.
                self.error(place, f'"{name}" leads outside {folder}; pictures must stay in it')
                return None
            if candidate.is_file():
                return candidate
        self.error(
            place, f'"{name}" was not found next to the routine nor among the built-in pictures'
        )
        return None

    # -- the document ----------------------------------------------------------------

    def read(self, doc: dict[str, Any]) -> RoutineDraft | None:
        if not self._read_format(doc):
            return None
        self.check_keys(doc, TOP, "")

        routine_id = self._read_id(doc)
        name = self.text(doc["name"], "name", TOP["name"]) if "name" in doc else None
        if "name" not in doc:
            self.error("name", f"is missing; add e.g. name = {TOP['name'].example}")
        kind = self._read_kind(doc)
        summary = self._optional_text(doc, "summary")
        caution = self._optional_text(doc, "caution")

        defaults = self._read_defaults(doc.get("defaults"), kind)
        entries: tuple[Step | Include, ...] = ()
        interval = None
        if kind is Kind.RUN:
            if "steps" in doc:
                self.error(
                    "steps",
                    "a run routine has no steps of its own; its breaks come "
                    'from [interval] break = "<routine id>"',
                )
            interval = self._read_interval(doc.get("interval"))
        else:
            if "interval" in doc:
                self.error(
                    "interval",
                    f'only kind = "run" routines take [interval]; this one is "{kind}"'
                    if kind
                    else 'only kind = "run" routines take [interval]',
                )
            entries = self._read_steps(doc.get("steps"), defaults)

        if self.errors or routine_id is None or name is None or kind is None:
            return None
        return RoutineDraft(
            id=routine_id,
            name=name,
            kind=kind,
            entries=entries,
            get_ready_s=defaults["get_ready"],
            summary=summary or "",
            caution=caution or "",
            interval=interval,
            source=self.source,
            path=self.path,
        )

    def _read_format(self, doc: dict[str, Any]) -> bool:
        if "format" not in doc:
            self.error("format", f"is missing; add format = {FORMAT} as the first line")
            return False
        version = self.count(doc["format"], "format", TOP["format"])
        if version is None:
            return False
        if version > FORMAT:
            self.error(
                "format",
                f"{version} is newer than this version of Loosen reads "
                f"(format {FORMAT}); update Loosen to use this file",
            )
            return False
        return True

    def _read_id(self, doc: dict[str, Any]) -> str | None:
        if "id" in doc:
            value = doc["id"]
            if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
                self.error(
                    "id",
                    f"{_shown(value)} is not a routine id; use lower-case letters, "
                    f"digits and dashes, e.g. {TOP['id'].example}",
                )
                return None
            return value
        stem = self.path.stem
        if ID_PATTERN.fullmatch(stem):
            return stem
        suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "my-routine"
        self.error(
            "id",
            f'is missing and the file name "{stem}" cannot be an id; '
            f'add id = "{suggestion}" or rename the file',
        )
        return None

    def _read_kind(self, doc: dict[str, Any]) -> Kind | None:
        if "kind" not in doc:
            # Not required by format 1: a routine with an [interval] is a run.
            return Kind.RUN if "interval" in doc else Kind.STRENGTH
        value = doc["kind"]
        allowed = list(TOP["kind"].values)
        if isinstance(value, str) and value in allowed:
            return Kind(value)
        hint = did_you_mean(value, allowed) if isinstance(value, str) else ""
        self.error("kind", f"{_shown(value)} is not a kind{hint}; use one of {', '.join(allowed)}")
        return None

    def _optional_text(self, doc: dict[str, Any], key: str) -> str | None:
        if key not in doc:
            return None
        return self.text(doc[key], key, TOP[key])

    def _read_defaults(self, table: object, kind: Kind | None) -> dict[str, Any]:
        defaults = dict(BUILT_IN_DEFAULTS)
        if table is None:
            return defaults
        if not isinstance(table, dict):
            self.error(
                "defaults",
                f"{_shown(table)} is not a table; write [defaults] on its own "
                "line with keys below it",
            )
            return defaults
        if kind is Kind.RUN:
            self.error(
                "defaults",
                "a run routine has no steps, so [defaults] does nothing; "
                "set them in the break routine instead",
            )
            return defaults
        self.check_keys(table, DEFAULTS, "defaults")
        for key, value in table.items():
            if key in DEFAULTS:
                parsed = self._step_value(DEFAULTS[key], value, f"defaults.{key}")
                if parsed is not None:
                    defaults[key] = parsed
        return defaults

    def _step_value(self, spec: Field, value: object, place: str) -> Any:
        if spec.shape is Shape.DURATION:
            return self.seconds(value, place, spec)
        if spec.shape is Shape.COUNT:
            return self.count(value, place, spec)
        if spec.shape is Shape.FLAG:
            return self.flag(value, place)
        raise AssertionError(spec)  # pragma: no cover - every timing key is one of these

    def _read_steps(self, steps: object, defaults: dict[str, Any]) -> tuple[Step | Include, ...]:
        if steps is None:
            self.error(
                "steps",
                "there are none; add at least one [[steps]] with a name and a duration or reps",
            )
            return ()
        if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
            self.error(
                "steps",
                "must be a list of tables: write each step as [[steps]] followed by its keys",
            )
            return ()
        if not steps:
            self.error("steps", "is empty; add at least one step")
            return ()
        if len(steps) > MAX_STEPS:
            self.error("steps", f"has {len(steps)} steps; at most {MAX_STEPS} are allowed")
            return ()
        entries: list[Step | Include] = []
        for number, table in enumerate(steps, start=1):
            entry = self._read_step(table, f"steps[{number}]", defaults)
            if entry is not None:
                entries.append(entry)
        return tuple(entries)

    def _read_step(
        self, table: dict[str, Any], place: str, defaults: dict[str, Any]
    ) -> Step | Include | None:
        if "include" in table:
            others = [k for k in table if k != "include"]
            if others:
                self.error(
                    f"{place}.{others[0]}",
                    "an include step takes no other keys; "
                    "the included routine's steps keep their own settings",
                )
                return None
            value = table["include"]
            if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
                self.error(
                    f"{place}.include",
                    f"{_shown(value)} is not a routine id; write e.g. include = {INCLUDE.example}",
                )
                return None
            return Include(value, f"{place}.include")

        errors_before = len(self.errors)
        self.check_keys(table, STEP, place)
        name = None
        if "name" in table:
            name = self.text(table["name"], f"{place}.name", STEP["name"])
        else:
            self.error(
                f"{place}.name",
                f"is missing; every step needs a name, e.g. name = {STEP['name'].example}",
            )

        values: dict[str, Any] = {}
        for spec in STEP:
            if spec.key in table and spec.shape in _TIMING_SHAPES:
                values[spec.key] = self._step_value(spec, table[spec.key], f"{place}.{spec.key}")

        has_duration, has_reps = "duration" in table, "reps" in table
        if has_duration and has_reps:
            self.error(
                place,
                "has both duration and reps; a step is either timed (duration) or counted (reps)",
            )
        elif not has_duration and not has_reps:
            self.error(
                place,
                f"needs duration (a timed hold, {DURATION_HINT.removeprefix('use ')})"
                " or reps (a count)",
            )
        if "tempo" in table and has_duration:
            self.error(f"{place}.tempo", "goes with reps, not with duration; remove one of them")

        say = ""
        if "say" in table:
            say = self.text(table["say"], f"{place}.say", STEP["say"]) or ""
        image = self.image(table["image"], f"{place}.image") if "image" in table else None

        if len(self.errors) > errors_before or name is None:
            return None
        tempo = values.get("tempo", defaults["tempo"]) if has_reps else None
        return Step(
            name=name,
            duration_s=values.get("duration"),
            reps=values.get("reps"),
            tempo_s=tempo,
            sets=values.get("sets", defaults["sets"]),
            sides=values.get("sides", defaults["sides"]),
            rest_s=values.get("rest", defaults["rest"]),
            countdown=values.get("countdown", defaults["countdown"]),
            switch_s=values.get("switch", defaults["switch"]),
            say=say,
            image=image,
        )

    def _read_interval(self, table: object) -> IntervalDraft | None:
        if table is None:
            self.error(
                "interval",
                "is missing; a run routine needs [interval] with activity, every and break",
            )
            return None
        if not isinstance(table, dict):
            self.error(
                "interval",
                f"{_shown(table)} is not a table; write [interval] on its own "
                "line with keys below it",
            )
            return None
        self.check_keys(table, INTERVAL, "interval")
        errors_before = len(self.errors)
        activity = every = break_id = total = None
        for spec in INTERVAL:
            if spec.required and spec.key not in table:
                self.error(
                    f"interval.{spec.key}", f"is missing; add e.g. {spec.key} = {spec.example}"
                )
        if "activity" in table:
            activity = self.text(table["activity"], "interval.activity", INTERVAL["activity"])
        if "every" in table:
            every = self.window(table["every"], "interval.every", INTERVAL["every"])
        if "break" in table:
            value = table["break"]
            if isinstance(value, str) and ID_PATTERN.fullmatch(value):
                break_id = value
            else:
                self.error(
                    "interval.break",
                    f"{_shown(value)} is not a routine id; "
                    f"write e.g. break = {INTERVAL['break'].example}",
                )
        if "total" in table:
            total = self.seconds(table["total"], "interval.total", INTERVAL["total"])
        efforts = self._read_efforts(table["efforts"]) if "efforts" in table else ()
        if (
            len(self.errors) > errors_before
            or activity is None
            or every is None
            or break_id is None
        ):
            return None
        return IntervalDraft(
            activity=activity, every=every, break_id=break_id, total_s=total, efforts=efforts
        )

    def _read_efforts(self, efforts: object) -> tuple[Step, ...]:
        place = "interval.efforts"
        if not isinstance(efforts, list) or not all(isinstance(e, dict) for e in efforts):
            self.error(
                place,
                "must be a list of tables: write each effort as [[interval.efforts]] "
                "followed by its keys",
            )
            return ()
        if not efforts:
            self.error(place, "is empty; add at least one effort, or leave efforts out")
            return ()
        if len(efforts) > MAX_EFFORTS:
            self.error(place, f"has {len(efforts)} efforts; at most {MAX_EFFORTS} are allowed")
            return ()
        read = [
            self._read_effort(table, f"{place}[{number}]")
            for number, table in enumerate(efforts, start=1)
        ]
        return tuple(effort for effort in read if effort is not None)

    def _read_effort(self, table: dict[str, Any], place: str) -> Step | None:
        """One effort: a timed step with a name, and perhaps what to say."""
        errors_before = len(self.errors)
        self.check_keys(table, EFFORT, place)
        for spec in EFFORT:
            if spec.required and spec.key not in table:
                self.error(
                    f"{place}.{spec.key}",
                    f"is missing; every effort needs a {spec.key}, e.g. "
                    f"{spec.key} = {spec.example}",
                )
        name = (
            self.text(table["name"], f"{place}.name", EFFORT["name"]) if "name" in table else None
        )
        duration = (
            self.seconds(table["duration"], f"{place}.duration", EFFORT["duration"])
            if "duration" in table
            else None
        )
        say = self.text(table["say"], f"{place}.say", EFFORT["say"]) if "say" in table else ""
        if len(self.errors) > errors_before or name is None or duration is None:
            return None
        return Step(name=name, duration_s=duration, say=say or "")


# Where each key that is not a top-level one belongs; a key that [defaults] and a step
# both take is a step's (a later table wins).
_KEY_HOMES: Mapping[str, str] = {
    key: table.home for table in (DEFAULTS, INTERVAL, STEP) for key in table.keys if key not in TOP
}
# Where a step's key is no hint: an effort has some of the same keys, and a step's
# others (reps, rest) are simply not an effort's.
_TAKES_STEP_KEYS = ("steps", EFFORT.name)
_TIMING_SHAPES = (Shape.DURATION, Shape.COUNT, Shape.FLAG)


def _belongs_elsewhere(key: str, where: str) -> str:
    home = _KEY_HOMES.get(key)
    if home is None or (where.startswith(_TAKES_STEP_KEYS) and home == STEP.home):
        return ""
    if where == "defaults" and home == STEP.home:
        return f" ({key} is set per step, in {home})"
    return f" ({key} belongs in {home})"


def read_routine_file(
    path: Path,
    *,
    source: Source = Source.USER,
    pictures_dir: Path | None = None,
) -> ParsedFile:
    """Parse one routine file. Never raises for a bad file: problems come back as errors."""
    parsed = ParsedFile(path, routine_id=path.stem)

    def fail(message: str) -> ParsedFile:
        parsed.errors.append(LoadError(path, "", message))
        return parsed

    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except UnreadableFile as trouble:
        return fail(trouble.reason)
    except OSError as exc:  # nothing there, as a link to a removed file leaves it
        return fail(f"cannot be read: {exc.strerror or exc}")
    if len(data) > MAX_FILE_BYTES:
        return fail(
            f"is over {MAX_FILE_BYTES // 1024} KiB; a routine file can be at most "
            f"{MAX_FILE_BYTES // 1024} KiB"
        )
    parsed.content_sha256 = sha256_hex(data)
    try:
        text = data.decode("utf-8-sig")  # tolerate the BOM some Windows editors add
    except UnicodeDecodeError as exc:
        return fail(f"is not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8")
    if "\x00" in text:
        return fail("contains NUL bytes; it is not a text file")
    import tomllib  # here: a library read from its cache parses no TOML

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return fail(f"is not valid TOML: {exc}")
    except RecursionError:
        return fail("is not valid TOML: nested too deeply")
    if isinstance(doc.get("id"), str):
        parsed.routine_id = doc["id"]
    reader = _FileReader(path, source, pictures_dir)
    parsed.draft, parsed.errors = reader.read(doc), reader.errors
    parsed.pictures_looked_at = reader.pictures_looked_at
    return parsed


def read_routine_document(
    doc: dict[str, Any],
    path: Path,
    *,
    source: Source = Source.USER,
    pictures_dir: Path | None = None,
) -> tuple[RoutineDraft | None, list[LoadError]]:
    """Check an already-parsed TOML document; `path` names it in errors and anchors images."""
    reader = _FileReader(path, source, pictures_dir)
    return reader.read(doc), reader.errors
