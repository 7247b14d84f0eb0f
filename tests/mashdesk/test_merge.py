"""Merging duplicate people, audited, and undoing it exactly."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.models import AuditEvent, ContactPerson, Person, PersonAddress, PersonMerge, PersonName
from mashdesk.errors import InputError, PermissionDenied
from mashdesk.contacts.service import ContactService
from mashdesk.people.service import PeopleService, PersonInput
from tests.helpers import police_notification


def _links(ctx, person_id: int) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    with ctx.session_factory() as s:
        return {
            "contacts": sorted(s.scalars(select(ContactPerson.id).where(ContactPerson.person_id == person_id))),
            "names": sorted(s.scalars(select(PersonName.id).where(PersonName.person_id == person_id))),
            "addresses": sorted(s.scalars(select(PersonAddress.id).where(PersonAddress.person_id == person_id))),
        }


@pytest.fixture
def pair(ctx, actors, clock):  # type: ignore[no-untyped-def]
    people = PeopleService(ctx)
    a = people.create_person(actors["practitioner"], PersonInput(
        "Jack", "Smith", date(2015, 3, 4), postcode="BR1 3UH", aliases=[("Jack", "Brown")]))
    b = people.create_person(actors["practitioner"], PersonInput(
        "Jak", "Smith", date(2015, 4, 3), postcode="BR2 9AA", nhs_number="9434765919", upn="A305000000012"))
    contacts = ContactService(ctx)
    contacts.create_contact(actors["practitioner"], police_notification(clock(), a))
    contacts.create_contact(actors["practitioner"], police_notification(clock(), b))
    contacts.create_contact(actors["practitioner"], police_notification(clock(), a, b))  # both in one contact
    return a, b


def test_merge_moves_every_link_and_hides_the_duplicate_and_unmerge_restores_exactly(ctx, actors, pair):  # type: ignore[no-untyped-def]
    a, b = pair
    before = {a: _links(ctx, a), b: _links(ctx, b)}
    people = PeopleService(ctx)
    merge_id = people.merge(actors["manager"], a, b)

    after_a, after_b = _links(ctx, a), _links(ctx, b)
    assert after_b == {"contacts": [], "names": [], "addresses": []}
    # the shared contact keeps one child row: the duplicate's was set aside, not moved on top
    assert len(after_a["contacts"]) == 3 and set(before[b]["addresses"]) <= set(after_a["addresses"])
    history = people.history(actors["practitioner"], a)
    assert "Jak Smith (merged)" in history.other_names and history.nhs_number == "9434765919"
    assert history.merges[0].merge_id == merge_id and history.contacts_12m == 3
    with ctx.session_factory() as s:
        merged = s.get(Person, b)
        assert merged is not None and merged.merged_into_id == a
        event = s.scalars(select(AuditEvent).where(AuditEvent.action != "person.read")  # the last change
                          .order_by(AuditEvent.id.desc())).first()
        assert event is not None and event.action == "person.merge" and event.entity_id == merge_id

    people.unmerge(actors["manager"], merge_id)
    assert _links(ctx, a) == before[a] and _links(ctx, b)["names"] == before[b]["names"]
    assert _links(ctx, b)["addresses"] == before[b]["addresses"]
    assert sorted(_links(ctx, b)["contacts"]) == before[b]["contacts"]
    with ctx.session_factory() as s:
        survivor, restored = s.get(Person, a), s.get(Person, b)
        assert survivor is not None and restored is not None
        assert restored.merged_into_id is None and survivor.nhs_number is None and survivor.upn is None
        record = s.get(PersonMerge, merge_id)
        assert record is not None and record.undone_at is not None
        assert record.undone_by_id == actors["manager"].user_id


def test_merge_rules(ctx, actors, pair):  # type: ignore[no-untyped-def]
    a, b = pair
    people = PeopleService(ctx)
    with pytest.raises(PermissionDenied):
        people.merge(actors["practitioner"], a, b)
    with pytest.raises(InputError, match="two different people"):
        people.merge(actors["manager"], a, a)
    merge_id = people.merge(actors["manager"], a, b)
    with pytest.raises(InputError, match="already merged"):
        people.merge(actors["manager"], a, b)
    c = people.create_person(actors["practitioner"], PersonInput("Jack", "Smyth", date(2015, 3, 4)))
    later = people.merge(actors["manager"], c, a)
    with pytest.raises(InputError, match="undo that merge first"):
        people.unmerge(actors["manager"], merge_id)
    people.unmerge(actors["manager"], later)
    people.unmerge(actors["manager"], merge_id)
    with pytest.raises(InputError, match="already undone"):
        people.unmerge(actors["manager"], merge_id)
