"""Screenshots of Loosen in a real window, for the README and for looking at.

Run under a virtual screen:

    xvfb-run -a -s "-screen 0 1600x1000x24" \
        .venv/bin/python packaging/screenshots.py docs/screenshots

It starts the real main window (on a temporary home, so no user data is touched),
moves a fake clock to each moment worth seeing, and grabs the window from the screen
at 1280×800 and 800×600: the library, the player in get-ready, work and rest, the
rating dialog, and the history page over a made-up but plausible three months. Then
the break reminders: the small window shown where there is no tray (as under Xvfb),
waiting and due, and the tray icon's menu. Then a run: the player in its activity,
inside the break window, and an audio guide export part way (`only="run"`). Then the
routine editor on a user's copy of the cooldown, as it is and with a mistake typed
into a hold, and on a copy of the sprint hour, its walk back selected (`only="editor"`).
Then the look (`only="look"`): the library, history, player, settings and editor, light
and dark, at 100 % and 200 % (QT_SCALE_FACTOR), on the screen it runs on, so run it on a
1280×800 screen and again on an 800×600 one.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import threading
import wave
from concurrent.futures import Future
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="loosen-shots-"))
for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[variable] = str(HOME / variable.lower())

from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from loosen import paths  # noqa: E402
from loosen.core.clock import FakeClock  # noqa: E402
from loosen.core.history import HistoryStore, SessionRecord, Status  # noqa: E402
from loosen.core.phases import PhaseKind  # noqa: E402
from loosen.core.presence import UNKNOWN  # noqa: E402
from loosen.core.settings import Settings  # noqa: E402
from loosen.speech.player import ClipSpeaker  # noqa: E402
from loosen.ui import export_dialog  # noqa: E402
from loosen.ui.history_service import HistoryService  # noqa: E402
from loosen.ui.library_view import FolderPathDialog  # noqa: E402
from loosen.ui.main_window import MainWindow  # noqa: E402
from loosen.ui.player_view import PlayerView  # noqa: E402
from loosen.ui.presence import MISSING_TEXT  # noqa: E402
from loosen.ui.rating import RatingDialog  # noqa: E402
from loosen.ui.settings_dialog import SettingsDialog  # noqa: E402
from loosen.ui.style import install_style  # noqa: E402

SIZES = ((1280, 800), (800, 600))


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def grab(widget: QWidget, out: Path) -> None:
    settle()
    screen = widget.screen()
    image = screen.grabWindow(widget.winId())
    image.save(str(out))
    print(f"wrote {out} ({image.width()}×{image.height()})")


def advance_to(player: PlayerView, clock: FakeClock, kind: PhaseKind, into_s: float) -> None:
    """Move the fake clock until the player is `into_s` seconds into a phase of `kind`."""
    session = player.session
    for _ in range(20_000):
        phase = session.phase
        if phase is not None and phase.kind is kind and session.phase_elapsed_s() >= into_s:
            break
        clock.advance(0.25)
        player.driver.timer.timeout.emit()
    player.refresh()


# (id, name, kind, minutes, mean loosening): cooldowns help most, warm-ups least.
_ROUTINES = {
    "warm-up": ("dynamic-warm-up", "Dynamic warm-up", "warm-up", 8, 0.6),
    "run": ("long-easy-run", "Long easy run with back breaks", "run", 55, -0.8),
    "cooldown": ("post-run-cooldown", "Post-run cooldown", "cooldown", 12, 2.2),
    "hips": ("hip-flexors-and-hamstrings", "Hip flexors and hamstrings", "cooldown", 10, 1.6),
    "break": ("squat-and-fold", "Squat and fold", "break", 2, 0.9),
    "core": ("core-and-hips", "Core and hips", "strength", 15, 1.2),
}
_NOTES = (
    "",
    "",
    "",
    "",
    "",
    "hips looser",
    "stiff after the long run",
    "left hamstring tight",
    "sat all day",
    "felt good",
    "lower back eased off halfway",
)


def three_months(now: datetime, seed: int = 7, weeks: int = 13) -> list[SessionRecord]:
    """A runner's last 13 weeks (or `weeks`): runs with warm-ups and (usually) cooldowns,
    breaks, core work.

    The back starts around 6 of 10 and eases towards 4 as the weeks go by; a week of
    travel has no sessions; a few sessions are unrated, stopped or interrupted.
    """
    rng = random.Random(seed)
    records: list[SessionRecord] = []
    first = (now - timedelta(weeks=weeks)).replace(hour=0, minute=0, second=0, microsecond=0)
    for day_index in range((now - first).days + 1):
        day = first + timedelta(days=day_index)
        if 40 <= day_index <= 46:
            continue  # away for a week
        progress = day_index / (weeks * 7)
        plan: list[str] = []
        weekday = day.weekday()
        if weekday in (1, 3, 5) or (weekday == 6 and rng.random() < 0.5):
            plan += ["warm-up", "run"] + (["cooldown"] if rng.random() < 0.8 else [])
        if weekday in (0, 2, 4) and rng.random() < 0.7:
            plan.append("break")
        if weekday in (0, 3) and rng.random() < 0.6:
            plan.append("core")
        if weekday in (2, 6) and rng.random() < 0.5:
            plan.append("hips")
        clock = day + timedelta(hours=rng.choice((7, 12, 18)), minutes=rng.randrange(50))
        for key in plan:
            routine, name, kind, minutes, loosening = _ROUTINES[key]
            started = clock
            active_s = minutes * 60 + rng.randrange(-40, 40)
            clock = started + timedelta(seconds=active_s + 60)
            if started > now:
                break
            status = Status.COMPLETED
            if rng.random() < 0.05:
                status = rng.choice((Status.STOPPED, Status.INTERRUPTED))
                active_s = int(active_s * 0.4)
            rated = rng.random() < 0.85
            before = round(6.3 - 2.2 * progress + rng.gauss(0, 0.9))
            after = round(before - loosening * (0.5 + progress) + rng.gauss(0, 0.7))
            records.append(
                SessionRecord(
                    uid=f"shot{len(records):05}",
                    routine=routine,
                    routine_name=name,
                    kind=kind,
                    started_at=started.replace(microsecond=0),
                    ended_at=(started + timedelta(seconds=active_s)).replace(microsecond=0),
                    status=status,
                    planned_s=minutes * 60.0,
                    active_s=float(active_s),
                    steps_done=8,
                    tightness_before=max(0, min(10, before)) if rated else None,
                    tightness_after=max(0, min(10, after)) if rated else None,
                    note=rng.choice(_NOTES) if rated else "",
                )
            )
    return records


def shoot_settings(window: MainWindow, out: Path) -> None:
    """The settings dialog with espeak-ng's voices (the user's language first)."""
    from loosen.speech.synth import ClipSynthesizer

    synth = ClipSynthesizer(paths.cache_dir() / "clips")
    synth.wait_ready(30)
    voices = synth.voices()
    synth.close()
    dialog = SettingsDialog(window.settings, voices, window, preview=lambda *_: None)
    dialog.show()
    grab(dialog, out)
    dialog.voice.showPopup()  # the voices, the user's language (English here) first
    settle()
    popup = dialog.voice.view().window()
    popup.grab().save(str(out.with_name("settings-voices.png")))
    dialog.voice.hidePopup()
    dialog.close()


# The history page with no sessions, a first fortnight's few, and months of them.
HISTORY_SIZES = (0, 10, 300)


def desk_breaks(store: HistoryStore, now: datetime, seed: int = 11, weeks: int = 6) -> None:
    """Six weeks of desk-break reminders on working days, answered as a person would:
    mostly taken, some by stepping away, some skipped or left; a few breaks away before
    any reminder came (what the history page counts, core/history/break_weeks.py)."""
    rng = random.Random(seed)
    outcomes = ("taken",) * 6 + ("away",) * 2 + ("skipped", "unanswered")
    start = (now - timedelta(weeks=weeks)).replace(hour=9, minute=0, second=0, microsecond=0)
    for day_index in range((now - start).days + 1):
        day = start + timedelta(days=day_index)
        if day.weekday() >= 5:
            continue
        for n in range(rng.randrange(3, 7)):
            due = day + timedelta(minutes=20 + 70 * n)
            if due > now:
                return
            outcome = rng.choice(outcomes)
            answered = due + timedelta(minutes=rng.randrange(1, 6))
            store.log_reminder("squat-and-fold", outcome, due, answered, given_at=due, stage="firm")
        if rng.random() < 0.4:
            walked = day + timedelta(hours=6, minutes=30)
            if walked <= now:
                store.log_reminder("squat-and-fold", "away", walked, walked)


def sessions_for_shots(count: int) -> list[SessionRecord]:
    """The newest `count` sessions of a made-up runner's months (enough weeks for 300)."""
    return three_months(datetime.now(UTC), weeks=20)[-count:] if count else []


def shoot_history(out: Path, width: int, height: int, count: int | None = None) -> None:
    """The history page over three months of sessions (or the newest `count`), in a window
    of its own."""
    name = "history" if count is None else f"history-{count}"
    db = HOME / f"{name}-shots.sqlite3"
    if not db.exists():
        with HistoryStore.open(db) as store:
            chosen = three_months(datetime.now(UTC)) if count is None else sessions_for_shots(count)
            store.import_records(chosen)
            if count is None:
                desk_breaks(store, datetime.now(UTC))
    speaker = ClipSpeaker(None, paths.cache_dir() / "beeps", voice_notice=None)
    window = MainWindow(Settings(seen_welcome=True), speaker, HistoryService(db), clock=FakeClock())
    window.resize(width, height)
    window.show()
    settle(500)
    window.library_view.history_button.click()
    page = window.history_view
    assert page is not None
    loop = QEventLoop()
    page.charts_ready.connect(loop.quit)
    QTimer.singleShot(10_000, loop.quit)
    loop.exec()
    if page.model.rowCount() > 1:
        # Selected as a person does, with a click: the editors below then hold its ratings.
        cell = page.table.visualRect(page.model.index(1, 1))
        QTest.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
        assert page.delete_button.isEnabled()
    grab(window, out / f"{name}-{width}x{height}.png")
    window.close()
    settle()


def shoot_reminders(out: Path) -> None:
    """The reminder window waiting and due (no tray under Xvfb), and the tray menu."""
    from loosen.ui.tray import start_reminders

    clock = FakeClock()
    settings = Settings(seen_welcome=True, reminders=True)
    speaker = ClipSpeaker(None, paths.cache_dir() / "beeps", voice_notice=None)
    window = MainWindow(settings, speaker, HistoryService(paths.history_db()), clock=clock)
    window.show()
    settle(800)
    reminders = start_reminders(window, settings, speaker, quit_event_loop=lambda: None)
    assert reminders.window is not None, "a tray here: the shot is of the window without one"
    window.close()  # into the reminders, as the app does: the reminder window stays
    grab(reminders.window, out / "reminder-window-waiting.png")
    clock.advance(20 * 60)  # the end of the 15-20 min window: the firm reminder
    # Checked as on a desktop that cannot tell idle time: the virtual screen has had no
    # input, and the reader would rightly say the user is away.
    reminders._check(UNKNOWN)
    settle()
    grab(reminders.window, out / "reminder-window-due.png")
    # Where it stands on the screen (issue 17: small, in the corner, wholly on it).
    screen = QApplication.primaryScreen()
    size = screen.size()
    shot = out / f"reminder-window-on-screen-{size.width()}x{size.height()}.png"
    screen.grabWindow(0).save(str(shot))
    print(f"wrote {shot}")
    for hours, name in (("Mon-Fri 09:00-17:30", "good"), ("Mon-Fri 17:30-09", "refused")):
        dialog = SettingsDialog(
            replace(settings, working_hours=hours, start_at_login=True),
            [],
            window,
            preview=lambda *_: None,
            presence_missing=MISSING_TEXT,
        )
        dialog.working_hours.setText(hours)
        dialog.show()
        settle()
        grab(dialog, out / f"settings-reminders-{name}-{size.width()}x{size.height()}.png")
        dialog.close()
    reminders.menu.popup(QPoint(200, 200))
    settle()
    reminders.menu.grab().save(str(out / "reminder-tray-menu.png"))
    print(f"wrote {out / 'reminder-tray-menu.png'}")
    reminders.menu.hide()
    reminders.quit_action.trigger()
    settle()


class _HalfwaySynth:
    """Clips for the first `ready` cues at once, the rest held: an export caught part way."""

    rate_wpm = 160

    def __init__(self, clip: Path, ready: int) -> None:
        from loosen.speech.synth import SynthState, SynthStatus

        self.clip = clip
        self.ready = ready
        self.release = threading.Event()
        self._status = SynthStatus(SynthState.AVAILABLE)

    def wait_ready(self, timeout_s: float | None = None):
        return self._status

    def prerender(self, texts):
        futures = [Future() for _ in texts]
        for future in futures[: self.ready]:
            future.set_result(self.clip)

        def rest() -> None:
            self.release.wait(60)
            for future in futures[self.ready :]:
                future.set_result(self.clip)

        threading.Thread(target=rest, daemon=True).start()
        return futures


def _silent_clip(path: Path) -> Path:
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(22050)
        clip.writeframes(bytes(2 * 4410))
    return path


def shoot_run(out: Path, width: int, height: int) -> None:
    """A run in its activity, inside the break window; then an export of its guide."""
    suffix = f"{width}x{height}"
    clock = FakeClock()
    speaker = ClipSpeaker(None, paths.cache_dir() / "beeps", voice_notice=None)
    history = HistoryService(paths.history_db())
    window = MainWindow(Settings(seen_welcome=True), speaker, history, clock=clock)
    window.resize(width, height)
    window.show()
    settle(800)
    MainWindow.ask_rating = staticmethod(lambda commit, summary: None)  # not shown here
    window.start_routine("long-easy-run")
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    advance_to(player, clock, PhaseKind.ACTIVITY, 4 * 60 + 12.4)
    grab(window, out / f"player-run-early-{suffix}.png")
    advance_to(player, clock, PhaseKind.ACTIVITY, 16 * 60 + 12.4)
    grab(window, out / f"player-run-{suffix}.png")
    player.session.stop()
    window.stack.setCurrentWidget(window.library_view)
    window.stack.removeWidget(player)
    window.active = None
    window.setWindowTitle("Loosen")

    window.library_view.select("long-easy-run")
    synth = _HalfwaySynth(_silent_clip(HOME / "clip.wav"), ready=9)
    # The save dialog, answered at once.
    export_dialog.ask_save_path = lambda parent, title, suggested, name_filter, chosen: chosen(
        HOME / "long-easy-run.mp3"
    )
    window._export_synth = synth
    window.export_audio("long-easy-run")
    (picker,) = window.findChildren(export_dialog.OutingPicker)
    picker.accept()  # the routine alone, as MP3
    dialog = window.export_dialog
    assert dialog is not None
    settle(600)
    grab(window, out / f"export-{suffix}.png")
    if width == SIZES[0][0]:
        # Xvfb has no window manager, so over the window the dialog has no frame: alone too.
        grab(dialog, out / "export-dialog.png")
    dialog.reject()  # cancel: it stops at once, and leaves no file
    synth.release.set()
    dialog.worker.wait(5000)
    settle()
    window.close()
    settle()


def wait_for_library(window: MainWindow, routine_id: str) -> None:
    """Settle until the library lists `routine_id` (a change reloads it off the UI thread)."""
    for _ in range(50):
        settle(100)
        if routine_id in window.library_view.routine_ids():
            return
    raise RuntimeError(f"{routine_id} never showed in the library")


def shoot_library_actions(out: Path, width: int, height: int) -> None:
    """The routine files' actions: a copy of a built-in selected, with its context menu;
    an overridden built-in (Restore built-in in Delete's place); and the Undo bar."""
    suffix = f"{width}x{height}"
    speaker = ClipSpeaker(None, paths.cache_dir() / "beeps", voice_notice=None)
    history = HistoryService(paths.history_db())
    window = MainWindow(Settings(seen_welcome=True), speaker, history, clock=FakeClock())
    window.resize(width, height)
    window.show()
    settle(800)
    view = window.library_view
    window.library_actions.duplicate("post-run-cooldown")
    wait_for_library(window, "post-run-cooldown-copy")
    view.select("post-run-cooldown-copy")
    rect = view.tree.visualItemRect(view.tree.currentItem())
    view.tree.customContextMenuRequested.emit(rect.center())  # a right click's
    settle()
    screen = window.screen()
    screen.grabWindow(0).copy(window.frameGeometry()).save(
        str(out / f"library-actions-{suffix}.png")
    )
    print(f"wrote {out / f'library-actions-{suffix}.png'}")
    if view.context_menu is not None:
        view.context_menu.close()
    # The user's own squat-and-fold, replacing the built-in.
    mine = paths.user_routines_dir() / "my-squats.toml"
    text = (paths.builtin_routines_dir() / "squat-and-fold.toml").read_text(encoding="utf-8")
    mine.write_text(text.replace('name = "Squat and fold"', 'name = "My squats"'), "utf-8")
    window.reload_library()
    for _ in range(50):
        settle(100)
        if window.library is not None and window.library.overridden:
            break
    view.select("squat-and-fold")
    grab(window, out / f"library-restore-{suffix}.png")
    view.select("post-run-cooldown-copy")
    window.library_actions.delete("post-run-cooldown-copy")
    settle(800)
    grab(window, out / f"library-undo-{suffix}.png")
    window.close()
    settle()
    for leftover in (mine, *paths.user_routines_dir().glob("*.toml")):
        leftover.unlink(missing_ok=True)


def user_copy(builtin_id: str, copy_id: str) -> Path:
    """A copy of a built-in routine among the user's, under an id of its own."""
    folder = paths.user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{copy_id}.toml"
    original = (paths.builtin_routines_dir() / f"{builtin_id}.toml").read_text("utf-8")
    path.write_text(original.replace(f'id = "{builtin_id}"', f'id = "{copy_id}"'), "utf-8")
    return path


def shoot_editor(out: Path, width: int, height: int) -> None:
    """The editor on a copy of the built-in cooldown, its third step selected; then with
    a hold that is not a duration, its message beside the field and Save off. Then on a
    copy of the sprint hour, its second effort (the walk back) selected."""
    from loosen.ui.editor.window import EditorWindow

    path = user_copy("post-run-cooldown", "my-cooldown")
    speaker = ClipSpeaker(None, paths.cache_dir() / "beeps", voice_notice=None)
    editor = EditorWindow.open_file(path, speaker)
    editor.resize(width, height)
    editor.show()
    settle(500)
    editor.step_list.setCurrentRow(2)
    suffix = f"{width}x{height}"
    grab(editor, out / f"editor-{suffix}.png")
    hold = editor.step_form.fields.editors["duration"]
    hold.line.setFocus()
    hold.line.selectAll()
    QTest.keyClicks(hold.line, "-45s")
    settle(500)  # the check runs once typing pauses
    grab(editor, out / f"editor-mistake-{suffix}.png")
    editor.close_discarding()
    settle()

    editor = EditorWindow.open_file(user_copy("sprint-session", "my-sprints"), speaker)
    editor.resize(width, height)
    editor.show()
    settle(500)
    editor.efforts.list.setFocus()
    editor.efforts.list.setCurrentRow(1)
    editor.routine_area.ensureWidgetVisible(editor.efforts.form)
    grab(editor, out / f"editor-run-{suffix}.png")
    editor.close_discarding()
    settle()


# The look: each theme at each scale (`only="look"`, a process per scale, since
# QT_SCALE_FACTOR is read once, as the application starts), on the screen it runs on:
# run it under a 1280×800 screen and again under an 800×600 one.
LOOK_THEMES = ("light", "dark")
LOOK_SCALES = (1, 2)


def shoot_look(out: Path) -> None:
    """Every scale in a process of its own: `look-1`, `look-2`."""
    import subprocess

    for scale in LOOK_SCALES:
        env = dict(os.environ, QT_SCALE_FACTOR=str(scale))
        subprocess.run([sys.executable, __file__, str(out), f"look-{scale}"], env=env, check=True)


def shoot_look_at(out: Path, scale: int) -> None:
    """The library, the history, the player, the settings and the editor, light and
    dark, at this process's scale, each window at the size Loosen opens it on this
    screen (named by the screen's size in device pixels)."""
    from loosen.ui.editor.window import EditorWindow
    from loosen.ui.main_window import first_size
    from loosen.ui.style import apply_theme

    screen = QApplication.primaryScreen()
    pixels = screen.size() * scale
    size = first_size(screen.availableGeometry().size())
    size = (size.width(), size.height())
    db = HOME / "look-shots.sqlite3"
    if not db.exists():
        with HistoryStore.open(db) as store:
            store.import_records(three_months(datetime.now(UTC)))
    editing = paths.user_routines_dir() / "my-cooldown.toml"
    editing.parent.mkdir(parents=True, exist_ok=True)
    original = (paths.builtin_routines_dir() / "post-run-cooldown.toml").read_text("utf-8")
    editing.write_text(original.replace('id = "post-run-cooldown"', 'id = "my-cooldown"'), "utf-8")
    MainWindow.ask_rating = staticmethod(lambda commit, summary: None)  # not shown here
    for theme in LOOK_THEMES:
        apply_theme(theme)
        name = f"look-{theme}-{scale * 100}-{pixels.width()}x{pixels.height()}"
        clock = FakeClock()
        speaker = ClipSpeaker(None, paths.cache_dir() / "beeps", voice_notice=None)
        fresh = HOME / f"{name}.sqlite3"  # no session of an earlier shot in its table
        shutil.copyfile(db, fresh)
        history = HistoryService(fresh)
        window = MainWindow(Settings(seen_welcome=True), speaker, history, clock=clock)
        window.resize(*size)
        window.show()
        wait_for_library(window, "post-run-cooldown")
        window.library_view.select("post-run-cooldown")
        settle(800)  # its steps laid out (the first grab came before, at times)
        grab(window, out / f"{name}-library.png")
        window.library_view.history_button.click()
        page = window.history_view
        assert page is not None
        loop = QEventLoop()
        page.charts_ready.connect(loop.quit)
        QTimer.singleShot(10_000, loop.quit)
        loop.exec()
        grab(window, out / f"{name}-history.png")
        window.show_library()
        window.start_routine("post-run-cooldown")
        player = window.stack.currentWidget()
        assert isinstance(player, PlayerView)
        advance_to(player, clock, PhaseKind.WORK, 13.2)
        grab(window, out / f"{name}-player.png")
        player.session.stop()
        window.stack.setCurrentWidget(window.library_view)
        window.stack.removeWidget(player)
        window.active = None
        dialog = SettingsDialog(
            window.settings, [("en-gb", "English (GB)")], window, preview=lambda *_: None
        )
        dialog.show()
        grab(dialog, out / f"{name}-settings.png")
        dialog.close()
        window.close()
        editor = EditorWindow.open_file(editing, speaker)
        editor.resize(*size)
        editor.show()
        settle(500)
        editor.step_list.setCurrentRow(2)
        grab(editor, out / f"{name}-editor.png")
        editor.close_discarding()
        settle()


def main(out_dir: str, only: str | None = None) -> int:
    """Every screenshot, or with `only="history"` (or "reminders", "run", "library",
    "editor", "look") just those."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    install_style(app)
    if only == "look":
        shoot_look(out)
        return 0
    if only is not None and only.startswith("look-"):
        shoot_look_at(out, int(only.removeprefix("look-")))
        return 0
    for width, height in SIZES if only is None else ():
        suffix = f"{width}x{height}"
        clock = FakeClock()
        speaker = ClipSpeaker(None, paths.cache_dir() / "beeps", voice_notice=None)
        history = HistoryService(paths.history_db())
        window = MainWindow(Settings(seen_welcome=width < 1000), speaker, history, clock=clock)
        window.resize(width, height)
        window.show()
        settle(800)
        window.library_view.select("post-run-cooldown")
        grab(window, out / f"library-{suffix}.png")

        MainWindow.ask_rating = lambda *_: None  # not shown here
        window.start_routine("post-run-cooldown")
        player = window.stack.currentWidget()
        assert isinstance(player, PlayerView)
        advance_to(player, clock, PhaseKind.GET_READY, 1.5)
        grab(window, out / f"player-get-ready-{suffix}.png")
        advance_to(player, clock, PhaseKind.WORK, 13.2)
        grab(window, out / f"player-work-{suffix}.png")
        player.act("pause")
        grab(window, out / f"player-paused-{suffix}.png")
        player.act("resume")
        advance_to(player, clock, PhaseKind.REST, 4.6)
        grab(window, out / f"player-rest-{suffix}.png")
        window.set_muted(True)
        grab(window, out / f"player-rest-muted-{suffix}.png")

        dialog = RatingDialog(
            lambda rating, written: None, "Completed · 12:12 · 8 steps done, 0 skipped", window
        )
        dialog.show()
        dialog.row.pick(3)
        dialog.note.setText("hips looser than last week")
        grab(dialog, out / f"rating-{suffix}.png")
        dialog.close()
        player.session.stop()
        window.active = None
        window.show_library()
        grab(window, out / f"library-muted-{suffix}.png")
        window.set_muted(False)
        shoot_settings(window, out / f"settings-{suffix}.png")
        window.library_view.show_folder_path(paths.user_routines_dir())
        settle()
        folder_dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, FolderPathDialog) and w.isVisible()
        )
        grab(folder_dialog, out / f"routines-folder-{suffix}.png")
        folder_dialog.close()
        window.close()
        settle()
    for width, height in SIZES if only in (None, "history") else ():
        shoot_history(out, width, height)
        for count in HISTORY_SIZES:
            shoot_history(out, width, height, count)
    if only in (None, "reminders"):
        shoot_reminders(out)
    for width, height in SIZES if only in (None, "run") else ():
        shoot_run(out, width, height)
    for width, height in SIZES if only in (None, "library") else ():
        shoot_library_actions(out, width, height)
    for width, height in SIZES if only in (None, "editor") else ():
        shoot_editor(out, width, height)
    return 0


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:] or ["docs/screenshots"])))
