"""Each screen's keys, declared once: its shortcuts are made from these tables, its
buttons' tooltips name them, and F1 (or ?) lists them (ui/keys_help.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Key:
    """One thing a screen does by keyboard: its keys (Qt's portable text) and what it
    does, in the words the help shows. `shown` stands for a run of keys ("0–9")."""

    action: str  # the screen's name for it: the slot it is bound to
    keys: tuple[str, ...]
    does: str
    shown: str = ""

    @property
    def sequences(self) -> list[QKeySequence]:
        return [QKeySequence(key) for key in self.keys]

    @property
    def label(self) -> str:
        """The keys as the help and the tooltips write them: "Right or N", "Return,
        Enter or D"."""
        if self.shown:
            return self.shown
        names = [
            QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) for key in self.keys
        ]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


HELP = Key("help", ("F1", "?"), "Show these keys")
DIGITS = tuple(str(digit) for digit in range(10))

PLAYER_KEYS = (
    Key("toggle_pause", ("Space",), "Pause or resume"),
    Key("skip", ("Right", "N"), "Skip to the next phase"),
    Key("back", ("Left", "P"), "Back to the start of this phase, or the one before"),
    Key("done", ("Return", "Enter", "D"), "Done: end a step you do in your own time"),
    Key("take_break", ("B",), "Take the break now (runs)"),
    Key("stop", ("Escape",), "Stop the session (asks first)"),
    Key("full_screen", ("F",), "Full screen on or off"),
    Key("mute", ("M",), "Mute or unmute the voice and beeps"),
    Key("digit", DIGITS, "How tight your back is, 0 loose to 10 very tight", "0–9"),
    HELP,
)

LIBRARY_KEYS = (
    Key("start", ("Return", "Enter"), "Start the selected routine"),
    Key("new", ("Ins", "Ctrl+N"), "A new routine of your own"),
    Key("duplicate", ("Ctrl+D",), "Duplicate the selected routine"),
    Key("edit", ("Ctrl+E",), "Edit your routine"),
    Key("rename", ("F2",), "Rename your routine"),
    Key("delete", ("Del",), "Delete your routine (Undo brings it back)"),
    Key("undo", ("Ctrl+Z",), "Undo the last delete or restore"),
    Key("quit", ("Ctrl+Q",), "Quit Loosen"),
    HELP,
)

HISTORY_KEYS = (
    Key("delete", ("Del",), "Delete the selected sessions"),
    Key("undo", ("Ctrl+Z",), "Undo the delete"),
    Key("back", ("Escape",), "Back to the library"),
    HELP,
)

EDITOR_KEYS = (
    Key("save", ("Ctrl+S",), "Save the routine"),
    Key("close", ("Escape",), "Close the editor (asks about unsaved changes)"),
    Key("step_up", ("Alt+Up",), "Move the selected step up (in the steps)"),
    Key("step_down", ("Alt+Down",), "Move the selected step down (in the steps)"),
    Key("add_step", ("Ins",), "Add a step (in the steps)"),
    Key("remove_step", ("Del",), "Remove the selected step (in the steps)"),
    HELP,
)

RATING_KEYS = (
    Key("digit", DIGITS, "Pick how tight your back is (1 then 0 for 10)", "0–9"),
    Key("confirm", ("Return", "Enter"), "Confirm the rating"),
    Key("note", ("Tab",), "Write a note with it (Enter saves, Esc skips)"),
    Key("skip", ("Escape",), "Skip the rating (the session is still kept)"),
    HELP,
)

REMINDER_KEYS = (
    Key("take", ("Return", "Enter"), "Take the break now"),
    HELP,
)

SUMMARY_KEYS = (
    Key("done", ("Return", "Enter", "Escape"), "Back to the library"),
    HELP,
)


def key_for(table: tuple[Key, ...], action: str) -> Key:
    return next(key for key in table if key.action == action)


def bind_keys(
    widget: QWidget,
    table: tuple[Key, ...],
    slots: Mapping[str, Callable[[], object]],
    *,
    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
) -> list[QShortcut]:
    """A shortcut on `widget` for each key of each entry of `table` that `slots` names
    (entries without a slot are bound elsewhere, e.g. by a view's own key handling)."""
    made: list[QShortcut] = []
    for entry in table:
        slot = slots.get(entry.action)
        if slot is None:
            continue
        for sequence in entry.sequences:
            shortcut = QShortcut(sequence, widget)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
            made.append(shortcut)
    return made


def matches(entry: Key, event: QKeyEvent) -> bool:
    """Whether a key press is one of `entry`'s keys (the keypad's Enter as Enter), for
    views that read keys in keyPressEvent rather than through shortcuts."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    pressed = QKeySequence(QKeyCombination(modifiers, Qt.Key(event.key())))
    return any(
        pressed.matches(sequence) == QKeySequence.SequenceMatch.ExactMatch
        for sequence in entry.sequences
    )
