"""The player: a running session, readable from a mat three metres away.

The display is recomputed from the session whenever the driver hands on events: what
it shows is the session's readout (core/readout.py), mapped here onto widgets, colours
and fonts; nothing here keeps time or composes text. The remaining time is the largest
thing on screen, then the step and side, then the instruction and picture.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from loosen.core.counts import count_of
from loosen.core.cues import Cue, CueKind
from loosen.core.duration import format_clock
from loosen.core.phases import Phase, PhaseKind
from loosen.core.readout import (
    BreakState,
    PlayerAction,
    announcement,
    cue_on_screen,
    perform,
    readout,
)
from loosen.core.session import (
    CueDue,
    Event,
    Paused,
    PhaseStarted,
    Resumed,
    Session,
    SessionFinished,
    State,
    Summary,
)
from loosen.speech.beeps import Beep
from loosen.speech.speaker import Speaker
from loosen.ui import a11y
from loosen.ui.driver import SessionDriver
from loosen.ui.elided_label import ElidedLabel
from loosen.ui.keymap import PLAYER_KEYS, bind_keys, key_for
from loosen.ui.keys_help import bind_keys_help
from loosen.ui.rating import TEN_WINDOW_MS, RatingRow
from loosen.ui.style import on_phase_colour, phase_colour, picture_svg

PAUSED_TEXT = "PAUSED"
PAUSED_CLOCK_ALPHA = 90  # of 255: the clock stands still, dimmed, above PAUSED
PAUSED_GAP_PX = 6  # between the clock's figures and PAUSED
MUTED_TEXT = "Muted — M to unmute"
BEFORE_QUESTION = (
    "How tight is your back now? Press 0–9, or 1 then 0 for 10 (0 loose, 10 very tight)"
)
BEFORE_CHOSEN = "Your back before: {value} of 10 · another digit changes it"
AFTER_QUESTION = "How is your back now? One digit, 0 loose to 10 very tight · Esc skips"
# What the clock and the picture may shrink to, so the player fits 800×600 with a frame.
MIN_CLOCK_SIZE = QSize(200, 90)
MIN_PICTURE_SIZE = QSize(64, 64)
MIN_CLOCK_PX = 48
CLOCK_LINE_RATIO = 1.2  # a line of text is about this many times its font's pixel size
# Narrow enough that the player fits across 200 % of an 800×600 screen (384 px inside
# the frame) with a scroll bar beside it.
BODY_MARGIN_PX = 16


class PlayerView(QWidget):
    """Plays one session; emits `finished` once, when it completes or is stopped."""

    finished = Signal(object, bool)  # Summary, completed
    before_rated = Signal(int)  # the "how tight now?" answer given during get-ready
    mute_toggled = Signal(bool)
    full_screen_toggled = Signal()

    def __init__(
        self,
        session: Session,
        speaker: Speaker,
        parent: QWidget | None = None,
        *,
        muted: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("player")
        # The player itself has the keyboard: what a screen reader says when it opens.
        a11y.name(self, f"{session.routine.name}: player", "F1 lists the keys")
        self.session = session
        self.speaker = speaker
        self.muted = muted
        self.driver = SessionDriver(session, self)
        self.driver.events.connect(self.handle_events)
        self.driver.woke.connect(self.refresh)
        self.last_cue = ""
        self._clock_px = MIN_CLOCK_PX  # the clock's size as the window gives it
        self.stop_question: QMessageBox | None = None  # open while Esc's question is asked
        self._after_question: list[Callable[[bool], None]] = []
        self._build()
        self._bind_keys()
        self.mute_button.setVisible(muted)
        speaker.prepare([c.text for c in session.plan.cues])
        self.refresh()

    # -- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.band = QFrame(objectName="phaseBand")
        self.band.setAutoFillBackground(True)
        # Elided, not cut, when a large scale leaves them little room.
        self.kind_label = ElidedLabel(objectName="phaseKind")
        self.position_label = ElidedLabel(objectName="position")
        self.position_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        # Muted says so where the eye goes first, and one click (or M) undoes it.
        self.mute_button = QPushButton(MUTED_TEXT, objectName="mutedIndicator")
        self.mute_button.setToolTip("Cues, beeps and reminders are silent; M or a click unmutes")
        self.mute_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.mute_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.mute_button.clicked.connect(self.toggle_mute)
        keeps_its_room = self.mute_button.sizePolicy()
        keeps_its_room.setRetainSizeWhenHidden(True)  # M makes nothing else on screen move
        self.mute_button.setSizePolicy(keeps_its_room)
        band_layout = QHBoxLayout(self.band)
        band_layout.setContentsMargins(18, 8, 18, 8)
        # The two side labels share the room equally, so the muted sign stays centred
        # however long "Work · paused" or "Step 3 of 8" grows.
        self.kind_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.position_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.position_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        band_layout.addWidget(self.kind_label, 1)
        band_layout.addWidget(self.mute_button)
        band_layout.addWidget(self.position_label, 1)

        self.step_label = QLabel(objectName="stepName")
        self.step_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.step_label.setWordWrap(True)
        self.side_label = QLabel(objectName="side")
        self.side_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time_label = QLabel(objectName="remaining")
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # The clock's font follows the window (resizeEvent); its text must not in turn
        # hold the window up, or a window opened large could never shrink to a small screen.
        self.time_label.setMinimumSize(MIN_CLOCK_SIZE)
        # PAUSED floats just under the dimmed clock's figures, over what is least needed
        # while nothing runs (the rep line): seen from the mat, the figures still whole,
        # and nothing moves. It is placed by hand (_place_paused), outside any layout.
        self.paused_label = QLabel(PAUSED_TEXT, self, objectName="pausedBanner")
        self.paused_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_label.setVisible(False)
        self.time_label.installEventFilter(self)
        self.reps_label = QLabel(objectName="reps")
        self.reps_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reps_label.setWordWrap(True)  # a run's break line is long at 800 px

        self.picture = QSvgWidget(objectName="picture")
        self.picture.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.picture.setMinimumSize(MIN_PICTURE_SIZE)
        self.picture.setMaximumSize(QSize(150, 150))
        self.say_label = QLabel(objectName="say")
        self.say_label.setWordWrap(True)
        self.say_label.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        self.say_label.setTextFormat(Qt.TextFormat.PlainText)
        self.say_label.setMaximumWidth(720)
        self.say_label.installEventFilter(self)
        detail = QHBoxLayout()
        detail.addStretch(1)
        detail.addWidget(self.picture)
        detail.addSpacing(16)
        detail.addWidget(self.say_label, 3)
        detail.addStretch(1)

        self.phase_bar = QProgressBar(objectName="phaseBar", textVisible=False)
        self.phase_bar.setRange(0, 1000)
        self.phase_bar.setFixedHeight(14)
        self.next_label = QLabel(objectName="next")
        self.next_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.session_bar = QProgressBar(objectName="sessionBar", textVisible=False)
        self.session_bar.setRange(0, 1000)
        self.session_bar.setFixedHeight(6)
        a11y.name(self.phase_bar, "Progress through this step")
        a11y.name(self.session_bar, "Progress through the session")
        self.session_label = QLabel(objectName="sessionLeft")
        session_row = QHBoxLayout()
        session_row.addWidget(self.session_bar, 1)
        session_row.addWidget(self.session_label)

        self.cue_label = QLabel(objectName="cue")  # the last spoken cue, for reading
        self.cue_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cue_label.setWordWrap(True)

        self.rating_row = RatingRow(BEFORE_QUESTION)
        self.rating_row.rated.connect(self._rated_before)
        # After a short desk break: the one-key rating, here rather than in a dialog.
        self.after_row = RatingRow(AFTER_QUESTION)
        self.after_row.setObjectName("afterRating")
        self.after_row.setVisible(False)
        self.after_row.rated.connect(self._rated_after)
        self._after_answered: Callable[[int | None], None] | None = None
        # "1" may be the start of "10": it is taken once this window has passed.
        self._after_one = QTimer(self, singleShot=True, interval=TEN_WINDOW_MS)
        self._after_one.timeout.connect(lambda: self._answer_after(1))

        self.back_button = QPushButton("◀ Back")
        self.pause_button = QPushButton("Pause")
        self.skip_button = QPushButton("Skip ▶")
        self.done_button = QPushButton("Done")
        self.break_button = QPushButton("Take the break now")
        self.stop_button = QPushButton("Stop")
        for button, action in (
            (self.back_button, "back"),
            (self.pause_button, "toggle_pause"),
            (self.skip_button, "skip"),
            (self.done_button, "done"),
            (self.break_button, "take_break"),
            (self.stop_button, "stop"),
        ):
            keys = key_for(PLAYER_KEYS, action)
            button.setToolTip(keys.label)
            button.setAccessibleDescription(f"{keys.does} ({keys.label})")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the player
        self.back_button.clicked.connect(lambda: self.act(PlayerAction.BACK))
        self.pause_button.clicked.connect(lambda: self.act(PlayerAction.TOGGLE_PAUSE))
        self.skip_button.clicked.connect(lambda: self.act(PlayerAction.SKIP))
        self.done_button.clicked.connect(lambda: self.act(PlayerAction.DONE))
        self.break_button.clicked.connect(lambda: self.act(PlayerAction.TAKE_BREAK))
        self.stop_button.clicked.connect(lambda: self.ask_stop())
        self._buttons = (
            self.back_button,
            self.pause_button,
            self.skip_button,
            self.done_button,
            self.break_button,
            self.stop_button,
        )
        controls = QHBoxLayout()
        controls.addStretch()
        for button in self._buttons:
            controls.addWidget(button)
        controls.addStretch()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.addWidget(self.band)
        body = QVBoxLayout()
        body.setContentsMargins(BODY_MARGIN_PX, 8, BODY_MARGIN_PX, 0)
        body.addWidget(self.step_label)
        body.addWidget(self.side_label)
        body.addWidget(self.time_label, 3)
        body.addWidget(self.reps_label)
        body.addLayout(detail, 2)
        body.addWidget(self.phase_bar)
        body.addWidget(self.next_label)
        body.addWidget(self.cue_label)
        body.addLayout(session_row)
        body.addWidget(self.rating_row)
        body.addWidget(self.after_row)
        body.addLayout(controls)
        layout.addLayout(body)

    def _bind_keys(self) -> None:
        slots: dict[str, Callable[[], object]] = {
            "toggle_pause": lambda: self.act(PlayerAction.TOGGLE_PAUSE),
            "skip": lambda: self.act(PlayerAction.SKIP),
            "back": lambda: self.act(PlayerAction.BACK),
            "done": lambda: self.act(PlayerAction.DONE),
            "take_break": lambda: self.act(PlayerAction.TAKE_BREAK),
            "stop": self._escape,
            "full_screen": self.full_screen_toggled.emit,
            "mute": self.toggle_mute,
        }
        self.shortcuts: list[QShortcut] = bind_keys(self, PLAYER_KEYS, slots)
        for digit in key_for(PLAYER_KEYS, "digit").keys:
            shortcut = QShortcut(QKeySequence(digit), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=int(digit): self._digit(d))
            self.shortcuts.append(shortcut)
        bind_keys_help(self, "Player", PLAYER_KEYS)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # -- driving ---------------------------------------------------------------------

    def start(self) -> None:
        self.setFocus()
        self.driver.start()
        if self.rating_row.isVisibleTo(self):
            # After the first phase's announcement: the one question asked meanwhile.
            a11y.announce(self, BEFORE_QUESTION)

    def act(self, action: PlayerAction) -> None:
        """Run a player action; one that makes no sense now is simply not offered."""
        action = PlayerAction(action)  # its name ("stop") names it too: a StrEnum
        events = perform(self.session, action)
        if events is None:
            return
        if action.leaves_phase:
            self.speaker.stop()  # whatever was being said belongs to the phase left behind
        self.driver.act(events)
        if not events:
            self.refresh()

    def handle_events(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, CueDue):
                self._say(event.cue)
            elif isinstance(event, PhaseStarted):
                self._phase_beep(event.phase)
                # Said once, as the phase starts: the clock's every second is not news.
                a11y.announce(self, announcement(event.phase))
            elif isinstance(event, Paused | Resumed):
                if isinstance(event, Paused):
                    self.speaker.stop()
            elif isinstance(event, SessionFinished):
                if self.stop_question is not None:  # stopped meanwhile (the app is quitting)
                    self.stop_question.reject()
                self.refresh()
                self.finished.emit(event.summary, event.completed)
                return
        self.refresh()

    def _say(self, cue: Cue) -> None:
        if cue_on_screen(cue):
            self.last_cue = cue.text
        if self.muted:
            return
        self.speaker.speak(cue.text)
        if cue.kind is CueKind.COUNTDOWN:
            self.speaker.beep(Beep.TICK)

    def _phase_beep(self, phase: Phase) -> None:
        if not self.muted:
            # A run's efforts are each a start: a sprint, or the walk back after it.
            going = phase.kind is PhaseKind.WORK or phase.is_effort
            self.speaker.beep(Beep.START if going else Beep.REST)

    def toggle_mute(self) -> None:
        self.set_muted(not self.muted)
        self.mute_toggled.emit(self.muted)

    def set_muted(self, muted: bool) -> None:
        """Silence (or not) what comes next, cutting off what is being said; shown on screen."""
        self.muted = muted
        self.speaker.set_muted(muted)
        if muted:
            self.speaker.stop()
        self.mute_button.setVisible(muted)

    @staticmethod
    def confirm_stop(parent: QWidget, answered: Callable[[bool], None]) -> QMessageBox:
        """Ask before stopping (Esc, or the window closed), window-modal: the event loop
        runs on, and `answered(yes)` comes when the user has said."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Stop this session?",
            "Stop now? What you have done so far is kept in your history as stopped.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            parent,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.finished.connect(lambda _: answered(box.clickedButton() is yes))
        box.open()
        return box

    def ask_stop(self, then: Callable[[bool], None] | None = None) -> None:
        """Stop if the user says so; `then(over)` once they have: True when the session
        is over (stopped now, or before)."""
        if self.session.state not in (State.RUNNING, State.PAUSED):
            if then is not None:
                then(True)
            return
        if then is not None:
            self._after_question.append(then)
        if self.stop_question is not None:  # asked already: the same question, in front
            self.stop_question.activateWindow()
            return
        was_running = self.session.state is State.RUNNING
        if was_running:
            self.act(PlayerAction.PAUSE)  # the clock should not run while the question is open

        def answered(yes: bool) -> None:
            question, self.stop_question = self.stop_question, None
            if question is not None:
                question.deleteLater()
            if self.session.state in (State.RUNNING, State.PAUSED):
                if yes:
                    self.act(PlayerAction.STOP)
                elif was_running:
                    self.act(PlayerAction.RESUME)
            over = self.session.state is State.FINISHED
            waiting, self._after_question = self._after_question, []
            for then in waiting:
                then(over)

        self.stop_question = type(self).confirm_stop(self, answered)

    def _digit(self, digit: int) -> None:
        if self._after_answered is not None:
            self.after_row.type_digit(digit)
        elif self.rating_row.isVisible():
            self.rating_row.type_digit(digit)

    def _escape(self) -> None:
        if self._after_answered is not None:
            self._answer_after(None)  # the light rating, skipped
        else:
            self.ask_stop()

    def ask_after(self, answered: Callable[[int | None], None]) -> None:
        """Once the session is over: "how is your back now?" on this screen, one key;
        `answered(value)`, None when skipped (Esc)."""
        self._after_answered = answered
        self.rating_row.setVisible(False)
        self.after_row.setVisible(True)
        self.setFocus()
        a11y.announce(self, AFTER_QUESTION, urgent=True)

    def _rated_after(self, value: int) -> None:
        self._after_one.stop()
        if value == 1:
            self._after_one.start()  # a "0" next makes it ten
        else:
            self._answer_after(value)

    def _answer_after(self, value: int | None) -> None:
        answered, self._after_answered = self._after_answered, None
        self._after_one.stop()
        if answered is None:
            return  # answered already
        for button in self.after_row.buttons:
            button.setEnabled(False)
        answered(value)

    def _rated_before(self, value: int) -> None:
        """Kept, shown, and open to change until the end: another digit or click."""
        self.before_rated.emit(value)
        self.rating_row.question.setText(BEFORE_CHOSEN.format(value=value))
        self.setFocus()

    # -- drawing ---------------------------------------------------------------------

    def refresh(self) -> None:
        shown = readout(self.session, self.session.clock.now(), last_cue=self.last_cue)
        self.kind_label.setText(shown.band)
        self.step_label.setText(shown.step)
        self.side_label.setText(shown.side)
        self.time_label.setText(shown.clock)
        if self.time_label.accessibleDescription() != shown.clock_means:
            # Set only when it changes: each set is news to a screen reader.
            self.time_label.setAccessibleDescription(shown.clock_means)
        if shown.phase_kind is None:  # the session is over
            self._show_finished()
            return
        colour = phase_colour(shown.phase_kind)
        self._paint_band(colour)
        self.position_label.setText(shown.position)

        clock_colour = QColor(colour)
        if shown.paused:
            clock_colour.setAlpha(PAUSED_CLOCK_ALPHA)
        _restyle(
            self.time_label,
            f"#remaining {{ color: {clock_colour.name(QColor.NameFormat.HexArgb)}; }}",
        )
        self.paused_label.setVisible(shown.paused)
        if shown.paused:
            self._place_paused()
        self.reps_label.setText(shown.count)
        self.reps_label.setVisible(bool(shown.count))
        # Inside the window the line takes the get-ready colour: "due" reads from 3 m.
        _restyle(
            self.reps_label,
            f"color: {phase_colour(PhaseKind.GET_READY).name()}; font-weight: 600;"
            if shown.break_state is BreakState.DUE
            else "",
        )

        self._show_picture(shown.image)
        self.say_label.setText(shown.say)
        self.phase_bar.setValue(round(shown.phase_progress * 1000))
        self.session_bar.setValue(round(shown.session_progress * 1000))
        self.session_label.setText(shown.session_left)
        self.next_label.setText(shown.coming)
        self.cue_label.setText(shown.cue)

        self.pause_button.setText(shown.pause_button)
        self.done_button.setVisible(PlayerAction.DONE in shown.offered)
        self.break_button.setVisible(PlayerAction.TAKE_BREAK in shown.offered)
        self.break_button.setText(shown.break_button)
        self.rating_row.setVisible(shown.asks_tightness or self.rating_row.value is not None)

    def _paint_band(self, colour: QColor) -> None:
        ink = on_phase_colour().name()
        _restyle(
            self.band,
            f"#phaseBand {{ background: {colour.name()}; }} "
            f"#phaseBand QLabel {{ color: {ink}; font-weight: 600; }} "
            f"#mutedIndicator {{ color: {ink}; font-weight: 600; background: transparent;"
            f" border: 2px solid {ink}; border-radius: 6px; padding: 2px 12px; }}",
        )
        _restyle(
            self.paused_label,
            f"#pausedBanner {{ color: {ink}; background: {colour.name()};"
            " border-radius: 10px; padding: 0px 28px; font-weight: 700; }",
        )
        _restyle(
            self.phase_bar,
            f"QProgressBar::chunk {{ background: {colour.name()}; border-radius: 6px; }}",
        )
        # The whole session's bar in the same colour, quieter: one colour on screen
        # says where you are, rather than the platform's selection blue beside it.
        quiet = QColor(colour)
        quiet.setAlpha(150)
        _restyle(
            self.session_bar,
            f"QProgressBar::chunk {{ background: {quiet.name(QColor.NameFormat.HexArgb)};"
            " border-radius: 3px; }",
        )

    def _show_picture(self, image: Path | None) -> None:
        if image is None:
            self.picture.setVisible(False)
            return
        drawn = f"{image}|{self.palette().color(self.backgroundRole()).name()}"
        if self.picture.property("image") != drawn:  # a new picture, or a new theme
            self.picture.load(picture_svg(image))
            self.picture.setProperty("image", drawn)
        self.picture.setVisible(True)

    def _show_finished(self) -> None:
        for button in self._buttons:
            button.setEnabled(False)
        self.rating_row.setVisible(False)
        self.paused_label.setVisible(False)  # stopped from a pause: it no longer stands still

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh()  # the theme changed: the band, clock and picture take its colours

    def _fit_say(self) -> None:
        """The instruction never shorter than its wrapped lines, or they would spill over
        the clock: on a small screen at a large scale the page scrolls instead."""
        lines_px = self.say_label.heightForWidth(self.say_label.width())
        if lines_px > 0 and lines_px != self.say_label.minimumHeight():
            self.say_label.setMinimumHeight(lines_px)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.say_label and event.type() == QEvent.Type.Resize:
            self._fit_say()
        if watched is self.time_label and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            if event.type() == QEvent.Type.Resize:
                self._fit_clock()
            self._place_paused()
        return super().eventFilter(watched, event)

    def _clock_fits(self) -> int:
        """The clock's size: as the window gives it, but never taller than its own label
        (on a short window, large text takes the room the clock would have had)."""
        fits = int(self.time_label.height() / CLOCK_LINE_RATIO)
        return max(MIN_CLOCK_PX, min(self._clock_px, fits))

    def _fit_clock(self) -> None:
        font = QFont(self.time_label.font())
        if font.pixelSize() != self._clock_fits():
            font.setPixelSize(self._clock_fits())
            self.time_label.setFont(font)

    def _place_paused(self) -> None:
        """Centre PAUSED under the clock's figures (their cap height, centred in the label)."""
        badge = self.paused_label
        badge.adjustSize()
        clock = self.time_label.geometry()
        figures_bottom = clock.center().y() + QFontMetrics(self.time_label.font()).capHeight() // 2
        top = min(figures_bottom + PAUSED_GAP_PX, self.height() - badge.height())
        badge.move(clock.center().x() - badge.width() // 2, top)
        badge.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The remaining time fills the space it has: readable from across the room.
        size = max(MIN_CLOCK_PX, min(int(self.height() * 0.22), int(self.width() * 0.2)))
        self._clock_px = size
        font = QFont(self.time_label.font())
        font.setPixelSize(self._clock_fits())
        font.setWeight(QFont.Weight.DemiBold)
        font.setFeature(QFont.Tag("tnum"), 1)  # figures of one width: the clock does not jiggle
        self.time_label.setFont(font)
        paused_font = QFont(font)
        paused_font.setPixelSize(max(28, size * 2 // 5))
        paused_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 110)
        self.paused_label.setFont(paused_font)
        self._place_paused()
        name_font = QFont(self.step_label.font())
        name_font.setPixelSize(max(20, size // 4))
        name_font.setWeight(QFont.Weight.DemiBold)
        self.step_label.setFont(name_font)
        side_font = QFont(self.side_label.font())
        side_font.setPixelSize(max(16, size // 6))
        self.side_label.setFont(side_font)
        self.reps_label.setFont(side_font)
        say_font = QFont(self.say_label.font())
        say_font.setPixelSize(max(15, min(22, size // 7)))
        self.say_label.setFont(say_font)
        self._fit_say()
        picture = max(64, min(220, self.height() // 4, self.width() // 5))
        self.picture.setMaximumSize(QSize(picture, picture))  # less when the room is short


def _restyle(widget: QWidget, sheet: str) -> None:
    """Set a style sheet only when it changes: each one set re-polishes the widget and
    its children, which, every second, is most of what a redraw costs."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def summary_text(summary: Summary, completed: bool, *, run: bool = False) -> str:
    minutes = format_clock(summary.active_s)
    status = "Completed" if completed else "Stopped"
    text = (
        f"{status} · {minutes} · {count_of(summary.steps_done, 'step')} done, "
        f"{summary.steps_skipped} skipped"
    )
    if run:
        breaks = summary.breaks_taken
        text += f" · {count_of(breaks, 'break')} taken"
    return text
