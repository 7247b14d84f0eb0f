"""The handover's scheduled jobs: the 08:45 reminder and the 10:00 breaches."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from db.models import EdtEntry, HandoverAcknowledgement
from mashdesk.context import Actor, AppContext
from mashdesk.handover.service import HandoverService
from mashdesk.handover.views import local_moment
from mashdesk.handover.workflow import REMINDER_AT, past
from mashdesk.notices import Notice


def handover_reminder_notices(ctx: AppContext, actor: Actor, now: datetime) -> list[Notice]:
    """At 08:45 on working days: a notice if the period that ended this morning has unacknowledged items."""
    calendar = ctx.calendar
    local = calendar.localize(now)
    if not calendar.is_working_day(local.date()) or local.time() < REMINDER_AT:
        return []
    _, end = calendar.edt_period_ending(local.date())
    deadline = calendar.edt_handover(end)
    if past(calendar, deadline, now):
        return []  # the breach job speaks from the deadline on
    with ctx.session_factory() as s:
        waiting = s.scalars(select(EdtEntry.urgency).outerjoin(HandoverAcknowledgement).where(
            EdtEntry.period_end == end, HandoverAcknowledgement.id.is_(None))).all()
    if not waiting:
        return []
    urgent = sum(u == "urgent" for u in waiting)
    return [Notice(key=f"handover:reminder:{local.date().isoformat()}", level="due_soon",
                   title="EDT handover waiting",
                   text=f"{len(waiting)} item{'s' if len(waiting) != 1 else ''} of the night's EDT log "
                        f"({urgent} urgent) not yet acknowledged; handover due {deadline:%H:%M}",
                   entity="handover")]


def handover_breach_job(ctx: AppContext, actor: Actor, now: datetime) -> list[Notice]:
    """At 10:00 (and at start): mark items not dealt with by the deadline as breached, and say so."""
    HandoverService(ctx).mark_breaches(actor)
    calendar = ctx.calendar
    since = now - timedelta(days=14)
    with ctx.session_factory() as s:
        rows = s.execute(select(EdtEntry.id, EdtEntry.period_end)
                         .outerjoin(HandoverAcknowledgement)
                         .where(EdtEntry.period_end <= now, EdtEntry.period_end >= since,
                                or_(HandoverAcknowledgement.id.is_(None),
                                    HandoverAcknowledgement.dealt_at.is_(None)))).all()
    late: dict[datetime, list[int]] = {}
    for entry_id, end in rows:
        if past(calendar, calendar.edt_handover(end), now):
            late.setdefault(end, []).append(entry_id)
    return [Notice(key=f"handover:breached:{end.isoformat()}", level="breached",
                   title="EDT handover breached",
                   text=f"{len(ids)} item{'s' if len(ids) != 1 else ''} of the EDT period ending "
                        f"{local_moment(end)} not dealt with by {calendar.edt_handover(end):%H:%M}",
                   entity="handover")
            for end, ids in sorted(late.items())]
