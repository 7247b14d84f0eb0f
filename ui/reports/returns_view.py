"""The Returns view (F8): write the CIN census for a collection year on a worker thread, with a progress bar,
then list the DfE rules' errors and queries with the child and field; Enter opens the record to put right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mashdesk.context import Actor
from mashdesk.returns.service import CensusService
from mashdesk.returns.views import CensusCheck, IssueRow
from ui.rulesets.task import Task
from ui.widgets.record_table import record_table

COLUMNS = ("Kind", "Child", "Rule", "Where", "Value", "What the rule says")


class ReturnsView(QWidget):
    #: The census was written and checked, its issues on screen.
    checked = Signal()
    open_contact = Signal(int)
    person_requested = Signal(int)

    def __init__(self, service: CensusService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.actor = service, actor
        self.result: CensusCheck | None = None
        self._task: Task | None = None
        heading = QLabel("<h2>Statutory returns: the CIN census</h2>")
        self.year = QSpinBox()
        self.year.setRange(2000, service.default_year() + 1)
        self.year.setValue(service.default_year())
        self.year.setMaximumWidth(110)
        self.year.setAccessibleName("Collection year, ending 31 March of the year")
        self.year.valueChanged.connect(self._year_changed)
        self.file = QLineEdit(str(service.suggested_file(self.year.value())))
        self.file.setAccessibleName("File to write the census to (XML)")
        self.browse = QPushButton("&Browse…", clicked=self.choose_file)
        self.write_button = QPushButton("&Write and check the census", clicked=self.write)
        self.write_button.setDefault(True)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("How far writing and checking the census has got")
        self.progress.hide()
        self.status = QLabel("Choose the year and press Write and check (Alt+W).")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = record_table("returnsIssues", "The DfE rules' errors and queries: Enter opens the "
                                  "record to fix", COLUMNS, (60, 90, 60, 260, 100))
        self.table.setTabKeyNavigation(False)
        self.table.activated.connect(lambda index: self.open_issue(index.row()))
        form = QFormLayout()
        year_label = QLabel("Collection &year (ending 31 March):")
        year_label.setBuddy(self.year)
        file_label = QLabel("&Save to:")
        file_label.setBuddy(self.file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.browse)
        form.addRow(year_label, self.year)
        form.addRow(file_label, file_row)
        issues_label = QLabel("&Errors and queries:")
        issues_label.setBuddy(self.table)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.write_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(issues_label)
        layout.addWidget(self.table, 1)
        order = (self.year, self.file, self.browse, self.write_button, self.table)
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._rows: tuple[IssueRow, ...] = ()

    def _year_changed(self, year: int) -> None:
        current = Path(self.file.text())
        if current.name.startswith("cin-census-"):
            self.file.setText(str(current.with_name(f"cin-census-{year}.xml")))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Write the CIN census to", self.file.text(),
                                              "XML (*.xml)")
        if path:
            self.file.setText(path)

    def write(self) -> None:
        """Write and check the census on a worker thread; the window stays free meanwhile."""
        if self._task is not None:
            return
        year, out = self.year.value(), Path(self.file.text().strip())
        self.status.setText(f"Writing the {year} census…")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.show()
        self.write_button.setEnabled(False)
        task = self._task = Task(
            lambda progress: self.service.write_and_check(self.actor, year, out, progress), self)
        task.progressed.connect(self._progressed)
        task.succeeded.connect(lambda result: (self._end(), self.show_result(result)))
        task.failed.connect(lambda error: (self._end(), self._failed(error)))
        task.finished.connect(task.deleteLater)
        task.start()

    def _progressed(self, done: int, total: int) -> None:
        if total == 0:  # the DfE rules' run: no steps to count
            self.status.setText("Checking the file with the DfE rules…")
            self.progress.setRange(0, 0)
            return
        self.progress.setRange(0, total)
        self.progress.setValue(min(done, total))

    def _end(self) -> None:
        self._task = None
        self.progress.hide()
        self.write_button.setEnabled(True)

    def _failed(self, error: Exception) -> None:
        self.status.setText(f"Not written: {error}")
        QMessageBox.warning(self, "The census was not written", str(error))

    def show_result(self, result: CensusCheck) -> None:
        self.result = result
        written = (f"The {result.year} census is written to {result.path}: {result.children:,} children, "
                   f"{result.episodes:,} referrals (SHA-256 {result.sha256[:16]}…).")
        if result.ruleset is None:
            self.status.setText(f"{written} Not checked: {result.unchecked}.")
        else:
            self.status.setText(f"{written} DfE rules ({result.ruleset}): {result.errors} errors, "
                                f"{result.queries} queries.")
        self._rows = result.issues
        self.table.setRowCount(len(self._rows))
        for r, issue in enumerate(self._rows):
            values = (issue.kind, issue.child, issue.rule, issue.where, issue.value, issue.rule_says)
            for col, value in enumerate(values):
                self.table.setItem(r, col, QTableWidgetItem(value))
        if self._rows:
            self.table.setCurrentCell(0, 0)
            self.table.setFocus()
        self.checked.emit()

    def open_issue(self, row: int) -> None:
        """The referral's contact for an issue in an episode, else the child's record."""
        if not 0 <= row < len(self._rows):
            return
        issue = self._rows[row]
        if issue.contact_id is not None and self.actor.may("contact.read"):
            self.open_contact.emit(issue.contact_id)
        elif issue.person_id is not None and self.actor.may("person.read"):
            self.person_requested.emit(issue.person_id)
        else:
            QMessageBox.information(self, f"{issue.rule}: {issue.child or 'the return'}",
                                    f"{issue.where}: {issue.rule_says}\n\n"
                                    "Your role may not open this record: "
                                    "a MASH manager can put it right.")


def returns_view(ctx, actor):  # type: ignore[no-untyped-def]
    """The main view, built on first show."""
    return ReturnsView(CensusService(ctx), actor)
