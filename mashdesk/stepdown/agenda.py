"""The step-down section of the daily meeting: step-downs refused (by the family or the centre) and step-downs
whose first contact or review is overdue."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Contact, StepDown
from db.references import step_down_reference
from mashdesk.agenda import AgendaDay, AgendaItem
from mashdesk.clock import LONDON
from mashdesk.stepdown.centres import early_help_config
from mashdesk.stepdown.workflow import FIRST_CONTACT_RUNNING, REVIEW_RUNNING, STATUSES

REFUSED = ("consent_refused", "declined")


def step_down_items(session: Session, day: AgendaDay) -> Iterator[AgendaItem]:
    at = day.starts_at
    centres = early_help_config()
    rows = session.execute(
        select(StepDown.id, StepDown.status, StepDown.centre, StepDown.first_contact_due_at,
               StepDown.next_review_due_at, StepDown.declined_reason, Contact.children_display, Contact.cin_source)
        .join(Contact, Contact.id == StepDown.contact_id)
        .where(or_(StepDown.status.in_(REFUSED),
                   StepDown.status.in_(FIRST_CONTACT_RUNNING) & (StepDown.first_contact_due_at < at),
                   StepDown.status.in_(REVIEW_RUNNING) & (StepDown.next_review_due_at < at)))
        .order_by(StepDown.id)
    ).all()
    for r in rows:
        if r.status in REFUSED:
            reason = STATUSES[r.status] + (f": {r.declined_reason}" if r.declined_reason else "")
            urgency = 0
        elif r.status in FIRST_CONTACT_RUNNING:
            centre = centres.centre_name(r.centre, short=True)
            reason = f"first contact overdue since {_when(r.first_contact_due_at)} ({centre})"
            urgency = 1
        else:
            centre = centres.centre_name(r.centre, short=True)
            reason = f"review overdue since {_when(r.next_review_due_at)} ({centre})"
            urgency = 2
        yield AgendaItem(
            section="step_downs", kind="step_down", record_id=r.id, reference=step_down_reference(r.id),
            title=r.children_display, reason=reason, brought_by="early_help", urgency=urgency,
            involves_school=r.cin_source in ("2A", "2B"))


def _when(value) -> str:  # type: ignore[no-untyped-def]
    return value.astimezone(LONDON).strftime("%d %b %Y") if value else "—"
