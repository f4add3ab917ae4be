"""The library's quiet lines: what helped most, and the safety note when the back is not
easing. Real history, real window, the note closed with the mouse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from loosen import paths
from loosen.core.history import HistoryStore, SessionRecord, Status
from loosen.core.settings import load_settings
from player_journey import click


def sessions(routine: str, name: str, kind: str, afters: list[int]) -> list[SessionRecord]:
    """One session a day up to an hour ago, rated 8 before and each `after`."""
    now = datetime.now(UTC).replace(microsecond=0)
    return [
        SessionRecord(
            uid=f"{routine}-{i}",
            routine=routine,
            routine_name=name,
            kind=kind,
            started_at=now - timedelta(days=len(afters) - i, hours=1),
            ended_at=now - timedelta(days=len(afters) - i),
            status=Status.COMPLETED,
            active_s=600.0,
            tightness_before=8,
            tightness_after=after,
        )
        for i, after in enumerate(afters)
    ]


@pytest.fixture
def history_of():
    def write(records: list[SessionRecord]) -> None:
        with HistoryStore.open(paths.history_db()) as store:
            store.import_records(records)

    return write


def test_with_no_history_the_library_suggests_a_routine_not_tried_yet(qtbot, open_window, speaker):
    window = open_window(speaker)
    view = window.library_view
    qtbot.waitUntil(lambda: view.suggestion.isVisible())
    assert view.suggestion.text().startswith("Not tried yet: ")
    assert not view.safety_note.isVisible()


def test_once_known_it_names_what_helped_most_with_its_sessions(
    qtbot, open_window, speaker, history_of
):
    history_of(sessions("post-run-cooldown", "Post-run cooldown", "cooldown", [4, 5, 4, 3, 4]))
    window = open_window(speaker)
    view = window.library_view
    qtbot.waitUntil(lambda: view.suggestion.text().startswith("Helped you most"))
    assert view.suggestion.text() == "Helped you most: Post-run cooldown (5 sessions)"


def test_tightness_not_easing_brings_a_note_once_and_closing_it_keeps_it_away(
    qtbot, open_window, speaker, history_of
):
    history_of(sessions("core-and-hips", "Core and hips", "strength", [8, 7, 8]))
    window = open_window(speaker)
    view = window.library_view
    qtbot.waitUntil(lambda: view.safety_note.isVisible())
    text = view.safety_text.text()
    assert "physiotherapist or a doctor" in text
    assert "Hip flexors and hamstrings" in text  # the shortest built-in cooldown
    close = view.safety_note.findChild(type(view.settings_button), "")
    click(qtbot, close)
    assert not view.safety_note.isVisible()
    dismissed = load_settings(paths.settings_file())[0].safety_note_dismissed_at
    assert dismissed is not None
    # Back from elsewhere, and after a restart: not again for two weeks.
    window.show_library()
    qtbot.waitUntil(lambda: view.suggestion.isVisible())
    assert not view.safety_note.isVisible()
