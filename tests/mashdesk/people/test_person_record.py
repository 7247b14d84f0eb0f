"""The person record: every field validated naming the field, each save audited with its history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mashdesk.errors import InputError, StaleEditError
from mashdesk.people.details import PersonDetails, check_details
from mashdesk.people.record import AddressInput, PersonRecordService
from mashdesk.people.service import PeopleService, PersonInput
from mashdesk.validators import upn_check_letter

TODAY = date(2026, 11, 2)
UPN = upn_check_letter("305000000012") + "305000000012"
FORMER_UPN = upn_check_letter("305111111112") + "305111111112"
BASE = PersonDetails(first_name="Lily", last_name="Morgan", date_of_birth=date(2019, 5, 3), sex="F")


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"first_name": "  "}, "first_name", "first name: required"),
    ({"last_name": ""}, "last_name", "last name: required"),
    ({"first_name": "x" * 81}, "first_name", "first name: at most 80 characters"),
    ({"middle_names": "x" * 121}, "middle_names", "middle names: at most 120 characters"),
    ({"date_of_birth": date(2027, 1, 1)}, "date_of_birth", "date of birth: cannot be in the future"),
    ({"date_of_birth": date(1899, 1, 1)}, "date_of_birth", "date of birth: not before"),
    ({"expected_date_of_birth": date(2026, 12, 1)}, "date_of_birth", "not both"),
    ({"date_of_birth": None, "expected_date_of_birth": date(2028, 1, 1)}, "expected_date_of_birth",
     "expected date of birth: within the next 10 months"),
    ({"sex": "X"}, "sex", "sex: M, F or U"),
    ({"ethnicity": "ZZZZ"}, "ethnicity", "ethnicity: choose from the list"),
    ({"interpreter_needed": True}, "interpreter_needed", "interpreter needed: give the first language too"),
    ({"first_language": "x" * 41}, "first_language", "first language: at most 40 characters"),
    ({"religion": "Jedi"}, "religion", "religion: choose from the list"),
    ({"disability_codes": ("MOB", "WINGS")}, "disability_codes", "disability: 'WINGS' is not a CIN disability"),
    ({"immigration_status": "Alien"}, "immigration_status", "immigration status: choose from the list"),
    ({"nhs_number": "943 476 5918"}, "nhs_number", "NHS number: not a valid NHS number (the check digit"),
    ({"nhs_number": "12345"}, "nhs_number", "NHS number: an NHS number has 10 digits"),
    ({"upn": "A305000000012"}, "upn", "UPN: not a valid UPN (the check letter is wrong)"),
    ({"upn": "305"}, "upn", "UPN: a UPN is a letter and 12 characters"),
    ({"former_upn": "B305000000012"}, "former_upn", "former UPN: not a valid UPN"),
    ({"upn": UPN, "former_upn": UPN}, "former_upn", "former UPN: the same as the UPN"),
    ({"upn_unknown": "UN9"}, "upn_unknown", "UPN not known: choose from the list"),
    ({"upn": UPN, "upn_unknown": "UN1"}, "upn_unknown", "UPN not known: the child has a UPN"),
    ({"school": "Hogwarts"}, "school", "school: choose from the list"),
    ({"gp": "x" * 121}, "gp", "GP practice: at most 120 characters"),
])
def test_every_field_is_validated_with_a_message_naming_it(change, field, message):  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        check_details(replace(BASE, **change), TODAY)
    assert caught.value.field == field
    assert message in str(caught.value)


def test_good_details_come_back_in_their_stored_form():
    checked = check_details(replace(BASE, nhs_number="943 476 5919", upn=UPN.lower(), disability_codes=("mob", "LD"),
                                    first_language="Polish", interpreter_needed=True, religion="Christian",
                                    ethnicity="WOTH", school="Hayes Primary School", former_upn=FORMER_UPN),
                            TODAY)
    assert checked.nhs_number == "9434765919" and checked.upn == UPN
    assert checked.disability_codes == ("MOB", "LD") and checked.interpreter_needed


@pytest.fixture
def person(ctx, actors):  # type: ignore[no-untyped-def]
    return PeopleService(ctx).create_person(actors["practitioner"], PersonInput(
        first_name="Lily", last_name="Morgan", date_of_birth=date(2019, 5, 3), sex="F", postcode="BR1 3UH",
        address_line1="1 High Street", town="Bromley"))


def test_a_save_records_every_detail_and_the_history_names_who_changed_what(ctx, actors, person):  # type: ignore[no-untyped-def]
    service = PersonRecordService(ctx)
    who = actors["practitioner"]
    record = service.open(who, person)
    details = replace(record.details, religion="Muslim", ethnicity="BAFR", first_language="Somali",
                      interpreter_needed=True, disability_codes=("COMM",), immigration_status="Refugee status",
                      nhs_number="9434765919", upn=UPN, former_upn=FORMER_UPN, school="Red Hill Primary",
                      gp="Elm House Surgery", middle_names="Rose")
    version = service.save_details(who, person, record.version, details)
    again = service.open(actors["manager"], person)
    assert again.version == version > record.version
    assert again.details == check_details(details, TODAY)
    latest = again.history[0]
    assert latest.who == f"Test Practitioner ({who.username})"
    assert ("religion", "—", "Muslim") in latest.changes and ("UPN", "—", UPN) in latest.changes
    assert ("disability", "—", "COMM") in latest.changes


def test_names_addresses_and_relationships_are_each_an_audited_change(ctx, actors, person):  # type: ignore[no-untyped-def]
    service, who = PersonRecordService(ctx), actors["practitioner"]
    mother = PeopleService(ctx).create_person(who, PersonInput(first_name="Dawn", last_name="Morgan",
                                                               date_of_birth=date(1990, 2, 2), sex="F"))
    v = service.open(who, person).version
    v = service.add_name(who, person, v, "former", "Lily", "Price", date(2019, 5, 3))
    v = service.move_to(who, person, v, AddressInput("2 Low Road", "Bromley", "br2 9aa", date(2025, 6, 1)))
    v = service.add_relationship(who, person, v, mother, "mother", parental_responsibility=True)
    record = service.open(who, person)
    assert record.version == v
    assert [(n.kind, n.last_name, n.from_date) for n in record.names] == [("former", "Price", date(2019, 5, 3))]
    assert record.addresses[0].current and record.addresses[0].postcode == "BR2 9AA"
    assert record.addresses[1].to_date == date(2025, 6, 1) and not record.addresses[1].current
    assert record.relationships[0].text == "Dawn Morgan is their mother (parental responsibility)"
    summaries = [h.summary for h in record.history]
    assert summaries[:3] == ["recorded Dawn Morgan as mother with parental responsibility",
                             "moved to 2 Low Road, Bromley, BR2 9AA from 01/06/2025",
                             "added the former name Lily Price from 03/05/2019"]
    # The former name is searched like the main one.
    from mashdesk.people.scoring import MatchQuery
    found = PeopleService(ctx).search(who, MatchQuery("Lily", "Price", date(2019, 5, 3)))
    assert found[0].person_id == person


def test_a_save_over_someone_elses_change_is_refused_naming_them(ctx, actors, person):  # type: ignore[no-untyped-def]
    service = PersonRecordService(ctx)
    record = service.open(actors["practitioner"], person)
    service.save_details(actors["manager"], person, record.version, replace(record.details, religion="Christian"))
    with pytest.raises(StaleEditError, match="Test Manager"):
        service.save_details(actors["practitioner"], person, record.version, replace(record.details, gp="X"))
    assert service.open(actors["practitioner"], person).details.gp is None


def test_an_invalid_save_writes_nothing(ctx, actors, person):  # type: ignore[no-untyped-def]
    service = PersonRecordService(ctx)
    record = service.open(actors["practitioner"], person)
    with pytest.raises(InputError, match="NHS number"):
        service.save_details(actors["practitioner"], person, record.version, replace(record.details, nhs_number="1"))
    assert service.open(actors["practitioner"], person).version == record.version


def test_joining_and_leaving_a_household_is_dated_and_in_the_history(ctx, actors, person, clock):  # type: ignore[no-untyped-def]
    service, who = PersonRecordService(ctx), actors["practitioner"]
    carer = PeopleService(ctx).create_person(who, PersonInput(first_name="Gail", last_name="Price",
                                                              date_of_birth=date(1970, 2, 2), sex="F"))
    v = service.join_household(who, person, service.open(who, person).version, carer, "child")
    household = service.open(who, person).households[0]
    assert household.members == ("Gail Price (parent)",) and household.to_date is None
    assert household.from_date == clock().date()
    with pytest.raises(InputError, match="household role"):
        service.join_household(who, person, v, carer, "lodger")
    service.leave_household(who, person, v, household.household_id)
    record = service.open(who, person)
    assert record.households[0].to_date == clock().date()
    assert [h.summary for h in record.history[:2]] == [f"left household {household.household_id}",
                                                        "joined the household of Gail Price as child"]
