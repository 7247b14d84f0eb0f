"""What triage hands the window: immutable display objects and the inputs of its steps (no ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class ChildFacts:
    """What the record says about a child of the contact, for the threshold."""

    person_id: int
    name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    disabled: bool
    previous_cp_plan: bool
    previous_contacts_12m: int
    previous_referrals_12m: int


@dataclass(frozen=True)
class ThresholdInput:
    household: tuple[str, ...] = ()
    #: person id → indicator ids recorded for that child
    children: dict[int, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ChildDecisionInput:
    person_id: int
    level: int
    outcome: str
    primary_need: str
    rationale: str = ""
    override_reason: str | None = None


@dataclass(frozen=True)
class CheckQueueRow:
    check_id: int
    version: int
    contact_id: int
    reference: str
    children: str
    requested_at: datetime
    due_at: datetime
    question: str | None


@dataclass(frozen=True)
class AssessmentView:
    """The threshold's last suggestion for one child."""

    person_id: int
    indicators: tuple[str, ...]
    household_indicators: tuple[str, ...]
    suggested_level: int
    suggested_outcome: str
    suggested_rag: str
    reasons: tuple[str, ...]
    ruleset_id: str
    ruleset_version: str


@dataclass(frozen=True)
class DecisionView:
    """A decision on one child: proposed, authorised or returned."""

    person_id: int
    level: int
    outcome: str
    primary_need: str | None
    status: str
    override_reason: str | None
    return_comment: str | None


@dataclass(frozen=True)
class FeedbackLetterFacts:
    """What the letter to the referrer says, read in one short read."""

    contact_id: int
    feedback_id: int
    reference: str
    children: str
    received_at: datetime
    outcome: str | None
    closed_at: datetime | None
    text: str
    referrer_name: str | None
    referrer_role: str | None
    referrer_organisation: str | None
    referrer_email: str | None
    signed_by: str
    written_at: datetime
