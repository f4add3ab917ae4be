"""The history service: store calls off the UI thread, and messages that always arrive."""

from __future__ import annotations

import threading

import pytest

from loosen.core.history import HistoryStore, Status
from loosen.core.session import Session
from loosen.ui.history_service import HistoryService
from loosen.ui.session_recorder import SessionRecorder

from helpers import routine, step


def test_a_message_from_opening_reaches_a_window_built_after_the_store_opened(qtbot, tmp_path):
    """The store opens on the history thread, often before the window has connected to
    `notice`: the message must still arrive, through the event loop."""
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"not a database at all" * 100)
    service = HistoryService(db)
    service.submit(lambda store: None).result(timeout=10)  # opened, message produced
    heard: list[str] = []
    service.notice.connect(heard.append)  # as a window built afterwards does
    qtbot.waitUntil(lambda: bool(heard))
    assert any("damaged" in text and ".corrupt-" in text for text in heard), heard
    service.close()


def recorded(service: HistoryService, routine_id: str):
    (record,) = service.submit(lambda store: store.sessions(routine=routine_id)).result(10)
    return record


def test_a_rating_given_before_the_row_is_written_is_written_after_it(qtbot, tmp_path, clock):
    """The store is busy (a long write, a lock): the session starts, its first "how
    tight?" is given, it ends and is rated, all before its row exists. Nothing waits on
    the UI thread, and once the store is free everything is written, in order."""
    service = HistoryService(tmp_path / "history.sqlite3")
    busy = threading.Event()
    service.submit(lambda store: busy.wait(10))
    made = routine(step("Hold", duration_s=10))
    session = Session(made, clock)
    recorder = SessionRecorder(service, made, session, planned_s=10)
    session.start()
    recorder.record_before(6)
    clock.advance(4)
    session.stop()
    recorder.record_finish(session.summary(), completed=False)
    rated = recorder.record_rating(3, "stiff")
    assert not recorder.uid.done() and not rated.done()  # queued, not waited for
    compared: list[int | None] = []
    recorder.last_rating(compared.append)
    busy.set()
    qtbot.waitUntil(lambda: compared == [None])  # delivered on the UI thread, after it all
    record = recorded(service, made.id)
    assert record.uid == recorder.uid.result()
    assert record.status is Status.STOPPED and record.active_s == pytest.approx(4)
    assert (record.tightness_before, record.tightness_after, record.note) == (6, 3, "stiff")
    service.close()


def test_quitting_with_writes_in_flight_writes_them(tmp_path, clock):
    """Closing the service (the window closing, or the app's aboutToQuit) writes what
    was handed over, however busy the store was, before the thread stops."""
    db = tmp_path / "history.sqlite3"
    service = HistoryService(db)
    busy = threading.Event()
    service.submit(lambda store: busy.wait(10))
    made = routine(step("Hold", duration_s=10))
    session = Session(made, clock)
    recorder = SessionRecorder(service, made, session, planned_s=10)
    session.start()
    session.stop()
    recorder.record_finish(session.summary(), completed=False)
    recorder.record_rating(2, None)
    threading.Timer(0.05, busy.set).start()  # the store frees up while the app quits
    service.close()
    with HistoryStore.open(db) as store:
        (record,) = store.sessions()
    assert (record.status, record.tightness_after) == (Status.STOPPED, 2)


def test_the_end_is_the_last_word_on_the_sessions_progress(qtbot, tmp_path, clock):
    """The phase that ends with the session is not written again after its end."""
    service = HistoryService(tmp_path / "history.sqlite3")
    made = routine(step("Hold", duration_s=10), get_ready_s=0)
    session = Session(made, clock)
    recorder = SessionRecorder(service, made, session, planned_s=10)
    written: list[str] = []
    real_submit = service.submit

    def submit(work, then=None, **kwargs):
        written.append(work.__qualname__)
        return real_submit(work, then, **kwargs)

    service.submit = submit
    session.start()
    clock.advance(10)
    events = session.poll()  # the hold ends, and with it the session
    summary = session.summary()
    recorder.record_finish(summary, completed=True)  # as the player's `finished` comes first
    recorder.record_progress(events)
    assert len(written) == 1
    assert recorded(service, made.id).status is Status.COMPLETED
    service.close()


def test_a_library_that_loads_after_the_history_closed_asks_for_nothing(qtbot, tmp_path):
    """The window closed while the routines were loading: their arrival must not ask the
    closed history for stats (it would raise in the event loop)."""
    from loosen.core.history.advice import RoutineChoice

    service = HistoryService(tmp_path / "history.sqlite3")
    service.close()
    with qtbot.assertNotEmitted(service.stats_ready):
        service.refresh_stats([RoutineChoice("squat-and-fold", "Squat and fold", "break", 71.0)])
