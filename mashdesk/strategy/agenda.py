"""The strategy section of the daily meeting: discussions convened and not yet held that are due by the
end of the meeting's day, overdue first (those not yet scheduled are still to convene)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Contact, StrategyChild, StrategyDiscussion
from db.references import discussion_reference
from mashdesk.agenda import AgendaDay, AgendaItem
from mashdesk.clock import LONDON


def strategy_items(session: Session, day: AgendaDay) -> Iterator[AgendaItem]:
    end_of_day = datetime.combine(day.day, time(23, 59), tzinfo=LONDON)
    rows = session.execute(
        select(StrategyDiscussion.id, StrategyDiscussion.due_at, StrategyDiscussion.scheduled_for,
               Contact.children_display, Contact.cin_source)
        .join(Contact, Contact.id == StrategyDiscussion.contact_id)
        .where(StrategyDiscussion.status == "convened", StrategyDiscussion.due_at <= end_of_day)
        .order_by(StrategyDiscussion.due_at)
    ).all()
    children: dict[int, list[int]] = defaultdict(list)
    if rows:
        for discussion_id, person_id in session.execute(
                select(StrategyChild.discussion_id, StrategyChild.person_id)
                .where(StrategyChild.discussion_id.in_([r.id for r in rows]))):
            children[discussion_id].append(person_id)
    for r in rows:
        overdue = r.due_at < day.starts_at
        due = r.due_at.astimezone(LONDON).strftime("%a %d %b %H:%M")
        if r.scheduled_for is None:
            what = f"to convene: due {due}"
        else:
            what = f"scheduled {r.scheduled_for.astimezone(LONDON).strftime('%a %d %b %H:%M')}, due {due}"
        yield AgendaItem(
            section="strategy", kind="strategy_discussion", record_id=r.id, reference=discussion_reference(r.id),
            title=r.children_display, reason=("overdue — " if overdue else "") + what, brought_by="mash",
            urgency=0 if overdue else 1 if r.scheduled_for is None else 2,
            involves_school=r.cin_source in ("2A", "2B"), person_ids=tuple(children.get(r.id, ())))
