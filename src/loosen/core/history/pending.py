"""Sessions not yet in the file: the queue, and the side file that keeps it across a crash.

While the history cannot be written (locked, read-only, disk full, newer schema), a
store keeps each session's newest state here and mirrors the queue, after every change,
into `<folder>/<token>.json`: `{"sessions": [...]}`, each session in its export form
(`columns.export_form`, every field). The folder is the history's own
`<stem>-pending`, or where that cannot be written, the spare folder (another file
system, so the queue survives a read-only medium). After the store's process has
ended, the next store to open merges the file in (leftovers.py).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from loosen.core.history.columns import export_form, from_export_form
from loosen.core.history.records import SessionRecord
from loosen.core.userfiles import write_atomically
from loosen.sha256 import sha256_hex


def pending_dirs(db_path: Path, spare_dir: Path | None) -> list[Path]:
    """Where queued sessions are kept, in order of preference.

    The spare folder is shared by every history file, so each file's queue there is
    named after the file: a store opened on another file (a benchmark's, a test's)
    must never take, merge and delete this one's sessions.
    """
    own = db_path.parent / f"{db_path.stem}-pending"
    if spare_dir is None:
        return [own]
    tag = sha256_hex(str(db_path).encode())[:12]
    return [own, spare_dir / f"{own.name}-{tag}"]


def read_file(file: Path) -> list[SessionRecord]:
    """The sessions in a side file; OSError, ValueError, KeyError or TypeError if unreadable.

    Reads the form every Loosen wrote: an older one kept the stored form (seconds not
    rounded, no `breaks` before there were breaks), which reads the same way.
    """
    data = json.loads(file.read_text(encoding="utf-8"))
    return [from_export_form(item) for item in data["sessions"]]


class PendingQueue:
    """The newest state of each session not yet written, oldest change first."""

    def __init__(self, dirs: list[Path], token: str, notice: Callable[[str], None]) -> None:
        self.dirs = dirs
        self._token = token
        self._notice = notice
        self._records: dict[str, SessionRecord] = {}
        self._side_file_failed = False

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[SessionRecord]:
        return iter(list(self._records.values()))

    def get(self, uid: str) -> SessionRecord | None:
        return self._records.get(uid)

    def put(self, record: SessionRecord) -> None:
        """Queue `record` as the newest state of its session (and the newest change)."""
        self._records.pop(record.uid, None)
        self._records[record.uid] = record

    def discard(self, uid: str) -> None:
        self._records.pop(uid, None)

    def written(self, record: SessionRecord) -> None:
        """`record` is in the file: unqueue it, unless a newer state came meanwhile."""
        if self._records.get(record.uid) is record:
            del self._records[record.uid]

    def sync(self) -> None:
        """Mirror the queue into the side file, so that a crash loses nothing.

        The first of `dirs` that can be written holds it; copies left in the others are
        removed, so a later store never merges an older state.
        """
        paths = [folder / f"{self._token}.json" for folder in self.dirs]
        kept: Path | None = None
        if self._records:
            data = {"sessions": [export_form(r) for r in self._records.values()]}
            errors = []
            for path in paths:
                try:
                    _write_durably(path, data)
                except OSError as exc:
                    errors.append(f"{path.parent} ({exc.strerror or exc})")
                    continue
                kept = path
                break
            if kept is None and not self._side_file_failed:
                self._side_file_failed = True
                self._notice(
                    f"cannot keep unsaved sessions in {' or '.join(errors)}; "
                    "they are kept in memory until the history can be written"
                )
        for path in paths:
            if path != kept:
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)

    def others(self) -> list[Path]:
        """The side files of other stores, alive or dead."""
        files: list[Path] = []
        for folder in self.dirs:
            with contextlib.suppress(OSError):
                files += sorted(folder.glob("*.json"))
        return [f for f in files if f.stem != self._token]


def _write_durably(path: Path, data: object) -> None:
    """Write JSON to `path` whole or not at all, and on the disk before returning."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with write_atomically(path) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
