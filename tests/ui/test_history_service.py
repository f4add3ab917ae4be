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
