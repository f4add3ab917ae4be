"""Colours, fonts and the theme: one place for how Loosen looks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication

from loosen.core.phases import PhaseKind

# Calm, distinct colours per phase, readable as a band across the player from 3 m.
_PHASE_COLOURS = {
    "light": {
        PhaseKind.WORK: "#2f8f6b",
        PhaseKind.REST: "#3a6ea5",
        PhaseKind.GET_READY: "#c27c1a",
        PhaseKind.SWITCH: "#7a5ea8",
        PhaseKind.ACTIVITY: "#2f8f6b",
    },
    "dark": {
        PhaseKind.WORK: "#4cc79b",
        PhaseKind.REST: "#6fa3dd",
        PhaseKind.GET_READY: "#e8a43c",
        PhaseKind.SWITCH: "#a88ad6",
        PhaseKind.ACTIVITY: "#4cc79b",
    },
}

PHASE_LABELS = {
    PhaseKind.WORK: "Work",
    PhaseKind.REST: "Rest",
    PhaseKind.GET_READY: "Get ready",
    PhaseKind.SWITCH: "Switch sides",
    PhaseKind.ACTIVITY: "Run",
}


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def phase_colour(kind: PhaseKind) -> QColor:
    return QColor(_PHASE_COLOURS["dark" if is_dark() else "light"][kind])


def apply_theme(theme: str) -> None:
    """ "system" follows the desktop; "light" and "dark" force one."""
    app = QGuiApplication.instance()
    if app is None:
        return
    scheme = {
        "light": Qt.ColorScheme.Light,
        "dark": Qt.ColorScheme.Dark,
    }.get(theme, Qt.ColorScheme.Unknown)
    app.styleHints().setColorScheme(scheme)
