"""What the handover service hands the window and the sheet: immutable display objects, no ORM."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime

from db.references import contact_reference
from mashdesk.clock import LONDON

# -- input and what the service hands back -------------------------------------------------------------

@dataclass
class EdtEntryInput:
    """One out-of-hours call as the EDT logs it."""

    call_at: datetime
    reported: str
    caller_name: str = ""
    caller_agency: str | None = None
    phone: str | None = None
    children_text: str = ""
    address_text: str | None = None
    emergency_services: bool = False
    action_taken: str = ""
    outstanding: str = ""
    urgency: str = "routine"
    #: Known people linked through the search panel.
    person_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class NoteView:
    at: datetime
    by: str
    text: str


@dataclass(frozen=True)
class HandoverItem:
    """One EDT entry with its place in the handover."""

    id: int
    version: int
    call_at: datetime
    caller_name: str
    caller_agency: str | None
    phone: str | None
    children_text: str
    address_text: str | None
    reported: str
    emergency_services: bool
    action_taken: str
    outstanding: str
    urgency: str
    recorded_by: str | None
    completed_at: datetime | None
    period_start: datetime
    period_end: datetime
    deadline: datetime
    people: tuple[tuple[int, str], ...]
    notes: tuple[NoteView, ...]
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    #: None before acknowledgement, then pending / contact_created / no_action.
    outcome: str | None
    contact_id: int | None
    no_action_reason: str | None
    dealt_at: datetime | None
    dealt_by: str | None
    #: Not dealt with by the deadline (kept once dealt with late).
    breached: bool
    #: The EDT may still edit it (not acknowledged, deadline not passed).
    editable: bool

    @property
    def urgent(self) -> bool:
        return self.urgency == "urgent"

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def dealt_with(self) -> bool:
        return self.outcome in ("contact_created", "no_action")

    @property
    def contact_reference(self) -> str | None:
        return contact_reference(self.contact_id) if self.contact_id else None

    @property
    def children(self) -> str:
        """The children as the log names them: linked known people, else the free text."""
        return ", ".join(name for _, name in self.people) or self.children_text or "not named"

    @property
    def caller(self) -> str:
        return " · ".join(x for x in (self.caller_name or "Caller not named", self.caller_agency) if x)

    @property
    def status_label(self) -> str:
        """pending / acknowledged / contact C-000123 / no action / BREACHED ("(late)" once dealt with late)."""
        late = " (late)" if self.breached else ""
        if self.outcome == "contact_created":
            return f"contact {self.contact_reference}{late}"
        if self.outcome == "no_action":
            return f"no action{late}"
        if self.breached:
            return "BREACHED"
        return "acknowledged" if self.acknowledged else "pending"

    @property
    def became(self) -> str:
        """What the item became, in words for the sheet."""
        if self.outcome == "contact_created":
            return f"Contact {self.contact_reference} recorded by {self.dealt_by}"
        if self.outcome == "no_action":
            return f"No action for the day service ({self.dealt_by}): {self.no_action_reason}"
        return "Not yet dealt with"


@dataclass(frozen=True)
class HandoverPeriod:
    start: datetime
    end: datetime
    deadline: datetime
    now: datetime
    items: list[HandoverItem]

    @property
    def day(self) -> date:
        return self.end.date()

    @property
    def unacknowledged(self) -> list[HandoverItem]:
        return [i for i in self.items if not i.acknowledged]

    @property
    def outstanding(self) -> list[HandoverItem]:
        return [i for i in self.items if not i.dealt_with]

    @property
    def summary(self) -> str:
        n = len(self.items)
        urgent = sum(i.urgent for i in self.items)
        acked = n - len(self.unacknowledged)
        breached = sum(i.breached for i in self.items)
        text = (f"{n} item{'s' if n != 1 else ''} ({urgent} urgent) · {acked} acknowledged · "
                f"{n - len(self.outstanding)} dealt with")
        return text + (f" · {breached} breached" if breached else "")


@dataclass(frozen=True)
class HandoverSheet:
    pdf: bytes
    period: HandoverPeriod


def entry_input_of(item: HandoverItem) -> EdtEntryInput:
    """The input that would save ``item`` as it is (to edit it during the shift)."""
    return EdtEntryInput(person_ids=[pid for pid, _ in item.people],
                         **{f.name: getattr(item, f.name) for f in fields(EdtEntryInput) if f.name != "person_ids"})


def local_moment(moment: datetime | None) -> str:
    """A moment as a message names it ("Mon 23 Nov 09:10")."""
    return f"{moment.astimezone(LONDON):%a %d %b %H:%M}" if moment else "an unknown time"
