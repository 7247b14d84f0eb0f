"""Reading step-downs: the list, one step-down's story, and the form built from it (no writes but delivery)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from db.models import Contact, Decision, Person, StepDown, ThresholdAssessment, User
from db.references import contact_reference, step_down_reference
from mashdesk import access, codes, permissions
from mashdesk.context import Actor, AppContext, Service
from mashdesk.documents.delivery import DocumentDelivery, DocumentOf
from mashdesk.errors import NotFound
from mashdesk.stepdown.centres import EarlyHelpConfig, early_help_config
from mashdesk.stepdown.views import (
    CheckSummary,
    ChildDecision,
    EventView,
    FamilyMember,
    StepDownDetail,
    StepDownQuery,
    StepDownRow,
)
from mashdesk.stepdown.workflow import (
    FIRST_CONTACT_RUNNING,
    OPEN_STATUSES,
    REVIEW_RUNNING,
    clock_for,
    consented,
    offered_actions,
)


class StepDownReads(Service):
    """What the window and the form read; :class:`~mashdesk.stepdown.service.StepDownService` adds the writes."""

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
            rows = s.execute(stmt.where(access.clause(actor, "step_down", StepDown.id))).all()
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
            return int(s.scalar(stmt.where(access.clause(actor, "step_down", StepDown.id))) or 0)

    def get(self, actor: Actor, step_down_id: int, audit_open: bool = True) -> StepDownDetail:
        """One step-down: family, decision, agency checks (restricted answers withheld), history.

        Refused (audited) outside the reader's access rules; each opening audited."""
        self.require_record(actor, "stepdown.read", "step_down", step_down_id, step_down_reference(step_down_id))
        detail = self._detail(actor, step_down_id)
        if audit_open:
            self.audit_read(actor, "stepdown.read", "step_down", step_down_id,
                            f"opened step-down {step_down_reference(step_down_id)}")
        return detail

    def _detail(self, actor: Actor, step_down_id: int) -> StepDownDetail:
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

        detail = self.get(actor, step_down_id, audit_open=False)
        self.audit_read(actor, "stepdown.read", "step_down", step_down_id,
                        f"built the step-down form {step_down_reference(step_down_id)}", document="step_down_form")
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
