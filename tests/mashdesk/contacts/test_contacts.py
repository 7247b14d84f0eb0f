"""Recording contacts: validation names the field, nothing is written on bad input, stale edits refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Contact, Person
from mashdesk.errors import InputError, PermissionDenied, StaleEditError
from mashdesk.contacts.service import ContactService
from mashdesk.people.service import PersonInput
from tests.helpers import police_notification


def _count(ctx, model) -> int:
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_contact_is_recorded_in_the_queue_with_its_child(ctx, actors, clock):
    service = ContactService(ctx)
    contact_id = service.create_contact(actors["practitioner"], police_notification(clock()))
    detail = service.get(actors["practitioner"], contact_id)
    assert detail.status == "new"
    assert detail.reference == f"C-{contact_id:06d}"
    assert [p.name for p in detail.people] == ["Ava Testchild"]
    assert detail.referrer == "PC Example"
    with ctx.session_factory() as s:
        assert s.get(Contact, contact_id).children_display == "Ava Testchild"


@pytest.mark.parametrize(
    ("change", "field", "label"),
    [
        ({"concern": "   "}, "concern", "concern"),
        ({"channel": "carrier pigeon"}, "channel", "channel"),
        ({"cin_source": "99"}, "cin_source", "referral source"),
        ({"consent_reason": ""}, "consent_reason", "consent reason"),
        ({"consent_decided_by": None}, "consent_decided_by", "consent decided by"),
        ({"immediate_protection": "maybe"}, "immediate_protection", "immediate protection"),
        ({"children": []}, "children", "children"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(ctx, actors, clock, change, field, label):
    with pytest.raises(InputError) as err:
        ContactService(ctx).create_contact(actors["practitioner"], police_notification(clock(), **change))
    assert err.value.field == field
    assert str(err.value).startswith(f"{label}:")
    assert _count(ctx, Contact) == 0
    assert _count(ctx, AuditEvent) == 0


def test_received_in_the_future_is_refused(ctx, actors, clock):
    data = police_notification(clock(), received_at=clock() + timedelta(hours=2))
    with pytest.raises(InputError, match="received"):
        ContactService(ctx).create_contact(actors["practitioner"], data)


def test_child_with_future_birth_date_is_refused_and_nothing_written(ctx, actors, clock):
    child = PersonInput(first_name="Leo", last_name="Future", date_of_birth=date(2030, 1, 1))
    with pytest.raises(InputError, match="date of birth"):
        ContactService(ctx).create_contact(actors["practitioner"], police_notification(clock(), child))
    assert _count(ctx, Person) == 0
    assert _count(ctx, Contact) == 0


def test_partner_agency_cannot_record_a_contact(ctx, actors, clock):
    with pytest.raises(PermissionDenied):
        ContactService(ctx).create_contact(actors["police"], police_notification(clock()))
    assert _count(ctx, Contact) == 0


def test_stale_edit_is_refused_and_names_who_changed_it(ctx, actors, clock):
    service = ContactService(ctx)
    contact_id = service.create_contact(actors["practitioner"], police_notification(clock()))
    opened_by_both = service.get(actors["practitioner"], contact_id).version
    service.update_contact(actors["manager"], contact_id, opened_by_both, concern="Updated by the manager.")
    with pytest.raises(StaleEditError) as err:
        service.update_contact(actors["practitioner"], contact_id, opened_by_both, concern="Mine.")
    assert "Test Manager" in str(err.value)
    assert "reload" in str(err.value)
    assert service.get(actors["practitioner"], contact_id).concern == "Updated by the manager."


def test_conflicting_flush_is_refused_too(ctx, actors, clock):
    """Two writers both pass the version check; the second UPDATE matches no row and is refused.

    On SQLite a unit of work holds the write lock from its first statement, so writers
    cannot interleave at all; the version column guards PostgreSQL's concurrent writers.
    """
    if ctx.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE; no interleaving to test")
    service = ContactService(ctx)
    contact_id = service.create_contact(actors["practitioner"], police_notification(clock()))
    with ctx.session_factory() as a:
        row = a.get(Contact, contact_id)
        version = row.version
        service.update_contact(actors["manager"], contact_id, version, concern="First writer.")
        row.concern = "Second writer from a stale copy."
        from sqlalchemy.orm.exc import StaleDataError

        with pytest.raises(StaleDataError):
            a.commit()


def test_edit_of_a_field_that_cannot_be_edited_is_refused(ctx, actors, clock):
    service = ContactService(ctx)
    contact_id = service.create_contact(actors["practitioner"], police_notification(clock()))
    with pytest.raises(InputError, match="status"):
        service.update_contact(actors["practitioner"], contact_id, 1, status="closed")


def test_household_visitors_and_alleged_perpetrator_are_recorded(ctx, actors, clock):
    from mashdesk.contacts.service import ContactOtherInput

    data = police_notification(clock())
    data.others = [
        ContactOtherInput("household_member", new_person=PersonInput(first_name="Jo", last_name="Parent"),
                          relationship_to_child="mother", parental_responsibility=True),
        ContactOtherInput("alleged_perpetrator", new_person=PersonInput(first_name="Max", last_name="Visitor"),
                          relationship_to_child="mother's partner"),
    ]
    detail = ContactService(ctx).get(actors["practitioner"], ContactService(ctx).create_contact(
        actors["practitioner"], data))
    roles = {p.name: (p.role, p.parental_responsibility) for p in detail.people}
    assert roles == {"Ava Testchild": ("child", False), "Jo Parent": ("household_member", True),
                     "Max Visitor": ("alleged_perpetrator", False)}


def test_another_person_with_an_unknown_role_is_refused(ctx, actors, clock):
    from mashdesk.contacts.service import ContactOtherInput

    data = police_notification(clock())
    data.others = [ContactOtherInput("lodger", new_person=PersonInput(first_name="A", last_name="B"))]
    with pytest.raises(InputError, match="role"):
        ContactService(ctx).create_contact(actors["practitioner"], data)
    assert _count(ctx, Contact) == 0
