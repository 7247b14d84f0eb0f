"""The scheduled sweep: strategy discussions not held in time, and ICPCs due soon or overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from db.models import Person, StrategyChild, StrategyDiscussion
from db.references import discussion_reference
from mashdesk.context import Actor, AppContext
from mashdesk.notices import Notice
from mashdesk.contacts.views import due_label
from mashdesk.strategy.workflow import local_date


def strategy_deadline_notices(ctx: AppContext, actor: Actor, now: datetime, limit: int = 200) -> list[Notice]:
    """Discussions not held in time, and ICPCs due soon or overdue."""
    cal = ctx.calendar
    notices = []
    with ctx.session_factory() as s:
        due = s.execute(
            select(StrategyDiscussion.id, StrategyDiscussion.convened_at, StrategyDiscussion.due_at)
            .where(
                StrategyDiscussion.status == "convened", StrategyDiscussion.due_at <= now + timedelta(days=3)
            )
            .order_by(StrategyDiscussion.due_at)
            .limit(limit)
        ).all()
        icpcs = s.execute(
            select(
                StrategyChild.discussion_id,
                StrategyChild.s47_started_on,
                StrategyChild.icpc_due,
                Person.first_name + " " + Person.last_name,
            )
            .join(Person, Person.id == StrategyChild.person_id)
            .where(
                StrategyChild.icpc_due.is_not(None),
                StrategyChild.icpc_held_on.is_(None),
                StrategyChild.icpc_due <= local_date(now) + timedelta(days=14),
            )
            .order_by(StrategyChild.icpc_due)
            .limit(limit)
        ).all()
    for ident, convened, due_at in due:
        state = cal.status(due_at, convened, now, "strategy_discussion")
        if state != "ok":
            label = due_label(state, cal.time_left(due_at, now, "strategy_discussion"), due_at)
            notices.append(
                Notice(
                    key=f"strategy:{state}:{ident}",
                    level=state,
                    title=f"{discussion_reference(ident)} strategy discussion "
                    f"{'overdue' if state == 'breached' else 'due soon'}",
                    text=label,
                    entity="strategy_discussion",
                    entity_id=ident,
                )
            )
    for ident, started, icpc_due, name in icpcs:
        state = cal.status(icpc_due, started, now, "icpc")
        if state != "ok":
            notices.append(
                Notice(
                    key=f"icpc:{state}:{ident}:{name}",
                    level=state,
                    title=f"ICPC for {name} {'overdue' if state == 'breached' else 'due soon'}",
                    text=f"Initial child protection conference due by {icpc_due:%a %d %b %Y} "
                    f"({discussion_reference(ident)})",
                    entity="strategy_discussion",
                    entity_id=ident,
                )
            )
    return notices
