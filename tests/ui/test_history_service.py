"""The history service: store calls off the UI thread, and messages that always arrive."""

from __future__ import annotations

from loosen.ui.history_service import HistoryService


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


def test_a_wait_is_ended_only_by_its_own_future(qtbot, tmp_path):
    """A wait that gave up on a future must not, when that future finally finishes, cut
    short a later wait (the rating's, say) before its own future is done."""
    from concurrent.futures import Future

    from PySide6.QtCore import QTimer

    service = HistoryService(tmp_path / "history.sqlite3")
    slow: Future[int] = Future()
    assert not service.wait(slow, timeout_ms=1)  # given up on; still pending
    rating: Future[int] = Future()
    QTimer.singleShot(5, lambda: slow.set_result(1))  # the old one finishes first
    QTimer.singleShot(60, lambda: rating.set_result(2))
    assert service.wait(rating, timeout_ms=10_000)
    assert rating.result() == 2
    service.close()
