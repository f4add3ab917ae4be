"""Light and dark: chosen in Settings or followed from the desktop, live, everywhere (the
player's band and pictures, the charts), and every text readable (WCAG AA contrast)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from loosen.core.history import SessionRecord, Status
from loosen.core.history.trends import trends
from loosen.core.phases import PhaseKind
from loosen.ui.main_window import MainWindow
from loosen.ui.style import apply_theme, phase_colour
from player_journey import click

AA_TEXT = 4.5  # WCAG 2 AA, normal text
AA_INACTIVE = 3.0  # disabled controls are exempt from 1.4.3; 3:1 keeps them legible


def relative_luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mean_lightness(widget: QWidget) -> float:
    """How light the widget looks on screen: the mean lightness of a grid of its pixels."""
    image: QImage = widget.grab().toImage()
    samples = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), max(1, image.width() // 40))
        for y in range(0, image.height(), max(1, image.height() // 40))
    ]
    return sum(samples) / len(samples)


def looks_dark(widget: QWidget) -> bool:
    return mean_lightness(widget) < 100


def looks_light(widget: QWidget) -> bool:
    return mean_lightness(widget) > 180


def turns_dark(qtbot, widget: QWidget) -> None:
    """The widget is drawn dark once the events of the change have been handled."""
    qtbot.waitUntil(lambda: looks_dark(widget))


def turns_light(qtbot, widget: QWidget) -> None:
    qtbot.waitUntil(lambda: looks_light(widget))


def settle() -> None:
    """Every event a theme change posts, handled: what has not changed by now, never does."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def palette_is(theme: str) -> bool:
    """Whether the application's palette is the `theme` one ("light" or "dark")."""
    dark = QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return dark == (theme == "dark")


def choose_look(qtbot, window: MainWindow, theme: str) -> None:
    """Settings → Look → `theme` → OK, as a person does it."""
    click(qtbot, window.settings_button)
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.theme.setCurrentIndex(dialog.theme.findData(theme))
    click(qtbot, dialog.ok_button)
    assert window.settings_dialog is None


def desktop_switches_to(scheme: Qt.ColorScheme) -> None:
    """What Qt tells the app when the desktop's colour scheme changes (the offscreen
    platform has no desktop to change it)."""
    QGuiApplication.styleHints().colorSchemeChanged.emit(scheme)


def test_dark_in_settings_darkens_the_open_window_at_once_and_light_brings_it_back(
    qtbot, open_window, speaker
):
    window = open_window(speaker)
    assert looks_light(window)
    choose_look(qtbot, window, "dark")
    turns_dark(qtbot, window)
    turns_dark(qtbot, window.library_view.tree)  # the list too, not only the frame
    choose_look(qtbot, window, "light")
    turns_light(qtbot, window)


def test_following_the_system_switches_live_when_the_desktop_does(qtbot, open_window, speaker):
    window = open_window(speaker)
    apply_theme("system")
    desktop_switches_to(Qt.ColorScheme.Dark)
    turns_dark(qtbot, window)
    desktop_switches_to(Qt.ColorScheme.Light)
    turns_light(qtbot, window)


def test_a_chosen_theme_holds_when_the_desktop_changes(qtbot, open_window, speaker):
    window = open_window(speaker)
    choose_look(qtbot, window, "light")
    desktop_switches_to(Qt.ColorScheme.Dark)
    settle()
    assert looks_light(window)
    choose_look(qtbot, window, "system")
    desktop_switches_to(Qt.ColorScheme.Dark)
    turns_dark(qtbot, window)


def test_the_players_band_and_picture_follow_the_theme(qtbot, open_window, speaker):
    window = open_window(speaker)
    window.start_routine("post-run-cooldown")
    player = window.active.view
    assert player.picture.isVisible()  # get-ready shows the first step's picture
    kind = player.session.phase.kind

    def band_colour() -> QColor:
        return player.band.grab().toImage().pixelColor(2, 2)

    def lightest_ink() -> int:
        image = player.picture.grab().toImage()
        return max(
            image.pixelColor(x, y).lightness()
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y).alpha() > 0
        )

    light_band = band_colour()
    apply_theme("system")
    desktop_switches_to(Qt.ColorScheme.Dark)  # the evening comes mid-session
    turns_dark(qtbot, player)
    assert band_colour() == phase_colour(kind) != light_band
    # The line drawing is drawn in light ink on dark, not in its own dark grey.
    assert lightest_ink() > 200
    assert player.picture.grab().toImage().pixelColor(0, 0).lightness() < 100  # on dark


def record(n: int, days_ago: int, before: int, after: int) -> SessionRecord:
    started = datetime(2026, 11, 20, 7, tzinfo=UTC) - timedelta(days=days_ago, minutes=n)
    return SessionRecord(
        uid=f"s{n}",
        routine="post-run-cooldown",
        routine_name="Post-run cooldown",
        kind="cooldown",
        started_at=started,
        ended_at=started + timedelta(minutes=10),
        status=Status.COMPLETED,
        planned_s=600.0,
        active_s=600.0,
        steps_done=8,
        tightness_before=before,
        tightness_after=after,
    )


def test_the_charts_are_drawn_again_in_the_new_themes_colours(qtbot):
    from loosen.ui.history_charts import ChartsPanel

    apply_theme("light")
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 300)
    records = [record(n, n, 7, 3) for n in range(6)]
    panel.set_trends(trends(records, date(2026, 11, 20), UTC, frozenset({"post-run-cooldown"})))
    panel.show()

    def drawn() -> tuple[QColor, QColor, QColor, str]:
        chart = panel.tightness
        return (
            chart.backgroundBrush().color(),
            chart.getAxis("left").textPen().color(),
            QColor(panel.effects.bars.opts["brushes"][0].rgb()),  # without its alpha
            panel.titles[0].text(),
        )

    light = drawn()
    apply_theme("dark")
    qtbot.waitUntil(lambda: drawn()[0] != light[0])
    background, axis_text, bar, title = drawn()
    palette = QApplication.palette()
    assert background == palette.color(QPalette.ColorRole.Base) != light[0]
    assert axis_text == palette.color(QPalette.ColorRole.Text) != light[1]
    assert bar.rgb() == phase_colour(PhaseKind.WORK).rgb() != light[2].rgb()  # looser: "work"
    assert phase_colour(PhaseKind.REST).name() in title  # the legend's dot, too
    turns_dark(qtbot, panel)


# -- contrast ---------------------------------------------------------------------------

ROLE = QPalette.ColorRole
TEXT_ON = [
    (ROLE.WindowText, ROLE.Window),
    (ROLE.Text, ROLE.Base),
    (ROLE.Text, ROLE.AlternateBase),
    (ROLE.ButtonText, ROLE.Button),
    (ROLE.HighlightedText, ROLE.Highlight),
    (ROLE.ToolTipText, ROLE.ToolTipBase),
    (ROLE.PlaceholderText, ROLE.Base),
    (ROLE.Link, ROLE.Base),
    (ROLE.Link, ROLE.Window),
]
DISABLED_ON = [
    (ROLE.WindowText, ROLE.Window),
    (ROLE.Text, ROLE.Base),
    (ROLE.ButtonText, ROLE.Button),
]
PHASES = list(PhaseKind)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_text_of_the_palette_reads_at_wcag_aa(qapp, theme):
    apply_theme(theme)
    assert palette_is(theme)
    palette = QApplication.palette()
    low = {
        f"{fore.name}/{back.name}": round(ratio, 2)
        for fore, back in TEXT_ON
        if (ratio := contrast(palette.color(fore), palette.color(back))) < AA_TEXT
    }
    assert low == {}
    disabled = QPalette.ColorGroup.Disabled
    low = {
        f"disabled {fore.name}/{back.name}": round(ratio, 2)
        for fore, back in DISABLED_ON
        if (ratio := contrast(palette.color(disabled, fore), palette.color(disabled, back)))
        < AA_INACTIVE
    }
    assert low == {}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_phase_colours_read_as_text_and_carry_text(qapp, theme):
    """The clock is drawn in its phase's colour on the window; the band's labels are
    drawn on the phase colour."""
    from loosen.ui.style import on_phase_colour

    apply_theme(theme)
    assert palette_is(theme)
    window = QApplication.palette().color(ROLE.Window)
    low = {
        kind.name: (round(contrast(phase_colour(kind), window), 2), round(on_band, 2))
        for kind in PHASES
        if min(
            contrast(phase_colour(kind), window),
            on_band := contrast(on_phase_colour(), phase_colour(kind)),
        )
        < AA_TEXT
    }
    assert low == {}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_error_messages_read_on_the_window(qtbot, theme):
    from loosen.ui.editor.fields import error_label

    apply_theme(theme)
    label = error_label()
    qtbot.addWidget(label)
    label.setText("steps[1].duration: not a duration")
    label.show()

    def reads() -> bool:
        shown = label.palette().color(label.foregroundRole())
        return contrast(shown, QApplication.palette().color(ROLE.Window)) >= AA_TEXT

    settle()
    assert palette_is(theme) and reads()
    other = "dark" if theme == "light" else "light"
    apply_theme(other)
    assert palette_is(other)
    qtbot.waitUntil(reads)  # an error on screen when the theme changes follows it


# -- colour is never the only signal ------------------------------------------------------


def test_each_phase_is_named_in_words_on_the_band_not_only_coloured(
    qtbot, open_window, speaker, clock
):
    window = open_window(speaker)
    window.start_routine("post-run-cooldown")  # per-side holds: every kind of phase
    player = window.active.view
    named: dict[PhaseKind, str] = {}
    colours: dict[PhaseKind, str] = {}
    wanted = {PhaseKind.GET_READY, PhaseKind.WORK, PhaseKind.SWITCH, PhaseKind.REST}
    while not wanted <= named.keys():
        kind = player.session.phase.kind
        assert player.kind_label.isVisible()
        named.setdefault(kind, player.kind_label.text())
        colours.setdefault(kind, player.band.grab().toImage().pixelColor(2, 2).name())
        clock.advance(1.0)
        player.driver.timer.timeout.emit()
    # Every kind its own words, so one who cannot tell the colours apart reads which it is.
    assert named == {
        PhaseKind.GET_READY: "Get ready",
        PhaseKind.WORK: "Work",
        PhaseKind.SWITCH: "Switch sides",
        PhaseKind.REST: "Rest",
    }
    assert len(set(colours.values())) == len(colours)  # and its own colour, for the rest


@pytest.fixture
def app_style(qapp):
    """The app's own style, as `loosen` installs it; the previous one back afterwards."""
    from loosen.ui.style import install_style

    before = qapp.style().name()
    install_style(qapp)
    yield
    qapp.setStyle(before)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_an_unticked_box_and_an_empty_field_show_their_edges(qtbot, app_style, theme):
    """What shows a control is there keeps 3:1 against the window (WCAG 1.4.11)."""
    from PySide6.QtWidgets import QCheckBox, QLineEdit, QVBoxLayout

    apply_theme(theme)
    page = QWidget()
    qtbot.addWidget(page)
    box, field = QCheckBox("Beeps"), QLineEdit()
    column = QVBoxLayout(page)
    column.addWidget(box)
    column.addWidget(field)
    page.show()
    settle()
    window = QApplication.palette().color(ROLE.Window)

    def edge_contrast(widget: QWidget, width: int) -> float:
        image = widget.grab().toImage()
        return max(
            contrast(image.pixelColor(x, y), window)
            for x in range(min(width, image.width()))
            for y in range(image.height())
        )

    assert edge_contrast(box, box.height()) >= AA_INACTIVE  # the box, not its text
    assert edge_contrast(field, field.width()) >= AA_INACTIVE
