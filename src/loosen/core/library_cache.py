"""What the loader made of each routine file, kept between runs so an unchanged file is
neither read nor parsed again.

One file in the cache folder holds, per routine file: its `os.stat` identity (size,
times, inode, device), where its pictures were looked for and what was found there,
and the loader's result (the checked draft and its errors); and, once the library has
resolved the routine, its digest and planned length with the key of everything they
were worked out from. Anything that changes one of those means the file is read again.
Anything wrong with the cache file itself (damaged, foreign, from another version of
Loosen or of its code, unwritable) only means every file is read again: it is never an
error for the user.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

from loosen import __version__
from loosen.core.duration import Window
from loosen.core.loader import (
    LOADER_SCHEMA,
    Include,
    IntervalDraft,
    LoadError,
    ParsedFile,
    RoutineDraft,
    read_routine_file,
)
from loosen.core.routine import Kind, Source, Step
from loosen.core.userfiles import UnreadableFile, read_regular_file
from loosen.sha256 import sha256_hex

CACHE_FILE_NAME = "routine-files.json"
_MAGIC = "loosen routine-file cache"
# The layout of the cache file below; bump it when that changes.
_CACHE_SCHEMA = 2
# 10,000 routine files make about 10 MB; a file far larger is not one of ours.
_MAX_CACHE_BYTES = 512 * 1024 * 1024
# A file changed again within the same tick of its file system's clock keeps its
# timestamps (and maybe its size), so only files left alone this long are remembered:
# a write after the read must then show in mtime (2 s is FAT's granularity).
SETTLED_S = 2.0

_STEP_FIELDS = tuple(f.name for f in fields(Step))
_IMAGE_AT = _STEP_FIELDS.index("image")
_KINDS = {kind.value: kind for kind in Kind}

Signature = list[int]  # as JSON keeps it


def file_signature(path: Path) -> Signature | None:
    """What `os.stat` says of the file behind `path`; None when there is nothing there."""
    try:
        found = path.stat()
    except (OSError, ValueError):
        return None
    return [
        found.st_mode,
        found.st_size,
        found.st_mtime_ns,
        found.st_ctime_ns,
        found.st_ino,
        found.st_dev,
    ]


def _code_fingerprint() -> str:
    """Size and time of each source file of the core, where they exist: a checkout edited
    between runs keeps Loosen's version, and must not read what older code made."""
    folder = Path(__file__).parent
    try:
        found = sorted(
            (entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
            for entry in os.scandir(folder)
            if entry.name.endswith(".py")
        )
    except OSError:
        return ""
    return sha256_hex(repr(found).encode())[:16]


def cache_version() -> str:
    """Loosen's version, the loader's and this file's schema, and the core's code."""
    return f"{__version__}/{LOADER_SCHEMA}.{_CACHE_SCHEMA}/{_code_fingerprint()}"


class RoutineFileCache:
    """Reads routine files through the cache; `save()` writes what changed, atomically."""

    def __init__(self, file: Path | None, stored: dict[str, Any] | None = None) -> None:
        self.file = file
        self._stored: dict[str, Any] = stored or {}
        self._kept: dict[str, Any] = {}  # the entries of the files read this time
        self._changed = False
        # Equal steps decoded as one object: routines made from one template, or copied
        # from each other, repeat them (a Step is a frozen value, safe to share).
        self._steps: dict[tuple[Any, ...], Step] = {}

    @classmethod
    def open(cls, folder: Path) -> RoutineFileCache:
        """The cache kept in `folder`; an empty one if its file is missing or not usable."""
        file = folder / CACHE_FILE_NAME
        return cls(file, _read_cache_file(file))

    def read(
        self,
        path: Path,
        *,
        source: Source = Source.USER,
        pictures_dir: Path | None = None,
        fresh: bool = False,
    ) -> ParsedFile:
        """read_routine_file(path, ...), from the cache when nothing it depends on changed;
        `fresh` reads the file whatever the cache holds."""
        key = str(path)
        signature = file_signature(path)  # before reading: a later change shows next time
        entry = self._stored.get(key)
        if not fresh and signature is not None and entry is not None:
            reused = self._reuse(entry, path, signature, source, pictures_dir)
            if reused is not None:
                self._kept[key] = entry
                return reused
        parsed = read_routine_file(path, source=source, pictures_dir=pictures_dir)
        entry = _entry(parsed, signature, source, pictures_dir)
        if entry is not None:
            self._kept[key] = entry
            self._changed = True
        return parsed

    def derived(self, path: Path, key: str) -> tuple[str, float | None] | None:
        """The digest and planned length remembered for `path`'s routine, if they were
        worked out from what `key` stands for."""
        entry = self._kept.get(str(path))
        found = entry.get("derived") if entry is not None else None
        if not isinstance(found, list) or len(found) != 3 or found[0] != key:
            return None
        digest, length_s = found[1], found[2]
        if not isinstance(digest, str) or not isinstance(length_s, int | float | None):
            return None
        return digest, length_s

    def remember_derived(self, path: Path, key: str, digest: str, length_s: float | None) -> None:
        entry = self._kept.get(str(path))
        if entry is not None:
            entry["derived"] = [key, digest, length_s]
            self._changed = True

    def _reuse(
        self,
        entry: Any,
        path: Path,
        signature: Signature,
        source: Source,
        pictures_dir: Path | None,
    ) -> ParsedFile | None:
        """The ParsedFile an entry holds, if the file and its pictures are as they were."""
        try:
            if (
                entry["stat"] != signature
                or entry["source"] != source.value
                or entry["pictures_dir"] != _pictures_dir_key(pictures_dir)
                or (entry["pictures"] and not _pictures_as_they_were(entry["pictures"]))
            ):
                return None
            routine_id, content_sha256, errors, draft = entry["file"]
            return ParsedFile(
                path,
                draft=None if draft is None else self._decode_draft(draft, path, source),
                errors=[LoadError(path, place, message) for place, message in errors],
                content_sha256=content_sha256,
                routine_id=routine_id,
                pictures_looked_at=[Path(p) for p, _ in entry["pictures"]],
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None  # an entry of the wrong shape: read the file

    def _decode_draft(self, values: list[Any], path: Path, source: Source) -> RoutineDraft:
        routine_id, name, kind, get_ready_s, summary, caution, interval, entries = values
        return RoutineDraft(
            id=routine_id,
            name=name,
            kind=_KINDS[kind],
            entries=tuple([self._decode_entry(entry) for entry in entries]),
            get_ready_s=get_ready_s,
            summary=summary,
            caution=caution,
            interval=None if interval is None else self._decode_interval(interval),
            source=source,
            path=path,
        )

    def _decode_interval(self, values: list[Any]) -> IntervalDraft:
        activity, start_s, end_s, break_id, total_s, efforts = values
        decoded = [self._decode_entry(effort) for effort in efforts]
        if not all(isinstance(effort, Step) for effort in decoded):
            raise ValueError("not an effort")
        return IntervalDraft(
            activity,
            Window(start_s, end_s),
            break_id,
            total_s,
            tuple(effort for effort in decoded if isinstance(effort, Step)),
        )

    def _decode_entry(self, values: Any) -> Step | Include:
        if isinstance(values, dict):
            return Include(values["include"], values["place"])
        if len(values) != len(_STEP_FIELDS):
            raise ValueError("not a step")
        key = tuple(values)
        step = self._steps.get(key)
        if step is None:
            if values[_IMAGE_AT] is not None:
                values = [*values]
                values[_IMAGE_AT] = Path(values[_IMAGE_AT])
            step = self._steps[key] = Step(*values)
        return step

    def save(self) -> None:
        """Write the entries of the files read this time, if anything changed. A cache
        that cannot be written is left as it is: the next run reads the files again."""
        if self.file is None:
            return
        if not self._changed and len(self._kept) == len(self._stored):
            return  # every entry was reused and none went away
        body = json.dumps(self._kept, separators=(",", ":")).encode("ascii")
        header = {
            "cache": _MAGIC,
            "version": cache_version(),
            "sha256": sha256_hex(body),
        }
        data = json.dumps(header).encode("ascii") + b"\n" + body
        import tempfile  # here: a cache read and not changed is not written

        with contextlib.suppress(OSError):
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                dir=self.file.parent, prefix=f".{CACHE_FILE_NAME}.", suffix=".tmp"
            )
            temporary = Path(name)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                temporary.replace(self.file)
            except OSError:
                with contextlib.suppress(OSError):
                    temporary.unlink()
                raise


def _read_cache_file(file: Path) -> dict[str, Any]:
    """The entries of a cache file written by this very code; {} for anything else."""
    try:
        data = read_regular_file(file, _MAX_CACHE_BYTES)
    except (OSError, UnreadableFile):  # missing, a folder, a pipe, unreadable: start afresh
        return {}
    first_line, _, body = data.partition(b"\n")
    try:
        header = json.loads(first_line)
        if (
            not isinstance(header, dict)
            or header.get("cache") != _MAGIC
            or header.get("version") != cache_version()
            or header.get("sha256") != sha256_hex(body)
        ):
            return {}
        stored = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    return stored if isinstance(stored, dict) else {}


def _pictures_as_they_were(pictures: list[Any]) -> bool:
    return all(file_signature(Path(path)) == seen for path, seen in pictures)


def _pictures_dir_key(pictures_dir: Path | None) -> str | None:
    return None if pictures_dir is None else str(pictures_dir)


def _settled(signature: Signature) -> bool:
    return signature[2] < time.time_ns() - SETTLED_S * 1e9


def _entry(
    parsed: ParsedFile, signature: Signature | None, source: Source, pictures_dir: Path | None
) -> dict[str, Any] | None:
    """What to remember of a file just read; None when it must be read again next time."""
    if signature is None or not _settled(signature) or not parsed.content_sha256:
        return None  # gone, just written, or never read (unreadable, too large)
    if any(error.path != parsed.path for error in parsed.errors):
        return None  # every error of a file names that file; anything else is not ours
    return {
        "stat": signature,
        "source": source.value,
        "pictures_dir": _pictures_dir_key(pictures_dir),
        "pictures": [[str(p), file_signature(p)] for p in parsed.pictures_looked_at],
        "file": [
            parsed.routine_id,
            parsed.content_sha256,
            [[error.place, error.message] for error in parsed.errors],
            None if parsed.draft is None else _encode_draft(parsed.draft),
        ],
    }


def _encode_draft(draft: RoutineDraft) -> list[Any]:
    interval = draft.interval
    return [
        draft.id,
        draft.name,
        draft.kind.value,
        draft.get_ready_s,
        draft.summary,
        draft.caution,
        None if interval is None else _encode_interval(interval),
        [_encode_entry(entry) for entry in draft.entries],
    ]


def _encode_interval(interval: IntervalDraft) -> list[Any]:
    every = interval.every
    return [
        interval.activity,
        every.start_s,
        every.end_s,
        interval.break_id,
        interval.total_s,
        [_encode_entry(effort) for effort in interval.efforts],
    ]


def _encode_entry(entry: Step | Include) -> Any:
    if isinstance(entry, Include):
        return {"include": entry.routine_id, "place": entry.place}
    values = [getattr(entry, name) for name in _STEP_FIELDS]
    if entry.image is not None:
        values[_IMAGE_AT] = str(entry.image)
    return values
