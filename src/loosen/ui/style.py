"""Colours, fonts and the theme: one place for how Loosen looks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

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


# The ring around the control that has the keyboard: Fusion's own is a faint tint of the
# selection colour, easy to lose; this one is solid, 2 px, and reads on either theme.
_FOCUS_COLOURS = {"light": "#0b57d0", "dark": "#a8c7fa"}
FOCUS_RING_PX = 2
BASE_STYLE = "Fusion"  # the same look on every desktop

# What draws a focusable control's outline, so the ring goes around the whole control.
_RINGED_PRIMITIVES = (
    QStyle.PrimitiveElement.PE_PanelButtonCommand,  # push buttons
    QStyle.PrimitiveElement.PE_FrameLineEdit,
    QStyle.PrimitiveElement.PE_FrameFocusRect,  # check boxes, radio buttons, items
)
_RINGED_CONTROLS = (
    QStyle.ComplexControl.CC_ComboBox,
    QStyle.ComplexControl.CC_SpinBox,
    QStyle.ComplexControl.CC_Slider,
    QStyle.ComplexControl.CC_ToolButton,
)


def focus_colour() -> QColor:
    return QColor(_FOCUS_COLOURS["dark" if is_dark() else "light"])


class FocusRingStyle(QProxyStyle):
    """Fusion, with a focus ring plain to see on buttons, inputs, lists and items."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if (
            element is QStyle.PrimitiveElement.PE_FrameFocusRect
            and widget is not None
            and widget.hasFocus()
            and _is_item_view(widget)
        ):
            _ring(painter, option.rect, inset=0)  # the current item of the focused list
            return
        super().drawPrimitive(element, option, painter, widget)
        if element in _RINGED_PRIMITIVES and _has_focus(option):
            _ring(painter, option.rect)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in _RINGED_CONTROLS and _has_focus(option):
            _ring(painter, option.rect)

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        # A list's own frame: the whole list is ringed while it has the keys.
        if (
            element is QStyle.ControlElement.CE_ShapedFrame
            and widget is not None
            and widget.hasFocus()
            and _is_item_view(widget)
        ):
            _ring(painter, option.rect, inset=0)


def _has_focus(option: QStyleOption) -> bool:
    return bool(option.state & QStyle.StateFlag.State_HasFocus)


def _is_item_view(widget: QWidget) -> bool:
    from PySide6.QtWidgets import QAbstractItemView

    return isinstance(widget, QAbstractItemView)


def _ring(painter: QPainter, rect, *, inset: int = 1) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    pen = QPen(focus_colour(), FOCUS_RING_PX)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = FOCUS_RING_PX // 2
    painter.drawRect(rect.adjusted(inset + half, inset + half, -inset - half, -inset - half))
    painter.restore()


_installed: list[FocusRingStyle] = []  # kept alive from Python for as long as Qt uses it


def install_style(app: QApplication) -> None:
    """Fusion with the plain focus ring, for the whole app."""
    style = FocusRingStyle(BASE_STYLE)
    _installed[:] = [style]
    app.setStyle(style)
