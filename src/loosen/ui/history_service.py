"""The history store, off the UI thread: every database call runs on one worker thread.

SQLite connections belong to the thread that made them, and a locked database can
make a write wait; so the window hands each call to this service and gets a Future
back, or a callback run on the UI thread when the call is done: nothing here ever waits
for the store on the UI thread. Notices from the store (a moved-aside corrupt file, a
read-only disk) come out as a signal the window shows without blocking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from loosen import paths
from loosen.core.history import HistoryStore
from loosen.core.history.advice import LibraryAdvice, RoutineChoice, library_advice
from loosen.core.history.routine_stats import RoutineStats, stats_by_routine

T = TypeVar("T")


class HistoryService(QObject):
    notice = Signal(str)
    closing = Signal()  # the last moment to submit work: the thread stops after it
    stats_ready = Signal(object)  # dict[str, RoutineStats]
    advice_ready = Signal(object)  # LibraryAdvice
    # Emitted on the history thread; the connected slots are methods of this object,
    # which lives on the UI thread, so Qt queues them over to it.
    _deliver = Signal(object, object)  # callback, value

    def __init__(
        self,
        path: Path,
        parent: QObject | None = None,
        opener: Callable[[Path], HistoryStore] | None = None,
    ) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
        self._store: HistoryStore | None = None
        self._closed = False
        self._deliver.connect(self._run_callback)
        open_store = opener or partial(HistoryStore.open, spare_dir=paths.state_dir())
        self._opened = self._executor.submit(self._open, open_store, path)
        app = QCoreApplication.instance()
        if app is not None:  # a quit that closed no window (a logout) still writes it all
            app.aboutToQuit.connect(self.close)

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
        self,
        work: Callable[[HistoryStore], T],
        then: Callable[[T], None] | None = None,
        *,
        after: Callable[[], None] | None = None,
    ) -> Future[T]:
        """Run `work(store)` on the history thread; `then(result)` runs on the UI thread,
        and `after()` too, once the work has ended, whether it went well or not."""

        def run() -> T:
            self._opened.result()
            assert self._store is not None
            try:
                return work(self._store)
            finally:
                self._pass_notices()

        future = self._executor.submit(run)
        if then is not None or after is not None:

            def done(finished: Future[T]) -> None:
                if finished.exception() is None:
                    if then is not None:
                        self._deliver.emit(then, finished.result())
                else:
                    self.notice.emit(f"History: {finished.exception()}")
                if after is not None:
                    self._deliver.emit(lambda _: after(), None)

            future.add_done_callback(done)
        return future

    def refresh_stats(self, choices: Sequence[RoutineChoice] = ()) -> None:
        """Each routine's line, and the library's advice; `choices`: the routines the
        library offers now (what may be suggested). Nothing once closed: a library that
        finishes loading as the window closes has nothing left to show it in."""
        if self._closed:
            return
        offered = tuple(choices)

        def compute(
            store: HistoryStore,
        ) -> tuple[dict[str, RoutineStats], LibraryAdvice | None]:
            records = store.sessions(newest_first=True)
            now = datetime.now(UTC)
            # Advice only once the library says what there is to suggest.
            advice = library_advice(records, offered, now) if offered else None
            return stats_by_routine(records, now), advice

        def ready(result: tuple[dict[str, RoutineStats], LibraryAdvice | None]) -> None:
            stats, advice = result
            self.stats_ready.emit(stats)
            if advice is not None:
                self.advice_ready.emit(advice)

        self.submit(compute, ready)

    def close(self) -> None:
        """Write everything handed over so far, then stop the thread. The UI thread waits
        for that here, once, at the very end: not an event loop, and nothing runs meanwhile."""
        if self._closed:
            return
        self._closed = True
        self.closing.emit()

        def shut(store: HistoryStore) -> None:
            store.flush()
            store.close()

        future = self.submit(shut)
        self._executor.shutdown(wait=True)
        if future.exception() is not None:
            self.notice.emit(f"History: {future.exception()}")
