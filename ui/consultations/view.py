"""Consultations (Ctrl+9): the day's or week's calls to the consultation line, filtered by school and outcome."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from mashdesk.consultations.service import ConsultationService
from mashdesk.consultations.views import ConsultationQuery, ConsultationRow
from mashdesk.consultations.workflow import OUTCOMES
from mashdesk.clock import LONDON
from mashdesk.context import Actor, AppContext
from mashdesk.errors import MashDeskError
from mashdesk.people.service import PeopleService
from mashdesk.contacts.service import ContactService
from mashdesk.drafts import DraftService
from ui.consultations.form import CallForm, contact_initial
from ui.contacts.contact_form import ContactForm
from ui.widgets.record_table import record_table, reselect
from ui.formatting import local_time

COLUMNS = ("Ref", "When", "Caller", "School / organisation", "Children", "Outcome", "Time", "Contact", "Advised by")
ALL_SCHOOLS = "All schools and organisations"


def short_time(value: datetime) -> str:
    return value.astimezone(LONDON).strftime("%a %d %b %H:%M")


class ConsultationsView(QWidget):
    """The calls of a day or week; ``loaded`` after each refresh; ``open_contact`` for a call's contact."""

    loaded = Signal()
    open_contact = Signal(int)

    def __init__(self, service: ConsultationService, people: PeopleService, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consultationsView")
        self.service, self.people, self.actor = service, people, actor
        self.rows: list[ConsultationRow] = []
        self._schools: list[str] = []
        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        self.period.addItems(["This week", "This day"])
        self.day = QDateEdit()
        self.day.setAccessibleName("Day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd dd MMM yyyy")
        today = service.ctx.calendar.localize(service.ctx.now()).date()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.school = QComboBox()
        self.school.setAccessibleName("School filter")
        self.school.addItem(ALL_SCHOOLS, None)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Outcome filter")
        self.outcome.addItem("All outcomes", None)
        for code, label in OUTCOMES.items():
            self.outcome.addItem(label, code)
        self.count = QLabel()
        self.count.setObjectName("consultationCount")
        self.message = QLabel()
        self.message.setAccessibleName("What the last action did")
        self.log_call = QPushButton("&Log a call… (Ctrl+Shift+L)")
        self.log_call.setAccessibleName("Log a consultation call")
        self.log_call.clicked.connect(self.log)
        self.contact = QPushButton("&Make a contact from the call (Ctrl+M)")
        self.contact.setAccessibleName("Make a contact from the selected call")
        self.contact.clicked.connect(self.contact_from_current)
        QShortcut(QKeySequence("Ctrl+Shift+L"), self, activated=self.log)
        QShortcut(QKeySequence("Ctrl+M"), self, activated=self.contact_from_current)
        bar = QHBoxLayout()
        for label, widget in (("&Period:", self.period), ("&Day:", self.day), ("Sc&hool:", self.school),
                              ("&Outcome:", self.outcome)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            bar.addWidget(caption)
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.message)
        bar.addSpacing(16)
        bar.addWidget(self.count)

        self.table = record_table("consultationTable", "Consultation calls", COLUMNS,
                                  (82, 122, 110, 170, 120, 170, 55, 82, 110))
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("The call's question and advice")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.log_call)
        right_layout.addWidget(self.detail, 1)
        right_layout.addWidget(self.contact)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([1080, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        order = [self.period, self.day, self.school, self.outcome, self.table, self.log_call, self.detail,
                 self.contact]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)
        for signal in (self.period.currentIndexChanged, self.day.dateChanged, self.school.currentIndexChanged,
                       self.outcome.currentIndexChanged):
            signal.connect(self.refresh)
        self.table.currentCellChanged.connect(lambda row, *_: self._row_chosen(row))
        # Shown or hidden by role only now, inside the view: a parentless control would show as a window.
        self.log_call.setHidden(not actor.may("consultation.log"))
        self.contact.setHidden(not actor.may("contact.create"))

    def query(self) -> ConsultationQuery:
        d = self.day.date()
        return ConsultationQuery(day=date(d.year(), d.month(), d.day()), week=self.period.currentIndex() == 0,
                                 school=self.school.currentData(), outcome=self.outcome.currentData())

    def refresh(self) -> None:
        """Load the calls of the period; the chosen call stays chosen if it is still listed."""
        keep = chosen_call.id if (chosen_call := self.current_row()) is not None else None
        try:
            listed = self.service.calls(self.actor, self.query())
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot list calls", str(exc))
            return
        self.rows = list(listed.rows)
        chosen = self.school.currentData()
        self.school.blockSignals(True)
        self.school.clear()
        self.school.addItem(ALL_SCHOOLS, None)
        for s in sorted(set(listed.schools) | ({chosen} if chosen else set())):
            self.school.addItem(s, s)
        self.school.setCurrentIndex(max(0, self.school.findData(chosen)))
        self.school.blockSignals(False)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            outcome = r.outcome + (f": {r.signposted_to}" if r.signposted_to else "")
            values = (r.reference, short_time(r.at), r.caller.split(" (")[0], r.organisation, r.children, outcome,
                      f"{r.minutes} min", r.contact_reference or "", r.advised_by)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(i, col, item)
        period = f"{listed.start:%a %d %b}" if listed.start == listed.end else \
            f"{listed.start:%a %d} – {listed.end:%a %d %b}"
        self.count.setText(f"{len(self.rows)} call{'s' if len(self.rows) != 1 else ''} · "
                           f"{listed.minutes} min · {period}")
        if self.rows:
            self._row_chosen(reselect(self.table, [r.id for r in self.rows], keep))
        else:
            self.detail.setHtml("<p>No calls in this period.</p>")
        self.loaded.emit()

    def current_row(self) -> ConsultationRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _row_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        r = self.rows[row]
        contact = (f"<p>Became <a href='contact:{r.contact_id}'>{r.contact_reference}</a></p>"
                   if r.contact_id else "")
        self.detail.setHtml(
            f"<h3>{r.reference} — {escape(r.caller)}</h3><p>{escape(r.organisation)} · {local_time(r.at)} · "
            f"{r.minutes} min · advised by {escape(r.advised_by)}</p><p><b>Children:</b> {escape(r.children)}</p>"
            f"<p><b>Question:</b> {escape(r.question)}</p><p><b>Advice:</b> {escape(r.advice)}</p>"
            f"<p><b>Outcome:</b> {escape(r.outcome)}{escape(': ' + r.signposted_to) if r.signposted_to else ''}"
            f"</p>{contact}")
        self.contact.setEnabled(r.contact_id is None)

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "contact" and url.path().isdigit():
            self.open_contact.emit(int(url.path()))

    def log(self) -> None:
        """Log a call; "makes a contact now" then opens the contact form filled in from it."""
        if not self.actor.may("consultation.log"):
            return
        form = CallForm(self.service, self.people, self.actor, self._schools_known(), self)
        if not form.exec() or form.result_value is None:
            return
        ident = int(form.result_value)
        self.message.setText(f"Logged CL-{ident:06d}.")
        self.refresh()
        if form.outcome.currentData() == "contact_now":
            self._contact_from(ident)

    def _schools_known(self) -> list[str]:
        try:
            return self.service.schools(self.actor)
        except MashDeskError:
            return []

    def contact_from_current(self) -> None:
        r = self.current_row()
        if r is not None and r.contact_id is None and self.actor.may("contact.create"):
            self._contact_from(r.id)

    def _contact_from(self, consultation_id: int) -> None:
        """The contact form, filled in from the call and linked to it; saved, the contact opens."""
        ctx = self.service.ctx
        try:
            prefill = self.service.contact_prefill(self.actor, consultation_id)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot make a contact", str(exc))
            return
        form = ContactForm(ContactService(ctx), self.people, DraftService(ctx), self.actor, self,
                           initial=contact_initial(prefill, self.actor), consultation_id=consultation_id)
        contact_id = form.created_id if form.exec() else None
        if contact_id is not None:
            self.message.setText(f"CL-{consultation_id:06d} became contact C-{contact_id:06d}.")
            self.refresh()
            self.open_contact.emit(contact_id)


def build_view(ctx: AppContext, actor: Actor) -> ConsultationsView:
    """The main view as the main window builds it on first show."""
    return ConsultationsView(ConsultationService(ctx), PeopleService(ctx), actor)
