"""The contact queue: filtered, sorted and paged in SQL so 150,000 contacts stay instant.

The queue is the first thing the desk paints, so it speaks SQL over a plain DB-API
connection (``db.direct``) and never waits for the ORM to load. Every filter is a fixed
SQL fragment with bound parameters; sort keys come from a fixed table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from db.direct import Direct, placeholders, utc
from db.references import contact_reference
from mashdesk import names
from mashdesk.notices import Notice
from mashdesk.context import Actor, AppContext, Service

if TYPE_CHECKING:
    from mashdesk.calendar import WorkingCalendar

from mashdesk.clock import LONDON
#: A name search starts at this many letters (one letter matches half the borough).
MIN_NAME_SEARCH = 2

#: Sortable columns: key → SQL expression. The indexes on ``contacts`` cover these.
SORT_COLUMNS: dict[str, str] = {
    "reference": "c.id",
    "children": "c.children_display",
    "received": "c.received_at",
    "source": "c.source_display",
    "rag": "c.rag_rank",
    "status": "c.status",
    "due": "c.decision_due_at",
    "allocated": "u.display_name",
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
    @property
    def calendar(self) -> WorkingCalendar:
        return self.ctx.calendar

    def _alerting(self, conn: Direct, now: datetime) -> list[int]:
        """Open contacts whose decision clock is in its last quarter or past (a bounded set)."""
        return [r[0] for r in _running_clocks(conn, now)
                if self.calendar.status(utc(r[3]), utc(r[2]), now, f"decision_{r[1]}") != "ok"]

    def _clock(self, rag: str | None, status: str, received: datetime, due: datetime | None,
               decided_late: bool | None, now: datetime) -> tuple[str | None, timedelta | None]:
        if due is None or rag is None:
            return None, None
        if status == "closed":
            return ("late" if decided_late else "met"), None
        kind = f"decision_{rag}"
        return (self.calendar.status(due, received, now, kind), self.calendar.time_left(due, now, kind))

    def _where(self, conn: Direct, actor: Actor, query: QueueQuery) -> tuple[str, dict[str, Any]]:
        """The WHERE clause (or "") and its parameters for ``query``."""
        clauses: list[str] = []
        params: dict[str, Any] = {}

        def add(clause: str, values: dict[str, Any] | None = None) -> None:
            clauses.append(clause)
            params.update(values or {})

        if query.statuses:
            marks, values = placeholders("status", query.statuses)
            add(f"c.status IN {marks}", values)
        if query.rags:
            marks, values = placeholders("rag", query.rags)
            add(f"c.rag IN {marks}", values)
        if query.allocated_to_me:
            add("c.allocated_to_id = :me", {"me": actor.user_id})
        if query.awaiting_checks:
            add("c.id IN (SELECT k.contact_id FROM agency_checks k WHERE k.status = 'requested')")
        if query.clock_alert:
            ids = self._alerting(conn, self.ctx.now())
            if ids:
                marks, values = placeholders("alert", ids)
                add(f"c.id IN {marks}", values)
            else:
                add("1 = 0")
        text = query.search.strip()
        if text:
            ref = text.upper().removeprefix("C-").lstrip("0")
            if ref.isdigit():
                add("c.id = :ref", {"ref": int(ref)})
            elif len(names.normalise(text)) >= MIN_NAME_SEARCH:
                add(*_contacts_of_children_named(text))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def page(self, actor: Actor, query: QueueQuery, offset: int = 0, limit: int = 200) -> list[QueueRow]:
        column = SORT_COLUMNS.get(query.sort, "c.received_at")
        direction = "DESC" if query.descending else "ASC"
        now = self.ctx.now()
        with self.read_direct(actor, "queue.read") as conn:
            where, params = self._where(conn, actor, query)
            rows = conn.all(
                "SELECT c.id, c.children_display, c.received_at, c.source_display, c.rag, c.status,"
                " c.decision_due_at, u.display_name, c.is_re_referral, c.version, c.decided_late"
                " FROM contacts c LEFT JOIN users u ON u.id = c.allocated_to_id"
                f"{where} ORDER BY {column} {direction}, c.id {direction} LIMIT :limit OFFSET :offset",
                {**params, "limit": limit, "offset": offset})
        out = []
        for r in rows:
            received, due = utc(r[2]), utc(r[6])
            assert received is not None
            due_status, left = self._clock(r[4], r[5], received, due, r[10], now)
            out.append(QueueRow(
                id=r[0], reference=contact_reference(r[0]), children=r[1], received_at=received, source=r[3],
                rag=r[4], status=r[5], decision_due_at=due, allocated_to=r[7], is_re_referral=bool(r[8]),
                version=r[9], due_status=due_status, time_left=left))
        return out

    def count(self, actor: Actor, query: QueueQuery) -> int:
        with self.read_direct(actor, "queue.read") as conn:
            where, params = self._where(conn, actor, query)
            return int(conn.scalar(f"SELECT count(*) FROM contacts c{where}", params) or 0)


def _contacts_of_children_named(text: str) -> tuple[str, dict[str, Any]]:
    """Contacts with a child whose first or last name starts with each word typed.

    Searches the normalised name keys of ``people`` as index ranges, so it never scans
    the contacts table.
    """
    clauses, params = [], {}
    for i, word in enumerate(names.normalise(text).split()):
        params[f"w{i}"], params[f"w{i}_end"] = word, word + "\uffff"
        clauses.append(f"((p.key_first >= :w{i} AND p.key_first < :w{i}_end)"
                       f" OR (p.key_last >= :w{i} AND p.key_last < :w{i}_end))")
    return ("c.id IN (SELECT cp.contact_id FROM contact_people cp WHERE cp.role = 'child' AND cp.person_id IN"
            f" (SELECT p.id FROM people p WHERE {' AND '.join(clauses)}))", params)


#: Statuses whose decision clock is running.
CLOCK_RUNNING = ("screened", "in_progress", "awaiting_authorisation", "returned")


def _running_clocks(conn: Direct, now: datetime, allocated_to: int | None = None,
                    limit: int | None = None) -> list[tuple[Any, ...]]:
    """Open contacts with a decision clock that could be in its last quarter: id, rag, received, due, children."""
    marks, params = placeholders("running", CLOCK_RUNNING)
    # No clock of the desk's timescales is in its last quarter further ahead than this.
    params["horizon"] = conn.timestamp(now + timedelta(days=3))
    mine = ""
    if allocated_to is not None:
        mine, params["me"] = " AND c.allocated_to_id = :me", allocated_to
    return conn.all(
        "SELECT c.id, c.rag, c.received_at, c.decision_due_at, c.children_display FROM contacts c"
        f" WHERE c.status IN {marks} AND c.decision_due_at IS NOT NULL AND c.decision_due_at <= :horizon{mine}"
        " ORDER BY c.decision_due_at" + (f" LIMIT {int(limit)}" if limit else ""), params)


def decision_deadline_notices(ctx: AppContext, actor: Actor, now: datetime, limit: int = 500) -> list[Notice]:
    """Notices for decision clocks in their last quarter or past: a manager's whole team, else one's own."""
    calendar = ctx.calendar
    with ctx.direct() as conn:
        rows = _running_clocks(conn, now, None if actor.role == "manager" else actor.user_id, limit)
        conn.finish_read()
    notices = []
    for contact_id, rag, received_at, due_at, children in rows:
        kind = f"decision_{rag}"
        received, due = utc(received_at), utc(due_at)
        assert received is not None and due is not None
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
