"""Namesakes kept apart: "likely" needs the name and the date of birth, or a strong identifier."""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mashdesk.people.scoring import CandidateRecord, MatchQuery, compare_first, nickname_forms, score

DOB = date(2020, 6, 14)


def rec(first: str = "Lily", last: str = "Morgan", dob: date | None = DOB, **kw) -> CandidateRecord:  # type: ignore[no-untyped-def]
    return CandidateRecord(person_id=kw.pop("person_id", 1), external_id=None, first_name=first, last_name=last,
                           date_of_birth=dob, **kw)


def q(first: str = "Lily", last: str = "Morgan", dob: date | None = DOB, **kw) -> MatchQuery:  # type: ignore[no-untyped-def]
    return MatchQuery(first_name=first, last_name=last, date_of_birth=dob, **kw)


@pytest.mark.parametrize(("years", "shown"), [(2, "2 years"), (3, "3 years"), (9, "9 years")])
def test_a_namesake_born_on_the_same_day_in_another_year_is_at_most_possible(years, shown):  # type: ignore[no-untyped-def]
    scored = score(q(dob=DOB.replace(year=DOB.year + years)), rec())
    assert scored.band == "possible", scored
    assert f"date of birth year differs by {shown}" in scored.reasons
    assert "date of birth differs by one digit" not in " ".join(scored.reasons)


def test_the_same_address_does_not_make_a_namesake_born_years_apart_likely():
    scored = score(q(dob=date(2023, 6, 14), postcode="BR1 3UH"), rec(postcodes=(("BR13UH", True),)))
    assert scored.band == "possible"


@pytest.mark.parametrize("field", ["nhs_number", "upn"])
def test_an_agreeing_identifier_makes_a_year_apart_record_likely(field):  # type: ignore[no-untyped-def]
    value = "9434765919" if field == "nhs_number" else "A305000000012"
    scored = score(q(dob=date(2023, 6, 14), **{field: value}), rec(**{field: value}))
    assert scored.band == "likely"


@pytest.mark.parametrize("dob", [date(2020, 6, 14), date(2020, 6, 15), date(2020, 6, 13), date(2020, 6, 24),
                                 date(2020, 8, 14)])
def test_differences_that_keep_a_candidate_likely(dob):  # type: ignore[no-untyped-def]
    assert score(q(dob=dob), rec()).band == "likely"


def test_a_day_and_month_swap_keeps_a_candidate_likely():
    assert score(q(dob=date(2020, 3, 4)), rec(dob=date(2020, 4, 3))).band == "likely"


@pytest.mark.parametrize(("dob", "recorded"), [(None, DOB), (date(2021, 6, 14), DOB),
                                               (date(2020, 7, 1), date(2020, 6, 29))])
def test_the_name_alone_or_with_a_soft_date_is_never_likely(dob, recorded):  # type: ignore[no-untyped-def]
    assert score(q(dob=dob), rec(dob=recorded)).band == "possible"


def test_a_year_out_with_the_same_address_is_likely():
    assert score(q(dob=date(2021, 6, 14), postcode="BR1 3UH"), rec(postcodes=(("BR13UH", True),))).band == "likely"


def test_twins_and_siblings_are_not_likely():
    twin = score(q(first="Lily", postcode="BR1 3UH"), rec(first="Ruby", postcodes=(("BR13UH", True),)))
    sibling = score(q(first="Lily", dob=date(2018, 2, 1), postcode="BR1 3UH"),
                    rec(first="Oscar", postcodes=(("BR13UH", True),)))
    assert twin.band != "likely" and sibling.band is None


@pytest.mark.parametrize(("short", "full"), [("Katie", "Katherine"), ("Alfie", "Alfred"), ("Jack", "John"),
                                             ("Maddie", "Madison"), ("Evie", "Evelyn"), ("Millie", "Amelia")])
def test_nicknames_are_found_both_ways(short, full):  # type: ignore[no-untyped-def]
    for a, b in ((short, full), (full, short)):
        assert b.lower() in nickname_forms(a.lower())
        assert compare_first(a.lower(), b.lower()).sim > 0
        assert score(q(first=a), rec(first=b)).band == "likely"


names_ = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=10).map(str.title)
dobs = st.dates(min_value=date(1990, 1, 1), max_value=date(2025, 12, 31))
postcodes = st.sampled_from(["BR1 3UH", "SE6 4TT", "BR5 1AA"])


@settings(max_examples=300, deadline=None)
@given(first=names_, last=names_, dob=st.one_of(st.none(), dobs), postcode=st.one_of(st.none(), postcodes))
def test_swapping_first_and_last_names_never_lowers_the_true_person_below_possible(first, last, dob, postcode):  # type: ignore[no-untyped-def]
    record = rec(first, last, dob, postcodes=(("BR13UH", True),))
    assert score(q(last, first, dob, postcode=postcode), record).band is not None


@settings(max_examples=300, deadline=None)
@given(first=names_, last=names_, qfirst=names_, qdob=st.one_of(st.none(), dobs), dob=dobs,
       shift=st.integers(-800, 800), identifier=st.sampled_from(["nhs_number", "upn", "postcode"]))
def test_adding_an_agreeing_identifier_never_lowers_a_score(first, last, qfirst, qdob, dob, shift, identifier):  # type: ignore[no-untyped-def]
    values = {"nhs_number": "9434765919", "upn": "A305000000012", "postcode": "BR1 3UH"}
    record = rec(first, last, dob, nhs_number="9434765919", upn="A305000000012", postcodes=(("BR13UH", True),))
    query_dob = qdob
    if qdob is not None and date(1991, 1, 1) < qdob < date(2024, 1, 1):
        query_dob = qdob + timedelta(days=shift)
    without = score(q(qfirst, last, query_dob), record)
    with_it = score(q(qfirst, last, query_dob, **{identifier: values[identifier]}), record)
    assert with_it.score >= without.score


def test_katie_finds_katherine_first_and_likely_among_other_smiths(ctx, actors):  # type: ignore[no-untyped-def]
    from mashdesk.people.service import PeopleService, PersonInput

    people, who = PeopleService(ctx), actors["practitioner"]
    kath = people.create_person(who, PersonInput("Katherine", "Smith", date(2017, 9, 12), sex="F"))
    for first, born in (("Kayleigh", date(2017, 9, 2)), ("Kate", date(2012, 9, 12)), ("Karen", date(2017, 1, 9))):
        people.create_person(who, PersonInput(first, "Smith", born, sex="F"))
    found = people.search(who, MatchQuery("Katie", "Smith", date(2017, 9, 12)))
    assert found[0].person_id == kath and found[0].band == "likely"
    assert "first name is a short or long form (Katie / Katherine)" in found[0].reasons
    assert all(m.band != "likely" for m in found[1:])
