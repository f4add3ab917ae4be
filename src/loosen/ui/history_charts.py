"""The history charts, drawn with pyqtgraph: tightness over time, change per routine, calendar.

Imported only when the history view first shows its charts (pyqtgraph and numpy take
about a third of a second to import), so the app starts without them. Each chart
takes the plain series computed in core/history/trends.py and keeps its plot items
as attributes, so tests can read back exactly what was drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QSizePolicy, QWidget

from loosen.core.counts import count_of
from loosen.core.history.insights import Effect
from loosen.core.history.records import TIGHTNESS_MAX, TIGHTNESS_MIN
from loosen.core.history.trends import (
    Activity,
    AfterSeries,
    CalendarDay,
    HistoryTrends,
    TimePoint,
)
from loosen.core.phases import PhaseKind
from loosen.ui.style import phase_colour

CHART_MIN_HEIGHT_PX = 170
GAP_S = 7 * 86_400.0  # the rolling mean's window: past it the line has nothing to say


def _palette() -> QPalette:
    return QApplication.palette()


def _with_alpha(colour: QColor, alpha: int) -> QColor:
    faded = QColor(colour)
    faded.setAlpha(alpha)
    return faded


class _Chart(pg.PlotWidget):
    """A calm, still plot: the window's colours, no mouse zoom, no context menu."""

    def __init__(self, parent: QWidget | None = None, **kwargs: object) -> None:
        super().__init__(parent, **kwargs)
        self.follow_palette()
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        self.setMinimumHeight(CHART_MIN_HEIGHT_PX)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def follow_palette(self) -> None:
        """The background and axes in the application's colours (again, after a theme change)."""
        palette = _palette()
        self.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        for name in ("left", "bottom"):
            axis = self.getAxis(name)
            axis.setPen(_with_alpha(text, 90))
            axis.setTextPen(text)


class _AfterLine:
    """One activity's ratings (dots) and weekly mean (a line) in the tightness chart."""

    def __init__(self, chart: pg.PlotWidget, colour: QColor, symbol: str, dash: bool) -> None:
        self.points = pg.ScatterPlotItem(
            size=7, symbol=symbol, pen=None, brush=_with_alpha(colour, 120)
        )
        style = Qt.PenStyle.DashLine if dash else Qt.PenStyle.SolidLine
        self.mean_curve = pg.PlotDataItem(pen=pg.mkPen(colour, width=2.5, style=style))
        chart.addItem(self.points)
        chart.addItem(self.mean_curve)

    def set_series(self, after: list[TimePoint], weekly_mean: list[TimePoint]) -> None:
        self.points.setData(x=[p.at.timestamp() for p in after], y=[p.value for p in after])
        # A gap of more than a week (no sessions) breaks the line rather than bridging it.
        x: list[float] = []
        y: list[float] = []
        for point in weekly_mean:
            if x and point.at.timestamp() - x[-1] > GAP_S:
                x.append(x[-1])
                y.append(np.nan)
            x.append(point.at.timestamp())
            y.append(point.value)
        self.mean_curve.setData(x=np.asarray(x), y=np.asarray(y), connect="finite")


# How each activity is drawn: colour, dot shape (with the same shape as a character, for
# the title that names them) and line style, so shape alone tells the two apart (colour
# is never the only signal).
_ACTIVITY_LOOK = {
    Activity.STRETCHING: (PhaseKind.REST, "o", "●", False),
    Activity.RUNS: (PhaseKind.ACTIVITY, "t", "▼", True),
}
ACTIVITY_LABELS = {Activity.STRETCHING: "stretching", Activity.RUNS: "runs"}
TIGHTNESS_TITLE = "Back after"


class TightnessChart(_Chart):
    """Tightness after each session (dots) and its rolling weekly mean (a line), for
    stretching and for runs apart: a run tightens more, so one line would follow the mix."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.lines: dict[Activity, _AfterLine] = {}
        for activity, (kind, symbol, _glyph, dash) in _ACTIVITY_LOOK.items():
            self.lines[activity] = _AfterLine(self, phase_colour(kind), symbol, dash)
        self.shown: list[Activity] = []  # the activities drawn, for the title to name
        self.setYRange(TIGHTNESS_MIN, TIGHTNESS_MAX, padding=0.05)
        left = self.getAxis("left")
        left.setTicks([[(v, str(v)) for v in range(TIGHTNESS_MIN, TIGHTNESS_MAX + 1, 2)]])

    def title(self) -> str:
        """The chart's title, naming each line drawn with its shape: the legend, kept
        out of the plot so it never covers a point."""
        if not self.shown:
            return f"{TIGHTNESS_TITLE} sessions · 7-day mean"
        keys = []
        for activity in self.shown:
            kind, _symbol, glyph, _dash = _ACTIVITY_LOOK[activity]
            colour = phase_colour(kind).name()
            keys.append(f'<span style="color:{colour}">{glyph}</span> {ACTIVITY_LABELS[activity]}')
        return f"{TIGHTNESS_TITLE} " + " &nbsp;".join(keys)

    def set_series(
        self,
        series: Sequence[AfterSeries],
        empty_span: tuple[date, date] | None = None,
    ) -> None:
        """`empty_span`: the days the axis covers when there is nothing to draw (else
        an empty date axis shows fractions of a second of 1970)."""
        for one in series:
            self.lines[one.activity].set_series(one.points, one.weekly_mean)
        self.shown = [one.activity for one in series if one.points]
        stamps = [p.at.timestamp() for one in series for p in one.points]
        day_s = 86_400.0
        if stamps:
            self.setXRange(min(stamps) - day_s, max(stamps) + day_s, padding=0.02)
        elif empty_span is not None:
            start, end = (datetime.combine(d, time()).astimezone().timestamp() for d in empty_span)
            self.setXRange(start, end + day_s, padding=0.02)


class EffectChart(_Chart):
    """Mean change per routine as horizontal bars (right = looser), with its 90 % interval.

    Each bar has its routine and the number of sessions behind it written above it; a
    routine with too few sessions to rank is drawn faint and says "not enough yet".
    """

    BAR_HEIGHT = 0.32
    BAR_OFFSET = -0.22  # bars sit low in their row, the label above them
    MAX_LABEL_CHARS = 26  # long routine names are cut so the label fits a narrow chart

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars = pg.BarGraphItem(x0=[], width=[], y=[], height=self.BAR_HEIGHT)
        self.errors = pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0), beam=0.1)
        self.addItem(self.bars)
        self.addItem(self.errors)
        self.zero = pg.InfiniteLine(pos=0, angle=90)
        self.addItem(self.zero)
        self.labels: list[pg.TextItem] = []
        left = self.getAxis("left")
        left.setTicks([[]])
        left.setStyle(showValues=False)
        left.setWidth(4)
        self.getAxis("bottom").setLabel("points looser")
        self.effects: list[Effect] = []

    @classmethod
    def label_text(cls, effect: Effect) -> str:
        name = effect.routine_name
        if len(name) > cls.MAX_LABEL_CHARS:
            name = name[: cls.MAX_LABEL_CHARS - 1].rstrip() + "…"
        removed = "" if effect.exists else " (removed)"
        note = "" if effect.enough else ", not enough yet"
        return f"{name}{removed} · {effect.n}{note}"

    def set_effects(self, effects: list[Effect]) -> None:
        self.effects = list(effects)
        looser = phase_colour(PhaseKind.WORK)
        tighter = phase_colour(PhaseKind.GET_READY)
        text = _palette().color(QPalette.ColorRole.Text)
        self.zero.setPen(pg.mkPen(_with_alpha(text, 120), width=1))
        # Best on top: the first effect gets the highest row.
        rows = [len(effects) - 1 - i for i in range(len(effects))]
        centres = [row + self.BAR_OFFSET for row in rows]
        means = [e.mean_change for e in effects]
        brushes = [
            _with_alpha(looser if e.mean_change >= 0 else tighter, 230 if e.enough else 70)
            for e in effects
        ]
        self.bars.setOpts(
            x0=[min(0.0, m) for m in means],
            width=[abs(m) for m in means],
            y=centres,
            height=self.BAR_HEIGHT,
            brushes=brushes,
            pen=pg.mkPen(None),
        )
        # The 90 % interval of each mean (insights.py): never zero-wide, so never "certain".
        lows = [e.stat.low if e.stat.low is not None else e.mean_change for e in effects]
        highs = [e.stat.high if e.stat.high is not None else e.mean_change for e in effects]
        self.errors.setData(
            x=np.asarray(means, dtype=float),
            y=np.asarray(centres, dtype=float),
            left=np.asarray(means, dtype=float) - np.asarray(lows, dtype=float),
            right=np.asarray(highs, dtype=float) - np.asarray(means, dtype=float),
            pen=pg.mkPen(_with_alpha(text, 150)),
        )
        for label in self.labels:
            self.removeItem(label)
        self.labels = []
        low = min([0.0, *lows])
        high = max([1.0, *highs])
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        for row, effect in zip(rows, effects, strict=True):
            label = pg.TextItem(self.label_text(effect), color=text, anchor=(0, 1))
            label.setFont(font)
            label.textItem.document().setDocumentMargin(0)  # rows are tight: no padding
            label.setPos(low, row + self.BAR_OFFSET + self.BAR_HEIGHT / 2 + 0.04)
            self.addItem(label)
            self.labels.append(label)
        self.setRange(xRange=(low, high), yRange=(-0.5, max(len(effects), 1) - 0.5), padding=0.04)


class CalendarChart(_Chart):
    """The last months as a grid, a column per week (Monday on top): days with sessions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cells = pg.BarGraphItem(x0=[], width=[], y0=[], height=[])
        self.addItem(self.cells)
        self.getPlotItem().setAspectLocked(True)
        self.getAxis("left").setTicks([[(6, "Mon"), (4, "Wed"), (2, "Fri"), (0, "Sun")]])
        self.days: list[CalendarDay] = []

    @staticmethod
    def position(first: date, day: date) -> tuple[int, int]:
        """(column, row) of a day: its week since `first`, and Monday = 6 down to Sunday = 0."""
        return (day - first).days // 7, 6 - day.weekday()

    def set_days(self, days: list[CalendarDay]) -> None:
        self.days = list(days)
        if not days:
            self.cells.setOpts(x0=[], width=[], y0=[], height=[])
            return
        first = days[0].day - timedelta(days=days[0].day.weekday())
        done = phase_colour(PhaseKind.WORK)
        empty = _palette().color(QPalette.ColorRole.Mid)
        today_pen = pg.mkPen(_palette().color(QPalette.ColorRole.Text), width=1.5)
        x0, y0, brushes, pens = [], [], [], []
        for day in days:
            column, row = self.position(first, day.day)
            x0.append(column + 0.08)
            y0.append(row - 0.42)
            if day.sessions == 0:
                brushes.append(_with_alpha(empty, 70))
            else:
                brushes.append(_with_alpha(done, min(255, 110 + 70 * (day.sessions - 1))))
            pens.append(today_pen if day is days[-1] else None)
        size = [0.84] * len(days)
        self.cells.setOpts(x0=x0, width=size, y0=y0, height=size, brushes=brushes, pens=pens)
        ticks = []
        for day in days:
            if day.day.day == 1 or day is days[0]:
                column, _ = self.position(first, day.day)
                ticks.append((column + 0.5, day.day.strftime("%b")))
        if len(ticks) > 1 and ticks[1][0] - ticks[0][0] < 2:
            ticks.pop(0)  # the first week's label would run into the next month's
        self.getAxis("bottom").setTicks([ticks])
        weeks = (days[-1].day - first).days // 7 + 1
        # One call, so the locked aspect widens whichever range it must and cuts neither.
        self.setRange(xRange=(0, weeks), yRange=(-0.5, 6.5), padding=0.01)


# What each chart is, for a screen reader (its name), and what it shows (its description,
# with the weeks it covers once drawn): a picture with no words is silent otherwise.
CHART_NAMES = (
    "Tightness after each session",
    "Change in tightness per routine",
    "Days with a session",
)
CHART_DESCRIPTIONS = (
    "Tightness after each session, 0 loose to 10 very tight, with its 7-day mean{span}",
    "How much looser each routine leaves your back on average, with its 90 % interval",
    "A grid of the days with a session, a column per week{span}",
)


def _span_text(first: date, last: date) -> str:
    weeks = max(1, round(((last - first).days + 1) / 7))
    return f", last {count_of(weeks, 'week')} ({first.day} {first:%b} to {last.day} {last:%b %Y})"


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label


class ChartsPanel(QWidget):
    """The three charts side by side, each under a title, and the streak line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trends: HistoryTrends | None = None  # what is drawn, to draw again in a new theme
        self.tightness = TightnessChart()
        self.effects = EffectChart()
        self.calendar = CalendarChart()
        self.streak = QLabel(objectName="streak", wordWrap=True)
        self.charts = (self.tightness, self.effects, self.calendar)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        titles = (
            self.tightness.title(),
            "Change per routine · sessions",
            "Days with a session",
        )
        self.titles: list[QLabel] = []
        for column, (title, chart) in enumerate(
            zip(titles, (self.tightness, self.effects, self.calendar), strict=True)
        ):
            label = _title(title)
            self.titles.append(label)
            # Titles may be cut at narrow widths rather than push the columns apart.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setToolTip(chart.__doc__.splitlines()[0] if chart.__doc__ else "")
            chart.setAccessibleName(CHART_NAMES[column])
            chart.setAccessibleDescription(CHART_DESCRIPTIONS[column].format(span=""))
            grid.addWidget(label, 0, column)
            grid.addWidget(chart, 1, column)
            grid.setColumnStretch(column, 1)
        grid.addWidget(self.streak, 2, 2, Qt.AlignmentFlag.AlignTop)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # The theme changed: everything drawn again in its colours.
            for chart in (self.tightness, self.effects, self.calendar):
                chart.follow_palette()
            if self.trends is not None:
                self.set_trends(self.trends)

    def set_trends(self, trends: HistoryTrends) -> None:
        self.trends = trends
        days = trends.adherence.days
        span = (days[0].day, days[-1].day) if days else None
        self.tightness.set_series(trends.after, empty_span=span)
        self.titles[0].setText(self.tightness.title())
        self.effects.set_effects(trends.effects)
        self.calendar.set_days(trends.adherence.days)
        span_text = _span_text(*span) if span else ""
        for chart, description in zip(self.charts, CHART_DESCRIPTIONS, strict=True):
            chart.setAccessibleDescription(description.format(span=span_text))
        self.streak.setText(streak_text(trends))


def streak_text(trends: HistoryTrends) -> str:
    streaks = trends.adherence.streaks
    current = f"{streaks.current} day" + ("" if streaks.current == 1 else "s")
    return (
        f"Streak: {current} · longest {streaks.longest} · "
        f"{trends.adherence.active_days_28} of 28 days"
    )
