"""People: adding them with their search keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from db.models import Address, Person, PersonAddress, PersonName
from mashdesk import names
from mashdesk.errors import InputError


@dataclass
class PersonInput:
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = "U"
    ethnicity: str | None = None
    first_language: str | None = None
    religion: str | None = None
    disabled: bool = False
    nhs_number: str | None = None
    upn: str | None = None
    school: str | None = None
    gp: str | None = None
    postcode: str | None = None
    address_line1: str | None = None
    town: str | None = None
    aliases: list[tuple[str, str]] = field(default_factory=list)


def validate_person(data: PersonInput, today: date) -> None:
    if not data.first_name.strip():
        raise InputError("first name: required (use 'Unborn' for an unborn baby)", "first_name")
    if not data.last_name.strip():
        raise InputError("last name: required", "last_name")
    if data.date_of_birth and data.expected_date_of_birth:
        raise InputError("date of birth: give a date of birth or an expected date of birth, not both",
                         "date_of_birth")
    if data.date_of_birth and data.date_of_birth > today:
        raise InputError("date of birth: cannot be in the future", "date_of_birth")
    if data.sex not in ("M", "F", "U"):
        raise InputError("sex: M, F or U", "sex")


def postcode_key(postcode: str | None) -> str | None:
    return "".join((postcode or "").upper().split()) or None


def add_person(session: Session, data: PersonInput, user_id: int | None, now: datetime) -> Person:
    """Add a person (and their aliases and address) with the search keys filled in."""
    validate_person(data, now.date())
    person = Person(
        first_name=data.first_name.strip(), last_name=data.last_name.strip(),
        date_of_birth=data.date_of_birth, expected_date_of_birth=data.expected_date_of_birth,
        sex=data.sex, ethnicity=data.ethnicity, first_language=data.first_language,
        religion=data.religion, disabled=data.disabled, nhs_number=data.nhs_number, upn=data.upn,
        school=data.school, gp=data.gp, updated_by_id=user_id,
        **names.keys(data.first_name, data.last_name),
    )
    person.names = [PersonName(kind="alias", first_name=f, last_name=last, **names.keys(f, last))
                    for f, last in data.aliases]
    if data.postcode or data.address_line1:
        address = Address(line1=data.address_line1 or "", town=data.town or "", postcode=data.postcode,
                          postcode_key=postcode_key(data.postcode))
        person.addresses = [PersonAddress(address=address, current=True)]
    session.add(person)
    return person
