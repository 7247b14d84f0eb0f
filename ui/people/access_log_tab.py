"""The Person page's "Access log" tab: who looked at this child's record, and when (managers, administrators).

Read from the audit trail when the tab is shown (``mashdesk.services.access_log``); reading it is itself
recorded there. Alt+L goes to the tab; the table is read row by row with the arrow keys.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from mashdesk.clock import LONDON
from mashdesk.context import Actor
from mashdesk.errors import MashDeskError
from mashdesk.services.access_log import AccessLog, AccessLogService
from ui.widgets.record_table import record_table

TITLE = "Access &log"
COLUMNS = ("When", "Who", "What", "Record", "Done")
RECORDS = {"person": "person record", "contact": "contact", "strategy_discussion": "strategy discussion",
           "step_down": "step-down", "edt_entry": "EDT entry", "edt_period": "EDT log",
           "missing_episode": "missing episode", "person_search": "search",
           "missing_list_view": "list of missing children"}


class AccessLogTab(QWidget):
    def __init__(self, service: AccessLogService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.actor = service, actor
        self.person_id: int | None = None
        self.log: AccessLog | None = None
        self.summary = QLabel("")
        self.summary.setObjectName("accessLogSummary")
        self.summary.setAccessibleName("Access log summary")
        self.summary.setWordWrap(True)
        self.table = record_table("accessLog", "Who looked at this person's record, newest first", COLUMNS,
                                  (130, 220, 380, 160))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_person(self, person_id: int) -> None:
        """Read and show ``person_id``'s access log (audited)."""
        self.person_id = person_id
        try:
            self.log = self.service.for_person(self.actor, person_id)
        except MashDeskError as exc:
            self.log = None
            self.table.setRowCount(0)
            self.summary.setText(str(exc))
            return
        entries = self.log.entries
        people = {e.username for e in entries if e.kind != "changed"}
        self.summary.setText(f"{self.log.name} ({self.log.reference}): {len(entries)} entries, "
                             f"{len(people)} people looked or tried. Newest first.")
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            record = RECORDS.get(e.entity, e.entity.replace("_", " "))
            cells = (f"{e.at.astimezone(LONDON):%d/%m/%Y %H:%M:%S}", e.who, e.summary,
                     f"{record} {e.entity_id}" if e.entity_id is not None else record, e.kind)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if entries:
            self.table.selectRow(0)
