"""The countdown setting says where it applies, and applies there."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout

from loosen.core.phases import PhaseKind
from loosen.core.plan import build_plan
from loosen.core.routine import with_countdown
from loosen.core.settings import Settings
from loosen.ui.settings_dialog import SettingsDialog

from helpers import routine, step


def test_the_countdown_row_says_it_counts_down_every_change(qtbot):
    dialog = SettingsDialog(Settings(countdown=5), [])
    qtbot.addWidget(dialog)
    form = dialog.body.layout()  # the fields, in their scroll area
    assert isinstance(form, QFormLayout)
    label = form.labelForField(dialog.countdown).text()
    assert label == "Countdown to each change"
    help_text = dialog.countdown.toolTip()
    for place in ("hold", "rest", "switch", "get-ready", "counted reps", "shorter"):
        assert place in help_text


def test_the_chosen_countdown_sounds_in_every_kind_of_phase_it_names():
    made = routine(
        step("Lunge", duration_s=20.0, sides=True, switch_s=5.0, rest_s=10.0),
        step("Bridge", reps=6, tempo_s=3.0),
        get_ready_s=8.0,
    )
    plan = build_plan(with_countdown(made, 5))
    counted_down = {plan.phases[c.phase_index].kind for c in plan.cues if c.text == "four"}
    assert counted_down == {PhaseKind.GET_READY, PhaseKind.WORK, PhaseKind.SWITCH, PhaseKind.REST}
