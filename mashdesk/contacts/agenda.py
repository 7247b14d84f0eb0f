"""The contacts' sections of the daily meeting: new red and amber contacts since the last meeting, and
contacts whose agency checks are past due.

An item involves a school when a school or education service made the contact (CIN source 2A or 2B) or
an education check is asked of it; the school is the referrer's organisation, else the first child's school.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Agency, AgencyCheck, Contact, ContactPerson, Person, Referrer
from db.references import contact_reference
from mashdesk.agenda import AgendaDay, AgendaItem
from mashdesk.clock import LONDON

EDUCATION_SOURCES = ("2A", "2B")
OPEN = ("new", "screened", "in_progress", "awaiting_authorisation", "returned")
#: How far back "since the last meeting" reaches before the first meeting.
FIRST_MEETING_LOOK_BACK = timedelta(days=1)


def new_contact_items(session: Session, day: AgendaDay) -> Iterator[AgendaItem]:
    """Red and amber contacts received since the last meeting, red first."""
    since = day.since or day.starts_at - FIRST_MEETING_LOOK_BACK
    rows = session.execute(
        select(Contact.id, Contact.rag, Contact.received_at, Contact.children_display, Contact.cin_source,
               Contact.source_display, Referrer.organisation)
        .outerjoin(Referrer, Referrer.id == Contact.referrer_id)
        .where(Contact.rag_rank.in_((0, 1)), Contact.received_at >= since, Contact.received_at < day.starts_at)
        .order_by(Contact.rag_rank, Contact.received_at, Contact.id)
    ).all()
    facts = _facts(session, [r.id for r in rows])
    for r in rows:
        children, school, education_check = facts.get(r.id, ((), None, False))
        from_school = r.cin_source in EDUCATION_SOURCES
        received = r.received_at.astimezone(LONDON).strftime("%a %H:%M")
        yield AgendaItem(
            section="new_contacts", kind="contact", record_id=r.id, reference=contact_reference(r.id),
            title=r.children_display, reason=f"{r.rag} contact received {received} from {r.source_display}",
            brought_by="education" if from_school else "mash", urgency=0 if r.rag == "red" else 1,
            involves_school=from_school or education_check,
            person_ids=children)


def overdue_check_items(session: Session, day: AgendaDay) -> Iterator[AgendaItem]:
    """Open contacts with an agency check not answered by its due time; the late agency brings it."""
    rows = session.execute(
        select(AgencyCheck.contact_id, AgencyCheck.due_at, Agency.code, Agency.name, Contact.children_display,
               Contact.rag)
        .join(Agency, Agency.id == AgencyCheck.agency_id)
        .join(Contact, Contact.id == AgencyCheck.contact_id)
        .where(AgencyCheck.status == "requested", AgencyCheck.due_at < day.starts_at, Contact.status.in_(OPEN))
        .order_by(AgencyCheck.due_at)
    ).all()
    late: dict[int, list[tuple[str, str]]] = defaultdict(list)
    first = {}
    for r in rows:
        late[r.contact_id].append((r.code, r.name))
        first.setdefault(r.contact_id, r)
    facts = _facts(session, list(late))
    for contact_id, agencies in late.items():
        r = first[contact_id]
        children, _, _ = facts.get(contact_id, ((), None, False))
        due = r.due_at.astimezone(LONDON).strftime("%a %d %b %H:%M")
        codes = [code for code, _ in agencies]
        yield AgendaItem(
            section="checks_overdue", kind="contact", record_id=contact_id,
            reference=contact_reference(contact_id), title=r.children_display,
            reason=f"waiting on {', '.join(_short(code) for code, _ in agencies)}: due {due}",
            brought_by=codes[0], urgency=0 if r.rag == "red" else 1 if r.rag == "amber" else 2,
            involves_school="education" in codes, person_ids=children)


def _short(code: str) -> str:
    return code.replace("_", " ").capitalize()


def school_of(session: Session, contact_id: int) -> str | None:
    """The school a contact's item goes back to (for the education lead's actions)."""
    return _facts(session, [contact_id]).get(contact_id, ((), None, False))[1]


def _facts(session: Session, ids: list[int]) -> dict[int, tuple[tuple[int, ...], str | None, bool]]:
    """Per contact: its children's ids, the school involved, and whether education is asked for a check."""
    if not ids:
        return {}
    children: dict[int, list[int]] = defaultdict(list)
    schools: dict[int, str] = {}
    for contact_id, person_id, school in session.execute(
            select(ContactPerson.contact_id, ContactPerson.person_id, Person.school)
            .join(Person, Person.id == ContactPerson.person_id)
            .where(ContactPerson.contact_id.in_(ids), ContactPerson.role == "child")
            .order_by(ContactPerson.id)):
        children[contact_id].append(person_id)
        if school and contact_id not in schools:
            schools[contact_id] = school
    for contact_id, organisation in session.execute(
            select(Contact.id, Referrer.organisation).join(Referrer, Referrer.id == Contact.referrer_id)
            .where(Contact.id.in_(ids), Contact.cin_source == "2A", Referrer.organisation.is_not(None))):
        schools[contact_id] = organisation
    education = set(session.scalars(
        select(AgencyCheck.contact_id).join(Agency, Agency.id == AgencyCheck.agency_id)
        .where(AgencyCheck.contact_id.in_(ids), Agency.code == "education")))
    return {i: (tuple(children.get(i, ())), schools.get(i), i in education) for i in ids}
