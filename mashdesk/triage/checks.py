"""Asking partner agencies for what they hold: the one place agency checks are added to a contact.

Called inside a unit of work the caller opened and audits: the contact's own "request checks" action and
a decision of the daily MASH meeting both come here, so a check is made the same way whoever asks.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from db.models import Agency, AgencyCheck, Contact
from mashdesk.calendar import WorkingCalendar
from mashdesk.context import WriteScope
from mashdesk.errors import InputError
from mashdesk.triage import workflow


def add_agency_checks(w: WriteScope, contact: Contact, agencies: Sequence[str], question: str,
                      calendar: WorkingCalendar) -> None:
    """Add one check per agency, each due by the contact's RAG; the contact moves on as the workflow says."""
    if not agencies:
        raise InputError("agencies: choose at least one agency to ask", "agencies")
    workflow.require("checks", contact.status, contact.reference)
    if contact.rag is None:
        raise InputError("agencies: screen the contact (set its RAG) before asking agencies", "rag")
    rows = {a.code: a for a in w.session.scalars(select(Agency).where(Agency.code.in_(agencies)))}
    for code in agencies:
        agency = rows.get(code)
        if agency is None or not agency.checks:
            raise InputError(f"agencies: {code!r} does not answer agency checks", "agencies")
        w.session.add(AgencyCheck(
            contact_id=contact.id, agency_id=agency.id, requested_at=w.now, requested_by_id=w.actor.user_id,
            due_at=calendar.due_datetime(f"agency_check_{contact.rag}", w.now),
            question=question.strip() or None, status="requested", updated_by_id=w.actor.user_id))
    contact.status = workflow.after("checks", contact.status)
    contact.updated_by_id = w.actor.user_id
