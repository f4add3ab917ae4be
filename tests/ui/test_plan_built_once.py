"""Starting a session plans its routine once: the player, the session and the history
all read that one plan (issue 14: the largest routines took a minute per plan)."""

from __future__ import annotations

from loosen.core import plan as plan_module
from loosen.core import session as session_module
from loosen.ui.player_view import PlayerView

from helpers import ISSUE_14_ROUTINE


def test_starting_the_largest_routine_fits_its_cues_once(
    open_window, speaker, user_routines, monkeypatch
):
    (user_routines / "bridges.toml").write_text(ISSUE_14_ROUTINE, encoding="utf-8")
    fittings = []
    for module in (plan_module, session_module):  # every place that fits cues
        fit = module.build_cues

        def counted(*args, fit=fit, **kwargs):
            fittings.append(args[0].routine_id)
            return fit(*args, **kwargs)

        monkeypatch.setattr(module, "build_cues", counted)
    window = open_window(speaker)
    window.start_routine("bridges")
    player = window.stack.currentWidget()
    assert isinstance(player, PlayerView)
    assert window.windowTitle() == "Bridges, all of them — Loosen"
    assert fittings == ["bridges"]
    # What the voice was asked to get ready is that plan's cues, every one.
    assert speaker.prepared == [cue.text for cue in player.session.plan.cues]
