"""Deadline sweeps of the contacts: decision clocks in their last quarter or past."""

from __future__ import annotations

from datetime import datetime

from db.direct import utc
from db.references import contact_reference
from mashdesk.contacts.queue import running_clocks
from mashdesk.contacts.views import due_label
from mashdesk.context import Actor, AppContext
from mashdesk.notices import Notice


def decision_deadline_notices(ctx: AppContext, actor: Actor, now: datetime, limit: int = 500) -> list[Notice]:
    """Notices for decision clocks in their last quarter or past: a manager's whole team, else one's own."""
    calendar = ctx.calendar
    with ctx.direct() as conn:
        rows = running_clocks(conn, now, None if actor.role == "manager" else actor.user_id, limit)
        conn.finish_read()
    notices = []
    for contact_id, rag, received_at, due_at, children in rows:
        kind = f"decision_{rag}"
        received, due = utc(received_at), utc(due_at)
        assert received is not None and due is not None
        state = calendar.status(due, received, now, kind)
        if state == "ok":
            continue
        ref = contact_reference(contact_id)
        label = due_label(state, calendar.time_left(due, now, kind), due)
        notices.append(Notice(
            key=f"decision:{state}:{contact_id}", level=state,
            title=f"{ref} decision {'overdue' if state == 'breached' else 'due soon'}",
            text=f"{children} — {label} ({(rag or '').upper()})", entity="contact", entity_id=contact_id))
    return notices
