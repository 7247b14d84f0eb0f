"""Step-downs to Early Help: the Early Help inbox, the MASH's list, one step-down's story, and its actions."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mashdesk.clock import LONDON
from mashdesk.context import Actor
from mashdesk.errors import MashDeskError
from mashdesk.stepdown.service import StepDownService
from mashdesk.stepdown.views import StepDownDetail, StepDownQuery, StepDownRow
from mashdesk.stepdown.workflow import OPEN_STATUSES, STATUSES, TRANSITIONS
from ui.printing import print_document, save_document
from ui.progress import run_with_progress
from ui.stepdown.actions import ACTIONS, ask
from ui.stepdown.detail import CLOCK_COLOURS, step_down_html
from ui.widgets.record_table import reselect

INBOX = ("sent", "accepted", "allocated", "engaged")
#: Status filter choices: label → statuses.
STATUS_FILTERS: list[tuple[str, tuple[str, ...]]] = [
    ("Early Help inbox and open work", INBOX),
    ("To accept or decline", ("sent",)),
    ("Open (not closed)", OPEN_STATUSES),
    ("All statuses", ()),
] + [(label, (code,)) for code, label in STATUSES.items()]
COLUMNS = ("Ref", "Family", "Status", "Clock", "Centre", "Worker", "Sent")
class StepDownsView(QWidget):
    """Step-downs with filters, the chosen one's detail and its actions; ``loaded`` after each refresh."""

    loaded = Signal()
    #: A contact to open in the contact view (a link in the detail: where it came from, its step-up).
    open_contact = Signal(int)
    #: The id of the step-down whose detail is on screen.
    step_down_shown = Signal(int)

    def __init__(self, service: StepDownService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepdownsView")
        self.service, self.actor = service, actor
        self.rows: list[StepDownRow] = []
        self.current: StepDownDetail | None = None

        self.centre = QComboBox()
        self.centre.setAccessibleName("Centre filter")
        self.centre.addItem("All centres", None)
        for c in service.config.centres:
            self.centre.addItem(c.name, c.code)
        self.status = QComboBox()
        self.status.setAccessibleName("Status filter")
        for label, _ in STATUS_FILTERS:
            self.status.addItem(label)
        self.status.setCurrentIndex(0 if actor.role == "earlyhelp" else 2)
        self.overdue = QCheckBox("&Overdue only")
        self.overdue.setAccessibleName("Only step-downs with an overdue first contact or review")
        self.count = QLabel()
        self.count.setObjectName("stepdownCount")
        self.message = QLabel()
        self.message.setObjectName("stepdownMessage")
        self.message.setAccessibleName("What the last action did")
        centre_label, status_label = QLabel("C&entre:"), QLabel("&Status:")
        centre_label.setBuddy(self.centre)
        status_label.setBuddy(self.status)
        bar = QHBoxLayout()
        for w in (centre_label, self.centre, status_label, self.status, self.overdue):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.message)
        bar.addSpacing(16)
        bar.addWidget(self.count)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("stepdownTable")
        self.table.setAccessibleName("Step-downs")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        for col, width in enumerate((82, 175, 110, 215, 115, 130, 90)):
            self.table.setColumnWidth(col, width)

        self.detail = QTextBrowser()
        self.detail.setObjectName("stepdownDetail")
        self.detail.setAccessibleName("Step-down details and history")
        self.detail.setHtml("<p>Choose a step-down to see its family, clocks and history.</p>")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link)

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for i, (action, (text, shortcut, description)) in enumerate(ACTIONS.items()):
            button = QPushButton(text)
            button.setAccessibleName(description.split(":")[0])
            button.setToolTip(description + (f" ({shortcut})" if shortcut else ""))
            button.clicked.connect(lambda _=False, a=action: self.run_action(a))
            if shortcut:
                QShortcut(QKeySequence(shortcut), self, activated=lambda a=action: self._shortcut(a))
            self.buttons[action] = button
            grid.addWidget(button, i // 4, i % 4)
        self.save_form = QPushButton("Save form as &PDF…")
        self.save_form.setAccessibleName("Save the step-down form as a PDF")
        self.save_form.setToolTip("Save the step-down form for the receiving team (Ctrl+S)")
        self.print_form = QPushButton("Print for&m…")
        self.print_form.setAccessibleName("Print the step-down form")
        self.print_form.setToolTip("Print the step-down form (Ctrl+P)")
        self.save_form.clicked.connect(self.save_pdf)
        self.print_form.clicked.connect(self.print_pdf)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_pdf)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_pdf)
        n = len(ACTIONS)
        grid.addWidget(self.save_form, n // 4, n % 4)
        grid.addWidget(self.print_form, (n + 1) // 4, (n + 1) % 4)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(grid)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([820, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        order = [
            self.centre,
            self.status,
            self.overdue,
            self.table,
            self.detail,
            *self.buttons.values(),
            self.save_form,
            self.print_form,
        ]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)
        self.centre.currentIndexChanged.connect(self.refresh)
        self.status.currentIndexChanged.connect(self.refresh)
        self.overdue.toggled.connect(self.refresh)
        self.table.currentCellChanged.connect(lambda row, *_: self._row_chosen(row))
        self._enable()

    # -- loading ----------------------------------------------------------------------------------------
    def query(self) -> StepDownQuery:
        statuses = STATUS_FILTERS[self.status.currentIndex()][1]
        return StepDownQuery(
            centre=self.centre.currentData(),
            statuses=statuses,
            overdue_only=self.overdue.isChecked(),
            sent_first=self.actor.role == "earlyhelp",
        )

    def refresh(self) -> None:
        """Reload the list (keeping the chosen step-down if it is still listed) and its detail."""
        keep = self.current.id if self.current else None
        query = self.query()
        try:
            self.rows = self.service.page(self.actor, query)
            total = self.service.count(self.actor, query)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot list step-downs", str(exc))
            return
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            values = (
                r.reference,
                r.family,
                STATUSES.get(r.status, r.status).split(" — ")[0],
                r.clock.label,
                r.centre,
                r.worker or "",
                r.sent_at.astimezone(LONDON).strftime("%d %b %Y") if r.sent_at else "—",
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if col == 3 and r.clock.state in CLOCK_COLOURS:
                    item.setForeground(QColor(CLOCK_COLOURS[r.clock.state]))
                self.table.setItem(i, col, item)
        self.table.blockSignals(False)
        shown = f"{total:,} step-down{'s' if total != 1 else ''}"
        self.count.setText(shown if total <= len(self.rows) else f"{shown} (first {len(self.rows)} shown)")
        row = reselect(self.table, [r.id for r in self.rows], keep)
        if row >= 0:
            self._row_chosen(row)
        else:
            self.current = None
            self.detail.setHtml("<p>No step-downs match these filters.</p>")
            self._enable()
        self.loaded.emit()

    def _row_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        self.show_step_down(self.rows[row].id)

    def show_step_down(self, step_down_id: int) -> None:
        try:
            self.current = self.service.get(self.actor, step_down_id)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot show this step-down", str(exc))
            return
        self.detail.setHtml(step_down_html(self.current))
        self._enable()
        self.step_down_shown.emit(step_down_id)

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "contact" and url.path().isdigit():
            self.open_contact.emit(int(url.path()))

    def _enable(self) -> None:
        allowed = self.current.actions if self.current else ()
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
            button.setVisible(self.actor.may(self._permission(action)))
        self.save_form.setEnabled(self.current is not None)
        self.print_form.setEnabled(self.current is not None)

    @staticmethod
    def _permission(action: str) -> str:
        return TRANSITIONS[action][1]

    # -- actions ----------------------------------------------------------------------------------------
    def _shortcut(self, action: str) -> None:
        if self.buttons[action].isEnabled():
            self.run_action(action)

    def run_action(self, action: str) -> None:
        """Ask for what the action needs, run it, and show the step-down as it now is."""
        if self.current is None or action not in self.current.actions:
            return
        call = ask(self, self.service, self.actor, self.current, action)
        if call is None:
            return
        acted = self.current
        try:
            call(acted)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Step-down not changed", str(exc))
            self.refresh()
            return
        self.refresh()
        now = self.service.get(self.actor, acted.id, audit_open=False)
        gone = "" if acted.id in [r.id for r in self.rows] else " (it has left this list)"
        up = (
            f": new contact {now.stepped_up_reference} is in the MASH queue"
            if now.stepped_up_reference
            else ""
        )
        self.message.setText(f"{acted.reference} — {STATUSES.get(now.status, now.status)}{up}{gone}.")

    # -- the form -----------------------------------------------------------------------------------------
    def _build_form(self) -> bytes | None:
        if self.current is None:
            return None
        step_down_id = self.current.id
        try:
            return run_with_progress(
                "Building the step-down form…",
                lambda progress: self.service.form_pdf(self.actor, step_down_id),
            )
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot build the form", str(exc))
            return None

    def save_pdf(self) -> None:
        if self.current is None:
            return
        step_down = self.current
        saved = save_document(
            self, "Save the step-down form", f"step-down-{step_down.reference}.pdf", self._build_form,
            lambda pdf, path: self.service.save_form(self.actor, step_down.id, pdf, path),
        )
        if saved is not None:
            self.message.setText(f"Saved {saved.name}.")

    def print_pdf(self) -> None:
        if self.current is None:
            return
        step_down = self.current
        printed = print_document(
            self, self._build_form,
            lambda pdf, printer: self.service.record_form_printed(self.actor, step_down.id, printer, pdf),
        )
        if printed is not None:
            self.message.setText(f"Printed the form for {step_down.reference}.")

