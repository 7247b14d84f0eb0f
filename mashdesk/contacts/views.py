"""What the contacts capability hands the window: immutable display objects (no ORM objects, no SQLAlchemy).

The queue's rows are here too, so the queue paints before the ORM has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from mashdesk.clock import LONDON


@dataclass(frozen=True)
class CheckView:
    id: int
    agency: str
    agency_code: str
    requested_at: datetime
    due_at: datetime
    status: str
    response: str | None
    restricted: bool
    withheld: bool
    responder: str | None
    responded_at: datetime | None


@dataclass(frozen=True)
class PersonView:
    person_id: int
    role: str
    name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    relationship_to_child: str | None
    parental_responsibility: bool
    warning: str | None
    #: The Atlas team's markers as the reader may see them ("Atlas: CCE, high").
    atlas: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactDetail:
    id: int
    reference: str
    version: int
    received_at: datetime
    channel: str
    cin_source: str
    concern: str
    status: str
    rag: str | None
    decision_due_at: datetime | None
    allocated_to: str | None
    immediate_protection: str
    child_location: str | None
    interpreter_needs: str | None
    consent: str
    consent_reason: str | None
    consent_decided_by: str | None
    is_re_referral: bool
    outcome: str | None
    referrer: str
    referrer_details: list[tuple[str, str]] = field(default_factory=list)
    people: list[PersonView] = field(default_factory=list)
    checks: list[CheckView] = field(default_factory=list)


@dataclass(frozen=True)
class QueueQuery:
    statuses: tuple[str, ...] = ()
    rags: tuple[str, ...] = ()
    allocated_to_me: bool = False
    #: Start of a child's first or last name (each word), or a contact reference ("C-000123").
    search: str = ""
    sort: str = "received"
    descending: bool = True
    #: Only contacts with an agency check still unanswered.
    awaiting_checks: bool = False
    #: Only contacts whose decision clock is due soon or breached.
    clock_alert: bool = False


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    children: str
    received_at: datetime
    source: str
    rag: str | None
    status: str
    decision_due_at: datetime | None
    allocated_to: str | None
    is_re_referral: bool
    version: int
    #: ok / due_soon / breached while open; met / late once decided; None before screening.
    due_status: str | None
    #: Working time left on the decision clock (negative once breached); None if not running.
    time_left: timedelta | None

    @property
    def due_label(self) -> str:
        return due_label(self.due_status, self.time_left, self.decision_due_at)


def _span(td: timedelta) -> str:
    minutes = int(abs(td).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"


def due_label(status: str | None, left: timedelta | None, due: datetime | None = None) -> str:
    """How the queue shows a decision clock: "3h 20m left", "Overdue 1d 4h", "Decided late".

    With no working time left before a deadline that has not passed yet (it falls at
    the next opening), the label names the moment instead: "Due Mon 08:30".
    """
    if status is None:
        return "To screen"
    if status == "met":
        return "Decided in time"
    if status == "late":
        return "Decided late"
    assert left is not None
    if status == "breached":
        return f"Overdue {_span(left)}"
    if left < timedelta(minutes=1) and due is not None:
        return f"Due {due.astimezone(LONDON):%a %H:%M}"
    return f"{_span(left)} left"
