"""What the MASH knows of a person: their contacts, referrals in the last 12 months, merges, flags."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Contact, ContactPerson, Person, PersonMerge, User
from mashdesk.codes import REFERRAL_OUTCOMES
from mashdesk.people.views import ContactSummary, MergeSummary


def previous_contacts(session: Session, person_ids: list[int], before: datetime,
                      exclude_contact: int | None = None) -> dict[int, tuple[int, int]]:
    """For each person: (contacts, referrals) as a child in the 12 months before ``before``."""
    since = before - timedelta(days=365)
    q = (
        select(ContactPerson.person_id, Contact.outcome)
        .join(Contact, Contact.id == ContactPerson.contact_id)
        .where(ContactPerson.person_id.in_(person_ids), ContactPerson.role == "child",
               Contact.received_at >= since, Contact.received_at < before)
    )
    if exclude_contact is not None:
        q = q.where(Contact.id != exclude_contact)
    counts: dict[int, tuple[int, int]] = {pid: (0, 0) for pid in person_ids}
    for pid, outcome in session.execute(q):
        c, r = counts[pid]
        counts[pid] = (c + 1, r + (outcome in REFERRAL_OUTCOMES))
    return counts


def contact_summaries(session: Session, person_id: int) -> tuple[ContactSummary, ...]:
    """Every contact the person is in (in any role), newest first."""
    return tuple(
        ContactSummary(contact_id=c.id, reference=c.reference, received_at=c.received_at, role=role,
                       outcome=c.outcome, referral=c.outcome in REFERRAL_OUTCOMES)
        for c, role in session.execute(
            select(Contact, ContactPerson.role).join(ContactPerson, ContactPerson.contact_id == Contact.id)
            .where(ContactPerson.person_id == person_id)
            .order_by(Contact.received_at.desc(), Contact.id.desc())))


def merge_summaries(session: Session, person_id: int) -> tuple[MergeSummary, ...]:
    """Merges the person took part in, as survivor or duplicate, newest first."""
    return tuple(
        MergeSummary(merge_id=m.id, survivor_id=m.survivor_id, merged_id=m.merged_id,
                     merged_at=m.merged_at, merged_by=by, undone_at=m.undone_at)
        for m, by in session.execute(
            select(PersonMerge, User.display_name).join(User, User.id == PersonMerge.merged_by_id)
            .where((PersonMerge.survivor_id == person_id) | (PersonMerge.merged_id == person_id))
            .order_by(PersonMerge.id.desc())))


def flags_of(person: Person, referrals_12m: int) -> tuple[str, ...]:
    """What a practitioner must notice about a person at a glance."""
    out = []
    if person.open_case:
        out.append("open case")
    if person.cp_plan_current:
        out.append("child protection plan")
    elif person.cp_plan_previous:
        out.append("previous child protection plan")
    if referrals_12m:
        out.append("re-referral: referred in the last 12 months")
    if person.warning:
        out.append(f"warning: {person.warning}")
    return tuple(out)



__all__ = ["contact_summaries", "flags_of", "merge_summaries", "previous_contacts"]
