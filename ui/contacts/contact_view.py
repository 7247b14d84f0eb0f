"""One contact, read-only: who, what, when, the referrer, the children, consent and agency checks."""

from __future__ import annotations

from html import escape

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mashdesk.codes import CHANNELS, CIN_REFERRAL_SOURCES, CONSENT, CONTACT_STATUSES, OUTCOMES
from mashdesk.context import Actor
from mashdesk.errors import MashDeskError, StaleEditError
from mashdesk.contacts.service import ContactService
from mashdesk.contacts.views import ContactDetail
from mashdesk.documents.delivery import DocumentDelivery, DocumentOf
from mashdesk.triage import workflow
from mashdesk.triage.service import TriageService
from mashdesk.triage.views import AssessmentView, DecisionView
from mashdesk.clock import LONDON
from mashdesk.returns.recording import CensusRecordService
from ui.people.choose_person import choose_person
from ui.reports.census_record import census_episode
from ui.triage.threshold_dialog import ThresholdDialog
from ui.triage.triage_dialogs import AllocateDialog, AnswerDialog, ChecksDialog, CommentDialog, ScreenDialog
from ui.formatting import local_date, local_time
from ui.contacts.changed_banner import ChangedBanner
from ui.live import refresh_keeping_place
from ui.printing import print_document, save_document
from ui.progress import run_with_progress

RAG_CSS = {"red": "#c62828", "amber": "#ef8f00", "green": "#2e7d32"}


def _row(label: str, value: str | None) -> str:
    return f"<tr><th align=left valign=top>{escape(label)}</th><td>{escape(value or '—')}</td></tr>"


def threshold_html(assessments: dict[int, AssessmentView], decisions: list[DecisionView], names: dict[int, str]) -> str:
    """The threshold panel's last suggestion per child, and the decisions made."""
    if not assessments and not decisions:
        return "<h3>Threshold of Need</h3><p>Not applied yet (Ctrl+T).</p>"
    parts = ["<h3>Threshold of Need</h3>"]
    for person_id, a in assessments.items():
        indicators = ", ".join([*a.indicators, *(f"{h} (household)" for h in a.household_indicators)]) or "none"
        parts.append(
            f"<p><b>{escape(names.get(person_id, str(person_id)))}</b>: suggested level {a.suggested_level} — "
            f"{escape(OUTCOMES.get(a.suggested_outcome, a.suggested_outcome))} "
            f"<span style='color:{RAG_CSS[a.suggested_rag]}'>{a.suggested_rag.upper()}</span>"
            f"<br>Indicators: {escape(indicators)}<br>"
            + "<br>".join(f"• {escape(r)}" for r in a.reasons)
            + f"<br><span style='color:#666'>Ruleset {escape(a.ruleset_id)} {escape(a.ruleset_version)}</span></p>")
    if decisions:
        parts.append("<h3>Decision</h3>")
    for d in decisions:
        status = {"proposed": "awaiting authorisation", "authorised": "authorised", "returned": "returned"}[d.status]
        extra = f"<br>Override reason: {escape(d.override_reason)}" if d.override_reason else ""
        if d.return_comment and d.status == "returned":
            extra += f"<br><span style='color:#c62828'>Returned: {escape(d.return_comment)}</span>"
        parts.append(f"<p><b>{escape(names.get(d.person_id, str(d.person_id)))}</b>: level {d.level} — "
                     f"{escape(OUTCOMES.get(d.outcome, d.outcome))}, primary need {escape(d.primary_need or '')} "
                     f"({status}){extra}</p>")
    return "".join(parts)


def contact_html(c: ContactDetail, threshold: str = "") -> str:
    rag = (f"<span style='color:{RAG_CSS[c.rag]};font-weight:bold'>{c.rag.upper()}</span>"
           if c.rag else "not yet screened")
    parts = [
        f"<h2>{escape(c.reference)} — {escape(CONTACT_STATUSES.get(c.status, c.status))}</h2>",
        f"<p>RAG: {rag}"
        + (f" · decision due {escape(local_time(c.decision_due_at))}" if c.decision_due_at else "")
        + (f" · allocated to {escape(c.allocated_to)}" if c.allocated_to else " · unallocated")
        + (" · <b>re-referral</b>" if c.is_re_referral else "")
        + (f" · outcome: {escape(OUTCOMES.get(c.outcome, c.outcome))}" if c.outcome else "")
        + "</p>",
        "<table cellspacing=4>",
        _row("Received", local_time(c.received_at)),
        _row("Channel", CHANNELS.get(c.channel, c.channel)),
        _row("Referral source", f"{c.cin_source} {CIN_REFERRAL_SOURCES.get(c.cin_source, '')}"),
        _row("Immediate protection needed?", c.immediate_protection),
        _row("Where the child is now", c.child_location),
        _row("Interpreter / communication", c.interpreter_needs),
        _row("Consent", CONSENT.get(c.consent, c.consent)
             + (f": {c.consent_reason} (decided by {c.consent_decided_by})" if c.consent == "not_sought" else "")),
        "</table>",
        "<h3>Concern, in the referrer's words</h3>",
        f"<p>{escape(c.concern)}</p>",
        "<h3>Referrer</h3><table cellspacing=4>",
        *(_row(label, value) for label, value in c.referrer_details),
        "</table>" if c.referrer_details else "<p>Anonymous</p>",
        "<h3>People</h3><table cellspacing=4 border=0><tr><th align=left>Name</th><th align=left>Role</th>"
        "<th align=left>Date of birth</th><th align=left>Sex</th><th align=left>Notes</th></tr>",
    ]
    for p in c.people:
        dob = local_date(p.date_of_birth) if p.date_of_birth else (
            f"expected {local_date(p.expected_date_of_birth)}" if p.expected_date_of_birth else "")
        role = p.role.replace("_", " ") + (f" ({p.relationship_to_child})" if p.relationship_to_child else "")
        notes = ("parental responsibility. " if p.parental_responsibility else "") + (p.warning or "") + (
            (" " if p.warning else "") + "; ".join(p.atlas) if p.atlas else "")
        parts.append(f"<tr><td>{escape(p.name)}</td><td>{escape(role)}</td><td>{escape(dob)}</td>"
                     f"<td>{escape(p.sex)}</td><td style='color:#c62828'>{escape(notes)}</td></tr>")
    parts.append("</table>")
    parts.append(threshold)
    parts.append("<h3>Agency checks</h3>")
    if not c.checks:
        parts.append("<p>No checks requested.</p>")
    for chk in c.checks:
        if chk.withheld:
            answer = (f"<i>An answer restricted to {escape(chk.agency)} exists; it is withheld from your "
                      "agency.</i>")
        elif chk.response:
            answer = escape(chk.response) + (" <b>[restricted]</b>" if chk.restricted else "")
        else:
            answer = f"<i>Awaiting answer, due {escape(local_time(chk.due_at))}</i>"
        who = f" — {escape(chk.responder)}, {escape(local_time(chk.responded_at))}" if chk.responder else ""
        parts.append(f"<p><b>{escape(chk.agency)}</b>{who}<br>{answer}</p>")
    return "".join(parts)


class ContactView(QWidget):
    """One contact and what can be done with it next. ``loaded`` fires once its data is on screen;
    ``changed`` after an action changed it (the queue refreshes)."""

    loaded = Signal()
    changed = Signal()
    #: Ctrl+Shift+P: open the Person page of someone in the contact (the main window shows People).
    person_requested = Signal(int)

    def __init__(self, service: ContactService, actor: Actor, triage: TriageService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactView")
        self._service = service
        self._triage = triage or TriageService(service.ctx)
        self._actor = actor
        self._delivery = DocumentDelivery(service.ctx)
        self._letter: DocumentOf | None = None
        self.contact_id: int | None = None
        self.detail: ContactDetail | None = None
        self.browser = QTextBrowser()
        self.browser.setObjectName("contactDetails")
        self.browser.setAccessibleName("Contact details")
        self.browser.setOpenLinks(False)
        self.empty = QLabel("No contact open. Choose one in the queue (Ctrl+1) and press Enter.")
        self.bar = QHBoxLayout()
        self.actions: dict[str, QPushButton] = {}
        handlers: dict[str, Callable[[], None]] = {
            "screen": self.screen, "allocate": self.allocate, "checks": self.request_checks,
            "answer": self.answer_check, "threshold": self.threshold, "authorise": self.authorise,
            "return": self.return_decision, "letter": self.print_letter, "save_letter": self.save_letter,
            "sent": self.feedback_sent,
        }
        # Every action the workflow offers, hidden until the service says this person may take it now.
        for action in workflow.ACTIONS:
            if not action.offered:
                continue
            button = QPushButton(f"{action.label} ({action.shortcut})")
            button.setObjectName(f"action_{action.key}")
            button.setAccessibleName(action.name)
            button.clicked.connect(handlers[action.key])
            QShortcut(QKeySequence(action.shortcut), self, activated=button.click)
            self.actions[action.key] = button
            self.bar.addWidget(button)
            button.hide()
        self.census_button = QPushButton("Ce&nsus record… (Ctrl+Shift+C)")
        self.census_button.setAccessibleName("Census record: assessment, CIN plan, closure")
        self.census_button.clicked.connect(self.census_record)
        self.census_button.hide()
        self.bar.addWidget(self.census_button)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, activated=self.census_button.click)
        self.bar.addStretch(1)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, activated=self.open_person)
        self.changed_banner = ChangedBanner(self.reload_keeping_place)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.changed_banner)
        layout.addLayout(self.bar)
        layout.addWidget(self.browser)
        self.browser.hide()

    # -- showing --------------------------------------------------------------------------------
    def show_contact(self, contact_id: int, audit_open: bool = True) -> None:
        """Show the contact; its opening is audited (not a reload after an action on it)."""
        detail = self._service.get(self._actor, contact_id, audit_open=audit_open)
        self.contact_id, self.detail = contact_id, detail
        names = {p.person_id: p.name for p in detail.people}
        threshold = threshold_html(self._triage.latest_assessments(self._actor, contact_id),
                                   self._triage.decisions(self._actor, contact_id), names)
        self.browser.setHtml(contact_html(detail, threshold))
        self._enable(self._triage.allowed_actions(self._actor, contact_id))
        self.changed_banner.hide()
        self.census_button.setVisible(self._actor.may("returns.record") and bool(
            CensusRecordService(self._service.ctx).episodes(self._actor, contact_id)))
        self.empty.hide()
        self.browser.show()
        self.loaded.emit()

    def open_person(self) -> None:
        """Ask which person of the contact to open (none asked when there is one) and open their page."""
        if self.detail is None:
            return
        people = sorted(self.detail.people, key=lambda p: p.role != "child")
        chosen = choose_person(self, [(p.person_id, f"{p.name} ({p.role.replace('_', ' ')})") for p in people])
        if chosen is not None:
            self.person_requested.emit(chosen)

    def reload(self) -> None:
        if self.contact_id is not None:
            self.show_contact(self.contact_id, audit_open=False)

    def reload_keeping_place(self) -> None:
        """Reload (the banner's button): where the person had scrolled to stays where it was."""
        refresh_keeping_place(self, self.refresh)

    def notice_change(self) -> None:
        """Another desk committed something: if it changed the contact on screen, say who and when.

        The contact is not redrawn under the person's eyes; the banner offers Reload.
        """
        if self.contact_id is None or self.detail is None:
            return
        try:
            now = self._service.get(self._actor, self.contact_id)
            if now == self.detail:
                return
            last = self._service.last_change(self._actor, self.contact_id)
        except MashDeskError:
            return
        self.changed_banner.show_change(*(last or ("someone", None)))

    def refresh(self) -> None:
        """Show the open contact as it is now (or the empty page when none is open)."""
        if self.contact_id is None:
            self.loaded.emit()
            return
        try:
            self.show_contact(self.contact_id)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot show the contact", str(exc))
            self.loaded.emit()

    def _enable(self, allowed: tuple[workflow.ContactAction, ...]) -> None:
        """Show exactly the actions the service allows this person now."""
        keys = {a.key for a in allowed}
        for key, button in self.actions.items():
            button.setVisible(key in keys)

    # -- actions ----------------------------------------------------------------------------------
    def _run(self, title: str, action: Callable[[], object]) -> bool:
        try:
            action()
        except StaleEditError as exc:
            QMessageBox.warning(self, "Changed by someone else", str(exc))
            self.reload()
            return False
        except MashDeskError as exc:
            QMessageBox.warning(self, title, str(exc))
            return False
        self.reload()
        self.changed.emit()
        return True

    def screen(self) -> None:
        assert self.detail is not None
        d = self.detail
        dialog = ScreenDialog(self._triage.suggested_rag(self._actor, d.id), self._triage.workers(self._actor), self)
        while dialog.exec():
            if self._run("Cannot screen", lambda: self._triage.screen(
                    self._actor, d.id, d.version, dialog.rag.currentData(), dialog.reason.text(),
                    dialog.allocate.currentData())):
                return
            if self.detail is None or self.detail.version != d.version:
                return

    def allocate(self) -> None:
        assert self.detail is not None
        d = self.detail
        dialog = AllocateDialog(self._triage.workers(self._actor), self)
        if dialog.exec() and dialog.worker.currentData() is not None:
            self._run("Cannot allocate", lambda: self._triage.allocate(self._actor, d.id, d.version,
                                                                       dialog.worker.currentData()))

    def request_checks(self) -> None:
        assert self.detail is not None
        d = self.detail
        dialog = ChecksDialog(self)
        if dialog.exec():
            self._run("Cannot request checks", lambda: self._triage.request_checks(
                self._actor, d.id, d.version, dialog.agencies(), dialog.question.text()))

    def answer_check(self) -> None:
        assert self.detail is not None
        mine = [r for r in self._triage.agency_queue(self._actor) if r.contact_id == self.detail.id]
        if not mine:
            return
        row = mine[0]
        dialog = AnswerDialog(self._actor.agency_code or "", row.question, self)
        if dialog.exec():
            self._run("Cannot answer", lambda: self._triage.answer_check(
                self._actor, row.check_id, row.version, dialog.response.toPlainText(), dialog.restricted.isChecked()))

    def threshold(self) -> None:
        assert self.detail is not None
        dialog = ThresholdDialog(self._triage, self._actor, self.detail.id, self.detail.version, self)
        if dialog.exec():
            self.reload()
            self.changed.emit()

    def census_record(self) -> None:
        """The census record of a referred child: the assessment and its factors, the CIN plan, closure."""
        if self.detail is not None and self.census_button.isVisible() and census_episode(
                self, CensusRecordService(self._service.ctx), self._actor, self.detail.id,
                self._service.ctx.now().astimezone(LONDON).date()):
            self.reload()
            self.changed.emit()

    def authorise(self) -> None:
        assert self.detail is not None
        d = self.detail
        self._run("Cannot authorise", lambda: self._triage.authorise(self._actor, d.id, d.version))

    def return_decision(self) -> None:
        assert self.detail is not None
        d = self.detail
        dialog = CommentDialog("Return the decision", "&What needs doing:", self)
        if dialog.exec():
            self._run("Cannot return", lambda: self._triage.return_decision(
                self._actor, d.id, d.version, dialog.comment.toPlainText()))

    def _build_letter(self) -> bytes | None:
        """The feedback letter, laid out on a worker thread (the window stays responsive meanwhile)."""
        assert self.detail is not None
        contact_id = self.detail.id
        try:
            self._letter, pdf = run_with_progress(
                "Making the feedback letter…", lambda _progress: self._triage.feedback_letter(self._actor, contact_id))
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot make the letter", str(exc))
            return None
        return pdf

    def print_letter(self) -> None:
        assert self.detail is not None
        if print_document(self, self._build_letter, lambda pdf, printer: self._delivery.printed(
                self._actor, self._doc(), pdf, printer)):
            self.reload()

    def save_letter(self) -> None:
        assert self.detail is not None
        if save_document(self, "Save the feedback letter", f"feedback-{self.detail.reference}.pdf",
                         self._build_letter, lambda pdf, path: self._delivery.save(self._actor, self._doc(), pdf, path)):
            self.reload()

    def _doc(self) -> DocumentOf:
        assert self._letter is not None
        return self._letter

    def feedback_sent(self) -> None:
        assert self.detail is not None
        d = self.detail
        method, ok = QInputDialog.getItem(self, "Feedback sent", "How was it sent?",
                                          ["secure_email", "email", "phone", "letter"], 0, False)
        if ok:
            self._run("Cannot record", lambda: self._triage.mark_feedback_sent(self._actor, d.id, method))
