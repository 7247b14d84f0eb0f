"""The handover's section of the daily meeting: the night's EDT items not yet dealt with, breached first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import EdtEntry, EdtEntryPerson
from db.references import edt_entry_reference
from mashdesk.agenda import AgendaDay, AgendaItem
from mashdesk.clock import LONDON

DEALT = ("contact_created", "no_action")
LOOK_BACK_DAYS = 7


def handover_items(session: Session, day: AgendaDay) -> Iterator[AgendaItem]:
    """Entries of every EDT period ending by this morning that nobody has turned into a contact or closed."""
    if not day.calendar.is_working_day(day.day):
        return
    _, period_end = day.calendar.edt_period_ending(day.day)
    deadline = day.calendar.edt_handover(period_end)
    # Earlier nights' items still open stay on the agenda for a working week (they are breached).
    earliest = period_end - timedelta(days=LOOK_BACK_DAYS)
    entries = session.scalars(
        select(EdtEntry).where(EdtEntry.period_end <= period_end, EdtEntry.period_end > earliest,
                               EdtEntry.call_at > earliest - timedelta(days=LOOK_BACK_DAYS))
        .options(selectinload(EdtEntry.acknowledgement))
        .order_by(EdtEntry.call_at)
    ).all()
    open_entries = [e for e in entries if e.acknowledgement is None or e.acknowledgement.outcome not in DEALT]
    people: dict[int, list[int]] = {}
    if open_entries:
        for link in session.scalars(select(EdtEntryPerson).where(
                EdtEntryPerson.entry_id.in_([e.id for e in open_entries]))):
            people.setdefault(link.entry_id, []).append(link.person_id)
    for e in open_entries:
        ack = e.acknowledgement
        breached = bool(ack and ack.breached) or day.starts_at > deadline
        state = "breached: not dealt with by the handover deadline" if breached else (
            "acknowledged, not yet dealt with" if ack else "not yet acknowledged")
        call = e.call_at.astimezone(LONDON).strftime("%a %H:%M")
        yield AgendaItem(
            section="edt", kind="edt_entry", record_id=e.id, reference=edt_entry_reference(e.id),
            title=e.children_text or e.caller_name, reason=f"EDT call {call} ({e.urgency}), {state}",
            brought_by="edt", urgency=(0 if breached else 2) + (0 if e.urgency == "urgent" else 1),
            involves_school="school" in (e.outstanding or "").lower(),
            person_ids=tuple(people.get(e.id, ())))
