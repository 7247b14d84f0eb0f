"""The consistency report: override rates by practitioner, team manager, referral source and indicator, the
common reasons, suggested and decided levels; each figure lists the records behind it (Enter opens one)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.references import contact_reference
from mashdesk.rulesets.views import CaseRef, ConsistencyReport, RateLine

LINE_COLUMNS = ("", "Decisions", "Overrides", "Rate")
CASE_COLUMNS = ("Contact", "Suggested", "Decided", "Reason")


class ConsistencyPanel(QWidget):
    #: A record behind a figure chosen (Enter): its :class:`CaseRef`.
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: ConsistencyReport | None = None
        self.summary = QLabel("Press Consistency report (Alt+Y) for the period chosen above.")
        self.summary.setWordWrap(True)
        self.group = QComboBox()
        self.group.setAccessibleName("Group the decisions by")
        self.group.currentIndexChanged.connect(lambda _: self._fill_lines())
        group_label = QLabel("&Group by:")
        group_label.setBuddy(self.group)
        self.lines = QTableWidget(0, len(LINE_COLUMNS))
        self.lines.setAccessibleName("Decisions and overrides per group: choose a row to list its records")
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setTabKeyNavigation(False)
        self.lines.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lines.verticalHeader().hide()
        self.lines.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lines.currentCellChanged.connect(lambda row, *_: self._fill_cases(row))
        self.cases = QTableWidget(0, len(CASE_COLUMNS))
        self.cases.setAccessibleName("The records behind the figure: Enter opens the contact")
        self.cases.setHorizontalHeaderLabels(CASE_COLUMNS)
        self.cases.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cases.setTabKeyNavigation(False)
        self.cases.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cases.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cases.verticalHeader().hide()
        self.cases.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.cases.activated.connect(lambda index: self._open(index.row()))
        self.cases_label = QLabel("Records &behind the figure:")
        self.cases_label.setBuddy(self.cases)
        top = QHBoxLayout()
        top.addWidget(group_label)
        top.addWidget(self.group, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(self.lines, 2)
        layout.addWidget(self.cases_label)
        layout.addWidget(self.cases, 1)
        self._lines: tuple[RateLine, ...] = ()
        self._cases: tuple[CaseRef, ...] = ()

    def show_report(self, report: ConsistencyReport) -> None:
        self.report = report
        self.summary.setText(
            f"Contacts received {report.start:%d %b %Y} to {report.end:%d %b %Y}: {report.decisions:,} decisions, "
            f"{report.overrides:,} differ from the suggestion ({report.rate:.1%}).")
        current = self.group.currentText()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItems(list(report.groups()))
        self.group.setCurrentIndex(max(0, self.group.findText(current)))
        self.group.blockSignals(False)
        self._fill_lines()

    def _fill_lines(self) -> None:
        if self.report is None:
            return
        kind = self.group.currentText()
        self._lines = self.report.groups().get(kind, ())
        every = kind == "suggested → decided level"
        self.lines.setHorizontalHeaderLabels([kind.capitalize(), "Decisions", "Overrides", "Rate"])
        self.lines.setRowCount(len(self._lines))
        for row, line in enumerate(self._lines):
            values = (line.key, f"{line.decisions:,}", f"{line.overrides:,}",
                      "" if kind == "override reason" else f"{line.rate:.1%}")
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.lines.setItem(row, col, item)
        self.cases_label.setText("Records &behind the figure (every decision):" if every
                                 else "Records &behind the figure (the overrides):")
        if self._lines:
            self.lines.setCurrentCell(0, 0)
        else:
            self._fill_cases(-1)

    def _fill_cases(self, row: int) -> None:
        self._cases = self._lines[row].cases[:2000] if 0 <= row < len(self._lines) else ()
        self.cases.setRowCount(len(self._cases))
        for r, c in enumerate(self._cases):
            values = (contact_reference(c.contact_id), f"level {c.suggested_level}, {c.suggested_outcome}",
                      f"level {c.level}, {c.outcome}", c.reason)
            for col, value in enumerate(values):
                self.cases.setItem(r, col, QTableWidgetItem(value.replace("_", " ") if col in (1, 2) else value))
        self.cases.resizeColumnsToContents()
        if self._cases:
            self.cases.setCurrentCell(0, 0)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self._cases):
            self.chosen.emit(self._cases[row])
