"""Journey: a session ends while the history file is busy, and a routine file changes.

The history thread is held up (a long write, another program's lock) as the last
step is skipped; meanwhile the person's editor saves a routine file. The library's
reload (the file watcher's timer) must run after the slot that ended the session has
returned, never inside it: nothing in that slot waits for the history, so nothing
can run in the middle of it. Once the history is free, the session and its rating
are written all the same.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from loosen.core.history import Status
from player_journey import rate_with_keys, records

SHORT = (
    'format = 1\nid = "short"\nname = "Short one"\nkind = "cooldown"\n'
    '[defaults]\nget_ready = "2s"\nrest = "0s"\n[[steps]]\nname = "Hold"\nduration = "10s"\n'
    '[[steps]]\nname = "Squat"\nreps = 2\n'
)


def test_a_file_change_while_the_record_is_written_waits_for_the_slot_to_return(
    qtbot, open_window, speaker, user_routines
):
    (user_routines / "short.toml").write_text(SHORT)
    window = open_window(speaker)
    window.start_routine("short")
    player = window.stack.currentWidget()
    window.active.uid.result(timeout=10)  # the row exists; now the file gets busy
    busy = threading.Event()
    window.history.submit(lambda store: busy.wait(30))

    in_the_slot = False
    reloads: list[tuple[bool, bool]] = []  # (inside the slot, the history still busy)

    def reloading() -> None:
        reloads.append((in_the_slot, not busy.is_set()))
        busy.set()  # free the history (had a slot been waiting for it, this ends the wait)
        modal = QApplication.activeModalWidget()
        if in_the_slot and modal is not None:  # a loop inside the slot: let the test end
            modal.close()

    window.reload_timer.timeout.connect(reloading)
    (user_routines / "other.toml").write_text(SHORT.replace('"short"', '"other"'))
    in_the_slot = True
    for _ in range(3):  # the get-ready, the hold, the squats: the session ends
        qtbot.keyClick(player, Qt.Key.Key_Right)
    in_the_slot = False

    qtbot.waitUntil(lambda: bool(reloads), timeout=10_000)
    assert reloads == [(False, True)]  # after the slot, while the record was still queued
    rate_with_keys(qtbot, window, "4")
    qtbot.waitUntil(lambda: window.library.get("other") is not None)  # and the change read
    (record,) = [r for r in records(window) if r.routine == "short"]
    # Skipped through to its end: partial (and rated all the same).
    assert record.status is Status.PARTIAL and record.tightness_after == 4
