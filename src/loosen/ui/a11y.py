"""What a screen reader is told: names for controls whose visible text does not name
them, labels tied to their fields, and spoken announcements (a phase change, a question).

Announcements go through Qt's `QAccessibleAnnouncementEvent` (Qt 6.8 and later, on
AT-SPI an `Announcement` event): the screen reader says the text once, without moving
the focus. `send` is the one way out, so a test can see what would be said.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtWidgets import QLabel, QWidget


def _update(event: QAccessibleEvent) -> None:
    QAccessible.updateAccessibility(event)


# Where every accessibility event this module makes goes; tests put a recorder here.
send: Callable[[QAccessibleEvent], None] = _update


def announce(widget: QWidget, text: str, *, urgent: bool = False) -> None:
    """Have a screen reader say `text` about `widget`'s window: politely (after what it
    is saying) unless `urgent`. Nothing is sent for no text."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if urgent
        else QAccessible.AnnouncementPoliteness.Polite
    )
    send(event)


def plain(label_text: str) -> str:
    """A label's words without its mnemonic marks: "&Name" -> "Name", "A && B" -> "A & B"."""
    return label_text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def label_field(label: QLabel, field: QWidget) -> None:
    """`label` names `field`: Alt+its letter goes there, and a screen reader reads the
    label as the field's name. Qt finds a buddy's name only among the field's siblings,
    so a field inside a wrapper widget is named here, once, from the same words."""
    label.setBuddy(field)
    field.setAccessibleName(plain(label.text()))


def name(widget: QWidget, accessible_name: str, description: str = "") -> None:
    """Name a control whose visible text (an icon, a number, nothing) does not."""
    widget.setAccessibleName(accessible_name)
    if description:
        widget.setAccessibleDescription(description)
