"""The user's routine files, managed without a text editor: new, duplicate, rename,
delete with undo, and a built-in put back in place of the user's copy of it.

Each change is a whole file written atomically or a file moved, so nothing is ever
half done. A copy or a rename changes only the lines it must (the `id`, the `name`):
tomlkit keeps every other byte, comments included. A deleted file is moved aside into
a folder of its own, whence Undo moves it back as it was. History is never touched:
its rows keep the routine id, and an id never changes here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tomllib
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loosen.core.loader import read_routine_document
from loosen.core.routine import Kind, Routine
from loosen.core.routine_schema import FORMAT, ID_PATTERN, MAX_FILE_BYTES, NAME_CHARACTERS
from loosen.core.userfiles import UnreadableFile, read_regular_file, write_atomically

# tomlkit is imported where a file is written: the library page, which loads this
# module, is on screen before anyone asks for a change.
if TYPE_CHECKING:
    from tomlkit import TOMLDocument

ROUTINE_SUFFIX = ".toml"
NEW_ID = "my-routine"  # the id of a routine whose name gives none (only symbols)
COPY_ID_SUFFIX = "-copy"
COPY_NAME_SUFFIX = " (copy)"
_ID_CHARACTERS = 64  # ID_PATTERN's longest id
_BOM = "\ufeff"


class RoutineFileError(Exception):
    """Something the user can be told in one line, naming the file; never a bug."""


class FolderNotWritable(RoutineFileError):
    """The routines folder (or the folder deleted files go to) cannot be written."""


class NameClash(RoutineFileError):
    """A file is already where this one would go."""


class RoutineFileGone(RoutineFileError):
    """The file is no longer there (removed, or never a file of its own)."""


class BadName(RoutineFileError):
    """The name cannot be a routine's name: the loader's own message says why."""


class UnreadableRoutine(RoutineFileError):
    """The file cannot be read or is not TOML, so no line of it can be changed safely."""


@dataclass(frozen=True)
class SetAside:
    """One file moved out of the routines folder: where it was, and where it is now."""

    original: Path
    aside: Path


@dataclass(frozen=True)
class Deleted:
    """What `delete` or `restore_builtin` moved aside, for `undo` to move back."""

    routine_id: str
    files: tuple[SetAside, ...]


# -- names and ids ---------------------------------------------------------------------


def name_problem(name: str) -> str | None:
    """What the loader would say of `name` as a routine's name, or None if it takes it."""
    probe = {"format": FORMAT, "id": NEW_ID, "name": name, "steps": [{"name": "x", "reps": 1}]}
    _, errors = read_routine_document(probe, Path(f"{NEW_ID}{ROUTINE_SUFFIX}"))
    found = [error.message for error in errors if error.place == "name"]
    return found[0] if found else None


def _checked_name(name: str, path: Path) -> str:
    problem = name_problem(name)
    if problem is not None:
        raise BadName(f"{path.name}: the name {problem}")
    return name.strip()  # as the loader reads it


def id_from_name(name: str) -> str:
    """A routine id in the name's own words: "Hips, after work" -> "hips-after-work"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return words[:_ID_CHARACTERS].rstrip("-") or NEW_ID


def ids_in_use(folder: Path, known: Iterable[str]) -> set[str]:
    """The ids a new routine must not take: `known` (the library's, built-in and user)
    and the name of every routine file in `folder`, loaded or not."""
    taken = set(known)
    with contextlib.suppress(OSError):  # no folder yet: nothing in it to clash with
        taken.update(p.stem for p in folder.iterdir() if p.suffix.lower() == ROUTINE_SUFFIX)
    return taken


def free_id(wanted: str, folder: Path, taken: Collection[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`...: the first that is neither taken nor the
    name of a file in `folder`."""
    number = 1
    while True:
        tail = "" if number == 1 else f"-{number}"
        candidate = f"{wanted[: _ID_CHARACTERS - len(tail)].rstrip('-')}{tail}"
        if candidate not in taken and not _file_for(folder, candidate).exists():
            return candidate
        number += 1


def _file_for(folder: Path, routine_id: str) -> Path:
    return folder / f"{routine_id}{ROUTINE_SUFFIX}"


def copy_name(name: str) -> str:
    """ "<name> (copy)", the name cut short where both would not fit in a name."""
    room = NAME_CHARACTERS - len(COPY_NAME_SUFFIX)
    return f"{name[:room].rstrip()}{COPY_NAME_SUFFIX}"


# -- the operations --------------------------------------------------------------------


def new_routine(
    folder: Path, name: str, *, taken: Collection[str] = (), kind: Kind = Kind.STRENGTH
) -> Path:
    """A minimal valid routine (one step) named `name`, in a new file of `folder` whose
    id (and file name) comes from the name and clashes with none in `taken`."""
    import tomlkit

    path_for_errors = _file_for(folder, id_from_name(name))
    name = _checked_name(name, path_for_errors)
    routine_id = free_id(id_from_name(name), folder, taken)
    doc = tomlkit.document()
    doc.add("format", FORMAT)
    doc.add("id", routine_id)
    doc.add("name", name)
    doc.add("kind", kind.value)
    step = tomlkit.table()
    step.add("name", "First exercise")
    step.add("duration", "30s")
    steps = tomlkit.aot()
    steps.append(step)
    doc.add(tomlkit.nl())
    doc.add("steps", steps)
    path = _file_for(folder, routine_id)
    _write(path, tomlkit.dumps(doc), exclusive=True)
    return path


def duplicate(routine: Routine, folder: Path, *, taken: Collection[str] = ()) -> Path:
    """A user copy of any routine, built-ins included, in `folder`: byte for byte the
    same file but for its `id` line (when it has one; else the new file's name is the
    new id) and its `name` line, "<name> (copy)"."""
    import tomlkit

    source = _source_file(routine)
    text, bom = _read_text(source)
    doc = _parse(text, source)
    routine_id = free_id(f"{routine.id}{COPY_ID_SUFFIX}", folder, taken)
    if "id" in doc:
        doc["id"] = routine_id
    doc["name"] = copy_name(routine.name)
    path = _file_for(folder, routine_id)
    _write(path, bom + tomlkit.dumps(doc), exclusive=True)
    return path


def rename(path: Path, new_name: str) -> None:
    """Change the routine's display name: its `name` line, and nothing else.

    The id, and so the file's name when the id comes from it, stays: every history row
    keeps the routine id, and a new id would cut the routine off from its sessions.
    """
    import tomlkit

    name = _checked_name(new_name, path)
    text, bom = _read_text(path)
    doc = _parse(text, path)
    doc["name"] = name
    _write(path, bom + tomlkit.dumps(doc), exclusive=False)


def delete(path: Path, trash: Path) -> Deleted:
    """Move the routine file into `trash`, whence `undo` brings it back as it was."""
    if not path.is_file():
        raise RoutineFileGone(f"{path.name} is no longer in {path.parent}")
    return Deleted(_claimed_id(path), (_set_aside(path, trash),))


def restore_builtin(routine_id: str, folder: Path, trash: Path) -> Deleted:
    """Show the built-in routine `routine_id` again: every file in `folder` that claims
    its id (any of them would replace it once it loads) is moved into `trash`, for
    `undo` to bring back."""
    claiming = [path for path in _routine_files(folder) if _claimed_id(path) == routine_id]
    if not claiming:
        raise RoutineFileGone(f'no file in {folder} replaces the built-in "{routine_id}" now')
    moved: list[SetAside] = []
    try:
        for path in claiming:
            moved.append(_set_aside(path, trash))
    except RoutineFileError:
        undo(Deleted(routine_id, tuple(moved)))  # all or none
        raise
    return Deleted(routine_id, tuple(moved))


def undo(deleted: Deleted) -> None:
    """Move the files `deleted` set aside back where they were, exactly as they were;
    refused, with nothing moved, if a file has been put in one's place since."""
    for entry in deleted.files:
        if entry.original.exists():
            raise NameClash(
                f"{entry.original.name} exists again in {entry.original.parent}; "
                f"the deleted one is kept as {entry.aside}"
            )
        if not entry.aside.is_file():
            raise RoutineFileGone(f"{entry.aside} is gone, so {entry.original.name} cannot return")
    for entry in deleted.files:
        try:
            _move(entry.aside, entry.original)
        except OSError as exc:
            raise FolderNotWritable(
                f"{entry.original.name} could not be put back in {entry.original.parent}: "
                f"{_reason(exc)}; it is kept as {entry.aside}"
            ) from exc


# -- files -----------------------------------------------------------------------------


def _source_file(routine: Routine) -> Path:
    if routine.path is None:
        raise RoutineFileGone(f'"{routine.name}" has no file to copy')
    return routine.path


def _read_text(path: Path) -> tuple[str, str]:
    """The file's text and the byte-order mark it began with ("" for none), so that a
    rewrite begins with the same bytes."""
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileNotFoundError as exc:
        raise RoutineFileGone(f"{path.name} is no longer in {path.parent}") from exc
    except UnreadableFile as trouble:
        raise UnreadableRoutine(f"{path.name} {trouble.reason}") from trouble
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableRoutine(f"{path.name} is over {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableRoutine(f"{path.name} is not UTF-8 text") from exc
    if text.startswith(_BOM):
        return text[len(_BOM) :], _BOM
    return text, ""


def _parse(text: str, path: Path) -> TOMLDocument:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        doc = tomlkit.parse(text)
    except (TOMLKitError, ValueError) as exc:
        raise UnreadableRoutine(f"{path.name} is not valid TOML: {exc}") from exc
    if "name" not in doc:
        raise UnreadableRoutine(f"{path.name} has no name line to change")
    return doc


def _write(path: Path, text: str, *, exclusive: bool) -> None:
    """`text` as the whole of `path` (atomically); with `exclusive`, only where no
    file is yet."""
    if exclusive and path.exists():
        raise NameClash(f"{path.name} already exists in {path.parent}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with write_atomically(path, newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise FolderNotWritable(
            f"{path.name} could not be written in {path.parent}: {_reason(exc)}"
        ) from exc


def _routine_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.lower() == ROUTINE_SUFFIX)
    except OSError as exc:
        raise RoutineFileGone(f"{folder} cannot be read: {_reason(exc)}") from exc


def _claimed_id(path: Path) -> str:
    """The id the file claims, as the loader reads it: its `id`, else its name."""
    try:
        doc: dict[str, Any] = tomllib.loads(
            read_regular_file(path, MAX_FILE_BYTES).decode("utf-8-sig")
        )
    except (OSError, UnreadableFile, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return path.stem
    claimed = doc.get("id")
    return claimed if isinstance(claimed, str) and ID_PATTERN.fullmatch(claimed) else path.stem


def _set_aside(path: Path, trash: Path) -> SetAside:
    try:
        trash.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FolderNotWritable(
            f"{path.name} could not be set aside: {trash} cannot be made ({_reason(exc)})"
        ) from exc
    aside = trash / f"{path.stem}.{os.urandom(4).hex()}{path.suffix}"
    try:
        _move(path, aside)
    except FileNotFoundError as exc:
        raise RoutineFileGone(f"{path.name} is no longer in {path.parent}") from exc
    except OSError as exc:
        raise FolderNotWritable(
            f"{path.name} could not be moved to {trash}: {_reason(exc)}"
        ) from exc
    return SetAside(path, aside)


def _move(source: Path, target: Path) -> None:
    """Move a file to a name where none is, on another disk too; never over a file."""
    try:
        # Fails, rather than replace, if a file took the name; a link moves as a link.
        os.link(source, target, follow_symlinks=False)
    except FileExistsError as exc:
        raise NameClash(f"{target.name} already exists in {target.parent}") from exc
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK):
            raise
        shutil.move(source, target)  # a disk without hard links, or another disk
        return
    source.unlink()


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
