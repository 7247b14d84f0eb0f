"""Demo data keeps the rules the services enforce, judged here independently of how the demo is made."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from db.models import Agency, AgencyCheck, Contact, ContactPerson, Decision, Person, Referrer, StepDown, User
from mashdesk import codes
from mashdesk.demo import build_demo
from rules import age_on


@pytest.fixture
def demo(ctx, clock):
    # A Saturday night: the journeys must still keep office hours and never run past now.
    clock.set_local(2026, 11, 28, 22, 40)
    build_demo(ctx, 2500, seed=5)
    return ctx


def _group(cin_source: str) -> str:
    """The CIN source's family: "3F" → "3", "10" → "10"."""
    return re.match(r"\d+", cin_source).group()  # type: ignore[union-attr]


def test_every_answered_check_has_a_responder_of_its_agency(demo):
    with demo.session_factory() as s:
        responder_agency = aliased(Agency)
        rows = s.execute(select(AgencyCheck.status, AgencyCheck.responded_at, Agency.code, responder_agency.code,
                                AgencyCheck.requested_at)
                         .join(Agency, Agency.id == AgencyCheck.agency_id)
                         .outerjoin(User, User.id == AgencyCheck.responder_id)
                         .outerjoin(responder_agency, responder_agency.id == User.agency_id)).all()
    answered = [r for r in rows if r[0] == "answered"]
    assert answered and any(r[0] == "requested" for r in rows)
    for _, responded_at, agency, responder, requested_at in answered:
        assert responder == agency, f"a {agency} check answered by {responder}"
        assert responded_at is not None and responded_at >= requested_at
    for status, responded_at, _, responder, _ in rows:
        if status == "requested":
            assert responded_at is None and responder is None


def test_the_referrer_fits_the_cin_source(demo):
    with demo.session_factory() as s:
        rows = s.execute(select(Contact.cin_source, Agency.code, Referrer.professional, Referrer.name)
                         .join(Referrer, Referrer.id == Contact.referrer_id)
                         .outerjoin(Agency, Agency.id == Referrer.agency_id)).all()
    assert len(rows) >= 2500
    for source, agency, professional, name in rows:
        if agency is None:
            # Family, the public, the child, anonymous or unknown: no agency and not a professional.
            assert _group(source) in {"1", "9", "10"}, f"source {source} without an agency"
            assert not professional
            if source == "9":
                assert name == ""
        else:
            assert _group(source) == _group(codes.AGENCIES[agency][1]), f"source {source} from {agency}"


#: What a concern's words say about the child it is about: (words, who must be among the children).
AGE_WORDS = [
    (("teenager", "young person"), lambda ages: any(a is not None and a >= 11 for a in ages)),
    (("baby",), lambda ages: any(a is not None and a <= 1 for a in ages)),
    (("attendance", "in class"), lambda ages: any(a is not None and 4 <= a <= 17 for a in ages)),
    (("developmental checks",), lambda ages: any(a is not None and a <= 4 for a in ages)),
    (("disclosed",), lambda ages: any(a is not None and a >= 4 for a in ages)),
    (("weeks pregnant, has missed antenatal",), lambda ages: any(a is None for a in ages)),
]


def test_the_concern_fits_the_childrens_ages(demo):
    ages: dict[int, list[int | None]] = {}
    with demo.session_factory() as s:
        rows = s.execute(select(Contact.id, Contact.received_at, Contact.concern, Person.date_of_birth)
                         .join(ContactPerson, ContactPerson.contact_id == Contact.id)
                         .join(Person, Person.id == ContactPerson.person_id)
                         .where(ContactPerson.role == "child")).all()
    concern: dict[int, str] = {}
    for contact_id, received, text, dob in rows:
        on: date = received.date()
        concern[contact_id] = text.lower()
        ages.setdefault(contact_id, []).append(None if dob is None or dob > on else age_on(dob, on))
    checked = 0
    for contact_id, text in concern.items():
        for words, fits in AGE_WORDS:
            if any(w in text for w in words):
                checked += 1
                assert fits(ages[contact_id]), f"{text!r} about children aged {ages[contact_id]}"
    assert checked > 100


def test_decisions_and_authorisations_are_in_office_hours_in_order(demo):
    cal = demo.calendar
    now = demo.now()
    with demo.session_factory() as s:
        rows = s.execute(select(Decision.decided_at, Decision.authorised_at, Decision.status, User.role_code,
                                Contact.received_at, Contact.screened_at, Contact.status)
                         .join(Contact, Contact.id == Decision.contact_id)
                         .join(User, User.id == Decision.decided_by_id)).all()
        step_downs = s.execute(select(StepDown.status, Contact.status)
                               .join(Contact, Contact.id == StepDown.contact_id)).all()
    assert rows and step_downs
    for decided, authorised, status, role, received, screened, contact_status in rows:
        if role != "edt":
            assert cal.in_office_hours(decided), f"decided at {cal.localize(decided)}"
            assert authorised is None or cal.in_office_hours(authorised), f"authorised {cal.localize(authorised)}"
        assert received <= screened <= decided <= now
        assert (authorised is not None) == (status == "authorised") == (contact_status == "closed")
        if authorised is not None:
            assert decided <= authorised <= now
        if status == "returned":
            assert contact_status == "returned"
    # A step-down follows only an authorised decision.
    assert {c for _, c in step_downs} == {"closed"}
