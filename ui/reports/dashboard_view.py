"""The Dashboard (F7): the performance digest for a period beside the period before, a chart of the chosen
section, and the records behind a figure (Enter), from which Enter opens the record's contact. Alt+A
exports Ofsted's Annex A for the period in From and to, through the audited service of
``mashdesk export annex-a``.

The digest, every list and the Annex A workbook are worked out on a worker thread, so the window goes on
working meanwhile.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mashdesk.context import Actor
from mashdesk.digest.service import DigestService
from mashdesk.digest.views import Digest, Drill, DrillRecord
from mashdesk.digest.workflow import default_period
from mashdesk.errors import MashDeskError
from mashdesk.returns.annex_a import AnnexAService, counts
from ui.formatting import local_time
from ui.meeting.layout import list_table
from ui.reports.dashboard_chart import SectionChart
from ui.rulesets.task import Runner

FIGURE_COLUMNS = ("Figure", "This period", "Period before", "Change")
RECORD_COLUMNS = ("Reference", "When", "Counts", "Record")


class EnterTable(QTableWidget):
    """A read-only list whose Enter (or double click) chooses the current row."""

    chosen = Signal(int)

    def __init__(self, columns: tuple[str, ...], name: str) -> None:
        super().__init__(0, len(columns))
        list_table(self, columns, ())
        self.setAccessibleName(name)
        self.setTabKeyNavigation(False)
        self.doubleClicked.connect(lambda index: self.chosen.emit(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.chosen.emit(self.currentRow())
            return
        super().keyPressEvent(event)

    def fill(self, rows: list[tuple[str, ...]]) -> None:
        self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if len(value) > 40:  # the whole text where the column cuts it short
                    item.setToolTip(value)
                self.setItem(r, c, item)
        if rows:
            self.setCurrentCell(0, 0)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _when(value: datetime | date) -> str:
    return local_time(value) if isinstance(value, datetime) else f"{value:%d %b %Y}"


class DashboardView(QWidget):
    loaded = Signal()
    open_contact = Signal(int)
    #: The records behind a figure are on screen.
    drilled = Signal()
    #: Work has started on the worker (the progress bar shows; Go waits).
    working = Signal()
    #: The Annex A workbook is written (its path).
    exported = Signal(object)

    def __init__(self, service: DigestService, actor: Actor, parent: QWidget | None = None,
                 returns: AnnexAService | None = None) -> None:
        super().__init__(parent)
        self.service, self.actor = service, actor
        self.returns = returns or AnnexAService(service.ctx)
        self.digest: Digest | None = None
        self.drill: Drill | None = None
        self._message = ""
        self.runner = Runner(self._start, self._end, self._progressed)
        period = default_period(service.ctx.calendar.localize(service.ctx.now()).date())
        self.start, self.end = QDateEdit(calendarPopup=True), QDateEdit(calendarPopup=True)
        for edit, day, name in ((self.start, period.first, "First day of the period"),
                                (self.end, period.last, "Last day of the period")):
            edit.setDisplayFormat("dd MMM yyyy")
            edit.setDate(_qdate(day))
            edit.setAccessibleName(name)
        self.show_button = QPushButton("&Go", clicked=self.refresh)
        self.save_button = QPushButton("Save as PDF or &workbook…", clicked=self.save)
        self.save_button.setEnabled(actor.may("digest.export"))
        self.annex_button = QPushButton("Export &Annex A…", clicked=self.export_annex_a)
        self.annex_button.setToolTip("Ofsted's Annex A, Lists 1 to 3, for the period in From and to (Alt+A)")
        self.annex_button.setEnabled(actor.may("export.returns"))
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Working out the figures")
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.status = QLabel()
        self.status.setAccessibleName("Dashboard status")
        self.figures = EnterTable(FIGURE_COLUMNS, "Figures: this period beside the period before")
        self.table = self.figures  # where the keyboard goes when the view is shown
        self.figures.chosen.connect(self.show_records)
        self.figures.currentCellChanged.connect(lambda row, *_: self._chart_section(row))
        header = self.figures.horizontalHeader()
        for column in range(1, len(FIGURE_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        #: The digest line shown on each row of the figures (``None`` on a section's heading row).
        self.row_lines: list[int | None] = []
        self.figures.verticalHeader().setDefaultSectionSize(22)
        self.chart = SectionChart()
        self.records_heading = QLabel("Press Enter on a figure to list the records behind it.")
        self.records = EnterTable(RECORD_COLUMNS, "Records behind the chosen figure")
        self.records.chosen.connect(self.open_record)
        self.records.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self._lay_out()

    def _lay_out(self) -> None:
        def labelled(text: str, widget: QWidget) -> QLabel:
            label = QLabel(text)
            label.setBuddy(widget)
            return label

        bar = QHBoxLayout()
        for w in (labelled("Fro&m", self.start), self.start, labelled("&to", self.end), self.end,
                  self.show_button, self.save_button, self.annex_button, self.progress, self.status):
            bar.addWidget(w)
        bar.addStretch(1)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.figures)
        top.addWidget(self.chart)
        top.setSizes([640, 560])
        bottom = QWidget()
        lower = QVBoxLayout(bottom)
        lower.setContentsMargins(0, 0, 0, 0)
        lower.addWidget(self.records_heading)
        lower.addWidget(self.records)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([560, 240])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Performance dashboard</h2>"))
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        order = [self.figures, self.records, self.start, self.end, self.show_button, self.save_button,
                 self.annex_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- the digest --------------------------------------------------------------------------------
    def _period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    def refresh(self) -> None:
        """Work the digest out again for the dates shown (on a worker; the window stays free)."""
        first, last = self._period()
        self._run("Working out the figures…", lambda _progress: self.service.digest(self.actor, first, last),
                  self._show_digest)

    def _show_digest(self, digest: Digest) -> None:
        self.digest = digest
        self.status.setText(self._period_text())
        rows: list[tuple[str, ...]] = []
        self.row_lines = []
        for index, line in enumerate(digest.lines):
            if not index or digest.lines[index - 1].section != line.section:
                rows.append((line.section_title, "", "", ""))
                self.row_lines.append(None)
            rows.append((line.label, line.current.text(), line.previous.text(), line.change))
            self.row_lines.append(index)
        self.figures.fill(rows)
        bold = self.figures.font()
        bold.setBold(True)
        for row, index in enumerate(self.row_lines):
            if index is None:
                self.figures.setSpan(row, 0, 1, len(FIGURE_COLUMNS))
                self.figures.item(row, 0).setFont(bold)
        self.figures.setCurrentCell(1 if rows else -1, 0)
        self._chart_section(self.figures.currentRow())
        self.records.setRowCount(0)
        self.records_heading.setText("Press Enter on a figure to list the records behind it.")
        self.loaded.emit()

    def _period_text(self) -> str:
        assert self.digest is not None
        return f"{self.digest.period.label()}, compared with {self.digest.previous.label()}"

    def line_at(self, row: int) -> int | None:
        """The digest line on a row of the figures (``None`` for a heading or no row)."""
        return self.row_lines[row] if 0 <= row < len(self.row_lines) else None

    def _chart_section(self, row: int) -> None:
        index = self.line_at(row)
        if self.digest is None or index is None:
            return
        line = self.digest.lines[index]
        kind = (line.section, line.current.of is None)
        if kind != self.chart.section:
            self.chart.section = kind
            same = tuple(other for other in self.digest.section(line.section)
                         if (other.current.of is None) == kind[1])
            self.chart.show_lines(line.section_title, same)

    # -- the records behind a figure ---------------------------------------------------------------
    def show_records(self, row: int) -> None:
        index = self.line_at(row)
        if self.digest is None or index is None:
            return
        digest, key = self.digest, self.digest.lines[index].key
        self._run("Listing the records…", lambda _progress: self.service.drill(self.actor, digest, key),
                  self._show_drill)

    def _show_drill(self, drill: Drill) -> None:
        self.drill = drill
        counts = {True: "Yes", False: "No", None: ""}
        self.records.fill([(r.reference, _when(r.at), counts[r.counted], r.detail) for r in drill.records])
        self.records.resizeColumnsToContents()
        shown = f" (the first {len(drill.records):,})" if len(drill.records) < drill.total else ""
        self.records_heading.setText(f"{drill.line.label}: {drill.total:,} records{shown}, "
                                     f"{drill.period.label()}. Enter opens one; Shift+Tab goes back to the figures.")
        self.records.setFocus(Qt.FocusReason.OtherFocusReason)
        self.status.setText(self._period_text())
        self.drilled.emit()

    def open_record(self, row: int) -> None:
        """The record's contact, for one who may read contacts; otherwise what the list knows of it."""
        if self.drill is None:
            return
        record: DrillRecord = self.drill.records[row]
        if record.contact_id is not None and self.actor.may("contact.read"):
            self.open_contact.emit(record.contact_id)
            return
        reason = ("Your role may not open contacts: a MASH manager can open it from here."
                  if record.contact_id is not None else "This record has no contact to open.")
        box = QMessageBox(QMessageBox.Icon.Information, record.reference, record.detail,
                          QMessageBox.StandardButton.Close, self)
        box.setInformativeText(reason)
        box.exec()

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> None:
        if self.digest is None:
            return
        name = f"digest-{self.digest.period.first:%Y%m%d}-{self.digest.period.last:%Y%m%d}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Save the performance digest", name,
                                              "PDF (*.pdf);;Excel workbook (*.xlsx)")
        if not path:
            return
        try:
            saved = self.service.save(self.actor, self.digest, path)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Not saved", str(exc))
            return
        self.status.setText(f"Saved to {saved.name}")

    def export_annex_a(self) -> None:
        """Ofsted's Annex A for the period in From and to, read and written on the worker (the progress bar
        counts the two steps), audited with its file name and SHA-256."""
        if not self.actor.may("export.returns") or self.runner.task is not None:
            return
        first, last = self._period()
        path = self._ask_save_file("Export Annex A", f"annex-a-{first:%Y%m%d}-{last:%Y%m%d}.xlsx",
                                   "Excel workbook (*.xlsx)", "xlsx")
        if not path:
            return
        returns, actor = self.returns, self.actor

        def work(progress: Any) -> tuple[Path, dict[str, int]]:
            progress(0, 2)
            annex = returns.build(actor, first, last)
            progress(1, 2)
            saved = returns.save(actor, annex, path)
            progress(2, 2)
            return saved, counts(annex)

        self._run(f"Writing Annex A for {first:%d %b %Y} to {last:%d %b %Y}…", work, self._annex_saved)

    def _annex_saved(self, result: tuple[Path, dict[str, int]]) -> None:
        saved, rows = result
        self.status.setText(f"Annex A saved to {saved.name}: "
                            + ", ".join(f"{name} {n:,} rows" for name, n in rows.items()))
        self.exported.emit(saved)

    def _ask_save_file(self, caption: str, name: str, kinds: str, suffix: str) -> str:
        """The file a person names in Qt's own save dialog (the same on every desktop), opened in their home
        folder, or ``""``."""
        dialog = QFileDialog(self, caption, str(Path.home()), kinds)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setDefaultSuffix(suffix)
        dialog.selectFile(name)
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return ""
        return dialog.selectedFiles()[0]

    # -- the worker --------------------------------------------------------------------------------
    def _run(self, message: str, work: Any, done: Any) -> None:
        self._message = message
        if self.runner.run(work, done, self._failed):
            self.working.emit()

    def _start(self) -> None:
        self.status.setText(self._message)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.show_button.setEnabled(False)
        self.annex_button.setEnabled(False)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _end(self) -> None:
        self.progress.hide()
        self.show_button.setEnabled(True)
        self.annex_button.setEnabled(self.actor.may("export.returns"))

    def _failed(self, error: Exception) -> None:
        self.status.setText(str(error))
        self.loaded.emit()


def build_view(ctx: Any, actor: Actor) -> DashboardView:
    return DashboardView(DigestService(ctx), actor, returns=AnnexAService(ctx))
