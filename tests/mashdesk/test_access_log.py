"""A child's access log: who looked at their record and when, for managers, itself audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from db.models import AuditEvent, Contact
from mashdesk.cli import run
from mashdesk.contacts.service import ContactService
from mashdesk.errors import PermissionDenied
from mashdesk.people.record import PersonRecordService
from mashdesk.people.scoring import MatchQuery
from mashdesk.people.service import PeopleService, PersonInput
from mashdesk.services.access_log import AccessLogService
from tests.helpers import police_notification


@pytest.fixture
def child(ctx, actors, clock) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A contact about Mia Lookedat (and another child's contact beside it): (contact id, person id)."""
    contacts = ContactService(ctx)
    make = lambda first: contacts.create_contact(actors["practitioner"], police_notification(  # noqa: E731
        clock(), PersonInput(first_name=first, last_name="Lookedat", date_of_birth=date(2015, 1, 9), sex="F")))
    contact_id = make("Mia")
    make("Zoe")
    with ctx.session_factory() as s:
        person_id = s.get(Contact, contact_id).people[0].person_id
    return contact_id, person_id


def test_a_manager_sees_who_opened_searched_and_was_refused_and_reading_it_is_recorded(ctx, actors, child):
    contact_id, person_id = child
    ContactService(ctx).get(actors["practitioner"], contact_id)
    PersonRecordService(ctx).open(actors["practitioner"], person_id)
    PeopleService(ctx).search(actors["health"], MatchQuery("Mia", "Lookedat"))
    with pytest.raises(PermissionDenied):
        ContactService(ctx).get(actors["health"], contact_id)  # no check for health, not referred by health
    log = AccessLogService(ctx).for_person(actors["manager"], person_id)
    assert log.name == "Mia Lookedat" and log.reference == f"P-{person_id:06d}"
    seen = [(e.username, e.kind, e.entity) for e in log.entries]
    assert ("test.practitioner", "looked", "contact") in seen and ("test.practitioner", "looked", "person") in seen
    assert ("test.health", "looked", "person_search") in seen and ("test.health", "refused", "contact") in seen
    assert ("test.practitioner", "changed", "contact") in seen  # recording the contact
    refused = next(e for e in log.entries if e.kind == "refused")
    assert "check for your agency" in refused.summary
    assert [e.at for e in log.entries] == sorted((e.at for e in log.entries), reverse=True)
    # Zoe's contact and record are not in Mia's log.
    assert all("Zoe" not in e.summary for e in log.entries)
    again = AccessLogService(ctx).for_person(actors["manager"], person_id)
    assert again.entries[0].username == "test.manager" and again.entries[0].summary == (
        "read the access log of Mia Lookedat")


@pytest.mark.parametrize("role", ["practitioner", "police", "education", "edt", "earlyhelp", "atlas", "health"])
def test_only_managers_and_administrators_read_the_access_log_and_a_refusal_is_audited(ctx, actors, child, role):
    _, person_id = child
    with pytest.raises(PermissionDenied):
        AccessLogService(ctx).for_person(actors[role], person_id)
    with ctx.session_factory() as s:
        refused = s.scalars(select(AuditEvent).where(AuditEvent.username == f"test.{role}",
                                                     AuditEvent.action == "audit.read")).all()
    assert len(refused) == 1 and refused[0].detail["refused"] is True
    assert AccessLogService(ctx).for_person(actors["admin"], person_id).entries


def test_audit_access_on_the_command_line(ctx, actors, child, db_url, monkeypatch, capsys):
    contact_id, person_id = child
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    ContactService(ctx).get(actors["police"], contact_id)  # the police referred it
    assert run(["audit", "access", "--person", f"P-{person_id:06d}", "--db", db_url, "--as", "test.manager"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["name"] == "Mia Lookedat"
    assert {"username": "test.police", "kind": "looked", "record": "contact"}.items() <= next(
        e for e in out["entries"] if e["username"] == "test.police").items()
    assert run(["audit", "access", "--person", "Mia", "--db", db_url, "--as", "test.manager"]) == 2
    assert capsys.readouterr().err.strip().startswith("mashdesk: --person")
    assert run(["audit", "access", "--person", str(person_id), "--db", db_url, "--as", "test.police"]) == 1
    assert "may not audit: read" in capsys.readouterr().err


def test_the_daily_list_of_missing_children_that_named_the_child_is_in_their_log(ctx, actors, child, clock):
    from datetime import timedelta

    from db.models import MissingEpisode
    from mashdesk.missing.listing import MissingReads

    _, person_id = child
    now = clock()
    with ctx.session_factory.begin() as s:
        s.add(MissingEpisode(person_id=person_id, last_seen_at=now - timedelta(hours=5),
                             reported_at=now - timedelta(hours=4), missing_from="home", risk="medium",
                             escalation_due_at=now + timedelta(days=3)))
    listed = MissingReads(ctx).daily_list(actors["atlas"])
    assert [r.person_id for r in listed.missing] == [person_id]
    log = AccessLogService(ctx).for_person(actors["manager"], person_id)
    assert [(e.username, e.entity, e.kind) for e in log.entries if e.entity == "missing_list_view"] == [
        ("test.atlas", "missing_list_view", "looked")]
