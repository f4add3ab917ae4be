"""The player: a running session, readable from a mat three metres away.

The display is recomputed from the session (which reads its clock) whenever the
driver hands on events; nothing here keeps time. The remaining time is the largest
thing on screen, then the step and side, then the instruction and picture.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
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
from loosen.core.cues import CueKind
from loosen.core.duration import format_clock
from loosen.core.phases import Phase, PhaseKind
from loosen.core.plan import break_length_s
from loosen.core.session import (
    CueDue,
    Event,
    IllegalTransition,
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
from loosen.ui.driver import SessionDriver
from loosen.ui.rating import RatingRow
from loosen.ui.style import PHASE_LABELS, phase_colour

RATE_RUN_WITHIN_S = 120.0  # a run's "how tight now?" stays on screen this long
PAUSED_TEXT = "PAUSED"
PAUSED_CLOCK_ALPHA = 90  # of 255: the clock stands still, dimmed, above PAUSED
PAUSED_GAP_PX = 6  # between the clock's figures and PAUSED
MUTED_TEXT = "Muted — M to unmute"
# What the clock and the picture may shrink to, so the player fits 800×600 with a frame.
MIN_CLOCK_SIZE = QSize(200, 90)
MIN_PICTURE_SIZE = QSize(64, 64)


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
        self.session = session
        self.speaker = speaker
        self.muted = muted
        self.driver = SessionDriver(session, self)
        self.driver.events.connect(self.handle_events)
        self.driver.woke.connect(self.refresh)
        self.last_cue = ""
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
        self.kind_label = QLabel(objectName="phaseKind")
        self.position_label = QLabel(objectName="position")
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
        self.session_label = QLabel(objectName="sessionLeft")
        session_row = QHBoxLayout()
        session_row.addWidget(self.session_bar, 1)
        session_row.addWidget(self.session_label)

        self.cue_label = QLabel(objectName="cue")  # the last spoken cue, for reading
        self.cue_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cue_label.setWordWrap(True)

        self.rating_row = RatingRow("How tight is your back now? (0 loose – 10 very tight)")
        self.rating_row.rated.connect(self._rated_before)

        self.back_button = QPushButton("◀ Back")
        self.pause_button = QPushButton("Pause")
        self.skip_button = QPushButton("Skip ▶")
        self.done_button = QPushButton("Done")
        self.break_button = QPushButton("Take the break now")
        self.stop_button = QPushButton("Stop")
        for button, tip in (
            (self.back_button, "Left or P"),
            (self.pause_button, "Space"),
            (self.skip_button, "Right or N"),
            (self.done_button, "Enter or D"),
            (self.break_button, "B"),
            (self.stop_button, "Esc"),
        ):
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the player
        self.back_button.clicked.connect(lambda: self.act("back"))
        self.pause_button.clicked.connect(lambda: self.act("toggle_pause"))
        self.skip_button.clicked.connect(lambda: self.act("skip"))
        self.done_button.clicked.connect(lambda: self.act("done"))
        self.break_button.clicked.connect(lambda: self.act("take_break"))
        self.stop_button.clicked.connect(lambda: self.ask_stop())
        controls = QHBoxLayout()
        controls.addStretch()
        for button in (
            self.back_button,
            self.pause_button,
            self.skip_button,
            self.done_button,
            self.break_button,
            self.stop_button,
        ):
            controls.addWidget(button)
        controls.addStretch()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.addWidget(self.band)
        body = QVBoxLayout()
        body.setContentsMargins(24, 8, 24, 0)
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
        body.addLayout(controls)
        layout.addLayout(body)

    def _bind_keys(self) -> None:
        bindings = {
            ("Space",): lambda: self.act("toggle_pause"),
            ("Right", "N"): lambda: self.act("skip"),
            ("Left", "P"): lambda: self.act("back"),
            ("Return", "Enter", "D"): lambda: self.act("done"),
            ("B",): lambda: self.act("take_break"),
            ("Escape",): lambda: self.ask_stop(),
            ("F",): self.full_screen_toggled.emit,
            ("M",): self.toggle_mute,
        }
        self.shortcuts: list[QShortcut] = []
        for keys, slot in bindings.items():
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
                self.shortcuts.append(shortcut)
        for digit in range(10):
            shortcut = QShortcut(QKeySequence(str(digit)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=digit: self._digit(d))
            self.shortcuts.append(shortcut)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # -- driving ---------------------------------------------------------------------

    def start(self) -> None:
        self.setFocus()
        self.driver.start()

    def act(self, action: str) -> None:
        """Run a session transition; one that makes no sense now is simply not offered."""
        if self.session.state in (State.READY, State.FINISHED):
            return
        try:
            events = getattr(self.session, action)()
        except IllegalTransition:
            return
        if action in ("skip", "back", "done", "take_break"):
            self.speaker.stop()  # whatever was being said belongs to the phase left behind
        self.driver.act(events)
        if not events:
            self.refresh()

    def handle_events(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, CueDue):
                self._say(event.cue.text, event.cue.kind)
            elif isinstance(event, PhaseStarted):
                self._phase_beep(event.phase)
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

    def _say(self, text: str, kind: CueKind) -> None:
        if kind is not CueKind.SAY:  # the instruction is on screen already
            self.last_cue = text
        if self.muted:
            return
        self.speaker.speak(text)
        if kind is CueKind.COUNTDOWN:
            self.speaker.beep(Beep.TICK)

    def _phase_beep(self, phase: Phase) -> None:
        if not self.muted:
            self.speaker.beep(Beep.START if phase.kind is PhaseKind.WORK else Beep.REST)

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
            self.act("pause")  # the clock should not run while the question is open

        def answered(yes: bool) -> None:
            question, self.stop_question = self.stop_question, None
            if question is not None:
                question.deleteLater()
            if self.session.state in (State.RUNNING, State.PAUSED):
                if yes:
                    self.act("stop")
                elif was_running:
                    self.act("resume")
            over = self.session.state is State.FINISHED
            waiting, self._after_question = self._after_question, []
            for then in waiting:
                then(over)

        self.stop_question = type(self).confirm_stop(self, answered)

    def _digit(self, digit: int) -> None:
        if self.rating_row.isVisible():
            self.rating_row.pick(digit)

    def _rated_before(self, value: int) -> None:
        self.before_rated.emit(value)
        self.rating_row.setVisible(False)
        self.setFocus()

    # -- drawing ---------------------------------------------------------------------

    def refresh(self) -> None:
        session = self.session
        phase = session.phase
        routine = session.routine
        if phase is None or session.state is State.FINISHED:
            self._show_finished()
            return
        colour = phase_colour(phase.kind)
        self._paint_band(colour)
        paused = session.state is State.PAUSED
        label = PHASE_LABELS[phase.kind]
        self.kind_label.setText(f"{label}  ·  paused" if paused else label)
        self.position_label.setText(self._position_text(phase))

        step = phase.step_ref
        if phase.kind is PhaseKind.ACTIVITY:
            self.step_label.setText(phase.step)
            # The big clock is the count to the next break, which restarts after each one.
            since = "since your last break" if session.summary().breaks_taken else "since the start"
            self.side_label.setText(since.capitalize())
        elif phase.kind in (PhaseKind.REST, PhaseKind.GET_READY):
            self.step_label.setText(f"Next: {phase.next_step or phase.step}")
            self.side_label.setText("")
        else:
            self.step_label.setText(phase.step)
            self.side_label.setText(f"{phase.side.value} side".capitalize() if phase.side else "")

        self.time_label.setText(self._time_text(phase))
        clock_colour = QColor(colour)
        if paused:
            clock_colour.setAlpha(PAUSED_CLOCK_ALPHA)
        _restyle(
            self.time_label,
            f"#remaining {{ color: {clock_colour.name(QColor.NameFormat.HexArgb)}; }}",
        )
        self.paused_label.setVisible(paused)
        if paused:
            self._place_paused()
        self.reps_label.setText(self._count_text(phase))
        self.reps_label.setVisible(bool(self.reps_label.text()))
        due = phase.kind is PhaseKind.ACTIVITY and self._break_stage(phase) == "due"
        # Inside the window the line takes the get-ready colour: "due" reads from 3 m.
        _restyle(
            self.reps_label,
            f"color: {phase_colour(PhaseKind.GET_READY).name()}; font-weight: 600;" if due else "",
        )

        shown_step = step
        if phase.kind in (PhaseKind.REST, PhaseKind.GET_READY):
            following = session.next_phase()
            shown_step = following.step_ref if following else None
        self._show_picture(shown_step.image if shown_step else None)
        self.say_label.setText(shown_step.say if shown_step else self._activity_note(phase))

        remaining = session.phase_remaining_s()
        if phase.duration_s:
            done = 1 - (remaining or 0) / phase.duration_s
            self.phase_bar.setValue(round(done * 1000))
        else:
            self.phase_bar.setValue(0)
        self.session_bar.setValue(round(session.session_progress() * 1000))
        self.session_label.setText(self._session_left_text())
        following = session.next_phase()
        self.next_label.setText(self._next_text(phase, following))
        self.cue_label.setText(f"“{self.last_cue}”" if self.last_cue else "")

        self.pause_button.setText("Resume" if paused else "Pause")
        self.done_button.setVisible(phase.open_ended)
        can_break = phase.kind is PhaseKind.ACTIVITY and self._break_fits()
        self.break_button.setVisible(routine.interval is not None and can_break)
        if can_break:
            early = self._break_stage(phase) == "early"
            self.break_button.setText("Take the break early" if early else "Take the break now")
        # Asked while getting ready; a run has no get-ready, so in its first minutes.
        opening = phase.kind is PhaseKind.GET_READY or (
            phase.kind is PhaseKind.ACTIVITY and session.phase_elapsed_s() < RATE_RUN_WITHIN_S
        )
        self.rating_row.setVisible(opening and session.index == 0 and self.rating_row.value is None)

    def _paint_band(self, colour: QColor) -> None:
        _restyle(
            self.band,
            f"#phaseBand {{ background: {colour.name()}; }} "
            "#phaseBand QLabel { color: white; font-weight: 600; } "
            "#mutedIndicator { color: white; font-weight: 600; background: transparent;"
            " border: 2px solid white; border-radius: 6px; padding: 2px 12px; }",
        )
        _restyle(
            self.paused_label,
            f"#pausedBanner {{ color: white; background: {colour.name()};"
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

    def _position_text(self, phase: Phase) -> str:
        routine = self.session.routine
        if routine.interval is not None and phase.break_number is not None:
            total = len(routine.interval.break_routine.steps)
            where = f"step {phase.step_number} of {total}" if phase.step_number else "starting"
            return f"Break {phase.break_number} · {where}"
        if phase.step_number is None:
            return routine.name
        return f"Step {phase.step_number} of {len(routine.steps)}"

    def _time_text(self, phase: Phase) -> str:
        session = self.session
        if phase.kind is PhaseKind.ACTIVITY:
            return format_clock(session.phase_elapsed_s())
        remaining = session.phase_remaining_s()
        if remaining is None:
            return format_clock(session.phase_elapsed_s())  # open-ended: counts up
        # Show 0:45 for the whole first second, never 0:44 at the start.
        return format_clock(-int(-remaining // 1))

    def _count_text(self, phase: Phase) -> str:
        """Which set and which rep, said once and together: "Set 1 of 2 · Rep 3 of 12"."""
        sets = ""
        if phase.kind in (PhaseKind.WORK, PhaseKind.SWITCH) and phase.sets > 1:
            sets = f"Set {phase.set} of {phase.sets}"
        return " · ".join(text for text in (sets, self._reps_text(phase)) if text)

    def _reps_text(self, phase: Phase) -> str:
        step = phase.step_ref
        if phase.kind is not PhaseKind.WORK or step is None or step.reps is None:
            if phase.kind is PhaseKind.ACTIVITY and self.session.routine.interval:
                return self._break_window_text(phase)
            return ""
        if step.tempo_s is None:
            return f"{count_of(step.reps, 'rep')} in your own time · Enter when done"
        # The same rep the voice said last: one function decides it for both.
        return f"Rep {phase.rep_at(self.session.phase_elapsed_s())} of {step.reps}"

    def _activity_note(self, phase: Phase) -> str:
        """While running: what the coming break is, so a glance says what to expect."""
        interval = self.session.routine.interval
        if phase.kind is not PhaseKind.ACTIVITY or interval is None or phase.next_step is None:
            return ""
        return interval.break_routine.summary

    def _break_fits(self) -> bool:
        """Whether a break taken now would end by the run's total (the session refuses it
        otherwise, so the button is not offered)."""
        interval = self.session.routine.interval
        if interval is None:
            return False
        if interval.total_s is None:
            return True
        return self.session.active_s() + break_length_s(self.session.routine) <= interval.total_s

    def _break_stage(self, phase: Phase) -> str:
        """ "early" before the window opens, "due" inside it, "none" when no break follows."""
        interval = self.session.routine.interval
        if interval is None or phase.next_step is None:
            return "none"
        if self.session.phase_elapsed_s() < interval.every.start_s:
            return "early"
        return "due"

    def _break_window_text(self, phase: Phase) -> str:
        interval = self.session.routine.interval
        assert interval is not None
        every = interval.every
        stage = self._break_stage(phase)
        if stage == "none":
            left = format_clock(self.session.phase_remaining_s() or 0)
            return f"No more breaks · {left} to go" + (
                " · B if you need one" if self._break_fits() else ""
            )
        latest = format_clock(every.end_s)
        if stage == "early":
            if every.fixed:
                return f"Break at {latest} · B takes it early"
            return f"Break due from {format_clock(every.start_s)}, at {latest} at the latest"
        return f"Break due: take it at your next pause (B) · by {latest}"

    def _next_text(self, phase: Phase, following: Phase | None) -> str:
        if following is None:
            return "Next: finish"
        if phase.kind is PhaseKind.SWITCH and following.side is not None:
            return f"Next: {following.side.value} side"  # the same step, on the other side
        if (
            following.step == phase.step
            and following.kind is PhaseKind.WORK
            and phase.kind is PhaseKind.WORK
        ):
            if following.side is not None and following.side != phase.side:
                return f"Next: {following.side.value} side"
            return f"Next: set {following.set} of {following.sets}"
        if following.kind is PhaseKind.ACTIVITY:
            return f"Next: {following.step}"
        interval = self.session.routine.interval
        if phase.kind is PhaseKind.ACTIVITY and interval and following.break_number:
            return f"Next: {interval.break_routine.name} break"
        if phase.kind in (PhaseKind.REST, PhaseKind.GET_READY):
            after = self._phase_after(following)
            return f"Then: {after.step}" if after else "Then: finish"
        return f"Next: {following.step}"

    def _phase_after(self, phase: Phase) -> Phase | None:
        phases = self.session.phases
        seen = False
        for candidate in phases[self.session.index + 1 :]:
            if (
                seen
                and candidate.kind not in (PhaseKind.REST, PhaseKind.SWITCH)
                and candidate.step != phase.step
            ):
                return candidate
            if candidate is phase:
                seen = True
        return None

    def _session_left_text(self) -> str:
        phases = self.session.phases
        index = self.session.index
        left = (self.session.phase_remaining_s() or 0) + sum(
            p.duration_s or 0 for p in phases[index + 1 :]
        )
        interval = self.session.routine.interval
        if interval is None:
            return f"{format_clock(left)} left"
        done = f"{format_clock(self.session.active_s())} in"
        if interval.total_s is None:
            return done  # an open run goes on until stopped: there is no "left"
        return f"{done} · {format_clock(left)} left"

    def _show_picture(self, image: Path | None) -> None:
        if image is None:
            self.picture.setVisible(False)
            return
        if self.picture.property("image") != str(image):
            self.picture.load(str(image))
            self.picture.setProperty("image", str(image))
        self.picture.setVisible(True)

    def _show_finished(self) -> None:
        self.kind_label.setText("Finished" if self.session.completed else "Stopped")
        self.time_label.setText(format_clock(self.session.active_s()))
        self.step_label.setText(self.session.routine.name)
        self.side_label.setText("")
        for button in (
            self.back_button,
            self.pause_button,
            self.skip_button,
            self.done_button,
            self.break_button,
            self.stop_button,
        ):
            button.setEnabled(False)
        self.rating_row.setVisible(False)
        self.paused_label.setVisible(False)  # stopped from a pause: it no longer stands still

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.time_label and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._place_paused()
        return super().eventFilter(watched, event)

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
        size = max(48, min(int(self.height() * 0.22), int(self.width() * 0.2)))
        font = QFont(self.time_label.font())
        font.setPixelSize(size)
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
        picture = max(96, min(220, self.height() // 4))
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
