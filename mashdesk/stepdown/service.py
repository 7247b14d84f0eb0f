"""Step-downs to Early Help: the units of work (consent, the receiving centre, its life, step-up).

Which action may start from which status is ``workflow.TRANSITIONS``; every action here is one
audited unit of work and stamps a :class:`StepDownEvent`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from db.models import (
    Contact,
    ContactPerson,
    Decision,
    Person,
    StepDown,
    StepDownEvent,
    ThresholdAssessment,
    User,
)
from db.references import contact_reference, step_down_reference
from mashdesk import codes, permissions
from mashdesk.context import Actor, AppContext, Service, WriteScope
from mashdesk.documents.delivery import DocumentDelivery, DocumentOf
from mashdesk.errors import InputError, NotFound
from mashdesk.services.contacts import ContactChildInput, ContactInput, ReferrerInput, record_contact
from mashdesk.stepdown.centres import EarlyHelpConfig, early_help_config
from mashdesk.stepdown.views import (
    CheckSummary,
    ChildDecision,
    EventView,
    FamilyMember,
    StepDownDetail,
    StepDownQuery,
    StepDownRow,
    StepUpResult,
)
from mashdesk.stepdown.workflow import (
    CLOSURE_REASONS,
    FIRST_CONTACT_RUNNING,
    OPEN_STATUSES,
    REVIEW_RUNNING,
    clock_for,
    consented,
    offered_actions,
    require_state,
)

# -- the hook for the authorisation of an early_help decision ----------------------------------------


def open_step_down(w: WriteScope, contact: Contact, decision: Decision | None) -> StepDown:
    """Open the step-down of ``contact`` inside ``w``'s unit of work (the caller audits it).

    The authorisation of an ``early_help`` decision calls this. The step-down starts as a draft: the
    family's consent is recorded next. A contact with an open step-down keeps that one.
    """
    existing = w.session.scalar(
        select(StepDown).where(StepDown.contact_id == contact.id, StepDown.status.in_(OPEN_STATUSES))
    )
    if existing is not None:
        return existing
    sd = StepDown(
        contact_id=contact.id,
        decision_id=decision.id if decision else None,
        status="draft",
        needs="",
        decision_summary=decision_summary(w.session, contact, decision),
        updated_by_id=w.actor.user_id,
    )
    w.session.add(sd)
    w.session.flush()
    by_hand = w.action == "stepdown.create"
    _event(
        w,
        sd,
        "created",
        f"Opened by hand from contact {contact.reference}"
        if by_hand
        else f"Opened when the MASH decision on {contact.reference} was authorised",
    )
    return sd


def decision_summary(session: Session, contact: Contact, decision: Decision | None) -> str:
    """The MASH decision carried over to the receiving team, in words."""
    if decision is None:
        return f"Opened by hand from contact {contact.reference}; no authorised decision."
    parts = [f"{codes.OUTCOMES.get(decision.outcome, decision.outcome)} at level {decision.level}"]
    if decision.primary_need:
        parts.append(
            f"primary need {decision.primary_need} " f"({codes.PRIMARY_NEEDS.get(decision.primary_need, '')})"
        )
    text = "; ".join(parts) + "."
    if decision.rationale:
        text += f" {decision.rationale}"
    if decision.override_reason:
        text += f" Threshold suggestion overridden: {decision.override_reason}"
    return text


def _event(w: WriteScope, sd: StepDown, kind: str, note: str = "", **detail: Any) -> None:
    w.session.add(
        StepDownEvent(
            step_down_id=sd.id, at=w.now, by_id=w.actor.user_id, kind=kind, note=note, detail=detail
        )
    )



class StepDownService(Service):
    def __init__(self, ctx: AppContext, config: EarlyHelpConfig | None = None) -> None:
        super().__init__(ctx)
        self.calendar = ctx.calendar
        self.config = config or early_help_config()

    # -- reads ------------------------------------------------------------------------------------------
    def _filtered(self, query: StepDownQuery, stmt: Select[Any], now: datetime) -> Select[Any]:
        if query.centre:
            stmt = stmt.where(StepDown.centre == query.centre)
        if query.statuses:
            stmt = stmt.where(StepDown.status.in_(query.statuses))
        if query.overdue_only:
            stmt = stmt.where(
                or_(
                    and_(StepDown.status.in_(FIRST_CONTACT_RUNNING), StepDown.first_contact_due_at < now),
                    and_(StepDown.status.in_(REVIEW_RUNNING), StepDown.next_review_due_at < now),
                )
            )
        return stmt

    def page(self, actor: Actor, query: StepDownQuery, limit: int = 500) -> list[StepDownRow]:
        """Step-downs most urgent first: running clocks by due time, then the longest waiting."""
        now = self.ctx.now()
        due = case(
            (StepDown.status.in_(FIRST_CONTACT_RUNNING), StepDown.first_contact_due_at),
            (StepDown.status.in_(REVIEW_RUNNING), StepDown.next_review_due_at),
            else_=None,
        )
        stmt = select(
            StepDown.id,
            StepDown.version,
            Contact.children_display,
            StepDown.contact_id,
            StepDown.centre,
            StepDown.status,
            StepDown.sent_at,
            StepDown.allocated_worker,
            StepDown.accepted_at,
            StepDown.first_contact_due_at,
            StepDown.next_review_due_at,
        ).join(Contact, Contact.id == StepDown.contact_id)
        first = [case((StepDown.status == "sent", 0), else_=1)] if query.sent_first else []
        stmt = (
            self._filtered(query, stmt, now)
            .order_by(
                *first,
                case((StepDown.status.in_(OPEN_STATUSES), 0), else_=1),
                due.is_(None),
                due,
                StepDown.sent_at.is_(None),
                StepDown.sent_at,
                StepDown.id,
            )
            .limit(limit)
        )
        with self.read(actor, "stepdown.read") as s:
            rows = s.execute(stmt).all()
        return [
            StepDownRow(
                id=r[0],
                reference=step_down_reference(r[0]),
                version=r[1],
                family=r[2],
                contact_reference=contact_reference(r[3]),
                centre=self.config.centre_name(r[4], short=True),
                status=r[5],
                sent_at=r[6],
                worker=r[7],
                clock=clock_for(self.calendar, r[5], r[8], r[9], r[10], r[6], now),
            )
            for r in rows
        ]

    def count(self, actor: Actor, query: StepDownQuery) -> int:
        stmt = self._filtered(query, select(func.count()).select_from(StepDown), self.ctx.now())
        with self.read(actor, "stepdown.read") as s:
            return int(s.scalar(stmt) or 0)

    def get(self, actor: Actor, step_down_id: int) -> StepDownDetail:
        """One step-down: family, decision, agency checks (restricted answers withheld), history."""
        now = self.ctx.now()
        with self.read(actor, "stepdown.read") as s:
            sd = s.scalar(
                select(StepDown).where(StepDown.id == step_down_id).options(selectinload(StepDown.events))
            )
            if sd is None:
                raise NotFound(f"step-down {step_down_id} does not exist")
            contact = s.scalar(
                select(Contact)
                .where(Contact.id == sd.contact_id)
                .options(selectinload(Contact.people), selectinload(Contact.checks))
            )
            assert contact is not None
            names = dict(
                s.execute(
                    select(User.id, User.display_name).where(
                        User.id.in_({e.by_id for e in sd.events if e.by_id})
                    )
                ).all()
            )
            family = [
                FamilyMember(
                    person_id=cp.person.id,
                    name=cp.person.full_name,
                    role=cp.role,
                    relationship=cp.relationship_to_child,
                    date_of_birth=cp.person.date_of_birth,
                    sex=cp.person.sex,
                )
                for cp in contact.people
            ]
            checks = []
            for c in contact.checks:
                if c.status != "answered":
                    continue
                withheld = c.restricted and not permissions.may_read_restricted(
                    actor.agency_code, c.agency.code
                )
                checks.append(
                    CheckSummary(
                        agency=c.agency.name, answer=None if withheld else c.response, withheld=withheld
                    )
                )
            return StepDownDetail(
                id=sd.id,
                reference=step_down_reference(sd.id),
                version=sd.version,
                status=sd.status,
                centre_code=sd.centre,
                centre=self.config.centre_name(sd.centre) or "Not chosen yet",
                consent_step_down=sd.consent_step_down,
                consent_info_sharing=sd.consent_info_sharing,
                needs=sd.needs,
                decision_summary=sd.decision_summary,
                contact_id=contact.id,
                contact_reference=contact.reference,
                contact_received_at=contact.received_at,
                concern=contact.concern,
                sent_at=sd.sent_at,
                accepted_at=sd.accepted_at,
                declined_reason=sd.declined_reason,
                allocated_worker=sd.allocated_worker,
                first_contact_due_at=sd.first_contact_due_at,
                first_contact_at=sd.first_contact_at,
                next_review_due_at=sd.next_review_due_at,
                closed_at=sd.closed_at,
                closure_reason=sd.closure_reason,
                stepped_up_contact_id=sd.stepped_up_contact_id,
                clock=clock_for(
                    self.calendar,
                    sd.status,
                    sd.accepted_at,
                    sd.first_contact_due_at,
                    sd.next_review_due_at,
                    sd.sent_at,
                    now,
                ),
                actions=offered_actions(
                    sd.status, actor.role,
                    consent_given=consented(sd.consent_step_down, sd.consent_info_sharing),
                ),
                family=family,
                decisions=_child_decisions(s, contact),
                checks=checks,
                events=[
                    EventView(
                        at=e.at, by=names.get(e.by_id, "—") if e.by_id else "—", kind=e.kind, note=e.note
                    )
                    for e in sd.events
                ],
            )

    def form_pdf(self, actor: Actor, step_down_id: int) -> bytes:
        """The step-down form for the receiving team, as ``actor`` may read it."""
        from mashdesk.stepdown.documents import build_step_down_form

        detail = self.get(actor, step_down_id)
        return build_step_down_form(
            detail,
            self.config,
            printed_at=self.ctx.now(),
            prepared_for=(f"{actor.display_name} ({actor.role_name})"),
        )

    @staticmethod
    def form_of(step_down_id: int) -> DocumentOf:
        """The step-down form as the audit trail names it when it is saved or printed."""
        return DocumentOf("step_down", step_down_id, f"the step-down form {step_down_reference(step_down_id)}",
                          save_action="stepdown.form_save", print_action="stepdown.form_print")

    def save_form(self, actor: Actor, step_down_id: int, pdf: bytes, path: str | Path) -> Path:
        """Save a built form to ``path`` (checked, written, audited "saved to file" with its SHA-256)."""
        return DocumentDelivery(self.ctx).save(actor, self.form_of(step_down_id), pdf, path)

    def record_form_printed(self, actor: Actor, step_down_id: int, printer: str, pdf: bytes) -> None:
        """Record that a built form was printed, on which printer and which form exactly."""
        DocumentDelivery(self.ctx).printed(actor, self.form_of(step_down_id), pdf, printer)

    # -- writes -----------------------------------------------------------------------------------------
    def _edit(self, w: WriteScope, step_down_id: int, expected_version: int, action: str) -> StepDown:
        sd = w.get_for_edit(StepDown, step_down_id, expected_version, "step-down")
        require_state(sd.status, action)
        return sd

    def _done(self, w: WriteScope, sd: StepDown, kind: str, note: str, summary: str, **detail: Any) -> int:
        _event(w, sd, kind, note, **detail)
        w.session.flush()
        w.audit("step_down", sd.id, f"{step_down_reference(sd.id)}: {summary}", **detail)
        return sd.version

    def create(self, actor: Actor, contact_id: int, needs: str = "") -> int:
        """A manager opens a step-down by hand from a contact; returns its id."""
        with self.write(actor, "stepdown.create", "step-down") as w:
            contact = w.get(Contact, contact_id, "contact")
            existing = w.session.scalar(
                select(StepDown.id).where(
                    StepDown.contact_id == contact_id, StepDown.status.in_(OPEN_STATUSES)
                )
            )
            if existing is not None:
                raise InputError(
                    f"contact: {contact.reference} already has open step-down "
                    f"{step_down_reference(existing)}",
                    "contact",
                )
            decision = w.session.scalar(
                select(Decision)
                .where(Decision.contact_id == contact_id, Decision.status == "authorised")
                .order_by(Decision.level.desc(), Decision.id)
                .limit(1)
            )
            sd = open_step_down(w, contact, decision)
            sd.needs = needs.strip()
            w.session.flush()
            w.audit(
                "step_down",
                sd.id,
                f"opened {step_down_reference(sd.id)} from contact {contact.reference}",
                contact_id=contact_id,
            )
            return sd.id

    def record_consent(
        self,
        actor: Actor,
        step_down_id: int,
        expected_version: int,
        *,
        step_down: str,
        info_sharing: str,
        note: str = "",
    ) -> int:
        """The family's answers; a refusal of either sends the step-down back to the manager."""
        for name, value in (
            ("consent to step-down", step_down),
            ("consent to information sharing", info_sharing),
        ):
            if value not in ("given", "refused"):
                raise InputError(f"{name}: answer given or refused", name.replace(" ", "_"))
        with self.write(actor, "stepdown.manage", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "record_consent")
            sd.consent_step_down, sd.consent_info_sharing = step_down, info_sharing
            refused = "refused" in (step_down, info_sharing)
            if refused:
                sd.status = "consent_refused"
            text = f"Step-down: {step_down}; information sharing: {info_sharing}" + (
                f". {note.strip()}" if note.strip() else ""
            )
            return self._done(
                w,
                sd,
                "consent_refused" if refused else "consent",
                text,
                "consent refused: back to the manager" if refused else "consent given",
                step_down=step_down,
                info_sharing=info_sharing,
            )

    def decide_refusal(
        self, actor: Actor, step_down_id: int, expected_version: int, *, ask_again: bool, note: str = ""
    ) -> int:
        """The manager's decision after a refusal: close it (no further action) or ask the family again."""
        with self.write(actor, "stepdown.decide_refusal", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "decide_refusal")
            if ask_again:
                sd.status, sd.consent_step_down, sd.consent_info_sharing = "draft", "not_asked", "not_asked"
                return self._done(
                    w,
                    sd,
                    "asked_again",
                    note.strip() or "Consent to be asked again",
                    "consent to be asked again",
                )
            sd.status, sd.closed_at, sd.closure_reason = "closed", w.now, "no_further_action"
            return self._done(
                w,
                sd,
                "closed",
                note.strip() or "No further action after the family refused consent",
                "closed: no further action after consent refused",
                reason="no_further_action",
            )

    def send(self, actor: Actor, step_down_id: int, expected_version: int, *, centre: str, needs: str) -> int:
        """Send to a receiving team: only with the family's consent to the step-down and to sharing."""
        if self.config.centre(centre) is None:
            raise InputError(f"centre: {centre!r} is not a configured receiving team", "centre")
        if not needs.strip():
            raise InputError("needs: say what the family needs help with", "needs")
        with self.write(actor, "stepdown.manage", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "send")
            if not consented(sd.consent_step_down, sd.consent_info_sharing):
                raise InputError(
                    "consent: a step-down is sent only with the family's consent to the step-down "
                    "and to information sharing; record it first",
                    "consent",
                )
            sd.centre, sd.needs, sd.status, sd.sent_at = centre, needs.strip(), "sent", w.now
            sd.declined_reason = None
            name = self.config.centre_name(centre)
            return self._done(w, sd, "sent", f"Sent to {name}", f"sent to {name}", centre=centre)

    def accept(self, actor: Actor, step_down_id: int, expected_version: int) -> int:
        """The centre accepts: the first-contact and review clocks start."""
        with self.write(actor, "stepdown.manage", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "accept")
            sd.status, sd.accepted_at = "accepted", w.now
            sd.first_contact_due_at = self.calendar.due_datetime("early_help_first_contact", w.now)
            sd.next_review_due_at = self.calendar.due_datetime("early_help_review", w.now)
            return self._done(
                w, sd, "accepted", f"Accepted by {self.config.centre_name(sd.centre)}", "accepted"
            )

    def decline(self, actor: Actor, step_down_id: int, expected_version: int, *, reason: str) -> int:
        if not reason.strip():
            raise InputError("reason: say why the step-down is declined", "reason")
        with self.write(actor, "stepdown.manage", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "decline")
            sd.status, sd.declined_reason = "declined", reason.strip()
            return self._done(w, sd, "declined", reason.strip(), "declined")

    def allocate(
        self,
        actor: Actor,
        step_down_id: int,
        expected_version: int,
        *,
        worker: str,
        worker_id: int | None = None,
    ) -> int:
        """Allocate (or re-allocate) the Early Help worker."""
        if not worker.strip():
            raise InputError("worker: name the Early Help worker", "worker")
        with self.write(actor, "stepdown.manage", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "allocate")
            if worker_id is not None:
                w.get(User, worker_id, "worker")
            sd.allocated_worker, sd.allocated_worker_id = worker.strip(), worker_id
            if sd.status == "accepted":
                sd.status = "allocated"
            return self._done(w, sd, "allocated", worker.strip(), f"allocated to {worker.strip()}")

    def _moment(self, w: WriteScope, at: datetime | None, after: datetime | None, what: str) -> datetime:
        moment = at or w.now
        if moment.tzinfo is None:
            raise InputError(f"{what}: give a time zone", what)
        if moment > w.now + timedelta(minutes=5):
            raise InputError(f"{what}: cannot be in the future", what)
        if after is not None and moment < after:
            raise InputError(f"{what}: cannot be before the step-down was accepted", what)
        return moment

    def record_first_contact(
        self,
        actor: Actor,
        step_down_id: int,
        expected_version: int,
        *,
        at: datetime | None = None,
        note: str = "",
    ) -> int:
        """The worker's first contact with the family: the family is engaged, the review clock runs."""
        with self.write(actor, "stepdown.manage", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "first_contact")
            moment = self._moment(w, at, sd.accepted_at, "first contact")
            sd.status, sd.first_contact_at = "engaged", moment
            late = sd.first_contact_due_at is not None and moment > sd.first_contact_due_at
            return self._done(
                w,
                sd,
                "first_contact",
                note.strip() or "First contact with the family",
                "first contact recorded" + (" (late)" if late else ""),
                late=late,
            )

    def record_review(
        self, actor: Actor, step_down_id: int, expected_version: int, *, note: str, at: datetime | None = None
    ) -> int:
        """A review held: the next is due 12 weeks (configurable) after it."""
        if not note.strip():
            raise InputError("review: summarise the review", "review")
        with self.write(actor, "stepdown.manage", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "review")
            moment = self._moment(w, at, sd.accepted_at, "review")
            sd.next_review_due_at = self.calendar.due_datetime("early_help_review", moment)
            return self._done(
                w,
                sd,
                "review",
                note.strip(),
                "review recorded",
                next_review_due=sd.next_review_due_at.isoformat(),
            )

    def close(
        self, actor: Actor, step_down_id: int, expected_version: int, *, reason: str, note: str = ""
    ) -> int:
        if reason not in CLOSURE_REASONS:
            raise InputError(f"closure reason: choose one of {', '.join(CLOSURE_REASONS)}", "closure_reason")
        with self.write(actor, "stepdown.manage", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "close")
            sd.status, sd.closed_at, sd.closure_reason = "closed", w.now, reason
            return self._done(
                w,
                sd,
                "closed",
                note.strip() or CLOSURE_REASONS[reason],
                f"closed: {CLOSURE_REASONS[reason].lower()}",
                reason=reason,
            )

    def step_up(self, actor: Actor, step_down_id: int, expected_version: int, *, reason: str) -> StepUpResult:
        """Step the family up: a new contact in the MASH queue from Early Help (5D), linked both ways."""
        if not reason.strip():
            raise InputError("reason: say why the family is stepped up to the MASH", "reason")
        with self.write(actor, "stepdown.step_up", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "step_up")
            original = w.get(Contact, sd.contact_id, "contact")
            centre = self.config.centre(sd.centre)
            sharing = sd.consent_info_sharing == "given"
            contact = record_contact(
                w,
                ContactInput(
                    received_at=w.now,
                    channel="step_up",
                    cin_source="5D",
                    concern=reason.strip(),
                    referrer=ReferrerInput(
                        name=sd.allocated_worker or actor.display_name,
                        agency_code="early_help",
                        organisation=centre.name if centre else None,
                        role="Early Help worker" if sd.allocated_worker else actor.role_name,
                        email=centre.email if centre else None,
                    ),
                    children=[
                        ContactChildInput(person_id=cp.person_id)
                        for cp in original.people
                        if cp.role == "child"
                    ],
                    consent="given" if sharing else "not_sought",
                    consent_reason=None
                    if sharing
                    else "Family did not consent to information sharing; needs "
                    "have escalated, so the step-up is made without it.",
                    consent_decided_by=None if sharing else actor.display_name,
                ),
            )
            for cp in original.people:
                if cp.role != "child":
                    contact.people.append(
                        ContactPerson(
                            person_id=cp.person_id,
                            role=cp.role,
                            relationship_to_child=cp.relationship_to_child,
                            parental_responsibility=cp.parental_responsibility,
                        )
                    )
            contact.step_down_id = sd.id
            sd.stepped_up_contact_id, sd.status, sd.closed_at = contact.id, "stepped_up", w.now
            version = self._done(
                w,
                sd,
                "stepped_up",
                f"Stepped up to the MASH as {contact.reference}: " f"{reason.strip()}",
                f"stepped up as contact {contact.reference}",
                contact_id=contact.id,
            )
            return StepUpResult(contact.id, contact.reference, version)


def _child_decisions(s: Session, contact: Contact) -> list[ChildDecision]:
    names = {cp.person_id: cp.person.full_name for cp in contact.people}
    assessments = {
        a.id: a
        for a in s.scalars(select(ThresholdAssessment).where(ThresholdAssessment.contact_id == contact.id))
    }
    out = []
    for d in s.scalars(
        select(Decision)
        .where(Decision.contact_id == contact.id, Decision.status == "authorised")
        .order_by(Decision.id)
    ):
        a = assessments.get(d.assessment_id) if d.assessment_id else None
        out.append(
            ChildDecision(
                child=names.get(d.person_id) or (s.get(Person, d.person_id).full_name),
                level=d.level,
                outcome=codes.OUTCOMES.get(d.outcome, d.outcome),
                primary_need=d.primary_need,
                suggested_level=a.suggested_level if a else None,
                reasons=tuple(str(r) for r in (a.reasons if a else [])),
                override_reason=d.override_reason,
            )
        )
    return out


# -- the scheduler's sweep ----------------------------------------------------------------------------
