"""Strategy discussions: convening, the meeting record, the ICPC clock and the meeting pack.

A discussion is convened by the authorisation of a ``strategy_discussion`` decision (which calls
:func:`convene_discussion` inside its own unit of work) or by a manager from any contact. It is due within
one working day; it concerns every child of the contact, one record per child. When section 47 enquiries
start for a child, the initial child protection conference is due 15 working days after the discussion.

The pack is gathered here for one reader: an agency check answer restricted to an agency is left out for
everyone outside that agency (``permissions.may_read_restricted``), who sees that it was withheld.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from db.references import discussion_reference
from db.models import (
    Agency,
    Contact,
    ContactPerson,
    Decision,
    EdtEntry,
    EdtEntryPerson,
    Person,
    StepDown,
    StepDownEvent,
    StrategyAction,
    StrategyAttendee,
    StrategyChild,
    StrategyDiscussion,
    ThresholdAssessment,
    User,
)
from db.references import contact_reference
from mashdesk import codes, permissions
from mashdesk.calendar import WorkingCalendar
from mashdesk.documents.output import fingerprint, pdf_target
from mashdesk.documents.strategy_pack import (
    DECISIONS,
    MODES,
    ChronologyEvent,
    PackAction,
    PackAssessment,
    PackAttendee,
    PackCheck,
    PackChild,
    PackPerson,
    StrategyPack,
    build_strategy_pack,
)
from mashdesk.errors import InputError, NotFound
from mashdesk.notices import Notice
from mashdesk.context import Actor, AppContext, Service, WriteScope
from mashdesk.services.contacts import previous_contacts
from mashdesk.services.queue import due_label

from mashdesk.clock import LONDON
#: The lists of the strategy screen: key → label.
GROUPS = {"to_convene": "To convene (no date yet)", "convened": "Convened (date set)", "held": "Held"}
MEETING_FIELDS = ("immediate_actions", "further_information", "criminal_investigation", "legal_advice")




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
) -> StrategyDiscussion:
    """Convene a strategy discussion about every child of ``contact`` inside ``w`` (the caller audits).

    Due within one working day of now. A contact that already has a discussion not yet held gets no
    second one: that discussion is returned (siblings are discussed together).
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
        due_at=cal.due_datetime("strategy_discussion", w.now),
        reason=(reason or (decision.rationale if decision is not None else "") or contact.concern).strip(),
        status="convened",
        mode="video",
        updated_by_id=w.actor.user_id,
    )
    discussion.children = [StrategyChild(person_id=pid, updated_by_id=w.actor.user_id) for pid in children]
    s.add(discussion)
    s.flush()
    return discussion


# -- what the screen shows ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiscussionRow:
    id: int
    reference: str
    contact_reference: str
    children: str
    group: str
    status: str
    convened_at: datetime
    due_at: datetime
    scheduled_for: datetime | None
    held_at: datetime | None
    mode: str
    #: "3h 20m left", "Overdue 1d 4h", "Held Tue 22 Dec 10:00"
    due_text: str
    #: ok / due_soon / breached while it is still to be held; None once held
    due_status: str | None
    next_icpc_due: date | None
    #: ok / due_soon / breached for the earliest ICPC not yet held; None without one
    icpc_status: str | None = None


@dataclass(frozen=True)
class ChildView:
    id: int
    version: int
    person_id: int
    name: str
    decision: str | None
    no_s47_reason: str | None
    s47_started_on: date | None
    icpc_due: date | None
    icpc_status: str | None


@dataclass(frozen=True)
class AttendeeView:
    id: int
    version: int
    agency_code: str | None
    agency: str
    name: str
    role: str
    invited: bool
    attended: bool | None
    joined_by: str | None
    information_shared: str


@dataclass(frozen=True)
class ActionView:
    id: int
    version: int
    action: str
    owner: str
    due: date | None
    done_at: datetime | None


@dataclass(frozen=True)
class DiscussionDetail:
    id: int
    reference: str
    version: int
    contact_id: int
    contact_reference: str
    status: str
    group: str
    convened_at: datetime
    due_at: datetime
    due_text: str
    scheduled_for: datetime | None
    held_at: datetime | None
    mode: str
    chair: str | None
    reason: str
    immediate_actions: str
    further_information: str
    criminal_investigation: str
    legal_advice: str
    children: list[ChildView]
    attendees: list[AttendeeView]
    actions: list[ActionView]


def _group(d: StrategyDiscussion) -> str:
    if d.status in ("held", "closed"):
        return "held"
    return "convened" if d.scheduled_for is not None else "to_convene"


def _local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


class StrategyService(Service):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.calendar = ctx.calendar

    # -- reading ---------------------------------------------------------------------------------------
    def _due(self, d: StrategyDiscussion, now: datetime) -> tuple[str, str | None]:
        if d.held_at is not None:
            return f"Held {d.held_at.astimezone(LONDON):%d %b}", None
        kind = "strategy_discussion"
        state = self.calendar.status(d.due_at, d.convened_at, now, kind)
        return due_label(state, self.calendar.time_left(d.due_at, now, kind), d.due_at), state

    def discussions(self, actor: Actor, group: str | None = None, limit: int = 500) -> list[DiscussionRow]:
        """Discussions of one list (``GROUPS``; all without), the most pressing first."""
        if group is not None and group not in GROUPS:
            raise InputError(f"list: {group!r} is not one of {', '.join(GROUPS)}", "group")
        now = self.ctx.now()
        stmt = select(StrategyDiscussion)
        if group == "held":
            stmt = stmt.where(StrategyDiscussion.status.in_(("held", "closed"))).order_by(
                StrategyDiscussion.held_at.desc(), StrategyDiscussion.id.desc()
            )
        else:
            stmt = stmt.where(StrategyDiscussion.status == "convened") if group else stmt
            if group == "to_convene":
                stmt = stmt.where(StrategyDiscussion.scheduled_for.is_(None))
            elif group == "convened":
                stmt = stmt.where(StrategyDiscussion.scheduled_for.is_not(None))
            stmt = stmt.order_by(
                StrategyDiscussion.status,
                StrategyDiscussion.due_at.desc() if group is None else StrategyDiscussion.due_at,
                StrategyDiscussion.id,
            )
        with self.read(actor, "strategy.read") as s:
            found = list(s.scalars(stmt.limit(limit).options(selectinload(StrategyDiscussion.children))))
            ids = [pid for d in found for pid in (c.person_id for c in d.children)]
            names = {
                pid: name
                for pid, name in s.execute(
                    select(Person.id, Person.first_name + " " + Person.last_name).where(Person.id.in_(ids))
                )
            }
            rows = []
            for d in found:
                text, state = self._due(d, now)
                icpcs = sorted(
                    (c.icpc_due, c.s47_started_on)
                    for c in d.children
                    if c.icpc_due and c.s47_started_on and c.icpc_held_on is None
                )
                rows.append(
                    DiscussionRow(
                        id=d.id,
                        reference=discussion_reference(d.id),
                        contact_reference=contact_reference(d.contact_id),
                        children=", ".join(names.get(c.person_id, "?") for c in d.children),
                        group=_group(d),
                        status=d.status,
                        convened_at=d.convened_at,
                        due_at=d.due_at,
                        scheduled_for=d.scheduled_for,
                        held_at=d.held_at,
                        mode=d.mode,
                        due_text=text,
                        due_status=state,
                        next_icpc_due=icpcs[0][0] if icpcs else None,
                        icpc_status=self.calendar.status(icpcs[0][0], icpcs[0][1], now, "icpc")
                        if icpcs
                        else None,
                    )
                )
            return rows

    def get(self, actor: Actor, discussion_id: int) -> DiscussionDetail:
        now = self.ctx.now()
        with self.read(actor, "strategy.read") as s:
            d = _load(s, discussion_id)
            people = {
                p.id: p.full_name
                for p in s.scalars(select(Person).where(Person.id.in_([c.person_id for c in d.children])))
            }
            agencies = {a.id: a for a in s.scalars(select(Agency))}
            chair = s.get(User, d.chair_id) if d.chair_id else None
            text, _ = self._due(d, now)
            children = [
                ChildView(
                    id=c.id,
                    version=c.version,
                    person_id=c.person_id,
                    name=people.get(c.person_id, "?"),
                    decision=c.decision,
                    no_s47_reason=c.no_s47_reason,
                    s47_started_on=c.s47_started_on,
                    icpc_due=c.icpc_due,
                    icpc_status=self.calendar.status(c.icpc_due, c.s47_started_on, now, "icpc")
                    if c.icpc_due and c.s47_started_on and c.icpc_held_on is None
                    else None,
                )
                for c in d.children
            ]
            attendees = [
                AttendeeView(
                    id=a.id,
                    version=a.version,
                    agency_code=agencies[a.agency_id].code if a.agency_id else None,
                    agency=agencies[a.agency_id].name if a.agency_id else "—",
                    name=a.name,
                    role=a.role,
                    invited=a.invited,
                    attended=a.attended,
                    joined_by=a.joined_by,
                    information_shared=a.information_shared,
                )
                for a in d.attendees
            ]
            actions = [
                ActionView(
                    id=a.id, version=a.version, action=a.action, owner=a.owner, due=a.due, done_at=a.done_at
                )
                for a in d.actions
            ]
            return DiscussionDetail(
                id=d.id,
                reference=discussion_reference(d.id),
                version=d.version,
                contact_id=d.contact_id,
                contact_reference=contact_reference(d.contact_id),
                status=d.status,
                group=_group(d),
                convened_at=d.convened_at,
                due_at=d.due_at,
                due_text=text,
                scheduled_for=d.scheduled_for,
                held_at=d.held_at,
                mode=d.mode,
                chair=chair.display_name if chair else None,
                reason=d.reason,
                immediate_actions=d.immediate_actions,
                further_information=d.further_information,
                criminal_investigation=d.criminal_investigation,
                legal_advice=d.legal_advice,
                children=children,
                attendees=attendees,
                actions=actions,
            )

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
        if when.tzinfo is None:
            raise InputError("date and time: give a time zone", "scheduled_for")
        if mode not in MODES:
            raise InputError(f"how: {mode!r} is not one of {', '.join(MODES)}", "mode")
        with self.write(actor, "strategy.manage", "strategy discussion") as w:
            d = w.get_for_edit(StrategyDiscussion, discussion_id, expected_version, "strategy discussion")
            if d.status != "convened":
                raise InputError("date and time: the discussion has already been held", "scheduled_for")
            if when < d.convened_at - timedelta(minutes=1):
                raise InputError("date and time: before the discussion was convened", "scheduled_for")
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
        if attended and joined_by not in MODES:
            raise InputError(f"joined by: choose one of {', '.join(MODES)}", "joined_by")
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
        if decision not in DECISIONS:
            raise InputError(f"decision: choose one of {', '.join(DECISIONS)}", "decision")
        if decision == "no_s47" and not (no_s47_reason or "").strip():
            raise InputError("reason: say why section 47 enquiries are not starting", "no_s47_reason")
        with self.write(actor, "strategy.manage", "child's decision") as w:
            c = w.get_for_edit(StrategyChild, child_id, expected_version, "child's decision")
            d = w.get(StrategyDiscussion, c.discussion_id, "strategy discussion")
            c.decision = decision
            if decision == "no_s47":
                c.no_s47_reason, c.s47_started_on, c.icpc_due = no_s47_reason.strip(), None, None  # type: ignore[union-attr]
            else:
                start = started_on or _local_date(d.held_at or d.scheduled_for or w.now)
                if start < _local_date(d.convened_at):
                    raise InputError("section 47 from: before the discussion was convened", "s47_started_on")
                c.no_s47_reason, c.s47_started_on = None, start
                c.icpc_due = self.calendar.due("icpc", start)  # type: ignore[assignment]
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
                if held_at.tzinfo is None:
                    raise InputError("held: give a time zone", "held_at")
                if held_at > w.now + timedelta(minutes=5):
                    raise InputError("held: cannot be in the future", "held_at")
                if held_at < d.convened_at - timedelta(minutes=1):
                    raise InputError("held: before the discussion was convened", "held_at")
                d.held_at = held_at
                d.status = "held" if d.status == "convened" else d.status
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
            if due is not None and due < _local_date(d.convened_at):
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
    def build_pack(self, actor: Actor, discussion_id: int) -> bytes:
        """The pack as ``actor`` may read it, as PDF bytes; the build is audited."""
        permissions.require(actor.role, "pack.build", actor.username)
        with self.read(actor, "strategy.read") as s:
            pack, withheld = gather_pack(s, discussion_id, actor, self.ctx.now())
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
        return pdf

    def save_pack(self, actor: Actor, discussion_id: int, pdf: bytes, path: str | Path) -> Path:
        """Write a built pack to ``path``; audited with the file name and the pack's hash."""
        target = pdf_target(path)
        with self.write(actor, "pack.save", "pack") as w:
            w.get(StrategyDiscussion, discussion_id, "strategy discussion")
            target.write_bytes(pdf)
            w.audit(
                "strategy_discussion",
                discussion_id,
                f"saved the strategy meeting pack as {target.name}",
                path=str(target),
                sha256=fingerprint(pdf),
            )
        return target

    def record_pack_printed(self, actor: Actor, discussion_id: int, printer: str, pdf: bytes) -> None:
        with self.write(actor, "pack.print", "pack") as w:
            w.get(StrategyDiscussion, discussion_id, "strategy discussion")
            w.audit(
                "strategy_discussion",
                discussion_id,
                f"printed the strategy meeting pack on {printer}",
                printer=printer,
                sha256=fingerprint(pdf),
            )


def _load(s: Session, discussion_id: int) -> StrategyDiscussion:
    d = s.scalar(
        select(StrategyDiscussion)
        .where(StrategyDiscussion.id == discussion_id)
        .options(
            selectinload(StrategyDiscussion.children),
            selectinload(StrategyDiscussion.attendees),
            selectinload(StrategyDiscussion.actions),
        )
    )
    if d is None:
        raise NotFound(f"strategy discussion {discussion_id} does not exist")
    return d


# -- gathering the pack ---------------------------------------------------------------------------------
def _born(p: Person) -> str:
    if p.date_of_birth:
        return p.date_of_birth.strftime("%d %b %Y")
    return f"due {p.expected_date_of_birth:%d %b %Y}" if p.expected_date_of_birth else "not known"


def _address(p: Person) -> str:
    current = [pa.address.one_line for pa in p.addresses if pa.current]
    return current[0] if current else "—"


def gather_pack(s: Session, discussion_id: int, reader: Actor, now: datetime) -> tuple[StrategyPack, int]:
    """Everything the pack holds, as ``reader`` may see it; returns it with the number of answers withheld."""
    d = _load(s, discussion_id)
    contact = s.scalar(
        select(Contact)
        .where(Contact.id == d.contact_id)
        .options(selectinload(Contact.people), selectinload(Contact.checks), selectinload(Contact.referrer))
    )
    assert contact is not None
    child_ids = [c.person_id for c in d.children]
    people = {
        p.id: p
        for p in s.scalars(
            select(Person).where(Person.id.in_(child_ids)).options(selectinload(Person.addresses))
        )
    }
    names = {pid: people[pid].full_name for pid in child_ids}
    agencies = {a.id: a for a in s.scalars(select(Agency))}
    chair = s.get(User, d.chair_id) if d.chair_id else None
    history = previous_contacts(s, child_ids, d.convened_at, exclude_contact=contact.id)

    children = []
    involvement = []
    for c in d.children:
        p = people[c.person_id]
        notes = [
            n
            for n, on in (
                ("Current CP plan", p.cp_plan_current),
                ("Previous CP plan", p.cp_plan_previous),
                ("Open case", p.open_case),
                ("Disabled", p.disabled),
            )
            if on
        ]
        if p.warning:
            notes.append(f"Warning: {p.warning}")
        children.append(
            PackChild(
                name=p.full_name,
                born=_born(p),
                sex=p.sex,
                nhs_number=p.nhs_number or "—",
                school=p.school or "—",
                gp=p.gp or "—",
                address=_address(p),
                notes="; ".join(notes) or "—",
                decision=c.decision,
                no_s47_reason=c.no_s47_reason,
                s47_started_on=c.s47_started_on,
                icpc_due=c.icpc_due,
            )
        )
        contacts_12m, referrals_12m = history[c.person_id]
        status = (
            ", ".join(n.lower() for n in notes[:3] if not n.startswith("Warning")) or "no plan or open case"
        )
        involvement.append(
            f"{p.full_name}: {contacts_12m} earlier contact{'s' if contacts_12m != 1 else ''} and "
            f"{referrals_12m} referral{'s' if referrals_12m != 1 else ''} in the 12 months before "
            f"this discussion; {status}."
        )
    household = [
        PackPerson(
            name=cp.person.full_name,
            relationship=cp.relationship_to_child or cp.role.replace("_", " "),
            parental_responsibility=cp.parental_responsibility,
            born=_born(cp.person),
        )
        for cp in contact.people
        if cp.role != "child"
    ]

    checks, withheld = [], 0
    for ch in sorted(contact.checks, key=lambda x: (x.requested_at, x.id)):
        agency = agencies[ch.agency_id]
        hidden = ch.restricted and not permissions.may_read_restricted(reader.agency_code, agency.code)
        withheld += hidden
        checks.append(
            PackCheck(
                agency=agency.name,
                requested_at=ch.requested_at,
                responded_at=ch.responded_at,
                status=ch.status,
                response=None if hidden else ch.response,
                restricted=ch.restricted,
                withheld=hidden,
            )
        )

    reader_agency = agencies.get(next((a.id for a in agencies.values() if a.code == reader.agency_code), -1))
    referrer = contact.referrer
    who = "Anonymous"
    if referrer is not None and referrer.name:
        who = ", ".join(x for x in (referrer.name, referrer.role, referrer.organisation) if x)
    pack = StrategyPack(
        reference=discussion_reference(d.id),
        contact_reference=contact.reference,
        stage="after" if d.status in ("held", "closed") else "before",
        convened_at=d.convened_at,
        due_at=d.due_at,
        scheduled_for=d.scheduled_for,
        held_at=d.held_at,
        mode=d.mode,
        chair=chair.display_name if chair else "",
        reason=d.reason,
        concern=contact.concern,
        referrer=who,
        immediate_protection=contact.immediate_protection,
        child_location=contact.child_location or "—",
        reader=f"{reader.display_name}, {reader_agency.name if reader_agency else reader.role_name}",
        children=children,
        household=household,
        attendees=[
            PackAttendee(
                name=a.name,
                role=a.role,
                agency=agencies[a.agency_id].name if a.agency_id else "—",
                invited=a.invited,
                attended=a.attended,
                joined_by=a.joined_by,
                information_shared=a.information_shared,
            )
            for a in d.attendees
        ],
        previous_involvement=involvement,
        chronology=chronology(s, d, names, now),
        checks=checks,
        assessments=_assessments(s, contact.id, names),
        immediate_actions=d.immediate_actions,
        further_information=d.further_information,
        criminal_investigation=d.criminal_investigation,
        legal_advice=d.legal_advice,
        actions=[PackAction(action=a.action, owner=a.owner, due=a.due, done_at=a.done_at) for a in d.actions],
    )
    return pack, withheld


def chronology(
    s: Session, d: StrategyDiscussion, names: dict[int, str], now: datetime
) -> list[ChronologyEvent]:
    """Significant events for the discussion's children from the record, oldest first: contacts and
    their outcomes, decisions, EDT calls, step-downs and earlier strategy discussions, up to the meeting
    (or now)."""
    ids = list(names)
    events: list[ChronologyEvent] = []
    links = s.execute(
        select(ContactPerson.contact_id, ContactPerson.person_id).where(
            ContactPerson.person_id.in_(ids), ContactPerson.role == "child"
        )
    ).all()
    by_contact: dict[int, list[int]] = {}
    for contact_id, pid in links:
        by_contact.setdefault(contact_id, []).append(pid)

    def who(pids: list[int]) -> str:
        return ", ".join(names[p] for p in dict.fromkeys(pids))

    contacts = list(s.scalars(select(Contact).where(Contact.id.in_(by_contact))))
    for c in contacts:
        kids = who(by_contact[c.id])
        events.append(
            ChronologyEvent(
                c.received_at, "Contact", kids, f"{c.reference} from {c.source_display}: {_clip(c.concern)}"
            )
        )
        if c.closed_at is not None and c.outcome:
            events.append(
                ChronologyEvent(
                    c.closed_at,
                    "Outcome",
                    kids,
                    f"{c.reference} closed: "
                    f"{codes.OUTCOMES.get(c.outcome, c.outcome)}"
                    + (f" (level {c.level})" if c.level is not None else ""),
                )
            )
    for dec in s.scalars(select(Decision).where(Decision.person_id.in_(ids))):
        state = {"authorised": "authorised", "returned": "returned by the manager"}.get(
            dec.status, "awaiting authorisation"
        )
        events.append(
            ChronologyEvent(
                dec.decided_at,
                "Decision",
                names[dec.person_id],
                f"{contact_reference(dec.contact_id)}: level {dec.level}, "
                f"{codes.OUTCOMES.get(dec.outcome, dec.outcome)} — {state}"
                + (f"; override: {dec.override_reason}" if dec.override_reason else ""),
            )
        )
    edt_ids = {c.edt_entry_id for c in contacts if c.edt_entry_id}
    edt_people: dict[int, list[int]] = {}
    for entry_id, pid in s.execute(
        select(EdtEntryPerson.entry_id, EdtEntryPerson.person_id).where(EdtEntryPerson.person_id.in_(ids))
    ):
        edt_people.setdefault(entry_id, []).append(pid)
    edt_kids = {c.edt_entry_id: by_contact[c.id] for c in contacts if c.edt_entry_id}
    for e in s.scalars(select(EdtEntry).where(or_(EdtEntry.id.in_(edt_ids), EdtEntry.id.in_(edt_people)))):
        events.append(
            ChronologyEvent(
                e.call_at,
                "EDT call",
                who(edt_people.get(e.id, []) + edt_kids.get(e.id, [])),
                f"{e.caller_agency or e.caller_name}: {_clip(e.reported)} Action: {_clip(e.action_taken)}",
            )
        )
    step_downs = {sd.id: sd for sd in s.scalars(select(StepDown).where(StepDown.contact_id.in_(by_contact)))}
    for ev in s.scalars(select(StepDownEvent).where(StepDownEvent.step_down_id.in_(step_downs))):
        sd = step_downs[ev.step_down_id]
        events.append(
            ChronologyEvent(
                ev.at,
                "Step-down",
                who(by_contact[sd.contact_id]),
                f"Early Help ({sd.centre or 'team not named'}): {ev.kind.replace('_', ' ')}"
                + (f" — {ev.note}" if ev.note and ev.note.lower() != ev.kind else ""),
            )
        )
    others = s.execute(
        select(StrategyDiscussion, StrategyChild)
        .join(StrategyChild, StrategyChild.discussion_id == StrategyDiscussion.id)
        .where(
            StrategyChild.person_id.in_(ids),
            StrategyDiscussion.id != d.id,
            StrategyDiscussion.convened_at < d.convened_at,
        )
    ).all()
    for other, child in others:
        ref = discussion_reference(other.id)
        events.append(
            ChronologyEvent(
                other.convened_at,
                "Strategy",
                names[child.person_id],
                f"{ref} convened: {_clip(other.reason)}",
            )
        )
        if other.held_at is not None:
            outcome = DECISIONS.get(child.decision or "", "no decision recorded")
            events.append(
                ChronologyEvent(
                    other.held_at,
                    "Strategy",
                    names[child.person_id],
                    f"{ref} held: {outcome}"
                    + (f"; ICPC due {child.icpc_due:%d %b %Y}" if child.icpc_due else ""),
                )
            )
    until = d.held_at or now
    return sorted((e for e in events if e.at <= until), key=lambda e: (e.at, e.kind, e.children))


def _clip(text: str | None, limit: int = 240) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ruleset_labels(ruleset_id: str, version: str) -> tuple[dict[int, str], dict[str, str]]:
    """Level names and indicator descriptions of the ruleset an assessment used (empty if it is gone)."""
    return _labels(f"{ruleset_id}-{version}")


@lru_cache(maxsize=8)
def _labels(name: str) -> tuple[dict[int, str], dict[str, str]]:
    from rules import RulesetError, load_ruleset

    try:
        rs = load_ruleset(name)
    except RulesetError:
        return {}, {}
    return {n: lv.name for n, lv in rs.levels.items()}, {i.id: i.description for i in rs.indicators.values()}


def _assessments(s: Session, contact_id: int, names: dict[int, str]) -> list[PackAssessment]:
    latest: dict[int, ThresholdAssessment] = {}
    for a in s.scalars(
        select(ThresholdAssessment)
        .where(ThresholdAssessment.contact_id == contact_id, ThresholdAssessment.person_id.in_(list(names)))
        .order_by(ThresholdAssessment.assessed_at, ThresholdAssessment.id)
    ):
        latest[a.person_id] = a
    decisions: dict[int, Decision] = {}
    for dec in s.scalars(
        select(Decision).where(Decision.contact_id == contact_id).order_by(Decision.decided_at, Decision.id)
    ):
        decisions[dec.person_id] = dec
    out = []
    for pid, name in names.items():
        a = latest.get(pid)
        if a is None:
            continue
        levels, indicators = _ruleset_labels(a.ruleset_id, a.ruleset_version)
        dec = decisions.get(pid)
        decided = "No decision recorded yet"
        if dec is not None:
            decided = f"Level {dec.level}, {codes.OUTCOMES.get(dec.outcome, dec.outcome)} ({dec.status})" + (
                f"; override: {dec.override_reason}" if dec.override_reason else ""
            )
        out.append(
            PackAssessment(
                child=name,
                level=f"Level {a.suggested_level} {levels.get(a.suggested_level, '')}".strip(),
                outcome=codes.OUTCOMES.get(a.suggested_outcome, a.suggested_outcome),
                rag=a.suggested_rag,
                flags=[str(f) for f in a.flags],
                indicators=[indicators.get(str(i), str(i)) for i in [*a.indicators, *a.household_indicators]],
                rules=[str(r) for r in a.rules_fired],
                reasons=[str(r) for r in a.reasons],
                ruleset=f"{a.ruleset_id} {a.ruleset_version}",
                decision=decided,
            )
        )
    return out


# -- the scheduled sweep --------------------------------------------------------------------------------
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
                StrategyChild.icpc_due <= _local_date(now) + timedelta(days=14),
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


__all__ = [
    "GROUPS",
    "DiscussionDetail",
    "DiscussionRow",
    "StrategyService",
    "convene_discussion",
    "discussion_reference",
    "gather_pack",
    "strategy_deadline_notices",
]
