"""Journey: the main things a person does, and not one event loop run inside another.

A loop inside a slot lets every timer, file watcher and session wake-up run in the
middle of that slot (and a quit from inside it leaves the outer one half done). So the
app asks its questions with window-modal dialogs whose answers come as signals, and
writes its history through callbacks. Here a session is stopped (asked, answered Yes),
rated, and another one closed mid-way; the settings are changed; an audio guide and
the history's CSV are exported, all by clicking and typing, while every way into a
nested loop is watched: the loops' own `exec`, Qt's static question and file boxes,
and, for any loop run from C++, an event delivered at a loop level above the test's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QThread
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
)

from loosen.core.history import Status
from loosen.ui.export_dialog import OutingPicker
from loosen.ui.player_view import PlayerView
from player_journey import (
    answer_stop_question,
    click,
    click_routine,
    play,
    rate_with_keys,
    save_as,
)

from helpers import FakeSynth

STATIC_ASKS = {
    QMessageBox: ("question", "information", "warning", "critical", "about"),
    QFileDialog: ("getSaveFileName", "getOpenFileName", "getExistingDirectory"),
    QInputDialog: ("getText", "getInt", "getItem"),
}


def _from_the_app() -> bool:
    """Whether the caller of the patched function (two frames up) is Loosen's code."""
    return sys._getframe(2).f_globals.get("__name__", "").startswith("loosen.")


class NestedLoops(QObject):
    """Every event loop Loosen tries to run inside another, by name (none is run).

    Loops the test runs itself (pytest-qt waits in one) run as usual and are counted,
    so that the backstop, an event delivered at a deeper loop level than the test's
    own, catches a loop entered from inside Qt too; the modal dialog running such a
    loop is closed, so that the test fails rather than hangs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__()
        self.monkeypatch = monkeypatch
        self.entered: list[str] = []
        self.test_loops = 0  # loops of the test's own running now

    def watch(self) -> None:
        for cls in (QEventLoop, QDialog, QMessageBox, QFileDialog):
            self.monkeypatch.setattr(cls, "exec", self._guarded(cls, "exec", cls.exec, 0))
        for cls, names in STATIC_ASKS.items():
            for name in names:
                answer = ("", "") if name.startswith("get") else QMessageBox.StandardButton.No
                guarded = self._guarded(cls, name, getattr(cls, name), answer)
                self.monkeypatch.setattr(cls, name, staticmethod(guarded))
        QApplication.instance().installEventFilter(self)

    def _guarded(self, cls: type, name: str, real, answer):
        def entering(*args, **kwargs):
            if _from_the_app():
                self.entered.append(f"{cls.__name__}.{name}")
                return answer
            self.test_loops += 1
            try:
                return real(*args, **kwargs)
            finally:
                self.test_loops -= 1

        return entering

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        level = QThread.currentThread().loopLevel()
        if level > self.test_loops:
            self.entered.append(f"an event loop at level {level}")
            modal = QApplication.activeModalWidget()
            if isinstance(modal, QDialog):
                modal.reject()
        return False


@pytest.fixture
def nested_loops(monkeypatch):
    loops = NestedLoops(monkeypatch)
    yield loops
    QApplication.instance().removeEventFilter(loops)


def test_a_day_of_loosen_runs_no_event_loop_inside_another(
    qtbot, open_window, speaker, clock, tmp_path, nested_loops
):
    window = open_window(speaker, export_synth=FakeSynth(tmp_path))
    nested_loops.watch()

    # A cooldown, stopped by Esc (asked, Yes) and rated with a key.
    click_routine(qtbot, window, "Post-run cooldown")
    click(qtbot, window.library_view.start_button)
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    qtbot.keyClick(player, Qt.Key.Key_6)
    play(player, clock, 20)
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    assert nested_loops.entered == []  # the question is open, and the app runs on
    answer_stop_question(qtbot, player, "Yes")
    assert nested_loops.entered == []  # the rating dialog is open, and the app runs on
    rate_with_keys(qtbot, window, "3")
    assert nested_loops.entered == []
    assert window.stack.currentWidget() is window.summary_page
    click(qtbot, window.summary_page.findChild(type(window.library_view.start_button)))

    # The settings: a slower voice, by the spin box's arrow key, then OK.
    click(qtbot, window.settings_button)
    assert nested_loops.entered == []
    dialog = window.settings_dialog
    assert dialog is not None
    rate_before = dialog.rate.value()
    qtbot.keyClick(dialog.rate, Qt.Key.Key_Down)
    click(qtbot, dialog.ok_button)
    assert window.settings.rate_wpm == rate_before - dialog.rate.singleStep()

    # An audio guide of the cooldown, saved where the person types.
    click_routine(qtbot, window, "Post-run cooldown")
    click(qtbot, window.library_view.export_button)
    (picker,) = [p for p in window.findChildren(OutingPicker) if p.isVisible()]
    click(qtbot, picker.export_button)  # the routines and format as they are
    assert nested_loops.entered == []
    guide = tmp_path / "cooldown.wav"
    save_as(qtbot, window, guide)
    export = window.export_dialog
    assert export is not None
    qtbot.waitUntil(lambda: export.info is not None, timeout=30_000)
    click(qtbot, export.cancel_button)  # now "Close"
    assert guide.exists()

    # The history, exported as CSV.
    click(qtbot, window.library_view.history_button)
    history = window.history_view
    assert history is not None
    click(qtbot, history.export_button)
    assert nested_loops.entered == []
    table = tmp_path / "history.csv"
    save_as(qtbot, history, table)
    qtbot.waitUntil(lambda: history.status.text().startswith("Exported"), timeout=10_000)
    click(qtbot, history.back_button)

    # Another session, and the window closed mid-way: asked, stopped, rated, closed.
    click_routine(qtbot, window, "Post-run cooldown")
    click(qtbot, window.library_view.start_button)
    player = window.stack.currentWidget()
    play(player, clock, 10)
    window.close()
    assert nested_loops.entered == []
    answer_stop_question(qtbot, player, "Yes")
    rate_with_keys(qtbot, window, "4")
    assert not window.isVisible()

    assert nested_loops.entered == []
    assert Path(table).read_text(encoding="utf-8").count("\n") == 2  # the header, a session
    stopped = [r for r in records_after_close(window) if r.status is Status.STOPPED]
    assert sorted(r.tightness_after for r in stopped) == [3, 4]


def records_after_close(window):
    from loosen import paths
    from loosen.core.history import HistoryStore

    with HistoryStore.open(paths.history_db()) as store:
        return store.sessions()
