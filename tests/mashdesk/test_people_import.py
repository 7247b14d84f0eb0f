"""Importing people: all or nothing, bad rows named by line and column, re-import updates."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Person
from mashdesk.errors import InputError, PermissionDenied
from mashdesk.people.scoring import MatchQuery
from mashdesk.people.service import PeopleService

HEADER = "external_id,first_name,last_name,date_of_birth,sex,postcode,nhs_number,aliases\n"
GOOD = (HEADER
        + "P1,Muhammad,Khan,2015-04-03,M,br1 3uh,943 476 5919,Mo Ahmed\n"
        + "P2,Zoë,Smith-Jones,2018-11-02,F,BR2 9AA,,\n"
        + ",Ann,Lee,,,,,Annie Lee;Ann Marie Brown\n")


def _count(ctx) -> int:  # type: ignore[no-untyped-def]
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


def test_import_creates_people_with_keys_aliases_and_addresses(ctx, actors, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = PeopleService(ctx).import_persons(actors["manager"], path)
    assert (result.created, result.updated) == (3, 0)
    with ctx.session_factory() as s:
        khan = s.scalar(select(Person).where(Person.external_id == "P1"))
        assert khan is not None
        assert (khan.nhs_number, khan.key_last, khan.phon_first, khan.sex) == ("9434765919", "khan", "MHMT", "M")
        assert [(n.first_name, n.last_name, n.kind) for n in khan.names] == [("Mo", "Ahmed", "alias")]
        assert khan.addresses[0].address.postcode == "BR1 3UH"
        lee = s.scalar(select(Person).where(Person.first_name == "Ann"))
        assert lee is not None and [(n.first_name, n.last_name) for n in lee.names] == [
            ("Annie", "Lee"), ("Ann Marie", "Brown")]
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None and event.action == "person.import" and event.detail["created"] == 3


@pytest.mark.parametrize(("row", "message"), [
    ("X1,Bob,,2015-01-01,M,,,", "line 3: last_name: a last name is required"),
    ("X1,Bob,Lee,2015-02-30,M,,,", "line 3: date_of_birth: not a real date"),
    ("X1,Bob,Lee,04/03/2015,M,,,", "line 3: date_of_birth: write the date as YYYY-MM-DD"),
    ("X1,Bob,Lee,2030-01-01,M,,,", "line 3: date_of_birth: a date of birth cannot be in the future"),
    ("X1,Bob,Lee,2015-01-01,X,,,", "line 3: sex: M, F or U"),
    ("X1,Bob,Lee,2015-01-01,M,NOT A PC,,", "line 3: postcode: not a UK postcode"),
    ("X1,Bob,Lee,2015-01-01,M,,9434765918,", "line 3: nhs_number: not a valid NHS number"),
    ("X1,Bob,Lee,2015-01-01,M,,,Madonna", "line 3: aliases: 'Madonna' is not a first name and a last name"),
    ("X1,Bob,Lee,2015-01-01,M,,", "line 3: 7 cells where the header has 8"),
    ("P1,Bob,Lee,2015-01-01,M,,,", "line 3: external_id: 'P1' is also on line 2"),
])
def test_a_bad_row_is_named_by_line_and_nothing_is_imported(ctx, actors, row, message):  # type: ignore[no-untyped-def]
    text = HEADER + "P1,Ann,Lee,2015-01-01,F,,,\n" + row + "\n"
    with pytest.raises(InputError) as caught:
        PeopleService(ctx).import_persons(actors["manager"], io.StringIO(text))
    assert str(caught.value).startswith(message)
    assert _count(ctx) == 0


@pytest.mark.parametrize("header", ["external_id,first_name,last_name\n", HEADER.replace("aliases", "nick"), ""])
def test_a_bad_header_is_line_1(ctx, actors, header):  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="^line 1: "):
        PeopleService(ctx).import_persons(actors["manager"], io.StringIO(header))


def test_reimporting_an_external_id_updates_that_person(ctx, actors, clock):  # type: ignore[no-untyped-def]
    service = PeopleService(ctx)
    service.import_persons(actors["manager"], io.StringIO(GOOD))
    again = HEADER + "P1,Mohammed,Khan-Ali,2015-03-04,,BR5 1AB,,Mo Ahmed;Moe Khan\n"
    result = service.import_persons(actors["manager"], io.StringIO(again))
    assert (result.created, result.updated) == (0, 1)
    assert _count(ctx) == 3
    with ctx.session_factory() as s:
        p = s.scalar(select(Person).where(Person.external_id == "P1"))
        assert p is not None
        assert (p.first_name, p.last_name, p.key_last, p.date_of_birth) == (
            "Mohammed", "Khan-Ali", "khan ali", date(2015, 3, 4))
        assert (p.sex, p.nhs_number) == ("M", "9434765919")  # empty cells keep what was recorded
        assert [n.first_name + " " + n.last_name for n in p.names] == ["Mo Ahmed", "Moe Khan"]
        assert [(pa.address.postcode, pa.current) for pa in p.addresses] == [("BR1 3UH", False), ("BR5 1AB", True)]
    found = service.search(actors["practitioner"], MatchQuery("Mohammed", "Khan Ali", date(2015, 3, 4)))
    assert found[0].external_id == "P1"


def test_only_managers_and_administrators_import(ctx, actors):  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        PeopleService(ctx).import_persons(actors["practitioner"], io.StringIO(GOOD))
    assert PeopleService(ctx).import_persons(actors["admin"], io.StringIO(GOOD)).created == 3
