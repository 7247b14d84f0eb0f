"""One contact, read-only: who, what, when, the referrer, the children, consent and agency checks."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from mashdesk.codes import CHANNELS, CIN_REFERRAL_SOURCES, CONSENT, CONTACT_STATUSES, OUTCOMES
from mashdesk.services.base import Actor
from mashdesk.services.contacts import ContactDetail, ContactService
from ui.formatting import local_date, local_time

RAG_CSS = {"red": "#c62828", "amber": "#ef8f00", "green": "#2e7d32"}


def _row(label: str, value: str | None) -> str:
    return f"<tr><th align=left valign=top>{escape(label)}</th><td>{escape(value or '—')}</td></tr>"


def contact_html(c: ContactDetail) -> str:
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
        notes = ("parental responsibility. " if p.parental_responsibility else "") + (p.warning or "")
        parts.append(f"<tr><td>{escape(p.name)}</td><td>{escape(role)}</td><td>{escape(dob)}</td>"
                     f"<td>{escape(p.sex)}</td><td style='color:#c62828'>{escape(notes)}</td></tr>")
    parts.append("</table><h3>Agency checks</h3>")
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
    """Shows one contact. ``loaded`` fires once its data is on screen."""

    loaded = Signal()

    def __init__(self, service: ContactService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactView")
        self._service = service
        self._actor = actor
        self.contact_id: int | None = None
        self.browser = QTextBrowser()
        self.browser.setObjectName("contactDetails")
        self.browser.setAccessibleName("Contact details")
        self.browser.setOpenLinks(False)
        self.empty = QLabel("No contact open. Choose one in the queue (Ctrl+1) and press Enter.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.browser)
        self.browser.hide()

    def show_contact(self, contact_id: int) -> None:
        detail = self._service.get(self._actor, contact_id)
        self.contact_id = contact_id
        self.browser.setHtml(contact_html(detail))
        self.empty.hide()
        self.browser.show()
        self.loaded.emit()
