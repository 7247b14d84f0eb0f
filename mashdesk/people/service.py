"""People: adding them with their search keys, finding the known child, importing, merging (units of work)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import Address, Person, PersonAddress, PersonMerge, PersonName
from mashdesk import access, validators
from mashdesk.context import Actor, Service
from mashdesk.errors import InputError, NotFound
from mashdesk.people import blocking, names, restriction
from mashdesk.people.atlas import with_atlas
from mashdesk.people.details import checked
from mashdesk.people.history import contact_summaries, flags_of, merge_summaries, previous_contacts
from mashdesk.people.importing import ImportRow, parse_csv
from mashdesk.people.merging import MERGE_FILL_FIELDS, MERGE_FLAG_FIELDS, dob_gap_days, move_links, restore_links
from mashdesk.people.scoring import MatchQuery
from mashdesk.people.views import ImportResult, MergeSummary, PersonHistory, PersonMatch


@dataclass
class PersonInput:
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = "U"
    ethnicity: str | None = None
    first_language: str | None = None
    religion: str | None = None
    disabled: bool = False
    nhs_number: str | None = None
    upn: str | None = None
    school: str | None = None
    gp: str | None = None
    postcode: str | None = None
    address_line1: str | None = None
    town: str | None = None
    aliases: list[tuple[str, str]] = field(default_factory=list)
    external_id: str | None = None


def validate_person(data: PersonInput, today: date) -> None:
    """Raise :class:`InputError` naming the first field that is wrong; identifiers are normalised."""
    if not data.first_name.strip():
        raise InputError("first name: required (use 'Unborn' for an unborn baby)", "first_name")
    if not data.last_name.strip():
        raise InputError("last name: required", "last_name")
    if data.date_of_birth and data.expected_date_of_birth:
        raise InputError("date of birth: give a date of birth or an expected date of birth, not both",
                         "date_of_birth")
    if data.date_of_birth and data.date_of_birth > today:
        raise InputError("date of birth: cannot be in the future", "date_of_birth")
    if data.sex not in ("M", "F", "U"):
        raise InputError("sex: M, F or U", "sex")
    data.nhs_number = checked(data.nhs_number, validators.nhs_number, "NHS number", "nhs_number")
    data.upn = checked(data.upn, validators.upn, "UPN", "upn")
    data.postcode = checked(data.postcode, validators.postcode, "postcode", "postcode")


def add_person(session: Session, data: PersonInput, user_id: int | None, now: datetime) -> Person:
    """Add a person (and their aliases and address) with the search keys filled in."""
    validate_person(data, now.date())
    person = Person(
        external_id=data.external_id,
        first_name=data.first_name.strip(), last_name=data.last_name.strip(),
        date_of_birth=data.date_of_birth, expected_date_of_birth=data.expected_date_of_birth,
        sex=data.sex, ethnicity=data.ethnicity, first_language=data.first_language,
        religion=data.religion, disabled=data.disabled, nhs_number=data.nhs_number, upn=data.upn,
        school=data.school, gp=data.gp, updated_by_id=user_id,
        **names.keys(data.first_name, data.last_name),
    )
    person.names = [PersonName(kind="alias", first_name=f, last_name=last, **names.keys(f, last))
                    for f, last in data.aliases]
    if data.postcode or data.address_line1:
        address = Address(line1=data.address_line1 or "", town=data.town or "", postcode=data.postcode,
                          postcode_key=validators.postcode_key(data.postcode))
        person.addresses = [PersonAddress(address=address, current=True)]
    session.add(person)
    return person


def _current_postcode(person: Person) -> str | None:
    current = [pa.address for pa in person.addresses if pa.current] or [pa.address for pa in person.addresses]
    return current[-1].postcode if current else None


def search_terms(query: MatchQuery) -> dict[str, Any]:
    """What the trail keeps of a person search: the matcher's keys of the names, not the text typed."""
    return {**names.keys(query.first_name or "", query.last_name or ""),
            "date_of_birth": query.date_of_birth.isoformat() if query.date_of_birth else None,
            "postcode": names.normalise(query.postcode or "") or None}


class PeopleService(Service):
    """The known-child search, a person's history, imports, and merging duplicates."""

    # -- searching -----------------------------------------------------------------------------
    def search(self, actor: Actor, query: MatchQuery, limit: int = 10) -> list[PersonMatch]:
        """Candidates for ``query``, best first, with their history at a glance.

        Used by the search-before-create panel as a person types (a read, like opening a
        contact); :meth:`match` is the audited look-up for scripted access.
        """
        with self.read(actor, "person.match") as s:
            found = with_atlas(s, self._search(s, actor, query, limit), actor.role)
        self.audit_read(actor, "person.match", "person_search", None, "searched for a person",
                        **search_terms(query), found=[m.person_id for m in found])
        return found

    def match(self, actor: Actor, query: MatchQuery, limit: int = 10) -> list[PersonMatch]:
        """The same search (for scripted access), recorded the same way."""
        return self.search(actor, query, limit)

    def _search(self, s: Session, actor: Actor, query: MatchQuery, limit: int) -> list[PersonMatch]:
        if limit < 1:
            raise InputError("limit: at least 1", "limit")
        ranked = blocking.match(s, _clean_query(query), limit)
        if not ranked:
            return []
        ids = [scored.person_id for scored, _ in ranked]
        people = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_(ids))
                                             .options(selectinload(Person.addresses)))}
        # Outside the reader's access rules (``mashdesk.access``): the name only, as for a restricted record.
        visible = set(s.scalars(select(Person.id).where(Person.id.in_(ids),
                                                        access.clause(actor, "person", Person.id))))
        history = previous_contacts(s, ids, self.ctx.now())
        out = []
        masked = not restriction.may_see(actor)
        for scored, record in ranked:
            p = people[scored.person_id]
            contacts, referrals = history[p.id]
            assert scored.band is not None
            match = PersonMatch(
                person_id=p.id, external_id=record.external_id, name=p.full_name,
                date_of_birth=p.date_of_birth, expected_date_of_birth=p.expected_date_of_birth, sex=p.sex,
                postcode=_current_postcode(p), score=scored.score, band=scored.band,
                reasons=scored.reasons, contacts_12m=contacts, referrals_12m=referrals,
                flags=flags_of(p, referrals))
            out.append(restriction.mask(match) if (p.restricted and masked) or p.id not in visible else match)
        return out

    # -- one person ----------------------------------------------------------------------------
    def history(self, actor: Actor, person_id: int, audit_open: bool = True) -> PersonHistory:
        """A person's record, their contacts (the last 12 months counted), case status and merges.

        A restricted record only for managers; every attempt to open one is audited
        (``audit_open=False``: the screen has just opened and audited it, see :func:`restriction.guard`).
        """
        restriction.guard(self, actor, person_id, audit_open)
        with self.read(actor, "person.read") as s:
            p = s.scalar(select(Person).where(Person.id == person_id).options(
                selectinload(Person.names), selectinload(Person.addresses)))
            if p is None:
                raise NotFound(f"person {person_id} does not exist")
            contacts_12m, referrals_12m = previous_contacts(s, [p.id], self.ctx.now())[p.id]
            contacts = contact_summaries(s, p.id)
            merges = merge_summaries(s, p.id)
            current = [pa.address for pa in p.addresses if pa.current]
            return PersonHistory(
                person_id=p.id, version=p.version, external_id=p.external_id, first_name=p.first_name,
                last_name=p.last_name, date_of_birth=p.date_of_birth,
                expected_date_of_birth=p.expected_date_of_birth, sex=p.sex, nhs_number=p.nhs_number,
                upn=p.upn, address=current[-1].one_line if current else None,
                other_names=tuple(f"{n.first_name} {n.last_name} ({n.kind})" for n in p.names),
                open_case=p.open_case, cp_plan_current=p.cp_plan_current, cp_plan_previous=p.cp_plan_previous,
                warning=p.warning, contacts_12m=contacts_12m, referrals_12m=referrals_12m, contacts=contacts,
                merged_into_id=p.merged_into_id, merges=merges, flags=flags_of(p, referrals_12m))

    def create_person(self, actor: Actor, data: PersonInput) -> int:
        """Add a person who was searched for and not found; returns the new id."""
        with self.write(actor, "person.create", "person") as w:
            person = add_person(w.session, data, actor.user_id, w.now)
            w.session.flush()
            w.audit("person", person.id, f"added {person.full_name}")
            return person.id

    # -- importing -----------------------------------------------------------------------------
    def import_persons(self, actor: Actor, source: str | Path | IO[str]) -> ImportResult:
        """Import a people CSV (see :mod:`mashdesk.people.importing`) all or nothing.

        A row whose ``external_id`` is already known updates that person: the cells given
        replace what is recorded, empty cells leave it as it is, new aliases are added and a
        new postcode becomes the current address. Any bad row raises :class:`InputError`
        naming its line and column, and nothing is written.
        """
        with _open_text(source) as stream:
            rows = parse_csv(stream, self.ctx.now().date())
        label = str(source) if isinstance(source, str | Path) else getattr(source, "name", "stream")
        with self.write(actor, "person.import", "people") as w:
            s = w.session
            ext_ids = [r.external_id for r in rows if r.external_id]
            existing: dict[str, Person] = {}
            for start in range(0, len(ext_ids), 500):
                chunk = ext_ids[start:start + 500]
                for p in s.scalars(select(Person).where(Person.external_id.in_(chunk)).options(
                        selectinload(Person.names), selectinload(Person.addresses))):
                    assert p.external_id is not None
                    existing[p.external_id] = p
            created = updated = 0
            for row in rows:
                known = existing.get(row.external_id) if row.external_id else None
                if known is not None:
                    _update_from_row(known, row, actor.user_id, w.now.date())
                    updated += 1
                else:
                    add_person(s, _input_from_row(row), actor.user_id, w.now)
                    created += 1
            s.flush()
            w.audit("person_import", None, f"imported {len(rows)} people from {Path(label).name}",
                    created=created, updated=updated, rows=len(rows))
        if updated:
            blocking.forget_names(self.ctx.engine)
        return ImportResult(created=created, updated=updated)

    # -- merging -------------------------------------------------------------------------------
    def merge(self, actor: Actor, survivor_id: int, merged_id: int, reason: str | None = None) -> int:
        """Merge the duplicate ``merged_id`` into ``survivor_id``; returns the merge's id.

        Two records whose dates of birth are more than a year apart are different children
        unless the manager gives a ``reason`` (recorded with the merge).

        Every link to the duplicate (contacts, decisions, names, addresses, households,
        relationships…) moves to the survivor and is listed in the merge record, so
        :meth:`unmerge` can put each one back. The duplicate is hidden, not deleted.
        """
        if survivor_id == merged_id:
            raise InputError("merge: choose two different people", "merged_id")
        with self.write(actor, "person.merge", "person") as w:
            s = w.session
            survivor = w.get(Person, survivor_id, "person")
            merged = w.get(Person, merged_id, "person")
            for p in (survivor, merged):
                if p.merged_into_id is not None:
                    raise InputError(f"merge: {p.full_name} ({p.id}) was already merged into person "
                                     f"{p.merged_into_id}", "merged_id")
            reason = " ".join((reason or "").split()) or None
            apart = dob_gap_days(survivor, merged)
            if apart is not None and apart > 365 and not reason:
                raise InputError(f"merge reason: the dates of birth are {apart} days apart (over a year); "
                                 "give a reason to merge them", "reason")
            moved, removed = move_links(s, merged_id, survivor_id)
            name = PersonName(person_id=survivor_id, kind="merged", first_name=merged.first_name,
                              last_name=merged.last_name, **names.keys(merged.first_name, merged.last_name))
            s.add(name)
            filled: dict[str, list[Any]] = {}
            for attr in MERGE_FILL_FIELDS + MERGE_FLAG_FIELDS:
                mine, theirs = getattr(survivor, attr), getattr(merged, attr)
                if theirs and not mine:
                    filled[attr] = [mine, theirs]
                    setattr(survivor, attr, theirs)
            merged.merged_into_id = survivor_id
            for p in (survivor, merged):
                p.updated_by_id = actor.user_id
            s.flush()
            record = PersonMerge(survivor_id=survivor_id, merged_id=merged_id, merged_at=w.now,
                                 merged_by_id=actor.user_id,
                                 moved_links={"moved": moved, "removed": removed, "added_names": [name.id],
                                              "filled": filled, "reason": reason})
            s.add(record)
            s.flush()
            w.audit("person_merge", record.id, f"merged {merged.full_name} ({merged_id}) into "
                    f"{survivor.full_name} ({survivor_id})", survivor_id=survivor_id, merged_id=merged_id,
                    moved={k: len(v) for k, v in moved.items()}, reason=reason)
            return record.id

    def unmerge(self, actor: Actor, merge_id: int) -> None:
        """Undo a merge: the duplicate comes back with exactly the links it had."""
        with self.write(actor, "person.merge", "merge") as w:
            s = w.session
            record = w.get(PersonMerge, merge_id, "merge")
            if record.undone_at is not None:
                raise InputError(f"unmerge: merge {merge_id} was already undone", "merge_id")
            survivor = w.get(Person, record.survivor_id, "person")
            merged = w.get(Person, record.merged_id, "person")
            if survivor.merged_into_id is not None:
                raise InputError(f"unmerge: {survivor.full_name} was since merged into person "
                                 f"{survivor.merged_into_id}; undo that merge first", "merge_id")
            links = record.moved_links
            restore_links(s, links, record.merged_id, record.survivor_id)
            for attr, (before, after) in links.get("filled", {}).items():
                if getattr(survivor, attr) == after:
                    setattr(survivor, attr, before)
            merged.merged_into_id = None
            for p in (survivor, merged):
                p.updated_by_id = actor.user_id
            record.undone_at = w.now
            record.undone_by_id = actor.user_id
            s.flush()
            w.audit("person_merge", record.id, f"undid the merge of {merged.full_name} ({merged.id}) into "
                    f"{survivor.full_name} ({survivor.id})", survivor_id=survivor.id, merged_id=merged.id)
        blocking.forget_names(self.ctx.engine)

    def merges(self, actor: Actor, person_id: int) -> list[MergeSummary]:
        """Merges a person took part in (as survivor or duplicate), newest first."""
        return list(self.history(actor, person_id).merges)


def _clean_query(query: MatchQuery) -> MatchQuery:
    """Identifiers in their stored form; malformed ones are ignored rather than searched for."""
    def safe(check: Any, value: str | None) -> str | None:
        try:
            return check(value) if value and value.strip() else None
        except ValueError:
            return None

    return MatchQuery(first_name=query.first_name, last_name=query.last_name,
                      date_of_birth=query.date_of_birth, postcode=query.postcode, sex=query.sex,
                      nhs_number=safe(validators.nhs_number, query.nhs_number),
                      upn=safe(validators.upn, query.upn))


@contextmanager
def _open_text(source: str | Path | IO[str]) -> Iterator[IO[str]]:
    if isinstance(source, str | Path):
        try:
            with open(source, encoding="utf-8-sig", newline="") as f:
                yield f
        except FileNotFoundError:
            raise InputError(f"file: {source} does not exist", "file") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"file: {source} is not UTF-8 text ({exc.reason})", "file") from None
    elif isinstance(source, io.TextIOBase) or hasattr(source, "read"):
        yield source
    else:
        raise InputError("file: give a path or an open text file", "file")


def _input_from_row(row: ImportRow) -> PersonInput:
    return PersonInput(first_name=row.first_name, last_name=row.last_name, date_of_birth=row.date_of_birth,
                       sex=row.sex, nhs_number=row.nhs_number, upn=row.upn, postcode=row.postcode,
                       aliases=list(row.aliases), external_id=row.external_id)


def _update_from_row(person: Person, row: ImportRow, user_id: int | None, today: date) -> None:
    person.first_name, person.last_name = row.first_name, row.last_name
    for key, value in names.keys(row.first_name, row.last_name).items():
        setattr(person, key, value)
    for attr in ("date_of_birth", "nhs_number", "upn"):
        value = getattr(row, attr)
        if value is not None:
            setattr(person, attr, value)
    if row.date_of_birth is not None:
        person.expected_date_of_birth = None
    if row.sex != "U":
        person.sex = row.sex
    known = {(n.first_name.lower(), n.last_name.lower()) for n in person.names}
    for first, last in row.aliases:
        if (first.lower(), last.lower()) not in known:
            person.names.append(PersonName(kind="alias", first_name=first, last_name=last,
                                           **names.keys(first, last)))
            known.add((first.lower(), last.lower()))
    key = validators.postcode_key(row.postcode)
    if key and key not in {pa.address.postcode_key for pa in person.addresses if pa.current}:
        for pa in person.addresses:
            if pa.current:
                pa.current, pa.to_date = False, today
        person.addresses.append(PersonAddress(
            address=Address(line1="", town="", postcode=row.postcode, postcode_key=key),
            current=True, from_date=today))
    person.updated_by_id = user_id


__all__ = ["PeopleService", "PersonInput", "add_person", "validate_person"]
