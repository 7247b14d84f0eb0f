"""The meeting's notices: at 09:15 on working days the agenda is ready (to the chairs); actions past their due
date, to their owners (a person, or the people of the owning agency when no one person owns it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from db.models import DailyMeeting, MeetingAction
from db.references import meeting_action_reference
from mashdesk.clock import LONDON
from mashdesk.context import Actor, AppContext
from mashdesk.meeting.reads import agenda_day, live_items
from mashdesk.meeting.workflow import agenda_ready_at, meeting_starts
from mashdesk.notices import Notice


def agenda_ready_notices(ctx: AppContext, actor: Actor, now: datetime) -> list[Notice]:
    """From the configured time (09:15) until the meeting starts on a working day: the agenda is ready."""
    cal = ctx.calendar
    day = now.astimezone(LONDON).date()
    if not cal.is_working_day(day) or not agenda_ready_at(cal, day) <= now < meeting_starts(cal, day):
        return []
    with ctx.session_factory() as s:
        if s.scalar(select(DailyMeeting.id).where(DailyMeeting.meeting_date == day)) is not None:
            return []
        items = live_items(s, agenda_day(s, cal, day, now))
    sections = len({it.section for it in items})
    starts = meeting_starts(cal, day).astimezone(LONDON).strftime("%H:%M")
    return [Notice(key=f"meeting-agenda:{day.isoformat()}", level="info",
                   title=f"Today's MASH meeting agenda is ready ({starts})",
                   text=f"{len(items)} items in {sections} sections: open the Daily meeting (Ctrl+6).",
                   entity="meeting", entity_id=None)]


def overdue_action_notices(ctx: AppContext, actor: Actor, now: datetime, limit: int = 200) -> list[Notice]:
    """Open meeting actions past their due date that are the actor's own, or their agency's."""
    today = now.astimezone(LONDON).date()
    mine = MeetingAction.owner_user_id == actor.user_id
    if actor.agency_code is not None:
        mine = mine | ((MeetingAction.owner_agency == actor.agency_code) & MeetingAction.owner_user_id.is_(None))
    with ctx.session_factory() as s:
        rows = s.scalars(select(MeetingAction).where(MeetingAction.status == "open", MeetingAction.due < today, mine)
                         .order_by(MeetingAction.due, MeetingAction.id).limit(limit)).all()
        return [Notice(key=f"meeting-action:overdue:{a.id}", level="breached",
                       title=f"{meeting_action_reference(a.id)} overdue (due {a.due:%a %d %b})",
                       text=f"{a.action} — {a.owner}", entity="meeting_action", entity_id=a.id) for a in rows]
