"""Reading missing episodes: the daily list, the view's lists and one episode's story."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from db.models import MissingEpisode, MissingUpdate, Person, StrategyDiscussion, User
from db.references import contact_reference, discussion_reference, missing_reference
from mashdesk.calendar import WorkingCalendar
from mashdesk.context import Actor
from mashdesk.errors import NotFound
from mashdesk.missing.views import MissingDetail, MissingRow, UpdateView
from mashdesk.missing.workflow import (
    POLICE_KINDS,
    REPEAT_WINDOW,
    RETURNED_ON_LIST,
    RISK_RANK,
    UPDATE_KINDS,
    ClockTimes,
    EpisodeFacts,
    clocks_for,
    hours_between,
    may_see_police_detail,
    offered_actions,
)

#: The Missing view's lists: key → label.
LISTS: dict[str, str] = {
    "daily": "Daily list: missing now, and returned without an interview",
    "open": "All open episodes",
    "year": "Every episode in the last 12 months",
}


def as_at_of(calendar: WorkingCalendar, day: date, now: datetime) -> datetime:
    """The moment a day's list is drawn up at: now for today (or later), else the end of that day."""
    end = calendar.localize(datetime.combine(day + timedelta(days=1), time(0), tzinfo=calendar.tz))
    return min(now, end - timedelta(seconds=1))


def daily_filter(as_at: datetime) -> ColumnElement[bool]:
    """Missing at ``as_at``, or returned in the 72 hours before it without a return home interview."""
    e = MissingEpisode
    missing_now = and_(e.reported_at <= as_at, or_(e.returned_at.is_(None), e.returned_at > as_at))
    no_interview = and_(
        or_(e.rhi_done_at.is_(None), e.rhi_done_at > as_at),
        or_(e.rhi_response.is_(None), e.rhi_response != "declined", e.rhi_response_at > as_at),
    )
    returned = and_(e.returned_at <= as_at, e.returned_at > as_at - RETURNED_ON_LIST, no_interview)
    return or_(missing_now, returned)


def clock_times(e: MissingEpisode, as_at: datetime) -> ClockTimes:
    """The clock inputs of ``e`` as they stood at ``as_at`` (what happened later is not yet known)."""
    def by(value: datetime | None) -> datetime | None:
        return value if value is not None and value <= as_at else None

    return ClockTimes(
        reported_at=e.reported_at, looked_after=e.looked_after, returned_at=by(e.returned_at),
        strategy_due_at=e.strategy_due_at, strategy_at=by(e.strategy_at), strategy_breached=e.strategy_breached
        and e.strategy_due_at is not None and e.strategy_due_at <= as_at,
        escalation_due_at=e.escalation_due_at, escalated_at=by(e.escalated_at),
        escalation_breached=e.escalation_breached and e.escalation_due_at <= as_at,
        rhi_due_at=e.rhi_due_at, rhi_offered_at=by(e.rhi_offered_at),
        rhi_breached=e.rhi_breached and e.rhi_due_at is not None and e.rhi_due_at <= as_at,
    )


def episode_rows(session: Session, calendar: WorkingCalendar, actor: Actor, where: Sequence[ColumnElement[bool]],
                 as_at: datetime, limit: int = 1000) -> list[MissingRow]:
    """Rows for the episodes matching ``where``: missing first, then by risk and time missing."""
    stmt = (select(MissingEpisode, Person).join(Person, Person.id == MissingEpisode.person_id)
            .where(*where).order_by(MissingEpisode.reported_at).limit(limit))
    pairs = session.execute(stmt).all()
    if not pairs:
        return []
    ids = [e.id for e, _ in pairs]
    police = may_see_police_detail(actor.role)
    latest = _latest_updates(session, ids, police)
    recent = _recent_counts(session, [p.id for _, p in pairs], as_at)
    rows = [_row(calendar, e, p, as_at, latest.get(e.id), recent.get(p.id, 1), police) for e, p in pairs]
    pressing = {"breached": 0, "due_soon": 1}
    rows.sort(key=lambda r: (r.status != "missing", pressing.get(r.worst_clock or "", 2), RISK_RANK.get(r.risk, 3),
                             -r.hours_missing, r.id))
    return rows


def _row(calendar: WorkingCalendar, e: MissingEpisode, p: Person, as_at: datetime,
         latest: tuple[datetime, str, str] | None, recent: int, police: bool) -> MissingRow:
    returned = e.returned_at if e.returned_at is not None and e.returned_at <= as_at else None
    closed_at = e.rhi_done_at or (e.rhi_response_at if e.rhi_response == "declined" else None)
    status = "missing" if returned is None else (
        "closed" if closed_at is not None and closed_at <= as_at else "returned")
    age = None
    if p.date_of_birth is not None:
        today = calendar.localize(as_at).date()
        age = today.year - p.date_of_birth.year - ((today.month, today.day) < (p.date_of_birth.month,
                                                                                p.date_of_birth.day))
    text = f"{latest[1]}: {latest[2]}" if latest else "Reported missing"
    return MissingRow(
        id=e.id, reference=missing_reference(e.id), version=e.version, person_id=p.id,
        child=f"{p.first_name} {p.last_name}", age=age, status=status, looked_after=e.looked_after,
        risk=e.risk, missing_from=e.missing_from, last_seen_at=e.last_seen_at, reported_at=e.reported_at,
        returned_at=returned, hours_missing=hours_between(e.last_seen_at, returned or as_at),
        clocks=clocks_for(calendar, clock_times(e, as_at), as_at), last_update=text,
        last_update_at=latest[0] if latest else None,
        police_reference=(e.police_reference or "—") if police else "withheld",
        atlas_review=e.atlas_review, recent_episodes=recent,
    )


def _latest_updates(session: Session, ids: list[int], police: bool) -> dict[int, tuple[datetime, str, str]]:
    conditions = [MissingUpdate.episode_id.in_(ids)]
    if not police:
        conditions.append(MissingUpdate.kind.not_in(POLICE_KINDS))
    newest = (select(MissingUpdate.episode_id, func.max(MissingUpdate.id).label("last"))
              .where(*conditions).group_by(MissingUpdate.episode_id).subquery())
    rows = session.execute(select(MissingUpdate.episode_id, MissingUpdate.at, MissingUpdate.kind,
                                  MissingUpdate.text).join(newest, newest.c.last == MissingUpdate.id)).all()
    return {eid: (at, UPDATE_KINDS.get(kind, kind), text) for eid, at, kind, text in rows}


def _recent_counts(session: Session, person_ids: list[int], as_at: datetime) -> dict[int, int]:
    rows = session.execute(
        select(MissingEpisode.person_id, func.count())
        .where(MissingEpisode.person_id.in_(set(person_ids)),
               MissingEpisode.reported_at > as_at - REPEAT_WINDOW, MissingEpisode.reported_at <= as_at)
        .group_by(MissingEpisode.person_id)).all()
    return {pid: n for pid, n in rows}


def list_filter(key: str, as_at: datetime) -> list[ColumnElement[bool]]:
    if key == "daily":
        return [daily_filter(as_at)]
    if key == "open":
        return [MissingEpisode.status.in_(("missing", "returned"))]
    return [MissingEpisode.reported_at > as_at - timedelta(days=365)]


def episode_detail(session: Session, calendar: WorkingCalendar, actor: Actor, episode_id: int,
                   now: datetime) -> MissingDetail:
    e = session.get(MissingEpisode, episode_id)
    if e is None:
        raise NotFound(f"missing episode {episode_id} does not exist")
    (row,) = episode_rows(session, calendar, actor, [MissingEpisode.id == episode_id], now)
    police = may_see_police_detail(actor.role)
    names = dict(session.execute(select(User.id, User.display_name).where(
        User.id.in_({u.by_id for u in e.updates if u.by_id}))).all())
    updates = tuple(
        UpdateView(u.at, u.happened_at, names.get(u.by_id, "—") if u.by_id else "—", u.kind,
                   u.text if police or u.kind not in POLICE_KINDS else "", withheld=not police and u.kind in POLICE_KINDS)
        for u in reversed(e.updates))
    discussion = session.get(StrategyDiscussion, e.strategy_discussion_id) if e.strategy_discussion_id else None
    facts = EpisodeFacts(status=e.status, escalated=e.escalated_at is not None,
                         has_discussion=e.strategy_discussion_id is not None, has_contact=e.contact_id is not None,
                         rhi_offered=e.rhi_offered_at is not None, rhi_response=e.rhi_response,
                         rhi_done=e.rhi_done_at is not None)
    return MissingDetail(
        row=row, circumstances=e.circumstances, associates=e.associates, returned_where=e.returned_where,
        returned_by=e.returned_by, harmed=e.harmed, harm_notes=e.harm_notes, escalated_at=e.escalated_at,
        escalated_to=e.escalated_to,
        strategy_reference=discussion_reference(discussion.id) if discussion else None,
        strategy_discussion_id=e.strategy_discussion_id,
        contact_reference=contact_reference(e.contact_id) if e.contact_id else None, contact_id=e.contact_id,
        rhi_offered_at=e.rhi_offered_at, rhi_response=e.rhi_response, rhi_done_at=e.rhi_done_at,
        rhi_done_by=e.rhi_done_by, rhi_findings=e.rhi_findings, updates=updates,
        actions=offered_actions(facts, actor.role),
    )
