"""The Person page's service: open a person's whole record and correct it, one audited change at a time.

Every save is one unit of work: the person is loaded with the version the page showed
(:meth:`WriteScope.get_for_edit`), so a save made over someone else's change is refused
naming who made it; the person's version moves on with every change (names, addresses and
relationships included); and the audit event carries each detail's old and new value,
which is the history the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from db.models import Address, Household, HouseholdMember, Person, PersonAddress, PersonName, Relationship
from mashdesk import validators
from mashdesk.context import Actor, Service, WriteScope
from mashdesk.errors import InputError, NotFound
from mashdesk.people import blocking, names, restriction
from mashdesk.people.details import (
    DETAIL_FIELDS,
    LABELS,
    PersonCodes,
    PersonDetails,
    changes,
    check_details,
    load_codes,
)
from mashdesk.people.record_reads import details_of, read_record
from mashdesk.people.views import PersonRecord

NAME_KINDS = ("alias", "former", "preferred")
HOUSEHOLD_ROLES = ("child", "parent", "carer", "other adult", "regular visitor")


@dataclass(frozen=True)
class AddressInput:
    line1: str
    town: str
    postcode: str
    from_date: date | None
    line2: str | None = None


class PersonRecordService(Service):
    """Open, complete and correct a person's record; restrict it (managers)."""

    codes: PersonCodes = load_codes()

    def open(self, actor: Actor, person_id: int, audit_open: bool = True) -> PersonRecord:
        """The whole record; a restricted one only for managers, and every attempt audited.

        ``audit_open=False`` reads again a record the page has open (after a save): see
        :func:`restriction.guard`.
        """
        restriction.guard(self, actor, person_id, audit_open)
        with self.read(actor, "person.read") as s:
            return read_record(s, person_id)

    def _edit(self, w: WriteScope, person_id: int, version: int) -> Person:
        p = w.get_for_edit(Person, person_id, version, "person")
        if p.restricted and not restriction.may_see(w.actor):
            raise restriction.RestrictedRecord(p.full_name)
        if p.merged_into_id is not None:
            raise InputError(f"person: merged into person {p.merged_into_id}; change that record", "person")
        flag_modified(p, "updated_at")  # every change moves the person's version on
        return p

    def save_details(self, actor: Actor, person_id: int, version: int, details: PersonDetails) -> int:
        """Record the details; returns the new version. Nothing changed: nothing written."""
        with self.write(actor, "person.update", "person") as w:
            checked = check_details(details, w.now.date(), self.codes)
            p = self._edit(w, person_id, version)
            changed = changes(details_of(p), checked)
            renamed = "first_name" in changed or "last_name" in changed
            for key in DETAIL_FIELDS:
                value = getattr(checked, key)
                setattr(p, key, " ".join(value) or None if isinstance(value, tuple) else value)
            p.disabled = bool(checked.disability_codes)
            for key, value in names.keys(checked.first_name, checked.last_name).items():
                setattr(p, key, value)
            what = ", ".join(LABELS[k] for k in changed) or "nothing"
            w.audit("person", p.id, f"changed {what} of {p.full_name}", changes=changed)
            w.session.flush()
            new_version = p.version
        if renamed:
            blocking.forget_names(self.ctx.engine)
        return new_version

    def add_name(self, actor: Actor, person_id: int, version: int, kind: str, first: str, last: str,
                 from_date: date | None = None) -> int:
        """Add an alias, former or preferred name, used from ``from_date``."""
        first, last = " ".join(first.split()), " ".join(last.split())
        if kind not in NAME_KINDS:
            raise InputError(f"kind of name: one of {', '.join(NAME_KINDS)}", "name_kind")
        if not first:
            raise InputError("other name, first name: required", "name_first")
        if not last:
            raise InputError("other name, last name: required", "name_last")
        with self.write(actor, "person.update", "person") as w:
            if from_date and from_date > w.now.date():
                raise InputError("other name, from: cannot be in the future", "name_from")
            p = self._edit(w, person_id, version)
            p.names.append(PersonName(kind=kind, first_name=first, last_name=last, from_date=from_date,
                                      **names.keys(first, last)))
            since = f" from {from_date:%d/%m/%Y}" if from_date else ""
            w.audit("person", p.id, f"added the {kind} name {first} {last}{since}",
                    changes={f"{kind} name": [None, f"{first} {last}{since}"]})
            w.session.flush()
            new_version = p.version
        blocking.forget_names(self.ctx.engine)
        return new_version

    def remove_name(self, actor: Actor, person_id: int, version: int, name_id: int) -> int:
        with self.write(actor, "person.update", "person") as w:
            p = self._edit(w, person_id, version)
            name = next((n for n in p.names if n.id == name_id), None)
            if name is None:
                raise NotFound(f"name {name_id} is not one of {p.full_name}'s names")
            if name.kind == "merged":
                raise InputError("other name: a merged record's name goes with its merge (undo the merge)", "name")
            p.names.remove(name)
            w.audit("person", p.id, f"removed the {name.kind} name {name.first_name} {name.last_name}",
                    changes={f"{name.kind} name": [f"{name.first_name} {name.last_name}", None]})
            w.session.flush()
            new_version = p.version
        blocking.forget_names(self.ctx.engine)
        return new_version

    def move_to(self, actor: Actor, person_id: int, version: int, address: AddressInput) -> int:
        """A new current address from ``from_date``; the one before ends the day before."""
        line1 = " ".join(address.line1.split())
        if not line1:
            raise InputError("address: the first line is required", "address_line1")
        try:
            postcode = validators.postcode(address.postcode)
        except ValueError as exc:
            raise InputError(f"postcode: {exc}", "address_postcode") from None
        with self.write(actor, "person.update", "person") as w:
            moved = address.from_date or w.now.date()
            if moved > w.now.date():
                raise InputError("address, from: cannot be in the future", "address_from")
            p = self._edit(w, person_id, version)
            for pa in p.addresses:
                if pa.from_date and pa.from_date > moved:
                    raise InputError(f"address, from: before the address from {pa.from_date:%d/%m/%Y}",
                                     "address_from")
            before = [pa.address.one_line for pa in p.addresses if pa.current]
            for pa in p.addresses:
                if pa.current:
                    pa.current, pa.to_date = False, moved
            new = Address(line1=line1, line2=(address.line2 or "").strip() or None,
                          town=" ".join(address.town.split()), postcode=postcode,
                          postcode_key=validators.postcode_key(postcode))
            p.addresses.append(PersonAddress(address=new, current=True, from_date=moved))
            w.audit("person", p.id, f"moved to {new.one_line} from {moved:%d/%m/%Y}",
                    changes={"address": [before[-1] if before else None, new.one_line]})
            w.session.flush()
            return p.version

    def add_relationship(self, actor: Actor, person_id: int, version: int, other_id: int, kind: str,
                         parental_responsibility: bool = False) -> int:
        """Record that ``other_id`` is the ``kind`` of this person (their mother, sibling…)."""
        if kind not in self.codes.relationships:
            raise InputError(f"relationship: choose from the list ({kind!r} is not on it)", "relationship_kind")
        if other_id == person_id:
            raise InputError("relationship: choose another person", "relationship_person")
        with self.write(actor, "person.update", "person") as w:
            p = self._edit(w, person_id, version)
            other = w.get(Person, other_id, "person")
            if other.merged_into_id is not None:
                raise InputError(f"relationship: {other.full_name} was merged into person {other.merged_into_id}",
                                 "relationship_person")
            w.session.add(Relationship(person_id=other_id, related_person_id=person_id, kind=kind,
                                       parental_responsibility=parental_responsibility))
            pr = " with parental responsibility" if parental_responsibility else ""
            w.audit("person", p.id, f"recorded {other.full_name} as {kind}{pr}",
                    changes={"relationship": [None, f"{other.full_name}: {kind}{pr}"]}, other_id=other_id)
            w.session.flush()
            return p.version

    def remove_relationship(self, actor: Actor, person_id: int, version: int, relationship_id: int) -> int:
        with self.write(actor, "person.update", "person") as w:
            p = self._edit(w, person_id, version)
            rel = w.session.get(Relationship, relationship_id)
            if rel is None or person_id not in (rel.person_id, rel.related_person_id):
                raise NotFound(f"relationship {relationship_id} is not one of {p.full_name}'s")
            other_id = rel.person_id if rel.related_person_id == person_id else rel.related_person_id
            other = w.session.scalar(select(Person.first_name + " " + Person.last_name).where(Person.id == other_id))
            w.session.delete(rel)
            w.audit("person", p.id, f"removed the relationship with {other} ({rel.kind})",
                    changes={"relationship": [f"{other}: {rel.kind}", None]})
            w.session.flush()
            return p.version

    def join_household(self, actor: Actor, person_id: int, version: int, other_id: int, role: str) -> int:
        """The person joins the household ``other_id`` lives in (from today), as ``role``."""
        if role not in HOUSEHOLD_ROLES:
            raise InputError(f"household role: one of {', '.join(HOUSEHOLD_ROLES)}", "household_role")
        with self.write(actor, "person.update", "person") as w:
            p = self._edit(w, person_id, version)
            other = w.get(Person, other_id, "person")
            household_id = w.session.scalar(select(HouseholdMember.household_id).where(
                HouseholdMember.person_id == other_id, HouseholdMember.to_date.is_(None))
                .order_by(HouseholdMember.id.desc()).limit(1))
            if household_id is None:
                household = Household(label=f"{other.last_name} household")
                w.session.add(household)
                w.session.flush()
                household_id = household.id
                w.session.add(HouseholdMember(household_id=household_id, person_id=other_id, role="parent",
                                              from_date=w.now.date()))
            w.session.add(HouseholdMember(household_id=household_id, person_id=person_id, role=role,
                                          from_date=w.now.date()))
            w.audit("person", p.id, f"joined the household of {other.full_name} as {role}",
                    changes={"household": [None, f"{other.full_name}'s household ({role})"]})
            w.session.flush()
            return p.version

    def leave_household(self, actor: Actor, person_id: int, version: int, household_id: int) -> int:
        """The person no longer lives in ``household_id`` (from today); the membership is kept, dated."""
        with self.write(actor, "person.update", "person") as w:
            p = self._edit(w, person_id, version)
            member = w.session.scalar(select(HouseholdMember).where(
                HouseholdMember.household_id == household_id, HouseholdMember.person_id == person_id,
                HouseholdMember.to_date.is_(None)))
            if member is None:
                raise NotFound(f"{p.full_name} is not living in household {household_id}")
            member.to_date = w.now.date()
            w.audit("person", p.id, f"left household {household_id}",
                    changes={"household": [f"household {household_id} ({member.role})", None]})
            w.session.flush()
            return p.version

    def set_restricted(self, actor: Actor, person_id: int, version: int, restricted: bool,
                       reason: str | None = None) -> int:
        """Restrict a person's record (a reason is required) or lift the restriction (managers)."""
        reason = " ".join((reason or "").split()) or None
        if restricted and not reason:
            raise InputError("restriction reason: required (who the child must be protected from)",
                             "restricted_reason")
        with self.write(actor, "person.restrict", "person") as w:
            p = self._edit(w, person_id, version)
            before: dict[str, Any] = {"restricted": p.restricted, "reason": p.restricted_reason}
            p.restricted, p.restricted_reason = restricted, reason if restricted else None
            w.audit("person", p.id, "restricted the record" if restricted else "lifted the restriction",
                    changes={"restricted": [before["restricted"], restricted],
                             "restriction reason": [before["reason"], p.restricted_reason]})
            w.session.flush()
            return p.version


__all__ = ["HOUSEHOLD_ROLES", "NAME_KINDS", "AddressInput", "PersonRecordService"]
