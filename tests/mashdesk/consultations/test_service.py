"""The consultation line: logging a call, the day's and week's lists with filters, what education sees,
a call becoming a contact with every field carried, bad input refused, and the figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from db.models import Consultation, Contact, ContactPerson, Person
from mashdesk.consultations.figures import consultation_figures
from mashdesk.consultations.service import ConsultationService
from mashdesk.consultations.views import ConsultationInput, ConsultationQuery
from mashdesk.contacts.service import ContactChildInput, ContactInput, ContactService, ReferrerInput
from mashdesk.errors import InputError, PermissionDenied


@pytest.fixture
def child_id(ctx) -> int:
    with ctx.session_factory.begin() as s:
        child = Person(first_name="Lily", last_name="Testcall", sex="F", date_of_birth=date(2015, 6, 1))
        s.add(child)
        s.flush()
        return child.id


def call(at: datetime, **changes: object) -> ConsultationInput:
    data = ConsultationInput(
        at=at, caller_name="Jo Teacher", caller_role="Designated safeguarding lead",
        organisation="Hayes Primary School", from_school=True, phone="020 7946 0000",
        question="A pupil says her stepfather hits her mum; should I refer?",
        advice="Speak to the pupil calmly, record her words, make a referral today.",
        outcome="referral_asked", minutes=12)
    return replace(data, **changes)


def test_a_call_is_logged_and_listed_by_day_and_week_with_filters(ctx, actors, clock, child_id):
    clock.set_local(2026, 11, 25, 10, 0)  # a Wednesday: yesterday is in the same week
    service = ConsultationService(ctx)
    a = service.log(actors["practitioner"], call(clock() - timedelta(minutes=20), child_ids=(child_id,)))
    service.log(actors["practitioner"], call(clock() - timedelta(days=1), organisation="Pickhurst Academy",
                                             outcome="advice_only"))
    service.log(actors["manager"], call(clock() - timedelta(minutes=5), organisation="Bromley GP",
                                        from_school=False, outcome="signposted", signposted_to="Bromley Y"))
    today = ConsultationService(ctx).calls(actors["manager"], ConsultationQuery(day=date(2026, 11, 25)))
    assert [r.organisation for r in today.rows] == ["Bromley GP", "Hayes Primary School"]
    assert today.rows[1].reference == f"CL-{a:06d}" and today.rows[1].children == "Lily Testcall"
    week = service.calls(actors["manager"], ConsultationQuery(day=date(2026, 11, 25), week=True))
    assert len(week.rows) == 3 and week.schools == ("Hayes Primary School", "Pickhurst Academy")
    assert (week.start, week.end) == (date(2026, 11, 23), date(2026, 11, 29))
    only = service.calls(actors["manager"], ConsultationQuery(day=date(2026, 11, 25), week=True,
                                                              school="Pickhurst Academy"))
    assert [r.outcome for r in only.rows] == ["Advice only"]
    by_outcome = service.calls(actors["manager"], ConsultationQuery(day=date(2026, 11, 25), week=True,
                                                                    outcome="signposted"))
    assert [r.signposted_to for r in by_outcome.rows] == ["Bromley Y"]


def test_education_sees_the_schools_calls_only_and_may_not_log(ctx, actors, clock):
    service = ConsultationService(ctx)
    service.log(actors["practitioner"], call(clock() - timedelta(minutes=20)))
    gp = service.log(actors["practitioner"], call(clock() - timedelta(minutes=10), organisation="Bromley GP",
                                                  from_school=False))
    seen = service.calls(actors["education"], ConsultationQuery(day=date(2026, 11, 23), week=True))
    assert [r.organisation for r in seen.rows] == ["Hayes Primary School"]
    with pytest.raises(Exception, match="does not exist"):
        service.get(actors["education"], gp)
    with pytest.raises(PermissionDenied):
        service.log(actors["education"], call(clock()))
    with pytest.raises(PermissionDenied):
        service.calls(actors["police"], ConsultationQuery(day=date(2026, 11, 23)))


def test_a_call_becomes_a_contact_carrying_every_field(ctx, actors, clock, child_id):
    service = ConsultationService(ctx)
    ident = service.log(actors["practitioner"], call(clock() - timedelta(minutes=15), child_ids=(child_id,),
                                                     child_summary="and her brother, about 9",
                                                     outcome="contact_now"))
    p = service.contact_prefill(actors["practitioner"], ident)
    assert (p.caller_name, p.caller_role, p.organisation, p.phone, p.agency_code) == (
        "Jo Teacher", "Designated safeguarding lead", "Hayes Primary School", "020 7946 0000", "education")
    assert "stepfather" in p.concern and "her brother" in p.concern and "make a referral today" in p.concern
    assert p.children == ((child_id, "Lily Testcall"),) and p.received_at == clock() - timedelta(minutes=15)
    contact_id = ContactService(ctx).create_contact(actors["practitioner"], ContactInput(
        received_at=p.received_at, channel="consultation", cin_source="2A", concern=p.concern,
        referrer=ReferrerInput(name=p.caller_name, agency_code=p.agency_code, organisation=p.organisation,
                               role=p.caller_role, phone=p.phone),
        children=[ContactChildInput(person_id=pid) for pid, _ in p.children], consent="given",
        consultation_id=p.consultation_id))
    with ctx.session_factory() as s:
        contact = s.get(Contact, contact_id)
        assert contact.consultation_id == ident and contact.channel == "consultation"
        assert contact.referrer.organisation == "Hayes Primary School" and contact.referrer.phone == "020 7946 0000"
        assert s.scalars(select(ContactPerson.person_id).where(ContactPerson.contact_id == contact_id)).all() \
            == [child_id]
        assert s.get(Consultation, ident).became_contact
    row = service.get(actors["manager"], ident)
    assert row.contact_reference == f"C-{contact_id:06d}"
    start = datetime(2026, 11, 1, tzinfo=UTC)
    with ctx.session_factory() as s:
        figures = consultation_figures(s, start, start + timedelta(days=30))
    assert figures.calls == 1 and figures.became_contacts_7_days == 1
    assert figures.by_school == (("Hayes Primary School", 1),) and figures.by_outcome == (("contact_now", 1),)


@pytest.mark.parametrize(("change", "field"), [
    ({"caller_name": " "}, "caller_name"), ({"question": ""}, "question"), ({"outcome": "shrug"}, "outcome"),
    ({"outcome": "signposted"}, "signposted_to"), ({"minutes": 0}, "minutes"), ({"child_ids": (99_999,)}, "children[1]"),
    ({"at": "future"}, "at"),
])
def test_bad_calls_are_refused_naming_the_field(ctx, actors, clock, change, field):
    key, value = next(iter(change.items()))
    if value == "future":
        value = clock() + timedelta(hours=1)
    with pytest.raises(InputError) as caught:
        data = call(value) if key == "at" else call(clock(), **{key: value})
        ConsultationService(ctx).log(actors["practitioner"], data)
    assert caught.value.field == field
