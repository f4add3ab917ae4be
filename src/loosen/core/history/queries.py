"""Reading sessions: what the file holds, with the sessions still queued laid over it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from loosen.core.history.database import Database
from loosen.core.history.pending import PendingQueue
from loosen.core.history.records import SessionRecord
from loosen.core.history.rows import record_from_row, select_sql

_UNNUMBERED = 1 << 62  # a queued session not yet in the file sorts after those that are


class SessionQueries:
    """The reads of `HistoryStore`; a row no Loosen writes is left out and said once."""

    def __init__(self, db: Database, queue: PendingQueue, notice: Callable[[str], None]) -> None:
        self._db = db
        self._queue = queue
        self._notice = notice

    def get(self, uid: str) -> SessionRecord | None:
        """One session by uid, including one still waiting to be written."""
        queued = self._queue.get(uid)
        if queued is not None:
            return queued
        found = self._read(" WHERE uid = ?", (uid,))
        return found[0] if found else None

    def sessions(
        self, *, newest_first: bool, routine: str | None, limit: int | None
    ) -> list[SessionRecord]:
        """Sessions in start order (newest first, or oldest), queued ones included."""
        where = "" if routine is None else " WHERE routine = ?"
        params: tuple[Any, ...] = () if routine is None else (routine,)
        order = "DESC" if newest_first else "ASC"
        tail = f"{where} ORDER BY started_at {order}, id {order}"
        queued = [r for r in self._queue if routine is None or r.routine == routine]
        if limit is not None and not queued:
            tail += " LIMIT ?"
            params += (int(limit),)
        found = self._read(tail, params)
        if not queued:
            return found
        by_uid = {r.uid: r for r in found}
        for record in queued:
            by_uid[record.uid] = replace(record, id=by_uid.get(record.uid, record).id)
        merged = sorted(
            by_uid.values(),
            key=lambda r: (r.started_at, r.id or _UNNUMBERED),
            reverse=newest_first,
        )
        return merged if limit is None else merged[: int(limit)]

    def _read(self, tail: str, params: tuple[Any, ...]) -> list[SessionRecord]:
        rows = self._db.read(lambda version: select_sql(version) + tail, params)
        return self._records(rows)

    def _records(self, rows: Iterable[Sequence[Any]]) -> list[SessionRecord]:
        found = []
        for row in rows:
            try:
                found.append(record_from_row(row))
            except (ValueError, TypeError) as exc:
                self._notice(
                    f"session {row[0]} in {self._db.path} cannot be read ({exc}); "
                    "it is left out here and kept in the file as it is"
                )
        return found
