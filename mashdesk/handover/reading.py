"""Reading the EDT log: entries with their people, notes and acknowledgement, as handover items."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import EdtEntry, Person, User
from mashdesk.calendar import WorkingCalendar
from mashdesk.handover.views import HandoverItem, NoteView
from mashdesk.handover.workflow import past


def entries_query():  # type: ignore[no-untyped-def]
    return select(EdtEntry).options(selectinload(EdtEntry.people), selectinload(EdtEntry.notes),
                                    selectinload(EdtEntry.acknowledgement))


def items_of(s: Session, entries: list[EdtEntry], calendar: WorkingCalendar, now: datetime) -> list[HandoverItem]:
    person_ids = {p.person_id for e in entries for p in e.people}
    people = {p.id: p.full_name for p in s.scalars(select(Person).where(Person.id.in_(person_ids)))} \
        if person_ids else {}
    user_ids = {e.recorded_by_id for e in entries} | {n.by_id for e in entries for n in e.notes}
    for e in entries:
        if e.acknowledgement is not None:
            user_ids |= {e.acknowledgement.acknowledged_by_id, e.acknowledgement.dealt_by_id}
    user_ids.discard(None)
    users = {u.id: u.display_name for u in s.scalars(select(User).where(User.id.in_(user_ids)))} \
        if user_ids else {}
    out = []
    for e in entries:
        ack = e.acknowledgement
        deadline = calendar.edt_handover(e.period_end)
        overdue = past(calendar, deadline, now)
        dealt = ack is not None and ack.outcome in ("contact_created", "no_action")
        out.append(HandoverItem(
            id=e.id, version=e.version, call_at=e.call_at, caller_name=e.caller_name,
            caller_agency=e.caller_agency, phone=e.phone, children_text=e.children_text,
            address_text=e.address_text, reported=e.reported, emergency_services=e.emergency_services,
            action_taken=e.action_taken, outstanding=e.outstanding, urgency=e.urgency,
            recorded_by=users.get(e.recorded_by_id) if e.recorded_by_id else None,
            completed_at=e.completed_at, period_start=e.period_start, period_end=e.period_end,
            deadline=deadline, people=tuple((p.person_id, people.get(p.person_id, "")) for p in e.people),
            notes=tuple(NoteView(n.at, users.get(n.by_id, "") if n.by_id else "", n.text) for n in e.notes),
            acknowledged_at=ack.acknowledged_at if ack else None,
            acknowledged_by=users.get(ack.acknowledged_by_id) if ack else None,
            outcome=ack.outcome if ack else None, contact_id=ack.contact_id if ack else None,
            no_action_reason=ack.no_action_reason if ack else None, dealt_at=ack.dealt_at if ack else None,
            dealt_by=users.get(ack.dealt_by_id) if ack and ack.dealt_by_id else None,
            breached=bool(ack and ack.breached) or (overdue and not dealt),
            editable=ack is None and not overdue,
        ))
    return out
