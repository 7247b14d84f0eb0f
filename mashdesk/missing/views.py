"""What the missing service hands the window, the list and the command line: immutable, no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from mashdesk.missing.workflow import MissingClock


@dataclass(frozen=True)
class EpisodeInput:
    """A report that a child is missing."""

    person_id: int
    last_seen_at: datetime
    reported_at: datetime
    missing_from: str
    risk: str
    looked_after: bool
    police_reference: str = ""
    circumstances: str = ""
    associates: str = ""


@dataclass(frozen=True)
class ReturnInput:
    """The child is found or has come back."""

    returned_at: datetime
    where: str
    by_whom: str
    harmed: str = "unknown"
    harm_notes: str = ""


@dataclass(frozen=True)
class UpdateView:
    at: datetime
    happened_at: datetime | None
    by: str
    kind: str
    text: str
    withheld: bool = False


@dataclass(frozen=True)
class MissingRow:
    """One line of the daily list and of the Missing view."""

    id: int
    reference: str
    version: int
    person_id: int
    child: str
    age: int | None
    status: str
    looked_after: bool
    risk: str
    missing_from: str
    last_seen_at: datetime
    reported_at: datetime
    returned_at: datetime | None
    #: Hours missing until now (or until the return).
    hours_missing: int
    clocks: tuple[MissingClock, ...]
    last_update: str
    last_update_at: datetime | None
    #: The police reference, or "withheld" for a reader who may not see police detail.
    police_reference: str
    atlas_review: bool
    #: Episodes of this child in the last 90 days, this one included.
    recent_episodes: int

    @property
    def worst_clock(self) -> str | None:
        states = [c.state for c in self.clocks]
        for state in ("breached", "due_soon", "ok"):
            if state in states:
                return state
        return None


@dataclass(frozen=True)
class MissingList:
    """The director's daily list as at a moment of a day."""

    day: date
    as_at: datetime
    missing: tuple[MissingRow, ...]
    returned: tuple[MissingRow, ...]
    prepared_for: str

    @property
    def rows(self) -> tuple[MissingRow, ...]:
        return self.missing + self.returned


@dataclass(frozen=True)
class MissingDetail:
    row: MissingRow
    circumstances: str
    associates: str
    returned_where: str | None
    returned_by: str | None
    harmed: str | None
    harm_notes: str | None
    escalated_at: datetime | None
    escalated_to: str | None
    strategy_reference: str | None
    strategy_discussion_id: int | None
    contact_reference: str | None
    contact_id: int | None
    rhi_offered_at: datetime | None
    rhi_response: str | None
    rhi_done_at: datetime | None
    rhi_done_by: str | None
    rhi_findings: str | None
    updates: tuple[UpdateView, ...]
    #: The actions the reader may take now (``workflow.TRANSITIONS`` keys).
    actions: tuple[str, ...]


@dataclass(frozen=True)
class ChildFacts:
    """What the record already says about a child, to prefill a report."""

    person_id: int
    name: str
    #: From the child's latest episode, where there is one; None when the record does not say.
    looked_after: bool | None
    episodes_90_days: int
    open_episode: str | None
