"""The main window: the routine library grouped by kind, with a detail pane."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loosen import paths
from loosen.core.duration import format_duration
from loosen.core.library import Library, load_library
from loosen.core.plan import build_plan
from loosen.core.routine import Routine

ROUTINE_ROLE = Qt.ItemDataRole.UserRole


class MainWindow(QMainWindow):
    def __init__(self, library: Library | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Loosen")
        self.resize(1000, 640)
        self.library = library or load_library(
            paths.builtin_routines_dir(), paths.user_routines_dir(), paths.pictures_dir()
        )
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Routine", "Length"])
        self.tree.setColumnWidth(0, 280)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(bool(self.library.errors))
        self.banner.setText(
            "Some routine files could not be loaded:\n"
            + "\n".join(str(e) for e in self.library.errors)
        )
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(splitter)
        self.setCentralWidget(central)
        self._fill()
        self.tree.currentItemChanged.connect(self._show_detail)

    def _fill(self) -> None:
        for kind, routines in self.library.by_kind().items():
            if not routines:
                continue
            group = QTreeWidgetItem([kind.label, ""])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            for routine in routines:
                length = (
                    "open"
                    if routine.interval and routine.interval.total_s is None
                    else format_duration(build_plan(routine).total_s)
                )
                item = QTreeWidgetItem([routine.name, length])
                item.setData(0, ROUTINE_ROLE, routine.id)
                group.addChild(item)
        self.tree.expandAll()

    def select_routine(self, routine_id: str) -> None:
        for group_index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(group_index)
            for child_index in range(group.childCount()):
                item = group.child(child_index)
                if item.data(0, ROUTINE_ROLE) == routine_id:
                    self.tree.setCurrentItem(item)
                    return

    def _show_detail(self, item: QTreeWidgetItem | None) -> None:
        routine_id = item.data(0, ROUTINE_ROLE) if item else None
        routine = self.library.get(routine_id) if routine_id else None
        self.detail.setText(_describe(routine) if routine else "")


def _describe(routine: Routine) -> str:
    lines = [routine.name, routine.summary, ""]
    for step in routine.steps:
        amount = (
            format_duration(step.duration_s) if step.duration_s is not None else f"{step.reps} reps"
        )
        sides = ", each side" if step.sides else ""
        sets = f" × {step.sets}" if step.sets > 1 else ""
        lines.append(f"• {step.name}: {amount}{sides}{sets}")
    if routine.interval:
        lines.append(
            f"{routine.interval.activity}, with a {routine.interval.break_routine.name} break "
            f"every {format_duration(routine.interval.every.start_s)}"
            f"–{format_duration(routine.interval.every.end_s)}"
        )
    if routine.caution:
        lines += ["", routine.caution]
    return "\n".join(lines)
