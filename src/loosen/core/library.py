"""The routine library: built-in and user routines side by side, references resolved.

A user file with the same id as a built-in one replaces it. A file that fails to
load is reported and left out; it never stops the others (and a broken override
leaves the built-in routine in place).
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from loosen.core.duration import format_length
from loosen.core.library_cache import RoutineFileCache
from loosen.core.loader import Include, LoadError, RoutineDraft, did_you_mean
from loosen.core.routine import Interval, Kind, Routine, Source, Step
from loosen.core.routine_schema import INTERVAL, MAX_INCLUDE_DEPTH, MAX_STEPS
from loosen.core.userfiles import real_path
from loosen.sha256 import sha256_hex


class RoutineNotFound(LookupError):
    """No routine by that name in the library; the message says what exists or why."""


@dataclass(frozen=True)
class Library:
    routines: dict[str, Routine]
    errors: tuple[LoadError, ...] = ()
    user_dir: Path | None = None
    overridden: tuple[str, ...] = field(default=())  # built-in ids replaced by user files
    # Each routine's planned length (planned_length_s) where loading worked it out; None
    # for a run that goes on until the user stops.
    lengths: Mapping[str, float | None] = field(default_factory=dict, compare=False, repr=False)

    def __iter__(self) -> Iterator[Routine]:
        return iter(self.routines.values())

    def __len__(self) -> int:
        return len(self.routines)

    def get(self, routine_id: str) -> Routine | None:
        return self.routines.get(routine_id)

    def find(self, name: str) -> Routine:
        """A routine by id (or by file path of a loaded routine); RoutineNotFound says
        what exists, or why a file of that name failed to load."""
        if name in self.routines:
            return self.routines[name]
        for routine in self.routines.values():
            if routine.path is not None and str(routine.path) == name:
                return routine
        failed = [e for e in self.errors if name in (e.path.stem, str(e.path))]
        if failed:
            first = failed[0]
            more = (
                f" (and {len(failed) - 1} more: `loosen validate {first.path}`)"
                if failed[1:]
                else ""
            )
            raise RoutineNotFound(f"{first.path} failed to load: {first.detail}{more}")
        hint = did_you_mean(name, list(self.routines))
        raise RoutineNotFound(f'no routine "{name}"{hint}; `loosen list` shows them all')

    def by_kind(self) -> dict[Kind, list[Routine]]:
        groups: dict[Kind, list[Routine]] = {kind: [] for kind in Kind}
        for routine in self.routines.values():
            groups[routine.kind].append(routine)
        return {kind: sorted(rs, key=lambda r: r.name.lower()) for kind, rs in groups.items()}

    def errors_for(self, paths: Iterable[Path]) -> list[LoadError]:
        wanted = {Path(p) for p in paths}
        return [e for e in self.errors if e.path in wanted]

    def planned_s(self, routine: Routine) -> float | None:
        """`planned_length_s` of the routine, known from loading for the library's own
        routines (so a long list costs no timelines, and a list from the cache imports
        no planner)."""
        if routine.id in self.lengths and self.routines.get(routine.id) is routine:
            return self.lengths[routine.id]
        from loosen.core.plan import planned_length_s

        return planned_length_s(routine)


def _toml_files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    try:
        found = [p for p in folder.iterdir() if p.suffix.lower() == ".toml"]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name)  # names sort faster than Path objects


def load_library(
    builtin_dir: Path | None,
    user_dir: Path | None,
    pictures_dir: Path | None = None,
    extra_files: Iterable[Path] = (),
    cache_dir: Path | None = None,
) -> Library:
    """Load every routine; `extra_files` (from `loosen validate`) act as user files, and
    are always read. With `cache_dir`, files unchanged since the last load are not read
    again (library_cache.py)."""
    with _cycle_collection_paused():
        return _load(builtin_dir, user_dir, pictures_dir, extra_files, cache_dir)


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Loading makes hundreds of thousands of small objects and no cycles: the cycle
    collector would pass over them again and again (a fifth of a warm load) for nothing.
    Reference counting frees them as ever."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(
    builtin_dir: Path | None,
    user_dir: Path | None,
    pictures_dir: Path | None,
    extra_files: Iterable[Path],
    cache_dir: Path | None,
) -> Library:
    errors: list[LoadError] = []
    drafts: dict[str, RoutineDraft] = {}
    overridden: list[str] = []
    failed: dict[str, Path] = {}  # ids of files that did not load, for clearer references
    contents: dict[str, str] = {}  # each draft's file's content digest, by routine id
    cache = RoutineFileCache.open(cache_dir) if cache_dir is not None else RoutineFileCache(None)
    extra = [Path(p) for p in extra_files]
    fresh = {real_path(p) for p in extra}

    def take(files: Iterable[Path], source: Source, *, override: bool) -> None:
        claimed: dict[str, Path] = {}
        for path in files:
            parsed = cache.read(
                path,
                source=source,
                pictures_dir=pictures_dir,
                fresh=bool(fresh) and real_path(path) in fresh,
            )
            errors.extend(parsed.errors)
            draft = parsed.draft
            if draft is None:
                failed.setdefault(parsed.routine_id, path)
                continue
            if draft.id in claimed:
                errors.append(
                    LoadError(
                        path,
                        "id",
                        f'"{draft.id}" is already used by '
                        f"{claimed[draft.id]}; give this routine its own id",
                    )
                )
                continue
            claimed[draft.id] = path
            if draft.id in drafts and override and drafts[draft.id].source is Source.BUILT_IN:
                overridden.append(draft.id)
            drafts[draft.id] = draft
            contents[draft.id] = parsed.content_sha256

    builtin_files, user_files = _toml_files(builtin_dir), _toml_files(user_dir)
    take(builtin_files, Source.BUILT_IN, override=False)
    take(user_files, Source.USER, override=True)
    if extra:  # files given to `loosen validate` that are not in either folder already
        seen = {real_path(p) for p in (*builtin_files, *user_files)}
        take([p for p in extra if real_path(p) not in seen], Source.USER, override=True)

    resolver = _Resolver(
        drafts, {k: v for k, v in failed.items() if k not in drafts}, cache, contents
    )
    routines: dict[str, Routine] = {}
    for routine_id in drafts:
        routine = resolver.resolve(routine_id)
        if routine is not None:
            routines[routine_id] = routine
    errors.extend(resolver.errors)
    cache.save()
    return Library(routines, tuple(errors), user_dir, tuple(overridden), resolver.lengths)


def resolve_draft(
    draft: RoutineDraft,
    others: Mapping[str, RoutineDraft],
    failed: Mapping[str, Path] | None = None,
) -> tuple[Routine | None, list[LoadError]]:
    """One routine resolved against the other routines' drafts, as `load_library` resolves
    it (the same includes, breaks, limits and messages): the routine editor checks its
    document with this. `failed`: ids of files that did not load, for clearer messages.
    Returns the routine (None if it has errors) and the errors in the draft's own file."""
    drafts = {**others, draft.id: draft}
    contents = dict.fromkeys(drafts, "")  # nothing is cached: no digest of content needed
    resolver = _Resolver(drafts, dict(failed or {}), RoutineFileCache(None), contents)
    routine = resolver.resolve(draft.id)
    return routine, [error for error in resolver.errors if error.path == draft.path]


class _NestedTooDeep(Exception):
    """Includes went deeper than MAX_INCLUDE_DEPTH; carries the chain that did."""

    def __init__(self, chain: tuple[str, ...]) -> None:
        super().__init__(chain)
        self.chain = chain


class _Resolver:
    """Inlines includes (refusing cycles and too deep a nesting) and looks up each run's
    break routine."""

    def __init__(
        self,
        drafts: dict[str, RoutineDraft],
        failed: dict[str, Path],
        cache: RoutineFileCache,
        contents: Mapping[str, str],
    ) -> None:
        self.drafts = drafts
        self.failed = failed
        self.cache = cache
        self.contents = contents
        self.lengths: dict[str, float | None] = {}
        self._keys: dict[str, str] = {}  # derivation key per routine id
        self.errors: list[LoadError] = []
        self._reported: set[LoadError] = set()  # so 10,000 errors are not checked 10,000²
        self._hints: dict[str, str] = {}  # "did you mean" per missing id: each is a search
        self._done: dict[str, Routine | None] = {}
        # Each routine's steps with all includes inlined, and how deep its includes nest
        # (0 for none); None if it cannot be expanded.
        self._steps: dict[str, tuple[tuple[Step, ...], int] | None] = {}

    def resolve(self, routine_id: str) -> Routine | None:
        if routine_id not in self._done:
            self._done[routine_id] = self._build(self.drafts[routine_id])
        return self._done[routine_id]

    def _build(self, draft: RoutineDraft) -> Routine | None:
        interval = None
        steps: tuple[Step, ...] = ()
        if draft.interval is not None:
            break_routine = self._break_routine(draft)
            if break_routine is None:
                return None
            interval = Interval(
                activity=draft.interval.activity,
                every=draft.interval.every,
                break_routine=break_routine,
                total_s=draft.interval.total_s,
                efforts=draft.interval.efforts,
            )
        else:
            resolved = self._expand(draft.id, ())
            if resolved is None:
                return None
            steps = resolved[0]
        routine = Routine(
            id=draft.id,
            name=draft.name,
            kind=draft.kind,
            steps=steps,
            get_ready_s=draft.get_ready_s,
            summary=draft.summary,
            caution=draft.caution,
            interval=interval,
            source=draft.source,
            path=draft.path,
        )
        # The digest and the length are pure functions of the resolved routine: worked
        # out once, and again only when a file they come from changes.
        key = self._derivation_key(draft.id)
        known = self.cache.derived(draft.path, key)
        if known is None:
            from loosen.core.plan import planned_length_s  # here: the cache knows most

            digest = routine_digest(routine)
            length_s = planned_length_s(routine)
            self.cache.remember_derived(draft.path, key, digest, length_s)
        else:
            digest, length_s = known
        # A run's total is checked by the loader; the steps of a routine add up here.
        overlong = _overlong(length_s) if interval is None and length_s is not None else None
        if overlong is not None:
            self._error(draft, "steps", overlong)
            return None
        self.lengths[draft.id] = length_s
        return replace(routine, digest=digest)

    def _derivation_key(self, routine_id: str) -> str:
        """Stands for everything the resolved routine is made of: its file's content and id,
        and the same of each routine it includes or takes its breaks from."""
        if routine_id not in self._keys:
            draft = self.drafts[routine_id]
            parts = [draft.id, self.contents[routine_id]]
            parts.extend(
                self._derivation_key(entry.routine_id)
                for entry in draft.entries
                if isinstance(entry, Include)
            )
            if draft.interval is not None:
                parts.append(self._derivation_key(draft.interval.break_id))
            self._keys[routine_id] = sha256_hex("\0".join(parts).encode())[:32]
        return self._keys[routine_id]

    def _expand(
        self, routine_id: str, chain: tuple[str, ...]
    ) -> tuple[tuple[Step, ...], int] | None:
        """The routine's steps and include depth, reached through `chain` (its includers).

        Raises _NestedTooDeep when the chain and the depth below it pass the limit; then
        nothing is remembered on the way up, because the routines in between may well be
        fine on their own: only the outermost one is refused.
        """
        if routine_id in self._steps:
            known = self._steps[routine_id]
            if known is not None and len(chain) + known[1] > MAX_INCLUDE_DEPTH:
                raise _NestedTooDeep((*chain, routine_id))
            return known
        if len(chain) > MAX_INCLUDE_DEPTH:
            raise _NestedTooDeep((*chain, routine_id))
        draft = self.drafts[routine_id]
        steps: list[Step] = []
        depth = 0
        ok = True
        for entry in draft.entries:
            if isinstance(entry, Step):
                steps.append(entry)
                continue
            try:
                included = self._included(draft, entry, (*chain, routine_id))
            except _NestedTooDeep as too_deep:
                if chain:
                    raise
                self._error(draft, entry.place, _too_deep_message(too_deep.chain))
                ok = False
                continue
            if included is None:
                ok = False
            elif len(steps) + len(included[0]) > MAX_STEPS:
                # Checked as it grows: includes of includes could multiply without end.
                too_many = f"has more than {MAX_STEPS} steps with its includes"
                self._error(draft, "steps", f"{too_many}; at most {MAX_STEPS} are allowed")
                ok = False
                break
            else:
                steps.extend(included[0])
                depth = max(depth, included[1] + 1)
        result = (tuple(steps), depth) if ok else None
        self._steps[routine_id] = result
        return result

    def _included(
        self, draft: RoutineDraft, entry: Include, chain: tuple[str, ...]
    ) -> tuple[tuple[Step, ...], int] | None:
        target = entry.routine_id
        if target in chain:
            loop = " → ".join((*chain[chain.index(target) :], target))
            self._error(
                draft,
                entry.place,
                f'"{target}" includes itself ({loop}); remove one of these includes',
            )
            return None
        if target not in self.drafts:
            self._error(draft, entry.place, self._missing(target, "include"))
            return None
        if self.drafts[target].kind is Kind.RUN:
            self._error(
                draft,
                entry.place,
                f'"{target}" is a run routine and has no steps to '
                "include; include a warm-up, cooldown, break or strength routine",
            )
            return None
        expanded = self._expand(target, chain)
        if expanded is None:
            self._error(
                draft,
                entry.place,
                f'"{target}" cannot be loaded, so it cannot be included (see its own error)',
            )
        return expanded

    def _break_routine(self, draft: RoutineDraft) -> Routine | None:
        assert draft.interval is not None
        target = draft.interval.break_id
        place = "interval.break"
        if target not in self.drafts:
            self._error(draft, place, self._missing(target, "break"))
            return None
        if self.drafts[target].kind is Kind.RUN:
            self._error(
                draft,
                place,
                f'"{target}" is a run routine; a break must be a routine '
                "with steps, such as squat-and-fold",
            )
            return None
        routine = self.resolve(target)
        if routine is None:
            self._error(
                draft,
                place,
                f'"{target}" cannot be loaded, so it cannot be the break (see its own error)',
            )
        return routine

    def _missing(self, target: str, key: str) -> str:
        if target in self.failed:
            return (
                f'"{target}" did not load ({self.failed[target].name} has errors), so it '
                "cannot be used here"
            )
        if target not in self._hints:  # many files may name one missing routine
            self._hints[target] = did_you_mean(target, list(self.drafts))
        hint = self._hints[target]
        return (
            f'no routine "{target}" in the library{hint}; {key} names a routine id from '
            "`loosen list`"
        )

    def _error(self, draft: RoutineDraft, place: str, message: str) -> None:
        error = LoadError(draft.path, place, message)
        if error not in self._reported:
            self._reported.add(error)
            self.errors.append(error)


def _too_deep_message(chain: tuple[str, ...]) -> str:
    ids = [f'"{routine_id}"' for routine_id in chain]
    shown = " → ".join(ids if len(ids) <= 5 else [*ids[:3], "…", ids[-1]])
    return (
        f"includes nest too deep here ({shown}); at most {MAX_INCLUDE_DEPTH} levels of "
        "include are allowed"
    )


def _canonical(routine: Routine) -> object:
    """The routine as plain data, without where it was loaded from, for hashing."""

    def step(s: Step) -> dict[str, object]:
        return {
            "name": s.name,
            "duration": s.duration_s,
            "reps": s.reps,
            "tempo": s.tempo_s,
            "sets": s.sets,
            "sides": s.sides,
            "rest": s.rest_s,
            "countdown": s.countdown,
            "switch": s.switch_s,
            "say": s.say,
            "image": s.image.name if s.image else None,
        }

    interval = None
    if routine.interval is not None:
        interval = {
            "activity": routine.interval.activity,
            "every": [routine.interval.every.start_s, routine.interval.every.end_s],
            "total": routine.interval.total_s,
            "break": _canonical(routine.interval.break_routine),
        }
        if routine.interval.efforts:  # left out when none: older runs keep their digest
            interval["efforts"] = [step(effort) for effort in routine.interval.efforts]
    return {
        "id": routine.id,
        "name": routine.name,
        "kind": routine.kind.value,
        "get_ready": routine.get_ready_s,
        "steps": [step(s) for s in routine.steps],
        "interval": interval,
    }


def routine_digest(routine: Routine) -> str:
    """A short fingerprint of what the routine does (changes when any step changes)."""
    text = json.dumps(_canonical(routine), sort_keys=True, ensure_ascii=False)
    return sha256_hex(text.encode())[:16]


def _overlong(total_s: float) -> str | None:
    """Why a routine's steps, planned to last `total_s`, make too long a session, if they
    do (a run's `total` has its own limit, the same one)."""
    longest = INTERVAL["total"]
    if longest.high is None or total_s <= longest.high:
        return None
    return (
        f"add up to {format_length(total_s)}; {longest.noun} can last at most "
        f"{format_length(longest.high)}: use fewer sets, reps or steps"
    )
