"""The contact queue: filtered, sorted and paged in SQL so 150,000 contacts stay instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from db.models import AgencyCheck, Contact, ContactPerson, Person, User
from db.models.contacts import contact_reference
from mashdesk import names
from mashdesk.scheduler import Notice
from mashdesk.services.base import Actor, AppContext, Service

Allocated = aliased(User)
LONDON = ZoneInfo("Europe/London")
#: A name search starts at this many letters (one letter matches half the borough).
MIN_NAME_SEARCH = 2

#: Sortable columns: key → SQL expression. The indexes on ``contacts`` cover these.
SORT_COLUMNS: dict[str, Any] = {
    "reference": Contact.id,
    "children": Contact.children_display,
    "received": Contact.received_at,
    "source": Contact.source_display,
    "rag": Contact.rag_rank,
    "status": Contact.status,
    "due": Contact.decision_due_at,
    "allocated": Allocated.display_name,
}


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


class QueueService(Service):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.calendar = ctx.calendar

    def _alerting(self, now: datetime) -> list[int]:
        """Open contacts whose decision clock is in its last quarter or past (a bounded set)."""
        horizon = now + timedelta(days=3)  # no decision clock is in its last quarter further ahead than this
        stmt = (select(Contact.id, Contact.rag, Contact.received_at, Contact.decision_due_at)
                .where(Contact.status.in_(CLOCK_RUNNING), Contact.decision_due_at <= horizon))
        with self.ctx.session_factory() as s:
            rows = s.execute(stmt).all()
        return [r[0] for r in rows if self.calendar.status(r[3], r[2], now, f"decision_{r[1]}") != "ok"]

    def _clock(self, rag: str | None, status: str, received: datetime, due: datetime | None,
               decided_late: bool | None, now: datetime) -> tuple[str | None, timedelta | None]:
        if due is None or rag is None:
            return None, None
        if status == "closed":
            return ("late" if decided_late else "met"), None
        kind = f"decision_{rag}"
        return (self.calendar.status(due, received, now, kind), self.calendar.time_left(due, now, kind))

    def _filtered(self, actor: Actor, query: QueueQuery, stmt: Select[Any]) -> Select[Any]:
        if query.statuses:
            stmt = stmt.where(Contact.status.in_(query.statuses))
        if query.rags:
            stmt = stmt.where(Contact.rag.in_(query.rags))
        if query.allocated_to_me:
            stmt = stmt.where(Contact.allocated_to_id == actor.user_id)
        if query.awaiting_checks:
            stmt = stmt.where(Contact.id.in_(select(AgencyCheck.contact_id).where(AgencyCheck.status == "requested")))
        if query.clock_alert:
            stmt = stmt.where(Contact.id.in_(self._alerting(self.ctx.now())))
        text = query.search.strip()
        if text:
            ref = text.upper().removeprefix("C-").lstrip("0")
            if ref.isdigit():
                stmt = stmt.where(Contact.id == int(ref))
            elif len(names.normalise(text)) >= MIN_NAME_SEARCH:
                stmt = stmt.where(Contact.id.in_(_contacts_of_children_named(text)))
        return stmt

    def page(self, actor: Actor, query: QueueQuery, offset: int = 0, limit: int = 200) -> list[QueueRow]:
        column = SORT_COLUMNS.get(query.sort, Contact.received_at)
        order = column.desc() if query.descending else column.asc()
        tie = Contact.id.desc() if query.descending else Contact.id.asc()
        stmt = select(
            Contact.id, Contact.children_display, Contact.received_at, Contact.source_display, Contact.rag,
            Contact.status, Contact.decision_due_at, Allocated.display_name, Contact.is_re_referral,
            Contact.version, Contact.decided_late,
        ).outerjoin(Allocated, Allocated.id == Contact.allocated_to_id)
        stmt = self._filtered(actor, query, stmt).order_by(order, tie).offset(offset).limit(limit)
        now = self.ctx.now()
        with self.read(actor, "queue.read") as s:
            rows = s.execute(stmt).all()
        out = []
        for r in rows:
            due_status, left = self._clock(r[4], r[5], r[2], r[6], r[10], now)
            out.append(QueueRow(
                id=r[0], reference=contact_reference(r[0]), children=r[1], received_at=r[2], source=r[3],
                rag=r[4], status=r[5], decision_due_at=r[6], allocated_to=r[7], is_re_referral=r[8],
                version=r[9], due_status=due_status, time_left=left))
        return out

    def count(self, actor: Actor, query: QueueQuery) -> int:
        stmt = self._filtered(actor, query, select(func.count()).select_from(Contact))
        with self.read(actor, "queue.read") as s:
            return int(s.scalar(stmt) or 0)


def _prefix(column: Any, start: str) -> Any:
    """``column`` starts with ``start``, as a range both databases answer from an index."""
    return and_(column >= start, column < start + "\uffff")


def _contacts_of_children_named(text: str) -> Select[Any]:
    """Contacts with a child whose first or last name starts with each word typed.

    Searches the normalised name keys of ``people`` (indexed), so it never scans
    the contacts table.
    """
    words = names.normalise(text).split()
    person = select(Person.id)
    for word in words:
        person = person.where(or_(_prefix(Person.key_first, word), _prefix(Person.key_last, word)))
    return select(ContactPerson.contact_id).where(ContactPerson.role == "child",
                                                  ContactPerson.person_id.in_(person))


#: Statuses whose decision clock is running.
CLOCK_RUNNING = ("screened", "in_progress", "awaiting_authorisation", "returned")


def decision_deadline_notices(ctx: AppContext, actor: Actor, now: datetime, limit: int = 500) -> list[Notice]:
    """Notices for decision clocks in their last quarter or past: a manager's whole team, else one's own."""
    calendar = ctx.calendar
    horizon = now + timedelta(days=3)  # no clock of the desk's timescales is in its last quarter beyond this
    stmt = (select(Contact.id, Contact.rag, Contact.received_at, Contact.decision_due_at, Contact.children_display)
            .where(Contact.status.in_(CLOCK_RUNNING), Contact.decision_due_at.is_not(None),
                   Contact.decision_due_at <= horizon)
            .order_by(Contact.decision_due_at).limit(limit))
    if actor.role != "manager":
        stmt = stmt.where(Contact.allocated_to_id == actor.user_id)
    with ctx.session_factory() as s:
        rows = s.execute(stmt).all()
    notices = []
    for contact_id, rag, received, due, children in rows:
        kind = f"decision_{rag}"
        state = calendar.status(due, received, now, kind)
        if state == "ok":
            continue
        ref = contact_reference(contact_id)
        label = due_label(state, calendar.time_left(due, now, kind), due)
        notices.append(Notice(
            key=f"decision:{state}:{contact_id}", level=state,
            title=f"{ref} decision {'overdue' if state == 'breached' else 'due soon'}",
            text=f"{children} — {label} ({(rag or '').upper()})", entity="contact", entity_id=contact_id))
    return notices
