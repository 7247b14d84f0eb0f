"""What the meeting service hands the window, the command line and the minutes: immutable display objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ActionRow:
    id: int
    version: int
    reference: str
    meeting_day: date
    #: The agenda item it came from ("C-000123"), or "" for the meeting as a whole.
    item_reference: str
    text: str
    owner: str
    owner_agency: str | None
    school: str | None
    due: date | None
    status: str
    overdue: bool
    done_note: str | None
    done_at: datetime | None
    addendum: bool
    added_at: datetime | None
    added_by: str
    #: Whether the reader may mark it done.
    can_complete: bool


@dataclass(frozen=True)
class AgendaRow:
    """One item of the agenda as one reader may see it."""

    #: The held item's id (None while the meeting is not opened and the agenda is live).
    item_id: int | None
    version: int
    section: str
    section_title: str
    kind: str
    record_id: int | None
    reference: str
    title: str
    reason: str
    brought_by: str
    urgency: int
    involves_school: bool
    #: The detail is restricted and withheld from this reader.
    withheld: bool
    #: The Atlas markers of the people it concerns, as this reader may see them ("Atlas: CCE, high").
    atlas: tuple[str, ...]
    note: str
    decision: str | None
    decision_label: str
    decided_by: str
    by_hand: bool
    school: str | None
    actions: tuple[ActionRow, ...]
    #: The people it concerns (empty where the detail is withheld).
    person_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class AddendumView:
    at: datetime
    by: str
    text: str
    item_reference: str


@dataclass(frozen=True)
class MeetingDetail:
    """A day's meeting (or, before it opens, its live agenda) as one reader may see it."""

    day: date
    starts_at: datetime
    meeting_id: int | None
    version: int
    status: str
    status_label: str
    #: (agency code, agency name, who attended) for each agency at the table; "" when absent.
    attendance: tuple[tuple[str, str, str], ...]
    chair: str
    closed_at: datetime | None
    closed_by: str
    items: tuple[AgendaRow, ...]
    #: Actions agreed at this meeting that the reader may see.
    actions: tuple[ActionRow, ...]
    addenda: tuple[AddendumView, ...]
    #: What the reader may do now (``workflow.TRANSITIONS`` keys).
    allowed: tuple[str, ...]
    reader: str
    #: Whether the reader sees only a share of the agenda (the education lead).
    partial: bool
