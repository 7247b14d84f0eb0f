"""The step-down deadline sweep: first contacts and reviews due soon or overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

from db.models import Contact, StepDown
from db.references import step_down_reference
from mashdesk.context import Actor, AppContext
from mashdesk.notices import Notice
from mashdesk.stepdown.centres import early_help_config
from mashdesk.stepdown.workflow import FIRST_CONTACT_RUNNING, REVIEW_RUNNING, clock_for


def step_down_deadline_notices(
    ctx: AppContext, actor: Actor, now: datetime, limit: int = 500
) -> list[Notice]:
    """First contacts and reviews due soon or overdue, for Early Help and the MASH managers."""
    calendar, config = ctx.calendar, early_help_config()
    # The last quarter of 5 working days, or of 12 weeks, starts well inside these horizons.
    soon_first, soon_review = now + timedelta(days=7), now + timedelta(weeks=4)
    stmt = (
        select(
            StepDown.id,
            StepDown.status,
            StepDown.accepted_at,
            StepDown.first_contact_due_at,
            StepDown.next_review_due_at,
            StepDown.sent_at,
            StepDown.centre,
            Contact.children_display,
        )
        .join(Contact, Contact.id == StepDown.contact_id)
        .where(
            or_(
                and_(StepDown.status.in_(FIRST_CONTACT_RUNNING), StepDown.first_contact_due_at <= soon_first),
                and_(StepDown.status.in_(REVIEW_RUNNING), StepDown.next_review_due_at <= soon_review),
            )
        )
        .order_by(StepDown.id)
        .limit(limit)
    )
    with ctx.session_factory() as s:
        rows = s.execute(stmt).all()
    notices = []
    for ident, status, accepted, first_due, review_due, sent, centre, family in rows:
        clock = clock_for(calendar, status, accepted, first_due, review_due, sent, now)
        if clock.state not in ("due_soon", "breached"):
            continue
        what = "first contact" if clock.kind == "early_help_first_contact" else "review"
        ref = step_down_reference(ident)
        notices.append(
            Notice(
                key=f"stepdown-{what.replace(' ', '-')}:{clock.state}:{ident}:{clock.due_at:%Y%m%d}",
                level=clock.state,
                title=f"{ref} {what} {'overdue' if clock.state == 'breached' else 'due soon'}",
                text=f"{family} — {clock.label} ({config.centre_name(centre)})",
                entity="step_down",
                entity_id=ident,
            )
        )
    return notices
