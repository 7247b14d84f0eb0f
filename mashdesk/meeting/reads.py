"""Reading the meeting: the agenda assembled from its sources (or as held), each reader's share, actions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import DailyMeeting, MeetingAction, MeetingAddendum, MeetingItem, User
from db.references import meeting_action_reference
from mashdesk import codes
from mashdesk.agenda import AgendaDay, AgendaItem
from mashdesk.atlas.reading import labels_of
from mashdesk.clock import LONDON
from mashdesk.context import Actor, Service
from mashdesk.meeting import workflow
from mashdesk.meeting.sources import SOURCES
from mashdesk.meeting.views import ActionRow, AddendumView, AgendaRow, MeetingDetail


def agenda_day(session: Session, calendar, day: date, now) -> AgendaDay:  # type: ignore[no-untyped-def]
    """The meeting of ``day``; "since the last meeting" is the previous working day's meeting time."""
    previous = calendar.previous_working_day(day)
    return AgendaDay(day=day, starts_at=workflow.meeting_starts(calendar, day),
                     since=workflow.meeting_starts(calendar, previous), now=now, calendar=calendar)


def live_items(session: Session, day: AgendaDay) -> list[AgendaItem]:
    """Every source's items for ``day``, in agenda order (sources read; none writes)."""
    items: list[AgendaItem] = []
    for source in SOURCES:
        items.extend(source(session, day))
    return workflow.ordered(items)


def item_of(row: MeetingItem) -> AgendaItem:
    return AgendaItem(section=row.section, kind=row.kind, record_id=row.record_id, reference=row.reference,
                      title=row.title, reason=row.reason, brought_by=row.brought_by, urgency=row.urgency,
                      involves_school=row.involves_school, restricted_to=frozenset(row.restricted_to or ()),
                      person_ids=tuple(row.person_ids or ()))


def action_row(a: MeetingAction, day: date, item_reference: str, users: dict[int, str], actor: Actor,
               today: date) -> ActionRow:
    return ActionRow(
        id=a.id, version=a.version, reference=meeting_action_reference(a.id), meeting_day=day,
        item_reference=item_reference, text=a.action, owner=a.owner, owner_agency=a.owner_agency,
        school=a.school, due=a.due, status=a.status, overdue=a.status == "open" and a.due is not None
        and a.due < today, done_note=a.done_note, done_at=a.done_at, addendum=a.addendum, added_at=a.added_at,
        added_by=users.get(a.added_by_id or 0, ""),
        can_complete=a.status == "open" and actor.may("meeting.action_done") and workflow.may_complete(
            actor.role, actor.user_id, actor.agency_code, a.owner_user_id, a.owner_agency))


def sees_action(actor: Actor, a: MeetingAction, item: AgendaItem | None) -> bool:
    if actor.role != "education":
        return item is None or workflow.sees_item(actor.role, item.involves_school)
    return a.owner_user_id == actor.user_id or a.owner_agency == "education" or bool(a.school) or (
        item is not None and item.involves_school)


class MeetingReads(Service):
    def today(self) -> date:
        return self.ctx.now().astimezone(LONDON).date()

    def meeting_day(self, day: date | None = None) -> date:
        """``day``, or today's meeting (the next working day's when today is not one)."""
        day = day or self.today()
        cal = self.ctx.calendar
        return day if cal.is_working_day(day) else cal.next_working_day(day)

    def due_choices(self, day: date, count: int = 10) -> list[date]:
        """Working days an action agreed on ``day`` may fall due, the configured default first."""
        cal = self.ctx.calendar
        first = cal.due("meeting_action", day)
        assert isinstance(first, date)
        days = [first]
        while len(days) < count:
            days.append(cal.next_working_day(days[-1]))
        return days

    def agenda(self, actor: Actor, day: date) -> MeetingDetail:
        """The meeting of ``day`` as ``actor`` may see it: held items once opened, else the live agenda."""
        with self.read(actor, "meeting.read") as s:
            return self._detail(s, actor, day)

    def _detail(self, s: Session, actor: Actor, day: date) -> MeetingDetail:
        cal = self.ctx.calendar
        meeting = s.scalar(select(DailyMeeting).where(DailyMeeting.meeting_date == day))
        rows: list[MeetingItem | None]
        if meeting is None:
            items = live_items(s, agenda_day(s, cal, day, self.ctx.now()))
            rows = [None] * len(items)
        else:
            held = list(s.scalars(select(MeetingItem).where(MeetingItem.meeting_id == meeting.id)
                                  .order_by(MeetingItem.position, MeetingItem.id)))
            items, rows = [item_of(r) for r in held], list(held)
        actions = list(s.scalars(select(MeetingAction).where(MeetingAction.meeting_id == meeting.id)
                                 .order_by(MeetingAction.id))) if meeting else []
        addenda = list(s.scalars(select(MeetingAddendum).where(MeetingAddendum.meeting_id == meeting.id)
                                 .order_by(MeetingAddendum.id))) if meeting else []
        user_ids = {a.added_by_id for a in actions} | {r.decided_by_id for r in rows if r is not None}
        if meeting is not None:
            user_ids |= {meeting.chair_id, meeting.closed_by_id}
        users = _names(s, user_ids)
        atlas = labels_of(s, {p for it in items for p in it.person_ids}, actor.role)
        by_item: dict[int, list[MeetingAction]] = defaultdict(list)
        for a in actions:
            by_item[a.item_id or 0].append(a)
        today = self.today()
        out, refs = [], {}
        for it, row in zip(items, rows, strict=True):
            if row is not None:
                refs[row.id] = it.reference
            if not workflow.sees_item(actor.role, it.involves_school):
                continue
            shown = workflow.share([it], actor.role)[0]
            withheld = shown is not it
            mine = [action_row(a, day, it.reference, users, actor, today)
                    for a in (by_item.get(row.id, []) if row is not None else [])]
            out.append(AgendaRow(
                item_id=row.id if row else None, version=row.version if row else 0, section=it.section,
                section_title=workflow.SECTIONS.get(it.section, it.section.replace("_", " ").capitalize()),
                kind=it.kind, record_id=it.record_id, reference=it.reference, title=shown.title,
                reason=shown.reason, brought_by=it.brought_by, urgency=it.urgency,
                involves_school=it.involves_school, withheld=withheld,
                atlas=() if withheld else tuple(x for p in it.person_ids for x in atlas.get(p, ())),
                note="" if row is None or withheld else row.note,
                decision=row.decision if row else None,
                decision_label=workflow.DECISIONS.get(row.decision or "", "") if row else "",
                decided_by=users.get(row.decided_by_id or 0, "") if row else "",
                by_hand=bool(row and row.by_hand), school=row.school if row else None, actions=tuple(mine),
                person_ids=shown.person_ids))
        items_by_id = {r.id: it for it, r in zip(items, rows, strict=True) if r is not None}
        shown_actions = tuple(
            action_row(a, day, refs.get(a.item_id or 0, ""), users, actor, today) for a in actions
            if sees_action(actor, a, items_by_id.get(a.item_id or 0)))
        status = meeting.status if meeting else "not_opened"
        attendance = meeting.attendance if meeting else {}
        return MeetingDetail(
            day=day, starts_at=workflow.meeting_starts(cal, day), meeting_id=meeting.id if meeting else None,
            version=meeting.version if meeting else 0, status=status, status_label=workflow.STATUSES[status],
            attendance=tuple((code, codes.AGENCIES[code][0], attendance.get(code, "")) for code in workflow.TABLE),
            chair=users.get(meeting.chair_id or 0, "") if meeting else "",
            closed_at=meeting.closed_at if meeting else None,
            closed_by=users.get(meeting.closed_by_id or 0, "") if meeting else "",
            items=tuple(out), actions=shown_actions,
            addenda=tuple(AddendumView(x.at, x.by_name, x.text, refs.get(x.item_id or 0, "")) for x in addenda),
            allowed=tuple(a for a in workflow.available_actions(status, actor.role)
                          if a != "open" or day <= self.today()), reader=f"{actor.display_name} "
            f"({actor.role_name})", partial=actor.role == "education")

    def actions(self, actor: Actor, which: str = "mine") -> list[ActionRow]:
        """Open actions: ``mine`` (the reader's own and their agency's), ``schools`` (education actions,
        grouped by school), or ``open`` (every open action a manager follows up)."""
        with self.read(actor, "meeting.read") as s:
            q = (select(MeetingAction, DailyMeeting.meeting_date, MeetingItem.reference)
                 .join(DailyMeeting, DailyMeeting.id == MeetingAction.meeting_id)
                 .outerjoin(MeetingItem, MeetingItem.id == MeetingAction.item_id)
                 .where(MeetingAction.status == "open"))
            if which == "mine":
                q = q.where((MeetingAction.owner_user_id == actor.user_id)
                            | ((MeetingAction.owner_agency == actor.agency_code)
                               & MeetingAction.owner_user_id.is_(None)))
            elif which == "schools":
                q = q.where(MeetingAction.owner_agency == "education", MeetingAction.school.is_not(None))
            elif actor.role != "manager":
                q = q.where(MeetingAction.owner_agency == actor.agency_code)
            rows = s.execute(q.order_by(MeetingAction.school, MeetingAction.due, MeetingAction.id)).all()
            users = _names(s, {a.added_by_id for a, _, _ in rows})
            today = self.today()
            return [action_row(a, day, ref or "", users, actor, today) for a, day, ref in rows]

    def owners(self, actor: Actor) -> list[tuple[str, int | None, str | None]]:
        """Who an action can be for: (label, user id, agency code): the partners' people, then agencies."""
        with self.read(actor, "meeting.read") as s:
            people = s.execute(select(User).where(User.active.is_(True), User.role_code.in_(
                ("manager", "practitioner", "police", "health", "education", "atlas", "earlyhelp")))
                .order_by(User.role_code, User.display_name)).scalars().all()
            out = [(f"{u.display_name} ({u.role.name})", u.id, u.agency.code if u.agency else None)
                   for u in people]
        return out + [(f"{codes.AGENCIES[c][0]} (agency)", None, c) for c in workflow.TABLE]


def _names(s: Session, ids: set[int | None]) -> dict[int, str]:
    ids.discard(None)
    if not ids:
        return {}
    return {uid: name for uid, name in s.execute(select(User.id, User.display_name).where(User.id.in_(ids)))}
