"""What the people service hands back: immutable display objects, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


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
    #: The Atlas team's markers as the reader may see them ("Atlas: CCE, high").
    atlas: tuple[str, ...] = ()


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
class ImportResult:
    created: int
    updated: int


__all__ = ["ContactSummary", "ImportResult", "MergeSummary", "PersonHistory", "PersonMatch"]
