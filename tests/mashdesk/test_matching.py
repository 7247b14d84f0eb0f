"""The known-child search: every kind of caller's mistake is found; namesakes are never likely."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from mashdesk.errors import PermissionDenied
from mashdesk.people.scoring import CandidateRecord, MatchQuery, band, compare_dob, dob_variants, score
from mashdesk.people.service import PeopleService, PersonInput

DOB = date(2015, 3, 4)


def rec(first: str = "Jack", last: str = "Smith", dob: date | None = DOB, **kw) -> CandidateRecord:  # type: ignore[no-untyped-def]
    return CandidateRecord(person_id=kw.pop("person_id", 1), external_id=None, first_name=first, last_name=last,
                           date_of_birth=dob, **kw)


def q(first: str = "Jack", last: str = "Smith", dob: date | None = DOB, **kw) -> MatchQuery:  # type: ignore[no-untyped-def]
    return MatchQuery(first_name=first, last_name=last, date_of_birth=dob, **kw)


@pytest.mark.parametrize(("query", "record", "reason"), [
    (q(), rec(), "date of birth matches"),
    (q(last="Smtih"), rec(), "surname spelt differently"),
    (q(last="Smyth"), rec(), "surname sounds alike"),
    (q(first="Mohammed", last="Khan"), rec("Muhammad", "Khan"), "first name sounds alike"),
    (q(first="Zoe"), rec("Zoë"), "first name matches"),
    (q(first="Bill"), rec("William"), "first name is a short or long form (Bill / William)"),
    (q(first="Smith", last="Jack"), rec(), "first and last names swapped"),
    (q(last="Jones"), rec(last="Smith-Jones"), "one half of a double-barrelled surname"),
    (q(last="Smith-Jones"), rec(last="Smith"), "one half of a double-barrelled surname"),
    (q(last="Brown"), rec(other_names=(("former", "Jack", "Brown"),)), "matches the former name Jack Brown"),
    (q(dob=date(2015, 4, 3)), rec(), "date of birth with day and month swapped"),
    (q(dob=date(2015, 3, 5)), rec(), "date of birth 1 day out"),
    (q(dob=date(2015, 8, 4)), rec(), "date of birth differs by one digit in the month"),
    (q(dob=date(2015, 3, 24)), rec(), "date of birth differs by one digit in the day"),
    (q(first="Katie"), rec("Katherine"), "first name is a short or long form (Katie / Katherine)"),
    (q(dob=date(2016, 3, 4), postcode="BR1 3UH"), rec(postcodes=(("BR13UH", True),)), "date of birth a year out"),
    (q(dob=date(2015, 3, 11), postcode="BR1 3UH"), rec(dob=date(2015, 3, 9), postcodes=(("BR13UH", True),)),
     "date of birth 2 days out"),
])
def test_every_kind_of_mistake_is_still_likely_with_a_readable_reason(query, record, reason):  # type: ignore[no-untyped-def]
    scored = score(query, record)
    assert scored.band == "likely", scored
    assert reason in scored.reasons


def test_a_namesake_with_a_clearly_different_date_of_birth_is_never_likely():
    scored = score(q(postcode="BR1 3UH"), rec(dob=date(2011, 9, 23), postcodes=(("BR13UH", True),)))
    assert scored.band != "likely"
    assert "date of birth differs" in scored.reasons


def test_a_twin_with_another_first_name_is_not_likely():
    scored = score(q(first="Jack", postcode="BR1 3UH"), rec(first="Emily", postcodes=(("BR13UH", True),)))
    assert scored.band != "likely"
    assert "first name differs" in scored.reasons


@pytest.mark.parametrize("field", ["nhs_number", "upn"])
def test_an_nhs_number_or_upn_match_is_decisive(field):  # type: ignore[no-untyped-def]
    value = "9434765919" if field == "nhs_number" else "A305000000012"
    scored = score(q(first="Unknown", last="Person", dob=None, **{field: value}),
                   rec(dob=date(2001, 1, 1), **{field: value}))
    assert scored.score == 100 and scored.band == "likely"
    assert scored.reasons[0] == ("NHS number matches" if field == "nhs_number" else "UPN matches")


def test_a_different_nhs_number_keeps_a_candidate_out_of_likely():
    scored = score(q(nhs_number="9434765919"), rec(nhs_number="4010232137"))
    assert scored.band == "possible" and "NHS number differs" in scored.reasons


def test_bands_and_their_edges():
    assert band(85) == "likely" and band(84.9) == "possible" and band(60) == "possible" and band(59.9) is None


def test_dob_variants_hold_the_likely_mistakes():
    variants = dob_variants(DOB)
    for d in (DOB, date(2015, 4, 3), date(2014, 3, 4), date(2016, 3, 4), date(2015, 3, 1), date(2015, 3, 7)):
        assert d in variants
    assert compare_dob(None, rec())[0] == "unknown"


# -- through the service, on the database ------------------------------------------------------

def _add(ctx, actor, first, last, dob=None, **kw):  # type: ignore[no-untyped-def]
    return PeopleService(ctx).create_person(actor, PersonInput(first_name=first, last_name=last,
                                                               date_of_birth=dob, **kw))


@pytest.fixture
def known(ctx, actors):  # type: ignore[no-untyped-def]
    a = actors["practitioner"]
    ids = {
        "jack": _add(ctx, a, "Jack", "Smith", DOB, postcode="BR1 3UH", sex="M"),
        "mohammed": _add(ctx, a, "Muhammad", "Khan", date(2017, 6, 11)),
        "william": _add(ctx, a, "William", "Okafor", date(2012, 1, 5)),
        "zoe": _add(ctx, a, "Zoë", "Smith-Jones", date(2018, 11, 2)),
        "ella": _add(ctx, a, "Ella", "Green", date(2014, 2, 9), aliases=[("Ella", "Thompson")]),
        "nhs": _add(ctx, a, "Kai", "Lewis", date(2010, 5, 5), nhs_number="943 476 5919"),
    }
    for i in range(30):  # others in the way
        _add(ctx, a, ["Jake", "Jackie", "Jack"][i % 3], ["Smith", "Smyth", "Smithson"][i % 3],
             date(2005 + i % 15, 1 + i % 12, 1 + i % 27))
    return ids


@pytest.mark.parametrize(("query", "who"), [
    (q("Jack", "Smith"), "jack"),
    (q("Jack", "Smtih", postcode="br13uh"), "jack"),
    (q("Smith", "Jack"), "jack"),
    (q("Jack", "Smith", date(2015, 4, 3)), "jack"),
    (q("Jack", "Smith", date(2014, 3, 4), postcode="BR1 3UH"), "jack"),
    (q("Mohammed", "Khan", date(2017, 6, 11)), "mohammed"),
    (q("Bill", "Okafor", date(2012, 5, 1)), "william"),
    (q("Zoe", "Jones", date(2018, 11, 2)), "zoe"),
    (q("Ella", "Thompson", date(2014, 2, 9)), "ella"),
    (q("Ella", "Tompson", None), "ella"),
    (q("Someone", "Else", None, nhs_number="9434765919"), "nhs"),
])
def test_the_known_child_is_found_first_and_likely(ctx, actors, known, query, who):  # type: ignore[no-untyped-def]
    found = PeopleService(ctx).search(actors["practitioner"], query)
    assert found and found[0].person_id == known[who], found
    if query.date_of_birth or query.nhs_number:
        assert found[0].band == "likely"


def test_a_person_who_is_not_there_gets_no_likely_answer(ctx, actors, known):  # type: ignore[no-untyped-def]
    found = PeopleService(ctx).search(actors["practitioner"], q("Jack", "Smith", date(2009, 10, 20)))
    assert all(m.band != "likely" for m in found)
    assert PeopleService(ctx).search(actors["practitioner"], q("Xanthe", "Quirke", date(2013, 7, 7))) == []


def test_merged_people_are_never_candidates(ctx, actors, known):  # type: ignore[no-untyped-def]
    dup = _add(ctx, actors["practitioner"], "Jack", "Smith", DOB)
    service = PeopleService(ctx)
    assert dup in [m.person_id for m in service.search(actors["practitioner"], q())]
    service.merge(actors["manager"], known["jack"], dup)
    ids = [m.person_id for m in service.search(actors["practitioner"], q())]
    assert dup not in ids and ids[0] == known["jack"]


def test_search_shows_history_at_a_glance(ctx, actors, known):  # type: ignore[no-untyped-def]
    with ctx.session_factory.begin() as s:
        s.execute(text("UPDATE people SET cp_plan_current = :t, warning = 'Dog at the address' WHERE id = :i"),
                  {"t": True, "i": known["jack"]})
    (top, *_) = PeopleService(ctx).search(actors["practitioner"], q())
    assert top.flags == ("child protection plan", "warning: Dog at the address")
    assert (top.contacts_12m, top.referrals_12m, top.postcode) == (0, 0, "BR1 3UH")


def test_match_is_audited_and_search_needs_permission(ctx, actors, known):  # type: ignore[no-untyped-def]
    from db.models import AuditEvent
    from sqlalchemy import select

    PeopleService(ctx).match(actors["admin"], q())
    with ctx.session_factory() as s:
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.action == "person.match" and event.username == "test.admin"
    assert event.detail["found"][0] == known["jack"]
    with pytest.raises(PermissionDenied):
        PeopleService(ctx).history(actors["admin"], known["jack"])
