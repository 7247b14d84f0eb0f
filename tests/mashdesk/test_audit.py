"""Every write leaves exactly one audit event in its own transaction; the trail detects tampering."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditEvent
from mashdesk import audit
from mashdesk.errors import InputError
from mashdesk.services.auth import AuthService
from mashdesk.context import AuditMissing, Service
from mashdesk.contacts.service import ContactService
from tests.helpers import police_notification


def _events(ctx) -> list[AuditEvent]:
    with ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_each_write_leaves_one_audit_event_naming_user_and_record(ctx, actors, clock):
    contacts = ContactService(ctx)
    contact_id = contacts.create_contact(actors["practitioner"], police_notification(clock()))
    contacts.update_contact(actors["manager"], contact_id, 1, concern="Clarified by phone.")
    AuthService(ctx).create_user(actors["admin"], username="new.worker", display_name="New Worker",
                                 role="practitioner", password="plum orbit tundra")
    events = _events(ctx)
    assert [(e.action, e.username, e.entity) for e in events] == [
        ("contact.create", "test.practitioner", "contact"),
        ("contact.update", "test.manager", "contact"),
        ("user.manage", "test.admin", "user"),
    ]
    assert events[0].entity_id == contact_id == events[1].entity_id
    assert events[1].detail == {"fields": ["concern"]}


def test_refused_write_leaves_no_audit_event(ctx, actors, clock):
    with pytest.raises(InputError):
        AuthService(ctx).create_user(actors["admin"], username="x y", display_name="X", role="practitioner",
                                     password="plum orbit tundra")
    assert _events(ctx) == []


def test_a_write_without_its_audit_event_is_rolled_back(ctx, actors):
    from db.models import Referrer

    class Careless(Service):
        def run(self, actor):
            with self.write(actor, "contact.create") as w:
                w.session.add(Referrer(name="Unaudited"))

    with pytest.raises(AuditMissing):
        Careless(ctx).run(actors["practitioner"])
    with ctx.session_factory() as s:
        assert s.scalar(select(Referrer).where(Referrer.name == "Unaudited")) is None


def test_sign_in_attempts_are_audited(ctx, actors):
    auth = AuthService(ctx)
    assert auth.sign_in("test.manager", "secret").role == "manager"
    with pytest.raises(Exception, match="Wrong user name or password"):
        auth.sign_in("test.manager", "wrong")
    assert [e.action for e in _events(ctx)] == ["auth.sign_in", "auth.sign_in_failed"]


def test_verify_accepts_an_intact_trail(ctx, actors, clock):
    contacts = ContactService(ctx)
    for _ in range(3):
        contacts.create_contact(actors["practitioner"], police_notification(clock()))
    with ctx.session_factory() as s:
        result = audit.verify(s, ctx.audit_keys)
    assert result.ok and result.checked == 3
    assert "intact: 3 entries" in result.summary()
