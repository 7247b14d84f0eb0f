"""The contact queue: filtered, sorted and paged in SQL so 150,000 contacts stay instant.

The queue is the first thing the desk paints, so it speaks SQL over a plain DB-API
connection (``db.direct``) and never waits for the ORM to load. Every filter is a fixed
SQL fragment with bound parameters; sort keys come from a fixed table.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from db import fastsql
from db.direct import Direct, placeholders, utc
from db.references import contact_reference
from mashdesk import access
from mashdesk.contacts.views import QueueQuery, QueueRow
from mashdesk.context import Actor, Service
from mashdesk.people import names

if TYPE_CHECKING:
    from mashdesk.calendar import WorkingCalendar

#: A name search starts at this many letters (one letter matches half the borough).
MIN_NAME_SEARCH = 2

class QueueService(Service):
    @property
    def calendar(self) -> WorkingCalendar:
        return self.ctx.calendar

    def _alerting(self, conn: Direct, now: datetime) -> list[int]:
        """Open contacts whose decision clock is in its last quarter or past (a bounded set)."""
        return [r[0] for r in running_clocks(conn, now)
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

        scope, scope_params = access.direct_where(actor, "contact", "c.id")
        if scope:  # the contacts this person may see (``mashdesk.access``)
            add(scope, scope_params)
        if query.statuses:
            marks, values = placeholders("status", query.statuses)
            add(fastsql.QUEUE_STATUS_IN.format(marks=marks), values)
        if query.rags:
            marks, values = placeholders("rag", query.rags)
            add(fastsql.QUEUE_RAG_IN.format(marks=marks), values)
        if query.allocated_to_me:
            add(fastsql.QUEUE_MINE, {"me": actor.user_id})
        if query.awaiting_checks:
            add(fastsql.QUEUE_AWAITING_CHECKS)
        if query.clock_alert:
            ids = self._alerting(conn, self.ctx.now())
            if ids:
                marks, values = placeholders("alert", ids)
                add(fastsql.QUEUE_ID_IN.format(marks=marks), values)
            else:
                add(fastsql.QUEUE_NOTHING)
        text = query.search.strip()
        if text:
            ref = text.upper().removeprefix("C-").lstrip("0")
            if ref.isdigit():
                add(fastsql.QUEUE_REFERENCE, {"ref": int(ref)})
            elif len(names.normalise(text)) >= MIN_NAME_SEARCH:
                add(*_contacts_of_children_named(text))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def page(self, actor: Actor, query: QueueQuery, offset: int = 0, limit: int = 200) -> list[QueueRow]:
        column = fastsql.QUEUE_SORT.get(query.sort, fastsql.QUEUE_SORT["received"])
        direction = "DESC" if query.descending else "ASC"
        now = self.ctx.now()
        with self.read_direct(actor, "queue.read") as conn:
            where, params = self._where(conn, actor, query)
            rows = conn.all(
                fastsql.QUEUE_PAGE.format(where=where, column=column, direction=direction),
                {**params, "limit": limit, "offset": offset})
        if offset == 0 and (terms := search_terms(query.search)):
            self.audit_read(actor, "queue.search", "contact_search", None, "searched the queue", terms=terms,
                            found=len(rows))
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

    def count(self, actor: Actor, query: QueueQuery, cap: int | None = None) -> int:
        """How many contacts ``query`` finds; with ``cap``, counting stops at ``cap`` (shown as "cap+")."""
        with self.read_direct(actor, "queue.read") as conn:
            where, params = self._where(conn, actor, query)
            if cap is not None:
                capped = fastsql.QUEUE_COUNT_CAPPED.format(where=where)
                return int(conn.scalar(capped, {**params, "cap": cap}) or 0)
            return int(conn.scalar(fastsql.QUEUE_COUNT.format(where=where), params) or 0)


def search_terms(text: str) -> dict[str, Any] | None:
    """What the trail keeps of a queue search: a reference, or the matcher's keys of each word (not the text)."""
    text = text.strip()
    if not text:
        return None
    ref = text.upper().removeprefix("C-").lstrip("0")
    if ref.isdigit():
        return {"reference": contact_reference(int(ref))}
    words = names.normalise(text).split()
    return {"keys": words, "phonetic": [names.phonetic(w) for w in words]}


def _contacts_of_children_named(text: str) -> tuple[str, dict[str, Any]]:
    """Contacts with a child whose first or last name starts with each word typed.

    Searches the normalised name keys of ``people`` as index ranges, so it never scans
    the contacts table.
    """
    clauses, params = [], {}
    for i, word in enumerate(names.normalise(text).split()):
        params[f"w{i}"], params[f"w{i}_end"] = word, word + "\uffff"
        clauses.append(fastsql.NAME_WORD.format(i=i))
    return fastsql.CHILDREN_NAMED.format(words=" AND ".join(clauses)), params


#: Statuses whose decision clock is running.
CLOCK_RUNNING = ("screened", "in_progress", "awaiting_authorisation", "returned")


def running_clocks(conn: Direct, now: datetime, allocated_to: int | None = None,
                    limit: int | None = None) -> list[tuple[Any, ...]]:
    """Open contacts with a decision clock that could be in its last quarter: id, rag, received, due, children."""
    marks, params = placeholders("running", CLOCK_RUNNING)
    # No clock of the desk's timescales is in its last quarter further ahead than this.
    params["horizon"] = conn.timestamp(now + timedelta(days=3))
    mine = ""
    if allocated_to is not None:
        mine, params["me"] = fastsql.RUNNING_MINE, allocated_to
    return conn.all(fastsql.RUNNING_CLOCKS.format(marks=marks, mine=mine)
                    + (f" LIMIT {int(limit)}" if limit else ""), params)
