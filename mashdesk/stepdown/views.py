"""What the step-down service hands the window and the form: immutable display objects, no ORM."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from db.references import contact_reference
from mashdesk import codes
from mashdesk.stepdown.workflow import CLOSURE_REASONS, StepDownClock


@dataclass(frozen=True)
class StepDownQuery:
    centre: str | None = None
    statuses: tuple[str, ...] = ()
    overdue_only: bool = False
    #: Step-downs waiting for the centre's answer first (the Early Help inbox).
    sent_first: bool = False


@dataclass(frozen=True)
class StepDownRow:
    id: int
    reference: str
    version: int
    family: str
    contact_reference: str
    centre: str
    status: str
    sent_at: datetime | None
    worker: str | None
    clock: StepDownClock


@dataclass(frozen=True)
class FamilyMember:
    person_id: int
    name: str
    role: str
    relationship: str | None
    date_of_birth: date | None
    sex: str


@dataclass(frozen=True)
class EventView:
    at: datetime
    by: str
    kind: str
    note: str


@dataclass(frozen=True)
class CheckSummary:
    agency: str
    answer: str | None
    withheld: bool


@dataclass(frozen=True)
class ChildDecision:
    child: str
    level: int
    outcome: str
    primary_need: str | None
    suggested_level: int | None
    reasons: tuple[str, ...]
    override_reason: str | None


@dataclass(frozen=True)
class StepDownDetail:
    id: int
    reference: str
    version: int
    status: str
    centre_code: str | None
    centre: str
    consent_step_down: str
    consent_info_sharing: str
    needs: str
    decision_summary: str
    contact_id: int
    contact_reference: str
    contact_received_at: datetime
    concern: str
    sent_at: datetime | None
    accepted_at: datetime | None
    declined_reason: str | None
    allocated_worker: str | None
    first_contact_due_at: datetime | None
    first_contact_at: datetime | None
    next_review_due_at: datetime | None
    closed_at: datetime | None
    closure_reason: str | None
    stepped_up_contact_id: int | None
    clock: StepDownClock
    actions: tuple[str, ...]
    family: list[FamilyMember] = field(default_factory=list)
    decisions: list[ChildDecision] = field(default_factory=list)
    checks: list[CheckSummary] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)

    @property
    def children(self) -> list[FamilyMember]:
        return [m for m in self.family if m.role == "child"]

    @property
    def stepped_up_reference(self) -> str | None:
        return contact_reference(self.stepped_up_contact_id) if self.stepped_up_contact_id else None


def milestones(d: StepDownDetail, when: Callable[[datetime | None], str]) -> list[tuple[str, str]]:
    """The steps of a step-down's life so far, labelled, for the window and the form alike.

    ``when`` shows a moment (the window and the printed form format times their own way).
    """
    if d.first_contact_at:
        first = when(d.first_contact_at)
    else:
        first = f"due {when(d.first_contact_due_at)}" if d.first_contact_due_at else "—"
    rows = [
        ("Sent", when(d.sent_at) or "—"),
        ("Accepted", when(d.accepted_at) or "—"),
        ("Allocated worker", d.allocated_worker or "—"),
        ("First contact", first or "—"),
        ("Next review due", when(d.next_review_due_at) or "—"),
    ]
    if d.declined_reason:
        rows.append(("Declined", d.declined_reason))
    if d.closure_reason:
        rows.append(
            ("Closed", f"{CLOSURE_REASONS.get(d.closure_reason, d.closure_reason)}, {when(d.closed_at)}")
        )
    if d.stepped_up_reference:
        rows.append(
            (
                "Stepped up",
                f"to the MASH as {d.stepped_up_reference} ({codes.CIN_REFERRAL_SOURCES['5D']}), "
                f"{when(d.closed_at)}",
            )
        )
    return rows


@dataclass(frozen=True)
class StepUpResult:
    contact_id: int
    contact_reference: str
    version: int
