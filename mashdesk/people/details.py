"""A person's details as the Person page edits them: the code lists, and the checks of every field.

The lists (CIN ethnicity and disability codes, religions, languages, immigration statuses,
the reasons a UPN is not known, relationships, the borough's schools) are read from
``resources/config/person_details.toml``. :func:`check_details` refuses a wrong field with
a message that names it, and returns the details in their stored form.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from mashdesk import validators
from mashdesk.errors import InputError

_DEFAULT_FILE = "person_details.toml"


@dataclass(frozen=True)
class PersonCodes:
    """The lists a person's record is filled from; coded lists map code → label."""

    ethnicity: dict[str, str]
    religions: tuple[str, ...]
    languages: tuple[str, ...]
    disability: dict[str, str]
    immigration: tuple[str, ...]
    upn_unknown: dict[str, str]
    relationships: tuple[str, ...]
    schools: tuple[str, ...]


def load_codes(path: Path | None = None) -> PersonCodes:
    """Read the lists (default: the packaged ``person_details.toml``)."""
    if path is None:
        return _default_codes()
    return _parse(tomllib.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _default_codes() -> PersonCodes:
    raw = resources.files("resources.config").joinpath(_DEFAULT_FILE).read_text(encoding="utf-8")
    return _parse(tomllib.loads(raw))


def _parse(data: dict[str, Any]) -> PersonCodes:
    return PersonCodes(
        ethnicity=dict(data["ethnicity"]), religions=tuple(data["religion"]["values"]),
        languages=tuple(data["languages"]["values"]), disability=dict(data["disability"]),
        immigration=tuple(data["immigration"]["values"]), upn_unknown=dict(data["upn_unknown"]),
        relationships=tuple(data["relationships"]["values"]), schools=tuple(data["schools"]["values"]))


@dataclass(frozen=True)
class PersonDetails:
    """Every detail of a person that one save of the Person page records."""

    first_name: str
    last_name: str
    middle_names: str | None = None
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = "U"
    ethnicity: str | None = None
    first_language: str | None = None
    interpreter_needed: bool = False
    religion: str | None = None
    disability_codes: tuple[str, ...] = ()
    immigration_status: str | None = None
    nhs_number: str | None = None
    upn: str | None = None
    former_upn: str | None = None
    upn_unknown: str | None = None
    school: str | None = None
    gp: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The details as stored, dates as ISO text (for the audit trail and drafts)."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, date):
                out[key] = value.isoformat()
            elif isinstance(value, tuple):
                out[key] = " ".join(value) or None
        return out


#: How each detail is named to people, in messages and in the history.
LABELS: dict[str, str] = {
    "first_name": "first name", "last_name": "last name", "middle_names": "middle names",
    "date_of_birth": "date of birth", "expected_date_of_birth": "expected date of birth", "sex": "sex",
    "ethnicity": "ethnicity", "first_language": "first language", "interpreter_needed": "interpreter needed",
    "religion": "religion", "disability_codes": "disability", "immigration_status": "immigration status",
    "nhs_number": "NHS number", "upn": "UPN", "former_upn": "former UPN", "upn_unknown": "UPN not known",
    "school": "school", "gp": "GP practice",
}
DETAIL_FIELDS = tuple(f.name for f in fields(PersonDetails))
#: The oldest date of birth the desk accepts (a typing slip is far likelier than an older person).
OLDEST = date(1900, 1, 1)
#: How far ahead an expected date of birth may be.
LONGEST_PREGNANCY = timedelta(days=300)


def _text(value: str | None, field: str, limit: int) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise InputError(f"{LABELS[field]}: at most {limit} characters", field)
    return text or None


def _one_of(value: str | None, allowed: tuple[str, ...] | dict[str, str], field: str) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise InputError(f"{LABELS[field]}: choose from the list ({value!r} is not on it)", field)
    return value


def checked(value: str | None, check: Any, label: str, field: str) -> str | None:
    """``value`` through a validator (``None`` when empty); its ``ValueError`` becomes an :class:`InputError`."""
    if value is None or not value.strip():
        return None
    try:
        return str(check(value))
    except ValueError as exc:
        raise InputError(f"{label}: {exc}", field) from None


def _identifier(value: str | None, check: Any, field: str) -> str | None:
    return checked(value, check, LABELS[field], field)


def check_details(d: PersonDetails, today: date, codes: PersonCodes | None = None) -> PersonDetails:
    """The details in their stored form; :class:`InputError` names the first field that is wrong."""
    codes = codes or load_codes()
    first = _text(d.first_name, "first_name", 80)
    if not first:
        raise InputError("first name: required (use 'Unborn' for an unborn baby)", "first_name")
    last = _text(d.last_name, "last_name", 80)
    if not last:
        raise InputError("last name: required", "last_name")
    if d.date_of_birth and d.expected_date_of_birth:
        raise InputError("date of birth: give a date of birth or an expected date of birth, not both",
                         "date_of_birth")
    if d.date_of_birth and d.date_of_birth > today:
        raise InputError("date of birth: cannot be in the future", "date_of_birth")
    if d.date_of_birth and d.date_of_birth < OLDEST:
        raise InputError(f"date of birth: not before {OLDEST:%d/%m/%Y}", "date_of_birth")
    edob = d.expected_date_of_birth
    if edob and not today - timedelta(days=60) <= edob <= today + LONGEST_PREGNANCY:
        raise InputError("expected date of birth: within the next 10 months", "expected_date_of_birth")
    if d.sex not in ("M", "F", "U"):
        raise InputError("sex: M, F or U", "sex")
    disability = tuple(dict.fromkeys(c.strip().upper() for c in d.disability_codes if c.strip()))
    for code in disability:
        if code not in codes.disability:
            raise InputError(f"disability: {code!r} is not a CIN disability code", "disability_codes")
    upn = _identifier(d.upn, validators.upn_checked, "upn")
    former_upn = _identifier(d.former_upn, validators.upn_checked, "former_upn")
    if upn and former_upn == upn:
        raise InputError("former UPN: the same as the UPN", "former_upn")
    upn_unknown = _one_of(d.upn_unknown, codes.upn_unknown, "upn_unknown")
    if upn and upn_unknown:
        raise InputError("UPN not known: the child has a UPN; clear one of them", "upn_unknown")
    language = _text(d.first_language, "first_language", 40)
    if d.interpreter_needed and not language:
        raise InputError("interpreter needed: give the first language too", "interpreter_needed")
    return replace(
        d, first_name=first, last_name=last, middle_names=_text(d.middle_names, "middle_names", 120),
        ethnicity=_one_of(d.ethnicity, codes.ethnicity, "ethnicity"), first_language=language,
        interpreter_needed=bool(d.interpreter_needed),
        religion=_one_of(d.religion, codes.religions, "religion"), disability_codes=disability,
        immigration_status=_one_of(d.immigration_status, codes.immigration, "immigration_status"),
        nhs_number=_identifier(d.nhs_number, validators.nhs_number, "nhs_number"), upn=upn,
        former_upn=former_upn, upn_unknown=upn_unknown,
        school=_one_of(d.school, codes.schools, "school"), gp=_text(d.gp, "gp", 120))


def changes(before: PersonDetails, after: PersonDetails) -> dict[str, list[Any]]:
    """The details that differ: field → [before, after], as stored."""
    old, new = before.as_dict(), after.as_dict()
    return {key: [old[key], new[key]] for key in DETAIL_FIELDS if old[key] != new[key]}


__all__ = ["DETAIL_FIELDS", "LABELS", "PersonCodes", "PersonDetails", "changes", "check_details", "checked",
           "load_codes"]
