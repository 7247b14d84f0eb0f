"""Restricted people: a record only managers may open, every attempt audited.

A manager marks a person restricted (for example a child at risk from a family member who
works in the service). Anyone without ``person.restricted`` then finds the name only in
search, with :data:`RESTRICTED_NOTE`, and nothing more; every attempt to open the record,
allowed or refused, is written to the audit trail.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from db.models import Person
from db.references import person_reference
from mashdesk.context import Actor, Service
from mashdesk.errors import NotFound, PermissionDenied
from mashdesk.people.views import PersonMatch

RESTRICTED_NOTE = "restricted record, ask a MASH manager"


class RestrictedRecord(PermissionDenied):
    """The person's record is restricted and the actor may not open it."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name}: {RESTRICTED_NOTE}")


def may_see(actor: Actor) -> bool:
    return actor.may("person.restricted")


def guard(service: Service, actor: Actor, person_id: int, audit_allowed: bool = True) -> None:
    """Audit every opening of a person's record; refuse one outside the reader's access rules
    (``mashdesk.access``) or a restricted one to all but managers, auditing the refusal.

    ``audit_allowed=False`` is for a second read of a record the same screen has just opened
    (and audited): a refusal is audited whatever it says.
    """
    with service.read(actor, "person.read") as s:
        row = s.execute(select(Person.restricted, Person.first_name, Person.last_name)
                        .where(Person.id == person_id)).first()
    if row is None:
        raise NotFound(f"person {person_id} does not exist")
    restricted, first, last = row
    if not restricted:
        service.require_record(actor, "person.read", "person", person_id, person_reference(person_id))
        if audit_allowed:
            service.audit_read(actor, "person.read", "person", person_id, f"opened the record of {first} {last}")
        return
    allowed = may_see(actor)
    if allowed and not audit_allowed:
        return
    with service.write(actor, "person.read", "person") as w:
        w.audit("person", person_id, "opened the restricted record" if allowed
                else "tried to open the restricted record and was refused", allowed=allowed)
    if not allowed:
        raise RestrictedRecord(f"{first} {last}")


def mask(match: PersonMatch) -> PersonMatch:
    """A restricted person as someone without the right sees them in search: the name only."""
    return replace(match, external_id=None, date_of_birth=None, expected_date_of_birth=None, sex="U",
                   postcode=None, reasons=(RESTRICTED_NOTE,), contacts_12m=0, referrals_12m=0,
                   flags=(RESTRICTED_NOTE,), masked=True)


__all__ = ["RESTRICTED_NOTE", "RestrictedRecord", "guard", "mask", "may_see"]
