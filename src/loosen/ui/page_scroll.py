"""A window's page that scrolls rather than outgrow the screen (large text on a small one)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class PageLayout(QVBoxLayout):
    """A page's layout that tells its scroll area nothing of height-for-width: else the
    area would size a page of wrapped text to its preferred height, and scroll a page
    that fits."""

    def hasHeightForWidth(self) -> bool:
        return False


def scrolled_page(page: QWidget) -> QScrollArea:
    """`page` (laid out by a PageLayout) in a frameless scroll area that fills the window:
    at 200 % of an 800×600 screen (400×300 to lay out in) what does not fit scrolls."""
    scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
    scroll.setWidget(page)
    return scroll
