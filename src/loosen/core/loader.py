"""Read one routine file (TOML, format 1) into a draft, or into precise errors.

A draft is a routine before its references are resolved: `include` steps and an
interval's `break` name other routines, which only the library can look up.
Every problem is collected (not just the first) and names the file, the place in
it, what was wrong and what is allowed.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
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
from loosen.core.routine import Kind, Source, Step
from loosen.core.userfiles import UnreadableFile, read_regular_file, real_path

FORMAT = 1
MAX_FILE_BYTES = 256 * 1024
# Always used with fullmatch: a `$` would also match before a final newline.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # all but tab and line breaks
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")

TOP_KEYS = ("format", "id", "name", "kind", "summary", "caution", "defaults", "steps", "interval")
DEFAULTS_KEYS = ("rest", "countdown", "get_ready", "switch", "sets", "sides", "tempo")
STEP_KEYS = (
    "name",
    "duration",
    "reps",
    "tempo",
    "sets",
    "sides",
    "rest",
    "say",
    "image",
    "countdown",
    "switch",
)
INTERVAL_KEYS = ("activity", "total", "every", "break")

# Built-in defaults, used when neither the step nor [defaults] says.
BUILT_IN_DEFAULTS: Mapping[str, Any] = {
    "rest": 10.0,
    "countdown": 3,
    "get_ready": 5.0,
    "switch": 5.0,
    "sets": 1,
    "sides": False,
    "tempo": None,
}


@dataclass(frozen=True)
class Limits:
    """What a sensible routine can hold; beyond these a value is a mistake."""

    low: float
    high: float
    what: str


# Seconds; a hold of 0 s or of two hours is a typo, not a routine.
DURATION_LIMITS = {
    "duration": Limits(1, 3600, "a hold"),
    "tempo": Limits(0.5, 60, "a rep"),
    "rest": Limits(0, 1800, "a rest"),
    "get_ready": Limits(0, 600, "the lead-in"),
    "switch": Limits(0, 120, "the time to switch sides"),
    "total": Limits(60, 24 * 3600, "a session"),
    "every": Limits(60, 4 * 3600, "the time between breaks"),
}
COUNT_LIMITS = {
    "reps": Limits(1, 500, "reps"),
    "sets": Limits(1, 50, "sets"),
    "countdown": Limits(0, 10, "the countdown"),
    "format": Limits(1, 1_000_000, "format"),
}
# A routine's steps, its includes' steps counted: more is a generated file, not a
# routine, and its plan would take long to build.
MAX_STEPS = 200
# Routines including routines that include routines...: deeper than this is a mistake
# (or a generated file), and resolving it must not run out of stack.
MAX_INCLUDE_DEPTH = 20
TEXT_LIMITS = {"name": 80, "activity": 80, "say": 600, "summary": 600, "caution": 600}
# What read_routine_file makes of a file is cached between runs (library_cache.py); a
# change to what it derives (fields, checks, messages) must bump this, so no cache made
# by the older code is trusted.
LOADER_SCHEMA = 1


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

    def check_keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
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

    def text(self, value: object, place: str, key: str, *, one_line: bool = True) -> str | None:
        if not isinstance(value, str):
            self.error(place, f"{_shown(value)} is not text; write it in quotes")
            return None
        text = value.strip()
        limit = TEXT_LIMITS.get(key, 600)
        if not text:
            self.error(place, "is empty; write a few words")
            return None
        if len(text) > limit:
            self.error(place, f"is {len(text)} characters long; at most {limit} are allowed")
            return None
        if one_line and ("\n" in text or "\r" in text):
            self.error(place, "has a line break; keep it on one line")
            return None
        if _CONTROL_CHARACTER.search(text):
            self.error(place, "contains control characters; use plain text")
            return None
        return text

    def seconds(self, value: object, place: str, key: str) -> float | None:
        try:
            seconds = parse_duration(value)
        except DurationError as exc:
            self.error(place, str(exc))
            return None
        return self._within(seconds, place, key, value)

    def _within(self, seconds: float, place: str, key: str, raw: object) -> float | None:
        limits = DURATION_LIMITS[key]
        if seconds < limits.low:
            if limits.low <= 1 and seconds == 0:
                self.error(
                    place,
                    f"{_shown(raw)} is zero; {limits.what} must last at least "
                    f"{format_duration(limits.low)}",
                )
            else:
                self.error(
                    place,
                    f"{_shown(raw)} is too short; {limits.what} must last at least "
                    f"{format_duration(limits.low)}",
                )
            return None
        if seconds > limits.high:
            self.error(
                place,
                f"{_shown(raw)} is too long; {limits.what} can last at most "
                f"{format_duration(limits.high)}",
            )
            return None
        return seconds

    def window(self, value: object, place: str) -> Window | None:
        try:
            window = parse_window(value)
        except DurationError as exc:
            self.error(place, str(exc))
            return None
        if self._within(window.start_s, place, "every", value) is None:
            return None
        if self._within(window.end_s, place, "every", value) is None:
            return None
        return window

    def count(self, value: object, place: str, key: str) -> int | None:
        limits = COUNT_LIMITS[key]
        allowed = f"a whole number from {int(limits.low)} to {int(limits.high)}"
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(place, f"{_shown(value)} is not a whole number; use {allowed}")
            return None
        if not limits.low <= value <= limits.high:
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
            self.error(place, f'{_shown(value)} is not a file name; use e.g. "plank.svg"')
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
        self.check_keys(doc, TOP_KEYS, "")

        routine_id = self._read_id(doc)
        name = self.text(doc["name"], "name", "name") if "name" in doc else None
        if "name" not in doc:
            self.error("name", 'is missing; add e.g. name = "Post-run cooldown"')
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
        version = self.count(doc["format"], "format", "format")
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
                    'digits and dashes, e.g. "post-run-cooldown"',
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
        allowed = [k.value for k in Kind]
        if isinstance(value, str) and value in allowed:
            return Kind(value)
        hint = did_you_mean(value, allowed) if isinstance(value, str) else ""
        self.error("kind", f"{_shown(value)} is not a kind{hint}; use one of {', '.join(allowed)}")
        return None

    def _optional_text(self, doc: dict[str, Any], key: str) -> str | None:
        if key not in doc:
            return None
        return self.text(doc[key], key, key, one_line=False)

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
        self.check_keys(table, DEFAULTS_KEYS, "defaults")
        for key, value in table.items():
            if key in DEFAULTS_KEYS:
                parsed = self._step_value(key, value, f"defaults.{key}")
                if parsed is not None:
                    defaults[key] = parsed
        return defaults

    def _step_value(self, key: str, value: object, place: str) -> Any:
        if key in ("rest", "get_ready", "switch", "tempo", "duration"):
            return self.seconds(value, place, key)
        if key in ("sets", "countdown", "reps"):
            return self.count(value, place, key)
        if key == "sides":
            return self.flag(value, place)
        raise AssertionError(key)  # pragma: no cover - every key above is handled

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
                    f'{_shown(value)} is not a routine id; write e.g. include = "squat-and-fold"',
                )
                return None
            return Include(value, f"{place}.include")

        errors_before = len(self.errors)
        self.check_keys(table, STEP_KEYS, place)
        name = None
        if "name" in table:
            name = self.text(table["name"], f"{place}.name", "name")
        else:
            self.error(
                f"{place}.name", 'is missing; every step needs a name, e.g. name = "Glute bridge"'
            )

        values: dict[str, Any] = {}
        for key in ("duration", "reps", "tempo", "sets", "sides", "rest", "countdown", "switch"):
            if key in table:
                values[key] = self._step_value(key, table[key], f"{place}.{key}")

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
            say = self.text(table["say"], f"{place}.say", "say", one_line=False) or ""
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
        self.check_keys(table, INTERVAL_KEYS, "interval")
        errors_before = len(self.errors)
        activity = every = break_id = total = None
        for key, example in (
            ("activity", '"Sprints"'),
            ("every", '"15-20m"'),
            ("break", '"squat-and-fold"'),
        ):
            if key not in table:
                self.error(f"interval.{key}", f"is missing; add e.g. {key} = {example}")
        if "activity" in table:
            activity = self.text(table["activity"], "interval.activity", "activity")
        if "every" in table:
            every = self.window(table["every"], "interval.every")
        if "break" in table:
            value = table["break"]
            if isinstance(value, str) and ID_PATTERN.fullmatch(value):
                break_id = value
            else:
                self.error(
                    "interval.break",
                    f'{_shown(value)} is not a routine id; write e.g. break = "squat-and-fold"',
                )
        if "total" in table:
            total = self.seconds(table["total"], "interval.total", "total")
        if (
            len(self.errors) > errors_before
            or activity is None
            or every is None
            or break_id is None
        ):
            return None
        return IntervalDraft(activity=activity, every=every, break_id=break_id, total_s=total)


_KEY_HOMES: Mapping[str, str] = {
    **{k: "a [[steps]] entry" for k in STEP_KEYS if k not in TOP_KEYS},
    **{k: "[interval]" for k in INTERVAL_KEYS if k not in TOP_KEYS},
    "get_ready": "[defaults]",
}


def _belongs_elsewhere(key: str, where: str) -> str:
    home = _KEY_HOMES.get(key)
    if home is None or (where.startswith("steps") and home == "a [[steps]] entry"):
        return ""
    if where == "defaults" and home == "a [[steps]] entry":
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
    parsed.content_sha256 = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")  # tolerate the BOM some Windows editors add
    except UnicodeDecodeError as exc:
        return fail(f"is not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8")
    if "\x00" in text:
        return fail("contains NUL bytes; it is not a text file")
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
