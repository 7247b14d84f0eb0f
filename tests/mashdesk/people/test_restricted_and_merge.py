"""Restricted people seen as each role, and a merge and unmerge that restores both records exactly."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import inspect, select

from db.models import AuditEvent, Person, PersonAddress, PersonName
from mashdesk.errors import InputError, PermissionDenied
from mashdesk.people.record import AddressInput, PersonRecordService
from mashdesk.people.restriction import RESTRICTED_NOTE, RestrictedRecord
from mashdesk.people.scoring import MatchQuery
from mashdesk.people.service import PeopleService, PersonInput
from mashdesk.permissions import ROLES
from mashdesk.validators import upn_check_letter


@pytest.fixture
def restricted(ctx, actors):  # type: ignore[no-untyped-def]
    people, record = PeopleService(ctx), PersonRecordService(ctx)
    pid = people.create_person(actors["practitioner"], PersonInput(
        first_name="Poppy", last_name="Hargreaves", date_of_birth=date(2018, 7, 9), sex="F", postcode="BR1 3UH",
        nhs_number="9434765919"))
    version = record.open(actors["manager"], pid).version
    record.set_restricted(actors["manager"], pid, version, True, "Uncle works in children's services")
    return pid


def _attempts(ctx, pid):  # type: ignore[no-untyped-def]
    with ctx.session_factory() as s:
        return list(s.execute(select(AuditEvent.username, AuditEvent.summary).where(
            AuditEvent.entity == "person", AuditEvent.entity_id == pid, AuditEvent.action == "person.read",
            AuditEvent.summary.contains("restricted record"))))


@pytest.mark.parametrize("role", sorted(r for r in ROLES if r != "admin"))
def test_a_restricted_person_shows_the_name_only_and_every_attempt_to_open_is_audited(ctx, actors, restricted,
                                                                                     role):  # type: ignore[no-untyped-def]
    who = actors[role]
    found = PeopleService(ctx).search(who, MatchQuery("Poppy", "Hargreaves", date(2018, 7, 9)))
    assert found[0].person_id == restricted and found[0].name == "Poppy Hargreaves"
    if role == "manager":
        assert found[0].date_of_birth == date(2018, 7, 9) and RESTRICTED_NOTE not in found[0].reasons
        assert PersonRecordService(ctx).open(who, restricted).restricted
        assert PeopleService(ctx).history(who, restricted).person_id == restricted
        assert _attempts(ctx, restricted) == [("test.manager", "opened the restricted record")] * 2
        return
    hit = found[0]
    assert (hit.date_of_birth, hit.postcode, hit.external_id, hit.contacts_12m) == (None, None, None, 0)
    assert hit.reasons == (RESTRICTED_NOTE,) and hit.flags == (RESTRICTED_NOTE,)
    for open_it in (PersonRecordService(ctx).open, PeopleService(ctx).history):
        with pytest.raises(PermissionDenied) as refused:
            open_it(who, restricted)
        assert RESTRICTED_NOTE in str(refused.value)
    assert _attempts(ctx, restricted) == [
        (who.username, "tried to open the restricted record and was refused")] * 2


def test_the_administrator_may_search_but_never_opens_a_restricted_person(ctx, actors, restricted):  # type: ignore[no-untyped-def]
    found = PeopleService(ctx).search(actors["admin"], MatchQuery("Poppy", "Hargreaves"))
    assert found[0].reasons == (RESTRICTED_NOTE,)
    with pytest.raises(PermissionDenied):
        PersonRecordService(ctx).open(actors["admin"], restricted)


def test_only_a_manager_restricts_and_a_reason_is_required(ctx, actors, restricted):  # type: ignore[no-untyped-def]
    service = PersonRecordService(ctx)
    version = service.open(actors["manager"], restricted).version
    with pytest.raises(PermissionDenied):
        service.set_restricted(actors["practitioner"], restricted, version, False)
    with pytest.raises(RestrictedRecord):
        service.save_details(actors["practitioner"], restricted, version,
                             service.open(actors["manager"], restricted).details)
    version = service.set_restricted(actors["manager"], restricted, version + 0, False)
    assert not service.open(actors["practitioner"], restricted).restricted
    with pytest.raises(InputError, match="restriction reason: required"):
        service.set_restricted(actors["manager"], restricted, version, True, "  ")


# -- merge and unmerge ---------------------------------------------------------------------------------

_SKIP = {"version", "updated_at", "updated_by_id"}


def _snapshot(ctx, pid):  # type: ignore[no-untyped-def]
    with ctx.session_factory() as s:
        p = s.get(Person, pid)
        columns = {c.key: getattr(p, c.key) for c in inspect(Person).column_attrs if c.key not in _SKIP}
        names = sorted((n.kind, n.first_name, n.last_name, n.from_date) for n in
                       s.scalars(select(PersonName).where(PersonName.person_id == pid)))
        addresses = sorted((pa.address_id, pa.current, pa.from_date, pa.to_date) for pa in
                           s.scalars(select(PersonAddress).where(PersonAddress.person_id == pid)))
        return columns, names, addresses


def test_a_merge_and_unmerge_round_trip_restores_both_records_field_by_field(ctx, actors):  # type: ignore[no-untyped-def]
    people, record = PeopleService(ctx), PersonRecordService(ctx)
    who, manager = actors["practitioner"], actors["manager"]
    a = people.create_person(who, PersonInput("Ruby", "Okafor", date(2016, 2, 1), sex="F", postcode="BR1 3UH"))
    b = people.create_person(who, PersonInput("Rubi", "Okafor", date(2016, 1, 2), sex="F", postcode="SE6 4TT",
                                              nhs_number="9434765919"))
    details = record.open(who, b).details
    upn = upn_check_letter("305000000012") + "305000000012"
    v = record.save_details(who, b, record.open(who, b).version, replace(
        details, religion="Christian", ethnicity="BAFR", first_language="Yoruba", interpreter_needed=True,
        disability_codes=("HEAR",), immigration_status="Refugee status", upn=upn, school="Red Hill Primary",
        gp="Elm House Surgery", middle_names="Ada"))
    v = record.add_name(who, b, v, "alias", "Ruby", "Adeyemi", date(2020, 1, 1))
    record.move_to(who, b, v, AddressInput("4 Elm Road", "Catford", "SE6 4TU", date(2024, 3, 1)))
    before = {pid: _snapshot(ctx, pid) for pid in (a, b)}
    merge_id = people.merge(manager, a, b)
    merged = _snapshot(ctx, a)[0]
    assert merged["religion"] == "Christian" and merged["upn"] == upn and merged["interpreter_needed"]
    people.unmerge(manager, merge_id)
    after = {pid: _snapshot(ctx, pid) for pid in (a, b)}
    for pid in (a, b):
        for part, was, now in zip(("columns", "names", "addresses"), before[pid], after[pid], strict=True):
            if part == "columns":
                for key in was:
                    assert now[key] == was[key], (pid, key)
            else:
                assert now == was, (pid, part)


def test_a_merge_of_dates_of_birth_over_a_year_apart_needs_a_reason(ctx, actors):  # type: ignore[no-untyped-def]
    people = PeopleService(ctx)
    a = people.create_person(actors["practitioner"], PersonInput("Sam", "Hill", date(2014, 5, 5)))
    b = people.create_person(actors["practitioner"], PersonInput("Sam", "Hill", date(2016, 5, 5)))
    with pytest.raises(InputError, match="merge reason: the dates of birth are 731 days apart") as refused:
        people.merge(actors["manager"], a, b)
    assert refused.value.field == "reason"
    merge_id = people.merge(actors["manager"], a, b, reason="Birth certificate seen: 2014 was a typing slip")
    with ctx.session_factory() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity == "person_merge",
                                                   AuditEvent.entity_id == merge_id)).one()
        assert event.detail["reason"].startswith("Birth certificate seen")
