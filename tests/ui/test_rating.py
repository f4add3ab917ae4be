"""The rating dialog: one keypress, Enter to save, Esc to skip, committed before closing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from loosen.ui.rating import Rating, RatingDialog, RatingRow


@pytest.fixture
def dialog(qtbot):
    committed: list[Rating] = []
    made = RatingDialog(
        lambda rating, written: (committed.append(rating), written()),
        "Completed · 12:12 · 8 steps done, 0 skipped",
    )
    made.committed = committed
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def test_a_digit_then_enter_saves_that_rating(qtbot, dialog):
    qtbot.keyClick(dialog, "3")
    assert dialog.row.buttons[3].isChecked() and dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.committed == [Rating(3, "")]
    assert dialog.result_rating == Rating(3, "") and not dialog.isVisible()


def test_enter_without_a_rating_does_nothing(qtbot, dialog):
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.committed == [] and dialog.isVisible()


def test_one_then_zero_is_ten(qtbot, dialog):
    qtbot.keyClicks(dialog, "10")
    assert dialog.row.value == 10
    qtbot.keyClick(dialog, Qt.Key.Key_Enter)
    assert dialog.committed == [Rating(10, "")]


def test_a_later_digit_replaces_the_first(qtbot, dialog):
    qtbot.keyClicks(dialog, "72")
    assert dialog.row.value == 2


def test_ten_by_click(qtbot, dialog):
    qtbot.mouseClick(dialog.row.buttons[10], Qt.MouseButton.LeftButton)
    dialog.ok_button.click()
    assert dialog.committed == [Rating(10, "")]


def test_escape_skips_but_keeps_the_note(qtbot, dialog):
    dialog.note.setFocus()
    qtbot.keyClicks(dialog.note, "hips felt good")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Escape)
    assert dialog.committed == [Rating(None, "hips felt good")]
    assert not dialog.isVisible()


def test_digits_typed_in_the_note_stay_in_the_note(qtbot, dialog):
    qtbot.keyClick(dialog, "4")
    dialog.note.setFocus()
    qtbot.keyClicks(dialog.note, "ran 10k")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.committed == [Rating(4, "ran 10k")]


def test_the_row_picks_and_signals(qtbot):
    row = RatingRow("How tight?")
    qtbot.addWidget(row)
    with qtbot.waitSignal(row.rated) as rated:
        row.buttons[7].click()
    assert rated.args == [7] and row.value == 7


def test_the_dialog_closes_only_once_the_rating_is_written(qtbot):
    handed: list[tuple[Rating, object]] = []
    made = RatingDialog(lambda rating, written: handed.append((rating, written)))
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    qtbot.keyClicks(made, "4")
    qtbot.keyClick(made, Qt.Key.Key_Return)
    assert [rating for rating, _ in handed] == [Rating(4, "")]
    assert made.isVisible() and not made.ok_button.isEnabled()  # answered, being written
    qtbot.keyClick(made, "7")  # a late key changes nothing
    qtbot.keyClick(made, Qt.Key.Key_Return)
    assert len(handed) == 1
    handed[0][1]()  # the store has it
    assert not made.isVisible() and made.rating() == Rating(4, "")
