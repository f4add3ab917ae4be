"""A Ctrl-C or an exit that reaches the crash net is no bug: the app quits, no dialog.

In the app's own process: the excepthook run_app installs, given what PySide hands it
when an exception leaves a slot; and the wakeup socket that turns SIGINT and SIGTERM
into a Qt signal, with a real signal sent to this process.
"""

from __future__ import annotations

import os
import signal
import sys

import pytest

from loosen import paths
from loosen.ui import app
from loosen.ui.app import install_crash_handler
from loosen.ui.quit_signals import QuitSignals, exit_code_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture
def crash_net(monkeypatch):
    """The app's excepthook, with what it shows and how it quits recorded."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    shown: list[str] = []
    quits: list[int] = []
    saved: list[str] = []
    monkeypatch.setattr(app, "show_bug_dialog", lambda text: shown.append(text.split(":")[0]))
    install_crash_handler([lambda: saved.append("session")], quits.append)
    return shown, quits, saved


def _raise_into_hook(error: BaseException) -> None:
    try:
        raise error
    except BaseException as caught:  # what PySide hands the hook from a slot
        sys.excepthook(type(caught), caught, caught.__traceback__)


@pytest.mark.parametrize(
    ("error", "exit_code"),
    [
        (KeyboardInterrupt(), exit_code_for(signal.SIGINT)),
        (SystemExit(), 0),
        (SystemExit(3), 3),
        (SystemExit("a message"), 1),
    ],
    ids=["ctrl-c", "exit", "exit 3", "exit with a message"],
)
def test_an_interrupt_or_exit_quits_with_no_bug_dialog(crash_net, error, exit_code):
    shown, quits, saved = crash_net
    _raise_into_hook(error)
    assert saved == []  # the quit records the session, as stopped, by its own path
    assert shown == []
    assert quits == [exit_code]
    assert list(paths.log_dir().glob("crash-*.log")) == []


def test_a_real_bug_still_shows_the_dialog_and_saves_the_session_first(crash_net):
    shown, quits, saved = crash_net
    _raise_into_hook(ZeroDivisionError("division by zero"))
    assert shown == ["Something went wrong inside Loosen"]
    assert saved == ["session"]
    assert quits == []
    assert len(list(paths.log_dir().glob("crash-*.log"))) == 1


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_arrives_as_a_qt_signal_then_acts_by_default(qtbot, signum):
    before = signal.getsignal(signum)
    quit_signals = QuitSignals()
    quit_signals.watch()
    try:
        with qtbot.waitSignal(quit_signals.received, timeout=5000) as received:
            os.kill(os.getpid(), signum)
        assert received.args == [signum]
        # A second one would end a quit that hangs: the default action is back.
        assert signal.getsignal(signal.SIGINT) is signal.SIG_DFL
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        quit_signals.close()
    assert signal.getsignal(signum) is before


def test_a_signal_while_the_app_starts_waits_for_its_event_loop(qtbot):
    """Set up before the window is made (commands/app.py), watched once the app exists."""
    quit_signals = QuitSignals()
    try:
        os.kill(os.getpid(), signal.SIGTERM)  # still starting: nothing watches yet
        with qtbot.waitSignal(quit_signals.received, timeout=5000) as received:
            quit_signals.watch()
        assert received.args == [signal.SIGTERM]
    finally:
        quit_signals.close()


def test_the_bug_box_opens_without_a_loop_of_its_own_when_a_slot_fails(qtbot):
    """A bug in a slot reaches the hook inside the running event loop: the box opens
    and the hook returns, so timers and the session go on rather than run inside it."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    returned: list[bool] = []

    def failing_slot() -> None:
        app.show_bug_dialog("Something went wrong inside Loosen: division by zero")
        returned.append(True)

    QTimer.singleShot(0, failing_slot)
    qtbot.waitUntil(lambda: returned == [True])  # the test's own loop is running here
    (box,) = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert box.windowTitle() == "Loosen ran into a bug"
    ok = box.button(QMessageBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton, pos=ok.rect().center())
    assert not box.isVisible()
