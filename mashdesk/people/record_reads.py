"""Reading a person's whole record for the Person page: details, names, addresses, family, history."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from db.models import AuditEvent, Household, HouseholdMember, Person, Relationship, User
from mashdesk.errors import NotFound
from mashdesk.people.details import LABELS, PersonDetails
from mashdesk.people.views import (
    AddressLine,
    ChangeEntry,
    HouseholdLine,
    OtherName,
    PersonRecord,
    RelationshipLine,
)


def details_of(p: Person) -> PersonDetails:
    """The person's details as the page edits them."""
    return PersonDetails(
        first_name=p.first_name, last_name=p.last_name, middle_names=p.middle_names,
        date_of_birth=p.date_of_birth, expected_date_of_birth=p.expected_date_of_birth, sex=p.sex,
        ethnicity=p.ethnicity, first_language=p.first_language, interpreter_needed=bool(p.interpreter_needed),
        religion=p.religion, disability_codes=tuple((p.disability_codes or "").split()),
        immigration_status=p.immigration_status, nhs_number=p.nhs_number, upn=p.upn, former_upn=p.former_upn,
        upn_unknown=p.upn_unknown, school=p.school, gp=p.gp)


def load_person(s: Session, person_id: int) -> Person:
    p = s.scalar(select(Person).where(Person.id == person_id).options(
        selectinload(Person.names), selectinload(Person.addresses)))
    if p is None:
        raise NotFound(f"person {person_id} does not exist")
    return p


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def change_history(s: Session, person_id: int) -> tuple[ChangeEntry, ...]:
    """Every audited change to the person (and every opening of a restricted record), newest first.

    Other reads are in the access log (``mashdesk.access_log``), not here."""
    rows = s.execute(select(AuditEvent, User.display_name).outerjoin(User, User.id == AuditEvent.user_id)
                     .where(AuditEvent.entity == "person", AuditEvent.entity_id == person_id,
                            ~AuditEvent.summary.startswith("opened the record of"))
                     .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    out = []
    for e, shown_name in rows:
        detail = e.detail or {}
        changed = tuple((LABELS.get(k, k.replace("_", " ")), _shown(v[0]), _shown(v[1]))
                        for k, v in (detail.get("changes") or {}).items())
        who = f"{shown_name} ({e.username})" if shown_name else e.username
        out.append(ChangeEntry(at=e.at, who=who, summary=e.summary, changes=changed))
    return tuple(out)


def _relationships(s: Session, person_id: int) -> tuple[RelationshipLine, ...]:
    rels = list(s.scalars(select(Relationship).where(or_(Relationship.person_id == person_id,
                                                         Relationship.related_person_id == person_id))
                          .order_by(Relationship.id)))
    others = {r.related_person_id if r.person_id == person_id else r.person_id for r in rels}
    names = dict(s.execute(select(Person.id, Person.first_name + " " + Person.last_name)
                           .where(Person.id.in_(others))).all()) if others else {}
    return tuple(RelationshipLine(
        relationship_id=r.id, other_id=(other := r.related_person_id if r.person_id == person_id else r.person_id),
        other_name=names.get(other, f"person {other}"), kind=r.kind, person_is_kind=r.person_id == person_id,
        parental_responsibility=r.parental_responsibility) for r in rels)


def _households(s: Session, person_id: int) -> tuple[HouseholdLine, ...]:
    memberships = list(s.scalars(select(HouseholdMember).where(HouseholdMember.person_id == person_id)))
    out = []
    for m in memberships:
        household = s.get(Household, m.household_id)
        if household is None:
            continue
        members = s.execute(select(Person.first_name, Person.last_name, HouseholdMember.role)
                            .join(HouseholdMember, HouseholdMember.person_id == Person.id)
                            .where(HouseholdMember.household_id == household.id, Person.id != person_id,
                                   HouseholdMember.to_date.is_(None))
                            .order_by(HouseholdMember.id)).all()
        out.append(HouseholdLine(
            household_id=household.id, label=household.label,
            address=household.address.one_line if household.address else None, role=m.role,
            from_date=m.from_date, to_date=m.to_date,
            members=tuple(f"{f} {last} ({role})" for f, last, role in members)))
    return tuple(out)


def read_record(s: Session, person_id: int) -> PersonRecord:
    """The whole record of one person."""
    p = load_person(s, person_id)
    return PersonRecord(
        person_id=p.id, version=p.version, details=details_of(p),
        names=tuple(OtherName(n.id, n.kind, n.first_name, n.last_name, n.from_date) for n in p.names),
        addresses=tuple(sorted(
            (AddressLine(pa.id, pa.address.one_line, pa.address.postcode, pa.from_date, pa.to_date, pa.current)
             for pa in p.addresses), key=lambda a: (not a.current, -(a.from_date or date.min).toordinal()))),
        relationships=_relationships(s, p.id), households=_households(s, p.id),
        history=change_history(s, p.id), restricted=bool(p.restricted), restricted_reason=p.restricted_reason,
        merged_into_id=p.merged_into_id)


__all__ = ["change_history", "details_of", "load_person", "read_record"]
