"""Guards against a known fault in the Qt binding on this Python."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_void_qt_calls_do_not_leak_references_to_none():
    # PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call, and the
    # interpreter aborts once None's count reaches zero (pyproject.toml pins around it).
    holder = QObject()
    before = sys.getrefcount(None)
    for _ in range(1000):
        holder.setObjectName("guard")
    assert sys.getrefcount(None) - before > -10
