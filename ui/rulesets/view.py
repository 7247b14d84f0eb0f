"""The Ruleset view (Ctrl+0): Threshold of Need versions with their dates, the differences between any two,
a what-if replay of a version over the stored assessments of a period (on a worker thread, with a progress bar,
the window free meanwhile), and the consistency report."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.references import contact_reference
from mashdesk.clock import LONDON
from mashdesk.context import Actor
from mashdesk.errors import MashDeskError
from mashdesk.rulesets.service import RulesetService
from mashdesk.rulesets.views import CaseRef, ChangedCase, RulesetDiff, VersionView
from ui.formatting import local_time
from ui.rulesets.consistency_panel import ConsistencyPanel
from ui.rulesets.replay_panel import ReplayPanel
from ui.rulesets.task import Runner

COLUMNS = ("Version", "Title", "Status", "In force from", "Loaded", "By", "SHA-256")


class RulesetView(QWidget):
    loaded = Signal()
    open_contact = Signal(int)
    #: A replay's or the consistency report's result is on screen.
    replayed = Signal()
    reported = Signal()

    def __init__(self, service: RulesetService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.actor = service, actor
        self.versions: tuple[VersionView, ...] = ()
        self._message = ""
        self.runner = Runner(self._start, self._end, self._progressed)
        heading = QLabel("<h2>Threshold of Need rulesets</h2>")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Ruleset versions and when each is in force")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(170)
        self.load_button = QPushButton("&Load file…", clicked=self.load_file)
        self.activate_button = QPushButton("Ac&tivate from a date…", clicked=self.activate)
        self.old, self.new = QComboBox(), QComboBox()
        self.old.setAccessibleName("The version to compare from")
        self.new.setAccessibleName("The version to compare with and to replay")
        self.diff_button = QPushButton("Show &differences", clicked=lambda: self.show_diff())
        today = service.ctx.now().astimezone(LONDON).date()
        self.start, self.end = QDateEdit(calendarPopup=True), QDateEdit(calendarPopup=True)
        for edit, day, name in ((self.start, today.replace(year=today.year - 1) + timedelta(days=1), "First day"),
                                (self.end, today, "Last day")):
            edit.setDisplayFormat("dd MMM yyyy")
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.setAccessibleName(f"{name} received, of the replay or report")
        self.replay_button = QPushButton("&Replay the new version", clicked=self.replay)
        self.consistency_button = QPushButton("Consistenc&y report", clicked=self.consistency)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("How far the replay has got")
        self.progress.hide()
        self.status = QLabel()
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Differences between the two versions")
        self.replay_panel, self.consistency_panel = ReplayPanel(), ConsistencyPanel()
        self.replay_panel.chosen.connect(self.open_case)
        self.consistency_panel.chosen.connect(self.open_case)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.browser, "Differences")
        self.tabs.addTab(self.replay_panel, "Replay")
        self.tabs.addTab(self.consistency_panel, "Consistency")
        self._lay_out(heading)
        for button, action in ((self.load_button, "ruleset.load"), (self.activate_button, "ruleset.activate"),
                               (self.replay_button, "ruleset.replay"),
                               (self.consistency_button, "ruleset.consistency")):
            button.setVisible(actor.may(action))
        for keys, button in (("Ctrl+Shift+L", self.load_button), ("Ctrl+Shift+T", self.activate_button),
                             ("Ctrl+Shift+D", self.diff_button), ("Ctrl+Shift+R", self.replay_button),
                             ("Ctrl+Shift+Y", self.consistency_button)):
            QShortcut(QKeySequence(keys), self, activated=lambda b=button: self._press(b))
            button.setToolTip(f"{button.text().replace('&', '')} ({keys})")

    def _lay_out(self, heading: QLabel) -> None:
        def labelled(text: str, widget: QWidget) -> QLabel:
            label = QLabel(text)
            label.setBuddy(widget)
            return label

        actions = QHBoxLayout()
        for w in (self.load_button, self.activate_button):
            actions.addWidget(w)
        actions.addStretch(1)
        compare = QHBoxLayout()
        for w in (labelled("Compare &old:", self.old), self.old, labelled("with &new:", self.new), self.new,
                  self.diff_button):
            compare.addWidget(w)
        compare.addStretch(1)
        period = QHBoxLayout()
        for w in (labelled("Contacts received fro&m", self.start), self.start, labelled("&until", self.end),
                  self.end, self.replay_button, self.consistency_button, self.progress, self.status):
            period.addWidget(w)
        period.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table)
        for row in (actions, compare, period):
            layout.addLayout(row)
        layout.addWidget(self.tabs, 1)
        order = [self.table, self.load_button, self.activate_button, self.old, self.new, self.diff_button,
                 self.start, self.end, self.replay_button, self.consistency_button, self.tabs]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    @staticmethod
    def _press(button: QPushButton) -> None:
        if button.isVisible() and button.isEnabled():
            button.click()

    # -- versions --------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            self.versions = self.service.versions(self.actor)
        except MashDeskError as exc:
            self.status.setText(str(exc))
            self.loaded.emit()
            return
        self.table.setRowCount(len(self.versions))
        for row, v in enumerate(self.versions):
            values = (v.label + (" (draft)" if v.draft else ""), v.title, v.status, local_time(v.effective_from),
                      local_time(v.loaded_at), v.loaded_by, v.sha256[:12])
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        labels = [v.label for v in self.versions]
        current = next((v.label for v in self.versions if v.status == "in force"), labels[0] if labels else "")
        newest = next((v.label for v in reversed(self.versions) if v.label != current), current)
        for combo, chosen in ((self.old, self.old.currentText() or current), (self.new, self.new.currentText() or newest)):
            combo.clear()
            combo.addItems(labels)
            combo.setCurrentText(chosen if chosen in labels else current)
        if self.table.rowCount() and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)
        if self.old.currentText() != self.new.currentText():
            self.show_diff(switch=False)
        self.loaded.emit()

    def _selected(self) -> VersionView | None:
        row = self.table.currentRow()
        return self.versions[row] if 0 <= row < len(self.versions) else None

    def load_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a ruleset file", "", "Ruleset (*.toml)")
        if not path:
            return
        try:
            self.service.load(self.actor, path)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Ruleset not loaded", str(exc))
            return
        self.refresh()
        self.new.setCurrentIndex(self.new.count() - 1)
        self.status.setText("Loaded: not in force until activated.")

    def activate(self) -> None:
        version = self._selected()
        if version is None or version.id is None:
            QMessageBox.information(self, "Activate", "Choose a loaded version in the list first.")
            return
        tomorrow = self.service.ctx.now().astimezone(LONDON).date() + timedelta(days=1)
        text, ok = QInputDialog.getText(self, "Activate " + version.label,
                                        "In force for contacts received from (YYYY-MM-DD):", text=tomorrow.isoformat())
        if not ok:
            return
        try:
            day = date.fromisoformat(text.strip())
            self.service.activate(self.actor, version.id, version.row_version, day)
        except ValueError:
            QMessageBox.warning(self, "Not activated", f"{text!r} is not a date written YYYY-MM-DD")
            return
        except MashDeskError as exc:
            QMessageBox.warning(self, "Not activated", str(exc))
            return
        self.refresh()

    # -- diff ---------------------------------------------------------------------------------------
    def show_diff(self, switch: bool = True) -> None:
        try:
            diff = self.service.diff(self.actor, self.old.currentText(), self.new.currentText())
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot compare", str(exc))
            return
        self.browser.setHtml(diff_html(diff))
        if switch:
            self.tabs.setCurrentWidget(self.browser)

    # -- replay and consistency ---------------------------------------------------------------------
    def _period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    def replay(self) -> None:
        label, (start, end) = self.new.currentText(), self._period()
        self._run(f"Replaying {label}…", lambda progress: self.service.replay_version(
            self.actor, label, start, end, progress), self._replayed)

    def consistency(self) -> None:
        start, end = self._period()
        self._run("Counting decisions…", lambda _: self.service.consistency(self.actor, start, end), self._reported)

    def _run(self, message: str, work: Any, done: Any) -> None:
        self._message = message
        self.runner.run(work, done, self._failed)

    def _start(self) -> None:
        self.status.setText(self._message)
        self.progress.setRange(0, 0)
        self.progress.show()
        for button in (self.replay_button, self.consistency_button):
            button.setEnabled(False)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _end(self) -> None:
        self.progress.hide()
        for button in (self.replay_button, self.consistency_button):
            button.setEnabled(True)

    def _failed(self, error: Exception) -> None:
        self.status.setText("")
        QMessageBox.warning(self, "Could not finish", str(error))

    def open_case(self, case: ChangedCase | CaseRef) -> None:
        """The contact, for one who may read it; otherwise what the replay or report knows of the child."""
        if self.actor.may("contact.read"):
            self.open_contact.emit(case.contact_id)
            return
        box = QMessageBox(QMessageBox.Icon.Information, contact_reference(case.contact_id), case_text(case),
                          QMessageBox.StandardButton.Close, self)
        box.setInformativeText("Your role may not open contacts: a MASH manager can open it from here.")
        box.exec()

    def _replayed(self, report: Any) -> None:
        self.status.setText(f"{report.changed:,} of {report.children:,} children would change.")
        self.replay_panel.show_report(report)
        self.tabs.setCurrentWidget(self.replay_panel)
        self.replay_panel.matrix.setFocus()
        self.replayed.emit()

    def _reported(self, report: Any) -> None:
        self.status.setText(f"{report.overrides:,} overrides in {report.decisions:,} decisions.")
        self.consistency_panel.show_report(report)
        self.tabs.setCurrentWidget(self.consistency_panel)
        self.reported.emit()


def case_text(case: ChangedCase | CaseRef) -> str:
    if isinstance(case, ChangedCase):
        decided = "no decision yet" if case.decided_level is None else (
            f"decided level {case.decided_level}, {case.decided_outcome}" + (" (override)" if case.overridden else ""))
        return (f"Child {case.person_id}, received {case.received_on:%d %b %Y}.\n"
                f"Stored suggestion: level {case.old_level}, {case.old_outcome}, {case.old_rag}.\n"
                f"Under the proposal: level {case.new_level}, {case.new_outcome}, {case.new_rag}.\n"
                f"Why: {', '.join(case.causes) or 'flags'}.\n{decided.capitalize()}.")
    return (f"Child {case.person_id}: suggested level {case.suggested_level}, {case.suggested_outcome}; decided "
            f"level {case.level}, {case.outcome}.\n{case.reason}")


def diff_html(diff: RulesetDiff) -> str:
    def rows(cells: list[tuple[str, ...]]) -> str:
        return "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in cells)

    parts = [f"<h3>From {escape(diff.old)} to {escape(diff.new)}</h3>"]
    if diff.empty:
        parts.append("<p>No differences.</p>")
    sections = [
        ("Indicators added", ("Indicator", "Description", "Level"),
         [(e.id, e.description, str(e.level)) for e in diff.added]),
        ("Indicators removed", ("Indicator", "Description", "Was level"),
         [(e.id, e.description, str(e.level)) for e in diff.removed]),
        ("Indicators moved between levels", ("Indicator", "Description", "Level"),
         [(m.id, m.description, f"{m.old_level} → {m.new_level}") for m in diff.moved]),
        ("Indicators changed", ("Indicator", "What", "Change"),
         [(c.where, c.what, f"{c.old} → {c.new}") for c in diff.indicators_changed]),
        ("Rules changed", ("Rule", "Parameter", "Change"),
         [(c.where, c.what, f"{c.old} → {c.new}") for c in diff.rules_changed]),
    ]
    for title, header, cells in sections:
        if cells:
            parts.append(f"<h4>{title} ({len(cells)})</h4><table cellpadding='3' border='1' cellspacing='0'>"
                         + "<tr>" + "".join(f"<th align='left'>{h}</th>" for h in header) + "</tr>"
                         + rows(cells) + "</table>")
    return "".join(parts)

