"""The history store, off the UI thread: every database call runs on one worker thread.

SQLite connections belong to the thread that made them, and a locked database can
make a write wait; so the window hands each call to this service and gets a Future
back. Notices from the store (a moved-aside corrupt file, a read-only disk) come out
as a signal the window shows without blocking.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from loosen import paths
from loosen.core.history import HistoryStore, SessionRecord
from loosen.core.history.insights import effects
from loosen.ui.library_view import RoutineStats

T = TypeVar("T")


def days_ago(moment: datetime, now: datetime) -> str:
    days = (now.astimezone().date() - moment.astimezone().date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    return moment.astimezone().strftime("%-d %b")


class HistoryService(QObject):
    notice = Signal(str)
    closing = Signal()  # the last moment to submit work: the thread stops after it
    stats_ready = Signal(object)  # dict[str, RoutineStats]
    # Emitted on the history thread; the connected slots are methods of this object,
    # which lives on the UI thread, so Qt queues them over to it.
    _deliver = Signal(object, object)  # callback, value
    _future_done = Signal()

    def __init__(
        self,
        path: Path,
        parent: QObject | None = None,
        opener: Callable[[Path], HistoryStore] | None = None,
    ) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
        self._store: HistoryStore | None = None
        self._deliver.connect(self._run_callback)
        open_store = opener or partial(HistoryStore.open, spare_dir=paths.state_dir())
        self._opened = self._executor.submit(self._open, open_store, path)

    def _run_callback(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)

    def _open(self, open_store: Callable[[Path], HistoryStore], path: Path) -> None:
        self._store = open_store(path)
        self._pass_notices()

    def _pass_notices(self) -> None:
        """Hand the store's messages to the UI thread's event loop.

        Not `notice.emit` from here: the store opens on this thread while the window is
        still being built, and a signal emitted before the window connects to it is
        lost, which lost the "history file damaged, set aside as …" message.
        """
        store = self._store
        if store is not None:
            while store.notices:
                self._deliver.emit(self.notice.emit, store.notices.pop(0))

    def submit(
        self, work: Callable[[HistoryStore], T], then: Callable[[T], None] | None = None
    ) -> Future[T]:
        """Run `work(store)` on the history thread; `then(result)` runs on the UI thread."""

        def run() -> T:
            self._opened.result()
            assert self._store is not None
            try:
                return work(self._store)
            finally:
                self._pass_notices()

        future = self._executor.submit(run)
        if then is not None:

            def done(finished: Future[T]) -> None:
                if finished.exception() is None:
                    self._deliver.emit(then, finished.result())
                else:
                    self.notice.emit(f"History: {finished.exception()}")

            future.add_done_callback(done)
        return future

    def wait(self, future: Future[Any], timeout_ms: int = 10_000) -> bool:
        """Let the window keep painting until `future` is done (or the timeout)."""
        if future.done():
            return True
        loop = QEventLoop()

        def quit_if_done() -> None:
            # _future_done fires for every waited future, including one an earlier
            # wait gave up on: only this wait's own future ends this wait.
            if future.done():
                loop.quit()

        self._future_done.connect(quit_if_done)
        future.add_done_callback(lambda _: self._future_done.emit())
        QTimer.singleShot(timeout_ms, loop.quit)
        if not future.done():
            loop.exec()
        self._future_done.disconnect(quit_if_done)
        return future.done()

    def refresh_stats(self) -> None:
        def compute(store: HistoryStore) -> dict[str, RoutineStats]:
            records = store.sessions(newest_first=True)
            now = datetime.now(UTC)
            last: dict[str, SessionRecord] = {}
            for record in records:
                last.setdefault(record.routine, record)
            changes = {c.routine: c for c in effects(records, existing=())}
            return {
                routine: RoutineStats(
                    last_done=days_ago(record.started_at, now),
                    change=changes[routine].mean_change if routine in changes else None,
                    sessions=changes[routine].n if routine in changes else 0,
                )
                for routine, record in last.items()
            }

        self.submit(compute, self.stats_ready.emit)

    def close(self) -> None:
        self.closing.emit()

        def shut(store: HistoryStore) -> None:
            store.flush()
            store.close()

        future = self.submit(shut)
        self._executor.shutdown(wait=True)
        if future.exception() is not None:
            self.notice.emit(f"History: {future.exception()}")
