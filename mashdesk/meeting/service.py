"""Holding the daily MASH meeting: the units of work (open, attendance, items, decisions, actions, close,
addenda, actions done) and the minutes saved or printed.

A decision that changes a contact (an agency check, a strategy discussion, a step-down) is made by the same
code as on the contact (``triage.checks``, ``strategy.service.convene_discussion``, ``stepdown.opening``),
inside the meeting's unit of work, under the one audit event of the decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from db.models import Contact, DailyMeeting, MeetingAction, MeetingAddendum, MeetingItem, User
from db.references import discussion_reference, meeting_action_reference, step_down_reference
from mashdesk import permissions
from mashdesk.contacts.agenda import school_of
from mashdesk.context import Actor, WriteScope
from mashdesk.documents.delivery import DocumentDelivery, DocumentOf
from mashdesk.errors import InputError, PermissionDenied
from mashdesk.meeting import workflow
from mashdesk.meeting.reads import MeetingReads, agenda_day, live_items
from mashdesk.stepdown.opening import open_step_down
from mashdesk.strategy.service import convene_discussion
from mashdesk.triage.checks import add_agency_checks


class MeetingService(MeetingReads):
    # -- the meeting ------------------------------------------------------------------------------------
    def _meeting(self, w: WriteScope, meeting_id: int, version: int | None, action: str) -> DailyMeeting:
        m = (w.get(DailyMeeting, meeting_id, "meeting") if version is None
             else w.get_for_edit(DailyMeeting, meeting_id, version, "meeting"))
        workflow.require_state(m.status, action)
        return m

    def open(self, actor: Actor, day: date) -> int:
        """Open the meeting of ``day``: the agenda as it stands now becomes its items."""
        if not self.ctx.calendar.is_working_day(day):
            raise InputError(f"date: {day.strftime('%a %d %b %Y')} is not a working day", "date")
        if day > self.today():
            raise InputError("date: a meeting cannot be opened before its day", "date")
        with self.write(actor, "meeting.hold", "meeting") as w:
            if w.session.scalar(select(DailyMeeting.id).where(DailyMeeting.meeting_date == day)) is not None:
                raise InputError(f"date: the meeting of {day.isoformat()} is already open", "date")
            m = DailyMeeting(meeting_date=day, chair_id=actor.user_id, status="open", opened_at=w.now,
                             attendance={"mash": actor.display_name}, updated_by_id=actor.user_id)
            w.session.add(m)
            w.session.flush()
            items = live_items(w.session, agenda_day(w.session, self.ctx.calendar, day, w.now))
            for position, it in enumerate(items):
                w.session.add(MeetingItem(
                    meeting_id=m.id, position=position, section=it.section, kind=it.kind, record_id=it.record_id,
                    reference=it.reference, title=it.title[:300], reason=it.reason, brought_by=it.brought_by,
                    urgency=it.urgency, involves_school=it.involves_school,
                    school=school_of(w.session, it.record_id) if it.kind == "contact" and it.involves_school
                    and it.record_id else None,
                    restricted_to=sorted(it.restricted_to), person_ids=list(it.person_ids),
                    updated_by_id=actor.user_id))
            w.session.flush()
            w.audit("meeting", m.id, f"opened the daily meeting of {day.isoformat()} with {len(items)} items",
                    items=len(items))
            return m.id

    def set_attendance(self, actor: Actor, meeting_id: int, version: int, attendance: Mapping[str, str]) -> int:
        """Who attended for each agency at the table (an agency left blank was not there)."""
        unknown = set(attendance) - set(workflow.TABLE)
        if unknown:
            raise InputError(f"attendance: {', '.join(sorted(unknown))} is not an agency at the table", "attendance")
        with self.write(actor, "meeting.hold", "meeting") as w:
            m = self._meeting(w, meeting_id, version, "attendance")
            m.attendance = {k: v.strip() for k, v in attendance.items() if v.strip()}
            m.attendees = "; ".join(f"{k}: {v}" for k, v in m.attendance.items())
            w.session.flush()
            w.audit("meeting", m.id, f"attendance: {', '.join(m.attendance) or 'nobody'}",
                    attendance=dict(m.attendance))
            return m.version

    def add_item(self, actor: Actor, meeting_id: int, *, reference: str = "", text: str = "",
                 restricted_to_police: bool = False) -> int:
        """A manager adds a contact (by its reference) or free text to an open meeting."""
        reference, text = reference.strip().upper(), text.strip()
        if not reference and not text:
            raise InputError("item: give a contact reference (C-000123) or say what to discuss", "item")
        with self.write(actor, "meeting.hold", "meeting") as w:
            m = self._meeting(w, meeting_id, None, "add_item")
            position = len(list(w.session.scalars(select(MeetingItem.id).where(MeetingItem.meeting_id == m.id))))
            item = MeetingItem(meeting_id=m.id, position=position, section="other", kind="note", reference="",
                               title=text or reference, reason=text, brought_by=actor.agency_code or "mash",
                               by_hand=True, restricted_to=sorted(workflow.POLICE_RESTRICTED)
                               if restricted_to_police else [], person_ids=[], updated_by_id=actor.user_id)
            if reference:
                contact = self._contact_by_reference(w, reference)
                item.kind, item.record_id, item.reference = "contact", contact.id, contact.reference
                item.title = contact.children_display
                item.person_ids = [cp.person_id for cp in contact.people if cp.role == "child"]
                item.school = school_of(w.session, contact.id)
                item.involves_school = contact.cin_source in ("2A", "2B")
                item.reason = text or f"added by {actor.display_name}"
            w.session.add(item)
            w.session.flush()
            w.audit("meeting_item", item.id, f"added {item.reference or 'an item'} to the meeting by hand",
                    meeting_id=m.id, restricted=restricted_to_police)
            return item.id

    @staticmethod
    def _contact_by_reference(w: WriteScope, reference: str) -> Contact:
        digits = reference.removeprefix("C-")
        contact = w.session.get(Contact, int(digits)) if digits.isdigit() else None
        if contact is None:
            raise InputError(f"item: no contact {reference}", "item")
        return contact

    def record(self, actor: Actor, item_id: int, version: int, *, note: str, decision: str | None,
               agencies: Sequence[str] = ()) -> int:
        """The item's note and decision; a decision that changes a contact changes it here, in this unit."""
        if decision is not None and decision not in workflow.DECISIONS:
            raise InputError(f"decision: {decision!r} is not one of {', '.join(workflow.DECISIONS)}", "decision")
        with self.write(actor, "meeting.hold", "meeting item") as w:
            item = w.get_for_edit(MeetingItem, item_id, version, "meeting item")
            self._meeting(w, item.meeting_id, None, "record")
            made: dict[str, Any] = {}
            if decision in workflow.CONTACT_DECISIONS and item.kind == "contact" and item.record_id:
                if decision != item.decision:
                    made = self._change_contact(w, item, decision, note, agencies)
            item.note, item.decision = note.strip(), decision
            item.decided_at, item.decided_by_id = (w.now, actor.user_id) if decision else (None, None)
            w.session.flush()
            label = workflow.DECISIONS.get(decision or "", "note only")
            w.audit("meeting_item", item.id, f"{item.reference or 'item'}: {label}"
                    + (f" ({made['summary']})" if made else ""), decision=decision,
                    **{k: v for k, v in made.items() if k != "summary"})
            return item.version

    def _change_contact(self, w: WriteScope, item: MeetingItem, decision: str, note: str,
                        agencies: Sequence[str]) -> dict[str, Any]:
        permissions.require(w.actor.role, workflow.CONTACT_DECISIONS[decision], w.actor.username)
        contact = w.get(Contact, item.record_id or 0, "contact")
        if decision == "strategy":
            d = convene_discussion(w, contact, reason=note.strip() or item.reason, calendar=self.ctx.calendar)
            return {"summary": f"strategy discussion {discussion_reference(d.id)}", "discussion_id": d.id}
        if decision == "step_down":
            sd = open_step_down(w, contact, None)
            sd.needs = sd.needs or note.strip()
            return {"summary": f"step-down {step_down_reference(sd.id)}", "step_down_id": sd.id}
        add_agency_checks(w, contact, list(agencies), note, self.ctx.calendar)
        return {"summary": f"checks asked of {', '.join(agencies)}", "agencies": list(agencies),
                "contact_id": contact.id}

    def add_action(self, actor: Actor, meeting_id: int, *, text: str, owner: workflow.Owner, due: date,
                   item_id: int | None = None, school: str | None = None) -> int:
        """An action with its owner and due date; after the minutes are locked it is an addendum."""
        if not text.strip():
            raise InputError("action: say what is to be done", "action")
        if owner.user_id is None and owner.agency is None:
            raise InputError("owner: choose who the action is for", "owner")
        with self.write(actor, "meeting.hold", "meeting") as w:
            m = self._meeting(w, meeting_id, None, "add_action")
            workflow.validate_due(self.ctx.calendar, m.meeting_date, due)
            item = w.get(MeetingItem, item_id, "meeting item") if item_id else None
            if item is not None and item.meeting_id != m.id:
                raise InputError("item: not an item of this meeting", "item")
            agency, name = owner.agency, None
            if owner.user_id is not None:
                user = w.get(User, owner.user_id, "user")
                name, agency = user.display_name, user.agency.code if user.agency else None
            school = (school or "").strip() or None
            label = name or (f"{agency}: {school}" if school else agency) or ""
            a = MeetingAction(
                meeting_id=m.id, item_id=item.id if item else None, action=text.strip(), owner=label[:120],
                owner_user_id=owner.user_id, owner_agency=agency, school=school, due=due, status="open",
                contact_id=item.record_id if item is not None and item.kind == "contact" else None,
                added_at=w.now, added_by_id=actor.user_id, addendum=m.status == "closed",
                updated_by_id=actor.user_id)
            w.session.add(a)
            w.session.flush()
            w.audit("meeting_action", a.id, f"{meeting_action_reference(a.id)} for {label}, due {due.isoformat()}"
                    + (" (addendum)" if a.addendum else ""), meeting_id=m.id, due=due.isoformat())
            return a.id

    def close(self, actor: Actor, meeting_id: int, version: int) -> int:
        """Close the meeting: its minutes are locked from now on."""
        with self.write(actor, "meeting.hold", "meeting") as w:
            m = self._meeting(w, meeting_id, version, "close")
            m.status, m.closed_at, m.closed_by_id = "closed", w.now, actor.user_id
            w.session.flush()
            w.audit("meeting", m.id, f"closed the daily meeting of {m.meeting_date.isoformat()}: minutes locked")
            return m.version

    def add_addendum(self, actor: Actor, meeting_id: int, text: str, item_id: int | None = None) -> int:
        """Add to locked minutes: stamped with who and when."""
        if not text.strip():
            raise InputError("addendum: say what to add", "addendum")
        with self.write(actor, "meeting.addendum", "meeting") as w:
            m = self._meeting(w, meeting_id, None, "addendum")
            x = MeetingAddendum(meeting_id=m.id, item_id=item_id, at=w.now, by_id=actor.user_id,
                                by_name=actor.display_name, text=text.strip())
            w.session.add(x)
            w.session.flush()
            w.audit("meeting", m.id, f"addendum to the minutes of {m.meeting_date.isoformat()}", addendum_id=x.id)
            return x.id

    def complete_action(self, actor: Actor, action_id: int, version: int, note: str) -> int:
        """Mark an action done with a note: its owner, its owning agency's people, or a manager."""
        if not note.strip():
            raise InputError("note: say what was done", "note")
        with self.write(actor, "meeting.action_done", "meeting action") as w:
            a = w.get_for_edit(MeetingAction, action_id, version, "meeting action")
            if not workflow.may_complete(actor.role, actor.user_id, actor.agency_code, a.owner_user_id,
                                         a.owner_agency):
                raise PermissionDenied(f"{actor.username} may not mark {meeting_action_reference(a.id)} "
                                                   "done: it is another person's or agency's action")
            if a.status != "open":
                raise InputError(f"action: {meeting_action_reference(a.id)} is already done", "action")
            a.status, a.done_at, a.done_by_id, a.done_note = "done", w.now, actor.user_id, note.strip()
            w.session.flush()
            w.audit("meeting_action", a.id, f"{meeting_action_reference(a.id)} done", note=note.strip())
            return a.version

    # -- the minutes ------------------------------------------------------------------------------------
    def minutes_pdf(self, actor: Actor, day: date) -> bytes:
        """The minutes of ``day`` as ``actor`` may read them (built outside any write)."""
        from mashdesk.meeting.documents import build_minutes

        return build_minutes(self.agenda(actor, day), printed_at=self.ctx.now())

    @staticmethod
    def minutes_of(day: date, meeting_id: int | None) -> DocumentOf:
        return DocumentOf("meeting", meeting_id, f"the minutes of the daily meeting of {day.isoformat()}",
                          save_action="meeting.minutes_save", print_action="meeting.minutes_print",
                          detail={"date": day.isoformat()})

    def save_minutes(self, actor: Actor, day: date, meeting_id: int | None, pdf: bytes, path: str | Path) -> Path:
        return DocumentDelivery(self.ctx).save(actor, self.minutes_of(day, meeting_id), pdf, path)

    def record_minutes_printed(self, actor: Actor, day: date, meeting_id: int | None, printer: str,
                               pdf: bytes) -> None:
        DocumentDelivery(self.ctx).printed(actor, self.minutes_of(day, meeting_id), pdf, printer)
