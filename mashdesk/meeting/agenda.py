"""The meeting's own section of its agenda: actions from earlier meetings still open, overdue first."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import DailyMeeting, MeetingAction
from db.references import meeting_action_reference
from mashdesk.agenda import AgendaDay, AgendaItem


def earlier_action_items(session: Session, day: AgendaDay) -> Iterator[AgendaItem]:
    rows = session.execute(
        select(MeetingAction, DailyMeeting.meeting_date)
        .join(DailyMeeting, DailyMeeting.id == MeetingAction.meeting_id)
        .where(MeetingAction.status == "open", DailyMeeting.meeting_date < day.day)
        .order_by(MeetingAction.due, MeetingAction.id)
    ).all()
    for a, agreed in rows:
        overdue = a.due is not None and a.due < day.day
        due = a.due.strftime("%a %d %b") if a.due else "no date"
        yield AgendaItem(
            section="actions", kind="meeting_action", record_id=a.id, reference=meeting_action_reference(a.id),
            title=a.action, reason=f"{'overdue' if overdue else 'open'}: {a.owner}, due {due} "
            f"(agreed {agreed.strftime('%d %b')})", brought_by=a.owner_agency or "mash",
            urgency=0 if overdue else 1, involves_school=a.owner_agency == "education" or bool(a.school))
