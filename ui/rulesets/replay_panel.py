"""The replay's result: the old → new level matrix, what causes the changes, the weekly workload, and the
changed children to drill into (Enter opens the contact, or shows the child's record to one who may not read
contacts)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.references import contact_reference
from mashdesk.rulesets.views import ChangedCase, ReplayReport

LEVELS = (1, 2, 3, 4)
CHANGED = QColor("#fde2b8")
CASE_COLUMNS = ("Contact", "Received", "Level", "Outcome", "RAG", "Why", "Decided")


class ReplayPanel(QWidget):
    #: A changed child chosen (Enter): its :class:`ChangedCase`.
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: ReplayReport | None = None
        self.summary = QLabel("Choose a version and press Replay (Alt+R) to see what it would change.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.matrix = QTableWidget(len(LEVELS), len(LEVELS))
        self.matrix.setAccessibleName("Children by level as stored (rows) and under the proposal (columns)")
        self.matrix.setHorizontalHeaderLabels([f"New {n}" for n in LEVELS])
        self.matrix.setVerticalHeaderLabels([f"Old {n}" for n in LEVELS])
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setTabKeyNavigation(False)  # arrows move between cells, Tab to the children
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix.setFixedHeight(self.matrix.verticalHeader().defaultSectionSize() * (len(LEVELS) + 1) + 8)
        self.matrix.currentCellChanged.connect(lambda row, col, *_: self._show_cases(row, col))
        matrix_label = QLabel("Level matri&x (old → new; a changed cell lists its children below):")
        matrix_label.setBuddy(self.matrix)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.cases = QTableWidget(0, len(CASE_COLUMNS))
        self.cases.setAccessibleName("Changed children: Enter opens the contact")
        self.cases.setHorizontalHeaderLabels(CASE_COLUMNS)
        self.cases.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cases.setTabKeyNavigation(False)
        self.cases.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cases.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cases.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.cases.verticalHeader().hide()
        self.cases.activated.connect(lambda index: self._open(index.row()))
        self.cases_label = QLabel("&Changed children:")
        self.cases_label.setBuddy(self.cases)
        layout = QVBoxLayout(self)
        for widget in (self.summary, matrix_label, self.matrix, self.details, self.cases_label, self.cases):
            layout.addWidget(widget)
        layout.setStretch(5, 1)
        self._shown: tuple[ChangedCase, ...] = ()

    def show_report(self, report: ReplayReport) -> None:
        self.report = report
        self.summary.setText(
            f"<b>{escape(report.proposed)}</b> over contacts received {report.start:%d %b %Y} to "
            f"{report.end:%d %b %Y}: <b>{report.changed:,}</b> of {report.children:,} children would change "
            f"level, outcome, RAG or flags ({report.flags_changed:,} flags)."
            + (f" {report.not_evaluated:,} could not be evaluated." if report.not_evaluated else ""))
        counts = {(o, n): c for o, n, c in report.level_matrix}
        for row, old in enumerate(LEVELS):
            for col, new in enumerate(LEVELS):
                n = counts.get((old, new), 0)
                item = QTableWidgetItem(f"{n:,}" if n else "·")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if n and old != new:
                    item.setBackground(CHANGED)
                    item.setToolTip(f"{n:,} children from level {old} to level {new}")
                self.matrix.setItem(row, col, item)
        causes = ", ".join(f"{escape(k)} ({n:,})" for k, n in (*report.rule_causes, *report.indicator_causes))
        work = "; ".join(f"{escape(w.label)} {w.old_per_week:g} → <b>{w.new_per_week:g}</b>" for w in report.workload)
        self.details.setText(
            f"<b>Causes:</b> {causes or 'none'}<br><b>Per week:</b> {work}<br><b>Overridden decisions:</b> "
            f"{report.overrides:,}; the proposal agrees with {report.overrides_now_agreed:,} of them. "
            f"It differs from {report.followed_now_differ:,} decisions that followed the suggestion."
            + ("<br><b>Indicators it does not know:</b> "
               + ", ".join(f"{escape(k)} ({n:,})" for k, n in report.dropped_indicators)
               if report.dropped_indicators else ""))
        self._fill(report.samples)
        first = next(((r, c) for r, old in enumerate(LEVELS) for c, new in enumerate(LEVELS)
                      if old != new and counts.get((old, new))), None)
        if first is not None:
            self.matrix.setCurrentCell(*first)

    def _show_cases(self, row: int, col: int) -> None:
        if self.report is None or row < 0 or col < 0:
            return
        old, new = LEVELS[row], LEVELS[col]
        self._fill(self.report.cases_in(old, new) if old != new else self.report.cases_in(old))
        self.cases_label.setText(f"&Changed children, level {old} → {new}:" if old != new
                                 else f"&Changed children from level {old}:")

    def _fill(self, cases: tuple[ChangedCase, ...]) -> None:
        self._shown = cases
        self.cases.setRowCount(len(cases))
        for row, c in enumerate(cases):
            decided = "" if c.decided_level is None else (
                f"level {c.decided_level}, {(c.decided_outcome or '').replace('_', ' ')}"
                + (" (override)" if c.overridden else ""))
            values = (contact_reference(c.contact_id), f"{c.received_on:%d %b %Y}", f"{c.old_level} → {c.new_level}",
                      _change(c.old_outcome, c.new_outcome), _change(c.old_rag, c.new_rag), ", ".join(c.causes),
                      decided)
            for col, value in enumerate(values):
                self.cases.setItem(row, col, QTableWidgetItem(value))
        self.cases.resizeColumnsToContents()
        if cases:
            self.cases.setCurrentCell(0, 0)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self._shown):
            self.chosen.emit(self._shown[row])


def _change(old: str, new: str) -> str:
    return old.replace("_", " ") if old == new else f"{old.replace('_', ' ')} → {new.replace('_', ' ')}"
