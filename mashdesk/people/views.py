"""What the people service hands back: immutable display objects, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from mashdesk.people.details import PersonDetails


@dataclass(frozen=True)
class PersonMatch:
    """A candidate of the known-child search, with its history at a glance."""

    person_id: int
    external_id: str | None
    name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    postcode: str | None
    score: float
    band: str
    reasons: tuple[str, ...]
    contacts_12m: int
    referrals_12m: int
    flags: tuple[str, ...]
    #: A restricted person shown to someone who may not open them: the name only.
    masked: bool = False


@dataclass(frozen=True)
class ContactSummary:
    contact_id: int
    reference: str
    received_at: datetime
    role: str
    outcome: str | None
    referral: bool


@dataclass(frozen=True)
class MergeSummary:
    merge_id: int
    survivor_id: int
    merged_id: int
    merged_at: datetime
    merged_by: str
    undone_at: datetime | None


@dataclass(frozen=True)
class PersonHistory:
    """A person's record and what the MASH knows of them, as a practitioner reads it."""

    person_id: int
    version: int
    external_id: str | None
    first_name: str
    last_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    nhs_number: str | None
    upn: str | None
    address: str | None
    other_names: tuple[str, ...]
    open_case: bool
    cp_plan_current: bool
    cp_plan_previous: bool
    warning: str | None
    contacts_12m: int
    referrals_12m: int
    #: Every contact the person is in, newest first.
    contacts: tuple[ContactSummary, ...]
    merged_into_id: int | None
    merges: tuple[MergeSummary, ...]
    flags: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class OtherName:
    """An alias, former or preferred name, and from when it was used."""

    name_id: int
    kind: str
    first_name: str
    last_name: str
    from_date: date | None


@dataclass(frozen=True)
class AddressLine:
    link_id: int
    one_line: str
    postcode: str | None
    from_date: date | None
    to_date: date | None
    current: bool


@dataclass(frozen=True)
class RelationshipLine:
    """How the person stands to another, read from the person's side ("mother of Jack Smith")."""

    relationship_id: int
    other_id: int
    other_name: str
    kind: str
    #: True when the person shown is the ``kind`` (the mother); False when the other person is.
    person_is_kind: bool
    parental_responsibility: bool

    @property
    def text(self) -> str:
        pr = " (parental responsibility)" if self.parental_responsibility else ""
        if self.person_is_kind:
            return f"{self.kind} of {self.other_name}{pr}"
        return f"{self.other_name} is their {self.kind}{pr}"


@dataclass(frozen=True)
class HouseholdLine:
    household_id: int
    label: str
    address: str | None
    role: str
    from_date: date | None
    to_date: date | None
    #: The others living there now, "First Last (role)".
    members: tuple[str, ...]


@dataclass(frozen=True)
class ChangeEntry:
    """One audited change to a person: who, when, and each detail's old and new value."""

    at: datetime
    who: str
    summary: str
    #: (detail as people name it, before, after).
    changes: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class PersonRecord:
    """Everything the Person page shows and edits."""

    person_id: int
    version: int
    details: PersonDetails
    names: tuple[OtherName, ...]
    addresses: tuple[AddressLine, ...]
    relationships: tuple[RelationshipLine, ...]
    households: tuple[HouseholdLine, ...]
    history: tuple[ChangeEntry, ...]
    restricted: bool
    restricted_reason: str | None
    merged_into_id: int | None

    @property
    def name(self) -> str:
        return f"{self.details.first_name} {self.details.last_name}"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


__all__ = ["AddressLine", "ChangeEntry", "ContactSummary", "HouseholdLine", "ImportResult", "MergeSummary",
           "OtherName", "PersonHistory", "PersonMatch", "PersonRecord", "RelationshipLine"]
