"""What the strategy screen and the pack show: immutable display objects, never ORM rows.

The rows and the record are read by ``reads``; the pack's content is gathered for one reader by ``pack``
(restricted agency answers already left out for anyone outside the answering agency) and laid out by
``documents``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


# -- the screen ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiscussionRow:
    id: int
    reference: str
    contact_reference: str
    children: str
    group: str
    status: str
    convened_at: datetime
    due_at: datetime
    scheduled_for: datetime | None
    held_at: datetime | None
    mode: str
    #: "3h 20m left", "Overdue 1d 4h", "Held Tue 22 Dec 10:00"
    due_text: str
    #: ok / due_soon / breached while it is still to be held; None once held
    due_status: str | None
    next_icpc_due: date | None
    #: ok / due_soon / breached for the earliest ICPC not yet held; None without one
    icpc_status: str | None = None


@dataclass(frozen=True)
class ChildView:
    id: int
    version: int
    person_id: int
    name: str
    decision: str | None
    no_s47_reason: str | None
    s47_started_on: date | None
    icpc_due: date | None
    icpc_status: str | None


@dataclass(frozen=True)
class AttendeeView:
    id: int
    version: int
    agency_code: str | None
    agency: str
    name: str
    role: str
    invited: bool
    attended: bool | None
    joined_by: str | None
    information_shared: str


@dataclass(frozen=True)
class ActionView:
    id: int
    version: int
    action: str
    owner: str
    due: date | None
    done_at: datetime | None


@dataclass(frozen=True)
class DiscussionDetail:
    id: int
    reference: str
    version: int
    contact_id: int
    contact_reference: str
    status: str
    group: str
    convened_at: datetime
    due_at: datetime
    due_text: str
    scheduled_for: datetime | None
    held_at: datetime | None
    mode: str
    chair: str | None
    reason: str
    immediate_actions: str
    further_information: str
    criminal_investigation: str
    legal_advice: str
    children: list[ChildView]
    attendees: list[AttendeeView]
    actions: list[ActionView]


# -- the pack -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PackChild:
    name: str
    born: str
    sex: str
    nhs_number: str
    school: str
    gp: str
    address: str
    notes: str
    decision: str | None = None
    no_s47_reason: str | None = None
    s47_started_on: date | None = None
    icpc_due: date | None = None


@dataclass(frozen=True)
class PackPerson:
    name: str
    relationship: str
    parental_responsibility: bool
    born: str


@dataclass(frozen=True)
class PackAttendee:
    name: str
    role: str
    agency: str
    invited: bool
    attended: bool | None
    joined_by: str | None
    information_shared: str


@dataclass(frozen=True)
class PackCheck:
    agency: str
    requested_at: datetime
    responded_at: datetime | None
    status: str
    #: None when withheld from this reader, or not yet answered.
    response: str | None
    restricted: bool
    withheld: bool


@dataclass(frozen=True)
class ChronologyEvent:
    at: datetime
    kind: str
    children: str
    summary: str


@dataclass(frozen=True)
class PackAssessment:
    child: str
    level: str
    outcome: str
    rag: str
    flags: list[str]
    indicators: list[str]
    rules: list[str]
    reasons: list[str]
    ruleset: str
    decision: str


@dataclass(frozen=True)
class PackAction:
    action: str
    owner: str
    due: date | None
    done_at: datetime | None


@dataclass(frozen=True)
class StrategyPack:
    reference: str
    contact_reference: str
    #: "before" or "after" the meeting
    stage: str
    convened_at: datetime
    due_at: datetime
    scheduled_for: datetime | None
    held_at: datetime | None
    mode: str
    chair: str
    reason: str
    concern: str
    referrer: str
    immediate_protection: str
    child_location: str
    reader: str
    children: list[PackChild] = field(default_factory=list)
    household: list[PackPerson] = field(default_factory=list)
    attendees: list[PackAttendee] = field(default_factory=list)
    previous_involvement: list[str] = field(default_factory=list)
    chronology: list[ChronologyEvent] = field(default_factory=list)
    checks: list[PackCheck] = field(default_factory=list)
    assessments: list[PackAssessment] = field(default_factory=list)
    immediate_actions: str = ""
    further_information: str = ""
    criminal_investigation: str = ""
    legal_advice: str = ""
    actions: list[PackAction] = field(default_factory=list)
