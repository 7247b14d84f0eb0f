"""The strategy screen's lists and a discussion's record, read into display objects (``views``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from db.models import Agency, Person, StrategyDiscussion, User
from db.references import contact_reference, discussion_reference
from mashdesk.calendar import WorkingCalendar
from mashdesk.clock import LONDON
from mashdesk.errors import InputError, NotFound
from mashdesk.contacts.views import due_label
from mashdesk.strategy.views import ActionView, AttendeeView, ChildView, DiscussionDetail, DiscussionRow
from mashdesk.strategy.workflow import GROUPS, HELD, group_of, icpc_status


def load_discussion(s: Session, discussion_id: int) -> StrategyDiscussion:
    """The discussion with its children, attendees and actions; ``NotFound`` if there is none."""
    d = s.scalar(
        select(StrategyDiscussion)
        .where(StrategyDiscussion.id == discussion_id)
        .options(
            selectinload(StrategyDiscussion.children),
            selectinload(StrategyDiscussion.attendees),
            selectinload(StrategyDiscussion.actions),
        )
    )
    if d is None:
        raise NotFound(f"strategy discussion {discussion_id} does not exist")
    return d


def due_text(calendar: WorkingCalendar, d: StrategyDiscussion, now: datetime) -> tuple[str, str | None]:
    """The discussion clock: its text ("3h 20m left", "Held 22 Dec") and state (None once held)."""
    if d.held_at is not None:
        return f"Held {d.held_at.astimezone(LONDON):%d %b}", None
    kind = "strategy_discussion"
    state = calendar.status(d.due_at, d.convened_at, now, kind)
    return due_label(state, calendar.time_left(d.due_at, now, kind), d.due_at), state


def discussion_rows(s: Session, calendar: WorkingCalendar, group: str | None, now: datetime,
                    limit: int = 500, scope: ColumnElement[bool] | None = None) -> list[DiscussionRow]:
    """Discussions of one list (``GROUPS``; all without), the most pressing first (within ``scope``)."""
    if group is not None and group not in GROUPS:
        raise InputError(f"list: {group!r} is not one of {', '.join(GROUPS)}", "group")
    stmt = select(StrategyDiscussion) if scope is None else select(StrategyDiscussion).where(scope)
    if group == "held":
        stmt = stmt.where(StrategyDiscussion.status.in_(HELD)).order_by(
            StrategyDiscussion.held_at.desc(), StrategyDiscussion.id.desc()
        )
    else:
        stmt = stmt.where(StrategyDiscussion.status == "convened") if group else stmt
        if group == "to_convene":
            stmt = stmt.where(StrategyDiscussion.scheduled_for.is_(None))
        elif group == "convened":
            stmt = stmt.where(StrategyDiscussion.scheduled_for.is_not(None))
        stmt = stmt.order_by(
            StrategyDiscussion.status,
            StrategyDiscussion.due_at.desc() if group is None else StrategyDiscussion.due_at,
            StrategyDiscussion.id,
        )
    found = list(s.scalars(stmt.limit(limit).options(selectinload(StrategyDiscussion.children))))
    ids = [c.person_id for d in found for c in d.children]
    names = {
        pid: name
        for pid, name in s.execute(
            select(Person.id, Person.first_name + " " + Person.last_name).where(Person.id.in_(ids))
        )
    }
    rows = []
    for d in found:
        text, state = due_text(calendar, d, now)
        icpcs = sorted(
            (c.icpc_due, c.s47_started_on)
            for c in d.children
            if c.icpc_due and c.s47_started_on and c.icpc_held_on is None
        )
        rows.append(
            DiscussionRow(
                id=d.id,
                reference=discussion_reference(d.id),
                contact_reference=contact_reference(d.contact_id),
                children=", ".join(names.get(c.person_id, "?") for c in d.children),
                group=group_of(d.status, d.scheduled_for),
                status=d.status,
                convened_at=d.convened_at,
                due_at=d.due_at,
                scheduled_for=d.scheduled_for,
                held_at=d.held_at,
                mode=d.mode,
                due_text=text,
                due_status=state,
                next_icpc_due=icpcs[0][0] if icpcs else None,
                icpc_status=icpc_status(calendar, *icpcs[0], None, now) if icpcs else None,
            )
        )
    return rows


def discussion_detail(s: Session, calendar: WorkingCalendar, discussion_id: int, now: datetime) -> DiscussionDetail:
    """One discussion's record as the screen shows it."""
    d = load_discussion(s, discussion_id)
    people = {
        p.id: p.full_name
        for p in s.scalars(select(Person).where(Person.id.in_([c.person_id for c in d.children])))
    }
    agencies = {a.id: a for a in s.scalars(select(Agency))}
    chair = s.get(User, d.chair_id) if d.chair_id else None
    text, _ = due_text(calendar, d, now)
    children = [
        ChildView(
            id=c.id,
            version=c.version,
            person_id=c.person_id,
            name=people.get(c.person_id, "?"),
            decision=c.decision,
            no_s47_reason=c.no_s47_reason,
            s47_started_on=c.s47_started_on,
            icpc_due=c.icpc_due,
            icpc_status=icpc_status(calendar, c.icpc_due, c.s47_started_on, c.icpc_held_on, now),
        )
        for c in d.children
    ]
    attendees = [
        AttendeeView(
            id=a.id,
            version=a.version,
            agency_code=agencies[a.agency_id].code if a.agency_id else None,
            agency=agencies[a.agency_id].name if a.agency_id else "—",
            name=a.name,
            role=a.role,
            invited=a.invited,
            attended=a.attended,
            joined_by=a.joined_by,
            information_shared=a.information_shared,
        )
        for a in d.attendees
    ]
    actions = [
        ActionView(id=a.id, version=a.version, action=a.action, owner=a.owner, due=a.due, done_at=a.done_at)
        for a in d.actions
    ]
    return DiscussionDetail(
        id=d.id,
        reference=discussion_reference(d.id),
        version=d.version,
        contact_id=d.contact_id,
        contact_reference=contact_reference(d.contact_id),
        status=d.status,
        group=group_of(d.status, d.scheduled_for),
        convened_at=d.convened_at,
        due_at=d.due_at,
        due_text=text,
        scheduled_for=d.scheduled_for,
        held_at=d.held_at,
        mode=d.mode,
        chair=chair.display_name if chair else None,
        reason=d.reason,
        immediate_actions=d.immediate_actions,
        further_information=d.further_information,
        criminal_investigation=d.criminal_investigation,
        legal_advice=d.legal_advice,
        children=children,
        attendees=attendees,
        actions=actions,
    )
