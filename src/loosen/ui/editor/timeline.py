"""The live timeline beside the step form: the plan's phases with their start times, and
the total; the selected step's phases highlighted."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loosen.core.duration import format_clock, format_length
from loosen.core.phases import Phase, PhaseKind, Plan

_KIND_WORDS = {
    PhaseKind.GET_READY: "Get ready",
    PhaseKind.WORK: "",
    PhaseKind.REST: "Rest",
    PhaseKind.SWITCH: "Switch sides",
    PhaseKind.ACTIVITY: "",
}
UNTIL_DONE = "until done"  # an open-ended phase's length
NO_PLAN = "The timeline shows once the routine has no mistakes."


def phase_text(phase: Phase) -> str:
    """What the timeline calls a phase: "Glute bridge, left, set 2 of 3", "Rest"."""
    if phase.kind in (PhaseKind.WORK, PhaseKind.ACTIVITY):
        parts = [phase.step]
        if phase.side is not None:
            parts.append(phase.side.value)
        if phase.sets > 1:
            parts.append(f"set {phase.set} of {phase.sets}")
        return ", ".join(parts)
    return _KIND_WORDS[phase.kind]


class Timeline(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.tree = QTreeWidget()
        self.tree.setObjectName("timeline")
        self.tree.setAccessibleName("Timeline")
        self.tree.setHeaderLabels(["Starts", "Phase", "Lasts"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.total = QLabel(wordWrap=True)
        self.total.setObjectName("timelineTotal")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Timeline"))
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.total)
        self.show_plan(None)

    def show_plan(self, plan: Plan | None) -> None:
        self.tree.clear()
        if plan is None:
            self.total.setText(NO_PLAN)
            return
        for phase in plan.phases:
            length = UNTIL_DONE if phase.duration_s is None else format_length(phase.duration_s)
            item = QTreeWidgetItem([format_clock(phase.start_s), phase_text(phase), length])
            item.setToolTip(1, phase_text(phase))
            self.tree.addTopLevelItem(item)
        self.total.setText(f"Total: {format_length(plan.total_s)} ({format_clock(plan.total_s)})")

    def highlight(self, phases: Sequence[int]) -> None:
        """Select the rows of these phases (the selected step's), and show the first."""
        self.tree.clearSelection()
        for index in phases:
            item = self.tree.topLevelItem(index)
            if item is not None:
                item.setSelected(True)
        if phases and (first := self.tree.topLevelItem(phases[0])) is not None:
            self.tree.scrollToItem(first)

    def rows(self) -> list[tuple[str, str, str]]:
        """What the timeline shows, row by row (start, phase, length)."""
        return [
            tuple(self.tree.topLevelItem(i).text(c) for c in range(3))  # type: ignore[misc]
            for i in range(self.tree.topLevelItemCount())
        ]
