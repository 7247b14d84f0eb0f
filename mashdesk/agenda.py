"""What a capability puts on the daily MASH meeting's agenda: a shared kernel.

The meeting (``mashdesk.meeting``) assembles the agenda from *sources*. A source is a function that a
capability offers (in its own ``agenda.py``) and that returns :class:`AgendaItem` values; the meeting
knows a source only by this signature, never by the capability's internals, so a new capability adds a
section to the agenda by offering one more source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from mashdesk.calendar import WorkingCalendar


@dataclass(frozen=True)
class AgendaDay:
    """The meeting the agenda is for, and what a source needs to decide what is due."""

    day: date
    #: When the meeting starts (aware, UTC); items are judged as at this moment.
    starts_at: datetime
    #: When the previous meeting started (aware), or None before the first: "new since the last meeting".
    since: datetime | None
    now: datetime
    calendar: WorkingCalendar


@dataclass(frozen=True)
class AgendaItem:
    """One line of the agenda, linked to its record."""

    #: The agenda section ("edt", "new_contacts", "checks_overdue", "strategy", "missing", "atlas", …).
    section: str
    #: The kind of record it links to ("contact", "edt_entry", "person", "strategy_discussion",
    #: "step_down", "missing_episode", "meeting_action", "note"), and the record's id (None for free text).
    kind: str
    record_id: int | None
    #: The reference people quote ("C-000123", "ST-000042"), or "" where the record has none.
    reference: str
    #: What it is about: usually the child's or family's name.
    title: str
    #: Why it is on today's agenda ("red contact received 07:40", "missing 30 hours, looked after").
    reason: str
    #: The agency code that brings the item to the meeting ("mash", "police", "health", "education", "atlas").
    brought_by: str
    #: Order within its section: lower comes first (breached before due, due before the rest).
    urgency: int = 0
    #: Whether the item involves a school, a pupil or an education check (the education lead sees these).
    involves_school: bool = False
    #: Roles that may see the detail (title and reason); empty means every role that sees the agenda.
    #: Other roles see the item's section and reference only.
    restricted_to: frozenset[str] = frozenset()
    #: People (ids) the item concerns, for Atlas markers and the link to each child.
    person_ids: tuple[int, ...] = ()


#: A capability's contribution to the agenda. It reads in the session it is given and never writes.
AgendaSource = Callable[[Session, AgendaDay], Iterable[AgendaItem]]
