"""Colours, fonts and the theme: one place for how Loosen looks.

Light and dark are two explicit palettes on the Fusion style, set on the application:
the platform theme cannot be relied on to honour `QStyleHints.setColorScheme` (Qt's
generic and offscreen themes ignore it, so "Dark" used to change nothing). "Follow the
system" reads the desktop's scheme and follows `colorSchemeChanged` live.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

from loosen.core.phases import PhaseKind


class Scheme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class Colours:
    """Every colour Loosen paints with, for one scheme. Text on its background keeps a
    contrast of at least 4.5:1 (WCAG AA; tests/ui/test_look.py computes it)."""

    window: str
    window_text: str
    base: str  # lists, fields, charts
    alternate_base: str
    text: str
    button: str
    button_text: str
    highlight: str  # the selection
    highlighted_text: str
    placeholder: str
    disabled_text: str  # at least 3:1: WCAG exempts inactive controls, still legible
    light: str  # Fusion's bevels and frames, from lightest to darkest
    midlight: str
    mid: str
    dark: str
    shadow: str
    tooltip_base: str
    tooltip_text: str
    link: str
    link_visited: str
    focus: str  # the keyboard focus ring
    control_edge: str  # the edge of tick boxes and fields, 3:1 against the window
    error: str  # error messages, as text on the window
    phases: dict[PhaseKind, str]  # the player's band, clock and progress; the charts
    on_phase: str  # text on a phase colour (the band's labels, PAUSED)
    picture_ink: str  # the exercise pictures' figure
    picture_detail: str  # their floor, props and arrows


# Calm, distinct colours per phase, readable as a band across the player from 3 m.
COLOURS = {
    Scheme.LIGHT: Colours(
        window="#efefef",
        window_text="#1f1f1f",
        base="#ffffff",
        alternate_base="#f5f5f5",
        text="#1f1f1f",
        button="#efefef",
        button_text="#1f1f1f",
        highlight="#0b57d0",
        highlighted_text="#ffffff",
        placeholder="#6b6b6b",
        disabled_text="#6b6b6b",
        light="#ffffff",
        midlight="#f7f7f7",
        mid="#b8b8b8",
        dark="#9a9a9a",
        shadow="#767676",
        tooltip_base="#ffffdc",
        tooltip_text="#1f1f1f",
        link="#0b57d0",
        link_visited="#6a3fa0",
        focus="#0b57d0",
        control_edge="#858585",
        error="#b3261e",
        phases={
            PhaseKind.WORK: "#1f7a5a",
            PhaseKind.REST: "#3a6ea5",
            PhaseKind.GET_READY: "#9c5700",
            PhaseKind.SWITCH: "#7a5ea8",
            PhaseKind.ACTIVITY: "#1f7a5a",
        },
        on_phase="#ffffff",
        picture_ink="#3b4a5a",
        picture_detail="#9fb3c8",
    ),
    Scheme.DARK: Colours(
        window="#202124",
        window_text="#e8eaed",
        base="#17181a",
        alternate_base="#24262a",
        text="#e8eaed",
        button="#303134",
        button_text="#e8eaed",
        highlight="#a8c7fa",
        highlighted_text="#062e6f",
        placeholder="#9aa0a6",
        disabled_text="#9aa0a6",
        light="#4a4d52",
        midlight="#3c4043",
        mid="#5f6368",
        dark="#141517",
        shadow="#000000",
        tooltip_base="#303134",
        tooltip_text="#e8eaed",
        link="#8ab4f8",
        link_visited="#c58af9",
        focus="#a8c7fa",
        control_edge="#8e9297",
        error="#f2b8b5",
        phases={
            PhaseKind.WORK: "#4cc79b",
            PhaseKind.REST: "#6fa3dd",
            PhaseKind.GET_READY: "#e8a43c",
            PhaseKind.SWITCH: "#a88ad6",
            PhaseKind.ACTIVITY: "#4cc79b",
        },
        on_phase="#111315",
        picture_ink="#d5dde6",
        picture_detail="#6b7f94",
    ),
}

# The two inks the shipped pictures are drawn in (assets/exercises/README.md).
_HOUSE_INK = "#3b4a5a"
_HOUSE_DETAIL = "#9fb3c8"


def palette_for(scheme: Scheme) -> QPalette:
    """The whole application palette of a scheme, every group."""
    c = COLOURS[scheme]
    role = QPalette.ColorRole
    palette = QPalette()
    for name, colour in (
        (role.Window, c.window),
        (role.WindowText, c.window_text),
        (role.Base, c.base),
        (role.AlternateBase, c.alternate_base),
        (role.Text, c.text),
        (role.Button, c.button),
        (role.ButtonText, c.button_text),
        (role.BrightText, c.on_phase),
        (role.Highlight, c.highlight),
        (role.HighlightedText, c.highlighted_text),
        (role.PlaceholderText, c.placeholder),
        (role.Light, c.light),
        (role.Midlight, c.midlight),
        (role.Mid, c.mid),
        (role.Dark, c.dark),
        (role.Shadow, c.shadow),
        (role.ToolTipBase, c.tooltip_base),
        (role.ToolTipText, c.tooltip_text),
        (role.Link, c.link),
        (role.LinkVisited, c.link_visited),
        (role.Accent, c.highlight),
    ):
        palette.setColor(name, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, name, QColor(c.disabled_text))
    palette.setColor(disabled, role.Highlight, QColor(c.mid))
    return palette


def current_scheme() -> Scheme:
    """The scheme on screen, read from the application's palette (one truth)."""
    app = QGuiApplication.instance()
    if app is None:
        return Scheme.LIGHT
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return Scheme.DARK if window.lightness() < 128 else Scheme.LIGHT


def is_dark() -> bool:
    return current_scheme() is Scheme.DARK


def colours() -> Colours:
    return COLOURS[current_scheme()]


def phase_colour(kind: PhaseKind) -> QColor:
    return QColor(colours().phases[kind])


def on_phase_colour() -> QColor:
    return QColor(colours().on_phase)


def error_colour() -> QColor:
    return QColor(colours().error)


def scheme_for(theme: str, system: Qt.ColorScheme) -> Scheme:
    """What a theme setting ("light", "dark", "system") shows, given the desktop's scheme."""
    if theme in (Scheme.LIGHT, Scheme.DARK):
        return Scheme(theme)
    return Scheme.DARK if system == Qt.ColorScheme.Dark else Scheme.LIGHT


class ThemeFollower(QObject):
    """Keeps the application's palette on the chosen theme, and, for "system", on the
    desktop's scheme as it changes. `changed` comes after each new palette is set."""

    changed = Signal(object)  # Scheme

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self.app = app
        self.theme = "system"
        self.system = app.styleHints().colorScheme()
        self.shown: Scheme | None = None  # none of ours yet: the platform's palette
        app.styleHints().colorSchemeChanged.connect(self._system_changed)

    def choose(self, theme: str) -> None:
        self.theme = theme
        hints = self.app.styleHints()
        # Where the platform honours it, the window frames follow too; "system" hands the
        # scheme back to the desktop.
        forced = {Scheme.LIGHT: Qt.ColorScheme.Light, Scheme.DARK: Qt.ColorScheme.Dark}
        hints.setColorScheme(forced.get(theme, Qt.ColorScheme.Unknown))
        if theme not in forced:
            self.system = hints.colorScheme()
        self._show()

    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.theme in (Scheme.LIGHT, Scheme.DARK):
            return  # our own setColorScheme, or a desktop change that a forced theme ignores
        self.system = scheme
        self._show()

    def _show(self) -> None:
        scheme = scheme_for(self.theme, self.system)
        if scheme is self.shown:
            return
        self.shown = scheme
        self.app.setPalette(palette_for(scheme))
        # The widgets take the new palette from posted events: then those coloured by a
        # style sheet, which keeps the palette it was polished with, are polished again.
        QTimer.singleShot(0, self, self._settle)

    def _settle(self) -> None:
        sheeted = [w for w in QApplication.allWidgets() if w.styleSheet()]
        for top in sheeted:  # and what is under it, which its sheet cascades to
            for widget in (top, *top.findChildren(QWidget)):
                widget.style().unpolish(widget)
                widget.style().polish(widget)
                widget.update()
        self.changed.emit(self.shown)


_followers: list[ThemeFollower] = []  # the one follower, kept alive from Python


def theme_follower() -> ThemeFollower | None:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return None
    if not _followers or _followers[0].app is not app:
        _followers[:] = [ThemeFollower(app)]
    return _followers[0]


def apply_theme(theme: str) -> None:
    """ "system" follows the desktop, live; "light" and "dark" force one."""
    follower = theme_follower()
    if follower is not None:
        follower.choose(theme)


def follow_theme(widget: QWidget, restyle: Callable[[], None]) -> None:
    """Call `restyle` whenever the theme changes, for as long as `widget` lives: for
    widgets coloured by a style sheet, which Qt's palette change does not reach."""
    follower = theme_follower()
    if follower is not None:
        _Restyler(widget, restyle, follower)


class _Restyler(QObject):
    def __init__(self, widget: QWidget, restyle: Callable[[], None], follower: ThemeFollower):
        super().__init__(widget)  # goes with the widget, and its connection with it
        self.restyle = restyle
        follower.changed.connect(self._changed)

    def _changed(self, _scheme: object) -> None:
        self.restyle()


def show_as_error(label: QWidget) -> None:
    """Draw a message in the theme's error colour, now and after each theme change."""

    def restyle() -> None:
        label.setStyleSheet(f"color: {colours().error};")

    restyle()
    follow_theme(label, restyle)


def picture_svg(path: Path) -> QByteArray:
    """An exercise picture's SVG drawn in the theme's inks: the shipped line drawings
    are recoloured (a light card behind them would glare in a dark room, and the
    figure would no longer match the text beside it); a picture in other colours is
    left as drawn."""
    try:
        svg = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return QByteArray()
    c = colours()
    svg = svg.replace(_HOUSE_INK, c.picture_ink).replace(_HOUSE_DETAIL, c.picture_detail)
    return QByteArray(svg.encode("utf-8"))


def picture_icon(path: Path, size_px: int) -> QIcon:
    """An exercise picture as an icon (the editor's picture list), in the theme's inks."""
    from PySide6.QtSvg import QSvgRenderer  # not before the window's first paint

    renderer = QSvgRenderer(picture_svg(path))
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    pixmap = QPixmap(QSize(size_px, size_px))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRect(0, 0, size_px, size_px))
    painter.end()
    return QIcon(pixmap)


# The ring around the control that has the keyboard: Fusion's own is a faint tint of the
# selection colour, easy to lose; this one is solid, 2 px, and reads on either theme.
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
    return QColor(colours().focus)


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
        elif element in _EDGED_PRIMITIVES:
            _edge(painter, option, round_=element is _RADIO)

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
        elif control is QStyle.ComplexControl.CC_SpinBox:
            _edge(painter, option, round_=False)

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


# Fusion outlines tick boxes, radio buttons, fields and spin boxes in a shade of the window's own
# colour: on dark, hardly there. Their edge is drawn again, at 3:1 against the window
# (WCAG 1.4.11, what shows a control's bounds).
_RADIO = QStyle.PrimitiveElement.PE_IndicatorRadioButton
_EDGED_PRIMITIVES = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    _RADIO,
    QStyle.PrimitiveElement.PE_FrameLineEdit,
)


def _edge(painter: QPainter, option: QStyleOption, *, round_: bool) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, round_)
    painter.setPen(QPen(QColor(colours().control_edge), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    rect = option.rect.adjusted(0, 0, -1, -1)
    if round_:
        painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
    else:
        painter.drawRect(rect)
    painter.restore()


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
