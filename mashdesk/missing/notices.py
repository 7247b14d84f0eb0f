"""The missing clocks' sweep: store breaches when they happen, and tell managers and the Atlas team."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from db.models import MissingEpisode, Person
from db.references import missing_reference
from mashdesk.context import Actor, AppContext
from mashdesk.missing.reading import clock_times
from mashdesk.missing.service import MissingService
from mashdesk.missing.workflow import OPEN_STATUSES, clocks_for
from mashdesk.notices import Notice


def missing_deadline_notices(ctx: AppContext, actor: Actor, now: datetime) -> list[Notice]:
    """Mark breached clocks (stored as they happen), then a notice for every clock due soon or breached."""
    MissingService(ctx).mark_breaches(actor)
    calendar = ctx.calendar
    with ctx.session_factory() as s:
        pairs = s.execute(select(MissingEpisode, Person.first_name, Person.last_name)
                          .join(Person, Person.id == MissingEpisode.person_id)
                          .where(MissingEpisode.status.in_(OPEN_STATUSES))
                          .order_by(MissingEpisode.reported_at)).all()
        found = [(e.id, f"{first} {last}", e.looked_after, clocks_for(calendar, clock_times(e, now), now),
                  e.atlas_review) for e, first, last in pairs]
    notices = []
    for ident, child, looked_after, clocks, review in found:
        if review:  # a repeat episode: the Atlas team reviews the child
            notices.append(Notice(key=f"missing:atlas_review:{ident}", level="info",
                                  title=f"{missing_reference(ident)} repeat missing: Atlas review",
                                  text=f"{child}: the third episode in 90 days", entity="missing_episode",
                                  entity_id=ident))
        for c in clocks:
            if not c.pressing:
                continue
            ref = missing_reference(ident)
            notices.append(Notice(
                key=f"missing:{c.kind}:{c.state}:{ident}", level=str(c.state),
                title=f"{ref} {c.name} {'BREACHED' if c.state == 'breached' else 'due soon'}",
                text=f"{child}{' (looked after)' if looked_after else ''} — {c.label}",
                entity="missing_episode", entity_id=ident))
    return notices
