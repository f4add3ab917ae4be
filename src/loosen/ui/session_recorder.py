"""One session's row in the history, written as the session goes, never waited for.

The window connects the player's signals to a recorder: the start makes the row, each
phase that ends updates it (so a crash loses little), the end closes it, and the
ratings fill it in. Every write goes to the HistoryService's one thread, which runs
them in the order they were handed over; the row's uid comes from the first write, and
each later write is chained to it there. So a rating given before the row exists
waits in that queue, not in the UI, and is written once the row is; and quitting
writes whatever is still queued (HistoryService.close). What the window needs back
(the last rating, for the summary) arrives as a callback on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from PySide6.QtCore import QObject

from loosen.core.history import HistoryStore, SessionRecord, closing_status
from loosen.core.routine import Routine
from loosen.core.session import Event, PhaseEnded, Session, Summary
from loosen.ui.history_service import HistoryService

T = TypeVar("T")
RECENT_SESSIONS = 5  # how far back the summary looks for the routine's last rating


class SessionRecorder(QObject):
    """Writes one session through the history service; its methods are the window's slots."""

    def __init__(
        self,
        history: HistoryService,
        routine: Routine,
        session: Session,
        planned_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.history = history
        self.routine = routine
        self.session = session
        self.finished = False
        self.uid: Future[str] = history.submit(
            lambda store: (
                store.start_session(
                    routine.id,
                    routine.name,
                    routine.kind.value,
                    digest=routine.digest,
                    planned_s=planned_s,
                ).uid
            )
        )

    def _write(
        self,
        work: Callable[[HistoryStore, str], T],
        then: Callable[[T], None] | None = None,
        *,
        after: Callable[[], None] | None = None,
    ) -> Future[T]:
        """`work(store, uid)` on the history thread, after the row's own write."""
        row = self.uid

        def chained(store: HistoryStore) -> T:
            # The one history thread runs writes in the order they came, and the row's
            # came first: its uid is there by now (timeout=0 says it is never waited for).
            return work(store, row.result(timeout=0))

        return self.history.submit(chained, then, after=after)

    def record_before(self, tightness: int) -> Future[SessionRecord]:
        """The "how tight now?" answer given as the session starts."""
        return self._write(lambda store, uid: store.set_before(uid, tightness))

    def record_progress(self, events: list[Event]) -> None:
        """After each phase that ends: what is done so far (the end says it all itself)."""
        if self.finished or not any(isinstance(event, PhaseEnded) for event in events):
            return
        summary = self.session.summary()
        self._write(
            lambda store, uid: store.update_session(
                uid,
                active_s=summary.active_s,
                steps_done=summary.steps_done,
                steps_skipped=summary.steps_skipped,
                breaks=summary.breaks_taken,
            )
        )

    def record_finish(self, summary: Summary, completed: bool) -> Future[SessionRecord]:
        """The session completed, or was stopped (by the user, or on the way out)."""
        self.finished = True
        return self._write(
            lambda store, uid: store.finish_session(
                uid,
                closing_status(completed, summary.work_share),
                active_s=summary.active_s,
                steps_done=summary.steps_done,
                steps_skipped=summary.steps_skipped,
                breaks=summary.breaks_taken,
            )
        )

    def record_rating(
        self, tightness: int | None, note: str | None, written: Callable[[], None] | None = None
    ) -> Future[SessionRecord]:
        """How tight the back is after it (None: skipped), and a note; `written()` on the
        UI thread once the store has it."""
        return self._write(lambda store, uid: store.rate(uid, tightness, note), after=written)

    def last_rating(self, then: Callable[[int | None], None]) -> None:
        """`then(tightness)`, on the UI thread: the routine's latest rating before this
        session (None when there is none), once everything written so far is written."""
        routine_id = self.routine.id

        def previous(store: HistoryStore, uid: str) -> int | None:
            for record in store.sessions(routine=routine_id, limit=RECENT_SESSIONS):
                if record.uid != uid and record.tightness_after is not None:
                    return record.tightness_after
            return None

        self._write(previous, then)
