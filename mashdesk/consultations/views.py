"""What the consultation service hands the window: immutable, no ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class ConsultationInput:
    at: datetime
    caller_name: str
    question: str
    advice: str
    outcome: str
    minutes: int
    caller_role: str = ""
    organisation: str = ""
    from_school: bool = False
    phone: str = ""
    #: Children named and found through the known-child search.
    child_ids: tuple[int, ...] = ()
    #: Children named but not linked (or "anonymous"), as the caller described them.
    child_summary: str = ""
    signposted_to: str = ""


@dataclass(frozen=True)
class ConsultationQuery:
    #: The day the list is about, and whether it covers that day only or its week (Monday to Sunday).
    day: date
    week: bool = False
    school: str | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class ConsultationRow:
    id: int
    reference: str
    at: datetime
    caller: str
    organisation: str
    from_school: bool
    children: str
    outcome: str
    signposted_to: str | None
    minutes: int
    advised_by: str
    contact_reference: str | None
    contact_id: int | None
    question: str
    advice: str


@dataclass(frozen=True)
class ConsultationList:
    query: ConsultationQuery
    start: date
    end: date
    rows: tuple[ConsultationRow, ...]
    #: Organisations in the period, for the school filter.
    schools: tuple[str, ...] = field(default=())

    @property
    def minutes(self) -> int:
        return sum(r.minutes for r in self.rows)


@dataclass(frozen=True)
class ContactPrefill:
    """What the contact form is filled with when the social worker makes a contact from a call."""

    consultation_id: int
    received_at: datetime
    caller_name: str
    caller_role: str
    organisation: str
    phone: str
    agency_code: str | None
    concern: str
    #: (person id, name) of each linked child.
    children: tuple[tuple[int, str], ...]
