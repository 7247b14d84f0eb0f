"""Strategy discussions' units of work: convening, the meeting record and building the pack.

A discussion is convened by the authorisation of a ``strategy_discussion`` decision (which calls
:func:`convene_discussion` inside its own unit of work) or by a manager from any contact. Every edit is one
audited unit of work; the rules it obeys are in ``workflow``.

The pack is gathered in a read and laid out outside any transaction, then its build is audited. While what
a reader's pack holds is unchanged it is not built again: the service hands back the pack it built last
for that reader. Saving and printing it go through ``mashdesk.documents.delivery`` with :func:`pack_of`.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import select

from db.models import Agency, Contact, ContactPerson, Decision, StrategyAction, StrategyAttendee, StrategyChild, StrategyDiscussion, User
from db.references import discussion_reference
from mashdesk import access
from mashdesk.calendar import WorkingCalendar
from mashdesk.clock import LONDON
from mashdesk.context import Actor, AppContext, Service, WriteScope
from mashdesk.documents.delivery import DocumentOf
from mashdesk.documents.output import fingerprint
from mashdesk.errors import InputError
from mashdesk.strategy.documents import build_strategy_pack
from mashdesk.strategy.pack import gather_pack
from mashdesk.strategy.reads import discussion_detail, discussion_rows
from mashdesk.strategy.views import DiscussionDetail, DiscussionRow, StrategyPack
from mashdesk.strategy.workflow import (
    DECISIONS,
    MEETING_FIELDS,
    MODES,
    check_attendance,
    check_decision,
    check_held,
    check_schedule,
    check_when_and_how,
    icpc_due,
    local_date,
    s47_start,
    status_when_held,
)

#: How many built packs a service keeps for reuse (one per discussion and reader).
KEPT_PACKS = 16


def pack_of(discussion_id: int) -> DocumentOf:
    """The strategy meeting pack of one discussion, as saving and printing it are audited."""
    return DocumentOf("strategy_discussion", discussion_id, "the strategy meeting pack", "pack.save", "pack.print")


def pack_key(pack: StrategyPack) -> str:
    """What a built pack depends on: everything it shows, the reader included."""
    return hashlib.sha256(repr(pack).encode()).hexdigest()


@lru_cache(maxsize=1)
def _default_calendar() -> WorkingCalendar:
    return WorkingCalendar()


def convene_discussion(
    w: WriteScope,
    contact: Contact,
    decision: Decision | None = None,
    *,
    reason: str | None = None,
    calendar: WorkingCalendar | None = None,
    due_at: datetime | None = None,
) -> StrategyDiscussion:
    """Convene a strategy discussion about every child of ``contact`` inside ``w`` (the caller audits).

    Due within one working day of now, or at ``due_at`` when the caller's own timescale sets it (a child
    missing from care: 24 hours from the report). A contact that already has a discussion not yet held
    gets no second one: that discussion is returned (siblings are discussed together).
    """
    s = w.session
    existing = s.scalar(
        select(StrategyDiscussion).where(
            StrategyDiscussion.contact_id == contact.id, StrategyDiscussion.status == "convened"
        )
    )
    if existing is not None:
        if decision is not None and existing.decision_id is None:
            existing.decision_id = decision.id
        return existing
    cal = calendar or _default_calendar()
    children = s.scalars(
        select(ContactPerson.person_id)
        .where(ContactPerson.contact_id == contact.id, ContactPerson.role == "child")
        .order_by(ContactPerson.id)
    ).all()
    if not children:
        raise InputError("children: the contact has no child to discuss", "children")
    discussion = StrategyDiscussion(
        contact_id=contact.id,
        decision_id=decision.id if decision is not None else None,
        convened_at=w.now,
        convened_by_id=w.actor.user_id,
        due_at=due_at if due_at is not None else cal.due_datetime("strategy_discussion", w.now),
        reason=(reason or (decision.rationale if decision is not None else "") or contact.concern).strip(),
        status="convened",
        mode="video",
        updated_by_id=w.actor.user_id,
    )
    discussion.children = [StrategyChild(person_id=pid, updated_by_id=w.actor.user_id) for pid in children]
    s.add(discussion)
    s.flush()
    return discussion


class StrategyService(Service):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.calendar = ctx.calendar
        self._packs: OrderedDict[tuple[int, int], tuple[str, bytes]] = OrderedDict()
        self._packs_lock = threading.Lock()

    # -- reading ---------------------------------------------------------------------------------------
    def discussions(self, actor: Actor, group: str | None = None, limit: int = 500) -> list[DiscussionRow]:
        """Discussions of one list (``GROUPS``; all without), the most pressing first."""
        now = self.ctx.now()
        with self.read(actor, "strategy.read") as s:
            return discussion_rows(s, self.calendar, group, now, limit,
                                   access.clause(actor, "strategy_discussion", StrategyDiscussion.id))

    def get(self, actor: Actor, discussion_id: int, audit_open: bool = True) -> DiscussionDetail:
        """One discussion, refused (audited) outside the reader's access rules; each opening audited."""
        now = self.ctx.now()
        self.require_record(actor, "strategy.read", "strategy_discussion", discussion_id, discussion_reference(discussion_id))
        with self.read(actor, "strategy.read") as s:
            detail = discussion_detail(s, self.calendar, discussion_id, now)
        if audit_open:
            self.audit_read(actor, "strategy.read", "strategy_discussion", discussion_id,
                            f"opened strategy discussion {discussion_reference(discussion_id)}")
        return detail

    # -- convening and recording -----------------------------------------------------------------------
    def convene(self, actor: Actor, contact_id: int, reason: str) -> int:
        """A manager convenes a discussion from any contact; returns its id."""
        if not reason.strip():
            raise InputError("reason: say why a strategy discussion is needed", "reason")
        with self.write(actor, "strategy.convene", "strategy discussion") as w:
            contact = w.get(Contact, contact_id, "contact")
            open_one = w.session.scalar(
                select(StrategyDiscussion.id).where(
                    StrategyDiscussion.contact_id == contact_id, StrategyDiscussion.status == "convened"
                )
            )
            if open_one is not None:
                raise InputError(
                    f"contact: {contact.reference} already has discussion "
                    f"{discussion_reference(open_one)} to hold",
                    "contact",
                )
            d = convene_discussion(w, contact, reason=reason, calendar=self.calendar)
            w.audit(
                "strategy_discussion",
                d.id,
                f"convened {discussion_reference(d.id)} for {contact.reference}",
                contact_id=contact_id,
                children=len(d.children),
                due_at=d.due_at.isoformat(),
            )
            return d.id

    def schedule(
        self,
        actor: Actor,
        discussion_id: int,
        expected_version: int,
        when: datetime,
        mode: str,
        chair_id: int | None = None,
    ) -> int:
        """Set the date, time and how it is held; the chair defaults to whoever schedules it."""
        check_when_and_how(when, mode)
        with self.write(actor, "strategy.manage", "strategy discussion") as w:
            d = w.get_for_edit(StrategyDiscussion, discussion_id, expected_version, "strategy discussion")
            check_schedule(d.status, d.convened_at, when)
            if chair_id is not None:
                w.get(User, chair_id, "chair")
            d.scheduled_for, d.mode = when, mode
            d.chair_id = chair_id or d.chair_id or actor.user_id
            w.session.flush()
            w.audit(
                "strategy_discussion",
                d.id,
                f"scheduled {discussion_reference(d.id)} for "
                f"{when.astimezone(LONDON):%d %b %Y %H:%M} ({MODES[mode].lower()})",
                mode=mode,
            )
            return d.version

    def invite(
        self,
        actor: Actor,
        discussion_id: int,
        agency_code: str,
        name: str,
        role: str,
        user_id: int | None = None,
    ) -> int:
        """Invite someone from an agency by name and role; returns the attendee's id."""
        if not name.strip():
            raise InputError("name: who is invited?", "name")
        with self.write(actor, "strategy.manage", "strategy discussion") as w:
            d = w.get(StrategyDiscussion, discussion_id, "strategy discussion")
            agency = w.session.scalar(select(Agency).where(Agency.code == agency_code))
            if agency is None:
                raise InputError(f"agency: {agency_code!r} is not a known agency", "agency")
            attendee = StrategyAttendee(
                discussion_id=d.id,
                agency_id=agency.id,
                user_id=user_id,
                name=name.strip(),
                role=role.strip(),
                invited=True,
                updated_by_id=actor.user_id,
            )
            w.session.add(attendee)
            w.session.flush()
            w.audit(
                "strategy_discussion",
                d.id,
                f"invited {attendee.name} ({agency.name}) to {discussion_reference(d.id)}",
                attendee_id=attendee.id,
                agency=agency_code,
            )
            return attendee.id

    def record_attendance(
        self,
        actor: Actor,
        attendee_id: int,
        expected_version: int,
        attended: bool,
        joined_by: str | None,
        information_shared: str = "",
    ) -> int:
        """Who attended, how they joined, and what their agency shared."""
        check_attendance(attended, joined_by)
        with self.write(actor, "strategy.manage", "attendee") as w:
            a = w.get_for_edit(StrategyAttendee, attendee_id, expected_version, "attendee")
            a.attended = attended
            a.joined_by = joined_by if attended else None
            a.information_shared = information_shared.strip()
            w.session.flush()
            w.audit(
                "strategy_discussion",
                a.discussion_id,
                f"recorded attendance of {a.name}",
                attendee_id=a.id,
                attended=attended,
                joined_by=a.joined_by,
            )
            return a.version

    def record_child_decision(
        self,
        actor: Actor,
        child_id: int,
        expected_version: int,
        decision: str,
        no_s47_reason: str | None = None,
        started_on: date | None = None,
    ) -> int:
        """The decision for one child. Section 47 sets the ICPC deadline from the day enquiries start
        (by default the day of the discussion)."""
        check_decision(decision, no_s47_reason)
        with self.write(actor, "strategy.manage", "child's decision") as w:
            c = w.get_for_edit(StrategyChild, child_id, expected_version, "child's decision")
            d = w.get(StrategyDiscussion, c.discussion_id, "strategy discussion")
            c.decision = decision
            if decision == "no_s47":
                c.no_s47_reason, c.s47_started_on, c.icpc_due = no_s47_reason.strip(), None, None  # type: ignore[union-attr]
            else:
                start = s47_start(d.convened_at, d.held_at or d.scheduled_for or w.now, started_on)
                c.no_s47_reason, c.s47_started_on = None, start
                c.icpc_due = icpc_due(self.calendar, start)
            w.session.flush()
            w.audit(
                "strategy_discussion",
                d.id,
                f"{DECISIONS[decision]} for person {c.person_id}",
                child_id=c.id,
                decision=decision,
                icpc_due=c.icpc_due.isoformat() if c.icpc_due else None,
            )
            return c.version

    def record_meeting(
        self,
        actor: Actor,
        discussion_id: int,
        expected_version: int,
        *,
        held_at: datetime | None,
        **fields: str,
    ) -> int:
        """The meeting's record: when it was held, immediate safety actions, further information,
        criminal investigation and its timing, legal advice."""
        unknown = set(fields) - set(MEETING_FIELDS)
        if unknown:
            field_name = sorted(unknown)[0]
            raise InputError(f"{field_name}: not part of the meeting record", field_name)
        with self.write(actor, "strategy.manage", "strategy discussion") as w:
            d = w.get_for_edit(StrategyDiscussion, discussion_id, expected_version, "strategy discussion")
            if held_at is not None:
                check_held(d.convened_at, held_at, w.now)
                d.held_at = held_at
                d.status = status_when_held(d.status)
                d.chair_id = d.chair_id or actor.user_id
            for name, value in fields.items():
                setattr(d, name, value.strip())
            w.session.flush()
            w.audit(
                "strategy_discussion",
                d.id,
                f"recorded the meeting of {discussion_reference(d.id)}",
                fields=sorted(fields),
                held=held_at is not None,
            )
            return d.version

    def add_action(self, actor: Actor, discussion_id: int, action: str, owner: str, due: date | None) -> int:
        if not action.strip():
            raise InputError("action: say what is to be done", "action")
        if not owner.strip():
            raise InputError("owner: name who will do it", "owner")
        with self.write(actor, "strategy.manage", "strategy discussion") as w:
            d = w.get(StrategyDiscussion, discussion_id, "strategy discussion")
            if due is not None and due < local_date(d.convened_at):
                raise InputError("due: before the discussion was convened", "due")
            row = StrategyAction(
                discussion_id=d.id,
                action=action.strip(),
                owner=owner.strip(),
                due=due,
                updated_by_id=actor.user_id,
            )
            w.session.add(row)
            w.session.flush()
            w.audit("strategy_discussion", d.id, f"added action for {row.owner}", action_id=row.id)
            return row.id

    def set_action_done(self, actor: Actor, action_id: int, expected_version: int, done: bool) -> int:
        with self.write(actor, "strategy.manage", "action") as w:
            row = w.get_for_edit(StrategyAction, action_id, expected_version, "action")
            row.done_at = w.now if done else None
            w.session.flush()
            w.audit(
                "strategy_discussion",
                row.discussion_id,
                f"action {'done' if done else 'reopened'}: {row.action[:60]}",
                action_id=row.id,
            )
            return row.version

    # -- the pack --------------------------------------------------------------------------------------
    def build_pack(self, actor: Actor, discussion_id: int, *, fresh: bool = False) -> bytes:
        """The pack as ``actor`` may read it, as PDF bytes.

        Gathered in a read and laid out outside any transaction; each build is audited (``pack.build``).
        While the pack would hold exactly what the one built last for this reader holds, that one is
        returned: no new build, no audit event. ``fresh`` builds it again all the same (on request).
        """
        self.require_record(actor, "pack.build", "strategy_discussion", discussion_id, discussion_reference(discussion_id))
        with self.read(actor, "strategy.read") as s:
            pack, withheld = gather_pack(s, discussion_id, actor, self.ctx.now())
        key, content = (discussion_id, actor.user_id), pack_key(pack)
        with self._packs_lock:
            kept = self._packs.get(key)
        if kept is not None and kept[0] == content and not fresh:
            return kept[1]
        pdf = build_strategy_pack(pack, printed_at=self.ctx.now())
        with self.write(actor, "pack.build", "pack") as w:
            w.audit(
                "strategy_discussion",
                discussion_id,
                f"built the strategy meeting pack for {pack.reader}",
                stage=pack.stage,
                withheld=withheld,
                bytes=len(pdf),
                sha256=fingerprint(pdf),
            )
        with self._packs_lock:
            self._packs[key] = (content, pdf)
            self._packs.move_to_end(key)
            while len(self._packs) > KEPT_PACKS:
                self._packs.popitem(last=False)
        return pdf
