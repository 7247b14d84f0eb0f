"""The triage workflow: screening, allocation, agency checks, the threshold, decisions, authorisation.

Every step is one audited unit of work on one contact, checked against the version
the user opened. The Threshold of Need engine and the working calendar are the only
sources of suggestions and deadlines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Agency,
    AgencyCheck,
    Contact,
    Decision,
    ReferrerFeedback,
    ThresholdAssessment,
    User,
)
from db.models.contacts import RAG_RANK
from db.references import contact_reference
from mashdesk import codes
from mashdesk.calendar import WorkingCalendar
from mashdesk.errors import InputError, NotFound, PermissionDenied
from mashdesk.context import Actor, Service, WriteScope
from mashdesk.contacts.service import previous_contacts
from rules import ChildInput, RuleInputError, Ruleset, ThresholdEngine, TriageResult, load_ruleset

from mashdesk.clock import LONDON


@lru_cache(maxsize=1)
def threshold_engine() -> ThresholdEngine:
    """The engine for the newest ruleset shipped in rules/data (loaded once)."""
    return ThresholdEngine(load_ruleset())


def ruleset() -> Ruleset:
    return threshold_engine().ruleset


@dataclass(frozen=True)
class ChildFacts:
    """What the record says about a child of the contact, for the threshold."""

    person_id: int
    name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    disabled: bool
    previous_cp_plan: bool
    previous_contacts_12m: int
    previous_referrals_12m: int


@dataclass(frozen=True)
class ThresholdInput:
    household: tuple[str, ...] = ()
    #: person id → indicator ids recorded for that child
    children: dict[int, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ChildDecisionInput:
    person_id: int
    level: int
    outcome: str
    primary_need: str
    rationale: str = ""
    override_reason: str | None = None


@dataclass(frozen=True)
class CheckQueueRow:
    check_id: int
    version: int
    contact_id: int
    reference: str
    children: str
    requested_at: datetime
    due_at: datetime
    question: str | None


class TriageService(Service):
    # -- the threshold --------------------------------------------------------------------------
    def child_facts(self, actor: Actor, contact_id: int) -> list[ChildFacts]:
        """The children of a contact with what the record knows of their history."""
        with self.read(actor, "contact.read") as s:
            contact = _contact(s, contact_id)
            return _facts(s, contact)

    def preview(self, actor: Actor, contact_id: int, data: ThresholdInput) -> TriageResult:
        """The engine's suggestion for ``data`` (nothing is written): for the live threshold panel."""
        with self.read(actor, "contact.read") as s:
            contact = _contact(s, contact_id)
            return _run_engine(contact, _facts(s, contact), data)

    def assess(self, actor: Actor, contact_id: int, data: ThresholdInput) -> TriageResult:
        """Store the threshold assessment of every child, with the ruleset's id and version."""
        with self.write(actor, "decision.propose", "contact") as w:
            contact = _contact(w.session, contact_id)
            _require_open(contact)
            result = _run_engine(contact, _facts(w.session, contact), data)
            for child in result.children:
                w.session.add(ThresholdAssessment(
                    contact_id=contact.id, person_id=int(child.ref), indicators=list(data.children.get(
                        int(child.ref), ())), household_indicators=list(data.household),
                    suggested_level=child.level, suggested_outcome=child.outcome, suggested_rag=child.rag,
                    flags=list(child.flags), rules_fired=list(child.rules), reasons=list(child.reasons),
                    ruleset_id=result.ruleset_id, ruleset_version=result.ruleset_version,
                    assessed_at=w.now, assessed_by_id=actor.user_id))
            w.audit("contact", contact.id, f"threshold applied to {contact.reference}",
                    ruleset=f"{result.ruleset_id} {result.ruleset_version}",
                    levels={c.ref: c.level for c in result.children})
            return result

    def latest_assessments(self, actor: Actor, contact_id: int) -> dict[int, ThresholdAssessment]:
        with self.read(actor, "contact.read") as s:
            return _latest_assessments(s, contact_id)

    # -- screening and allocation ---------------------------------------------------------------
    def suggested_rag(self, actor: Actor, contact_id: int) -> str:
        """The ruleset's RAG for what is recorded so far (red if the child may need protection now)."""
        with self.read(actor, "contact.read") as s:
            contact = _contact(s, contact_id)
            return _suggested_rag(s, contact)

    def screen(self, actor: Actor, contact_id: int, expected_version: int, rag: str,
               reason: str | None = None, allocate_to: int | None = None) -> int:
        """Set the RAG (a change from the suggestion needs a reason); this starts the decision clock."""
        if rag not in codes.RAG:
            raise InputError("RAG: red, amber or green", "rag")
        with self.write(actor, "contact.screen", "contact") as w:
            contact = w.get_for_edit(Contact, contact_id, expected_version, "contact")
            if contact.status not in ("new", "screened"):
                raise InputError(f"RAG: contact {contact.reference} is {contact.status.replace('_', ' ')}; "
                                 "it was screened already", "rag")
            suggested = _suggested_rag(w.session, contact)
            if rag != suggested and not (reason or "").strip():
                raise InputError(f"RAG reason: the ruleset suggests {suggested}; say why it is {rag}", "rag_reason")
            contact.rag, contact.rag_rank, contact.rag_suggested = rag, RAG_RANK[rag], suggested
            contact.rag_reason = (reason or "").strip() or None
            contact.screened_at, contact.screened_by_id = w.now, actor.user_id
            contact.decision_due_at = self.ctx.calendar.due_datetime(f"decision_{rag}", contact.received_at)
            contact.status = "screened"
            if allocate_to is not None:
                _allocate(w, contact, allocate_to)
            w.session.flush()
            w.audit("contact", contact.id, f"screened {contact.reference} {rag.upper()}", rag=rag,
                    suggested=suggested, allocated_to=allocate_to)
            return contact.version

    def allocate(self, actor: Actor, contact_id: int, expected_version: int, user_id: int) -> int:
        with self.write(actor, "contact.allocate", "contact") as w:
            contact = w.get_for_edit(Contact, contact_id, expected_version, "contact")
            _require_open(contact)
            _allocate(w, contact, user_id)
            w.session.flush()
            w.audit("contact", contact.id, f"allocated {contact.reference}", allocated_to=user_id)
            return contact.version

    def workers(self, actor: Actor) -> list[tuple[int, str]]:
        """Practitioners and managers a contact can be allocated to."""
        with self.read(actor, "queue.read") as s:
            rows = s.execute(select(User.id, User.display_name).where(
                User.role_code.in_(("practitioner", "manager")), User.active.is_(True))
                .order_by(User.display_name)).all()
            return [(r[0], r[1]) for r in rows]

    def take_next(self, actor: Actor) -> int | None:
        """Allocate to ``actor`` the unallocated screened contact whose decision is due first.

        On PostgreSQL the row is taken with ``FOR UPDATE SKIP LOCKED``, so two people
        pressing "take next" together never get the same contact; SQLite's write lock
        serialises them.
        """
        with self.write(actor, "contact.take_next", "contact") as w:
            stmt = (select(Contact).where(Contact.status == "screened", Contact.allocated_to_id.is_(None))
                    .order_by(Contact.rag_rank, Contact.decision_due_at, Contact.id).limit(1))
            if w.session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            contact = w.session.scalar(stmt)
            if contact is None:
                w.audit("contact", None, "take next: nothing waiting")
                return None
            contact.allocated_to_id, contact.allocated_at = actor.user_id, w.now
            contact.updated_by_id = actor.user_id
            w.session.flush()
            w.audit("contact", contact.id, f"took {contact.reference}")
            return contact.id

    # -- agency checks ----------------------------------------------------------------------------
    def request_checks(self, actor: Actor, contact_id: int, expected_version: int,
                       agencies: Sequence[str], question: str = "") -> int:
        """Ask partner agencies for what they hold; each check is due by the contact's RAG."""
        if not agencies:
            raise InputError("agencies: choose at least one agency to ask", "agencies")
        with self.write(actor, "check.request", "contact") as w:
            contact = w.get_for_edit(Contact, contact_id, expected_version, "contact")
            _require_open(contact)
            if contact.rag is None:
                raise InputError("agencies: screen the contact (set its RAG) before asking agencies", "rag")
            rows = {a.code: a for a in w.session.scalars(select(Agency).where(Agency.code.in_(agencies)))}
            for code in agencies:
                agency = rows.get(code)
                if agency is None or not agency.checks:
                    raise InputError(f"agencies: {code!r} does not answer agency checks", "agencies")
                w.session.add(AgencyCheck(
                    contact_id=contact.id, agency_id=agency.id, requested_at=w.now, requested_by_id=actor.user_id,
                    due_at=self.ctx.calendar.due_datetime(f"agency_check_{contact.rag}", w.now),
                    question=question.strip() or None, status="requested", updated_by_id=actor.user_id))
            if contact.status in ("screened", "returned"):
                contact.status = "in_progress"
            w.session.flush()
            w.audit("contact", contact.id, f"agency checks requested for {contact.reference}",
                    agencies=list(agencies))
            return contact.version

    def agency_queue(self, actor: Actor) -> list[CheckQueueRow]:
        """The checks waiting for the actor's agency, due first."""
        if actor.agency_code is None:
            return []
        with self.read(actor, "contact.read") as s:
            rows = s.execute(
                select(AgencyCheck.id, AgencyCheck.version, Contact.id, Contact.children_display,
                       AgencyCheck.requested_at, AgencyCheck.due_at, AgencyCheck.question)
                .join(Contact, Contact.id == AgencyCheck.contact_id).join(Agency)
                .where(Agency.code == actor.agency_code, AgencyCheck.status == "requested")
                .order_by(AgencyCheck.due_at)).all()
        return [CheckQueueRow(r[0], r[1], r[2], contact_reference(r[2]), r[3], r[4], r[5], r[6]) for r in rows]

    def answer_check(self, actor: Actor, check_id: int, expected_version: int, response: str,
                     restricted: bool = False) -> None:
        """An agency officer answers their own agency's check, optionally restricted to their agency."""
        if not response.strip():
            raise InputError("response: write what your agency holds (or 'no trace')", "response")
        with self.write(actor, "check.answer", "agency check") as w:
            check = w.get_for_edit(AgencyCheck, check_id, expected_version, "agency check")
            if check.agency.code != actor.agency_code:
                raise PermissionDenied(f"{actor.username} may answer only checks sent to their own agency")
            check.response, check.restricted = response.strip(), restricted
            check.responded_at, check.responder_id, check.status = w.now, actor.user_id, "answered"
            w.session.flush()
            w.audit("agency_check", check.id, f"{check.agency.name} answered a check on contact {check.contact_id}",
                    restricted=restricted)

    # -- decisions -----------------------------------------------------------------------------------
    def propose(self, actor: Actor, contact_id: int, expected_version: int,
                decisions: Sequence[ChildDecisionInput]) -> int:
        """Record the practitioner's decision per child; it waits for a manager's authorisation."""
        with self.write(actor, "decision.propose", "contact") as w:
            contact = w.get_for_edit(Contact, contact_id, expected_version, "contact")
            if contact.status not in ("screened", "in_progress", "returned"):
                raise InputError(f"decision: contact {contact.reference} is "
                                 f"{codes.CONTACT_STATUSES[contact.status].lower()}", "decision")
            assessments = _latest_assessments(w.session, contact.id)
            children = {cp.person_id for cp in contact.people if cp.role == "child"}
            given = {d.person_id for d in decisions}
            if given != children:
                raise InputError("decision: record one decision for every child of the contact", "decision")
            # A decision proposed again replaces one not yet authorised; a returned one stays, with its comment.
            for old in w.session.scalars(select(Decision).where(Decision.contact_id == contact.id,
                                                                Decision.status == "proposed")):
                old.status = "superseded"
            for d in decisions:
                assessment = assessments.get(d.person_id)
                if assessment is None:
                    raise InputError("threshold: apply the Threshold of Need before deciding", "threshold")
                _check_decision(d, assessment)
                w.session.add(Decision(
                    contact_id=contact.id, person_id=d.person_id, assessment_id=assessment.id, level=d.level,
                    outcome=d.outcome, primary_need=d.primary_need, rationale=d.rationale.strip(),
                    override_reason=(d.override_reason or "").strip() or None, decided_at=w.now,
                    decided_by_id=actor.user_id, status="proposed", nfa=d.outcome == "nfa_advice",
                    updated_by_id=actor.user_id))
            contact.status = "awaiting_authorisation"
            w.session.flush()
            w.audit("contact", contact.id, f"decision proposed for {contact.reference}",
                    outcomes={str(d.person_id): d.outcome for d in decisions})
            return contact.version

    def authorise(self, actor: Actor, contact_id: int, expected_version: int, comment: str = "") -> int:
        """A manager authorises the decision; its outcome creates what comes next.

        Early Help opens a step-down, a strategy discussion is convened, an assessment
        becomes a referral, NFA closes the contact. Feedback to a professional referrer
        falls due a working day later.
        """
        with self.write(actor, "decision.authorise", "contact") as w:
            contact = w.get_for_edit(Contact, contact_id, expected_version, "contact")
            if contact.status != "awaiting_authorisation":
                raise InputError(f"authorisation: contact {contact.reference} has no decision waiting", "status")
            decisions = _proposed(w.session, contact.id)
            for d in decisions:
                d.status, d.authorised_at, d.authorised_by_id = "authorised", w.now, actor.user_id
            lead = max(decisions, key=lambda d: (d.level, d.outcome == "strategy_discussion"))
            contact.status, contact.outcome, contact.level, contact.closed_at = "closed", lead.outcome, lead.level, w.now
            contact.decided_late = bool(contact.decision_due_at and lead.decided_at > contact.decision_due_at)
            follow_up = _follow_up(w, self.ctx.calendar, contact, lead)
            if contact.referrer is not None and contact.referrer.professional:
                w.session.add(ReferrerFeedback(
                    contact_id=contact.id, due_at=self.ctx.calendar.due_datetime("referrer_feedback", w.now),
                    text=feedback_text(contact, lead), updated_by_id=actor.user_id))
            w.session.flush()
            w.audit("contact", contact.id, f"decision authorised for {contact.reference}: {lead.outcome}",
                    outcome=lead.outcome, follow_up=follow_up, comment=comment.strip() or None)
            return contact.version

    def return_decision(self, actor: Actor, contact_id: int, expected_version: int, comment: str) -> int:
        """Send the decision back to the practitioner with a comment."""
        if not comment.strip():
            raise InputError("comment: say what needs doing before you can authorise", "comment")
        with self.write(actor, "decision.authorise", "contact") as w:
            contact = w.get_for_edit(Contact, contact_id, expected_version, "contact")
            if contact.status != "awaiting_authorisation":
                raise InputError(f"authorisation: contact {contact.reference} has no decision waiting", "status")
            for d in _proposed(w.session, contact.id):
                d.status, d.return_comment = "returned", comment.strip()
            contact.status = "returned"
            w.session.flush()
            w.audit("contact", contact.id, f"decision returned for {contact.reference}", comment=comment.strip())
            return contact.version

    def decisions(self, actor: Actor, contact_id: int) -> list[Decision]:
        with self.read(actor, "contact.read") as s:
            return list(s.scalars(select(Decision).where(Decision.contact_id == contact_id,
                                                         Decision.status != "superseded")
                                  .order_by(Decision.id)))

    # -- feedback --------------------------------------------------------------------------------------
    def feedback_letter(self, actor: Actor, contact_id: int) -> bytes:
        """The letter to the referrer (PDF), built from the authorised decision."""
        from mashdesk.triage.documents import build_feedback_letter

        with self.write(actor, "feedback.send", "contact") as w:
            contact = _contact(w.session, contact_id)
            feedback = _feedback(w.session, contact.id)
            pdf = build_feedback_letter(contact, feedback, w.now, actor.display_name)
            w.audit("referrer_feedback", feedback.id, f"feedback letter printed for {contact.reference}")
            return pdf

    def mark_feedback_sent(self, actor: Actor, contact_id: int, method: str) -> None:
        if method not in ("email", "secure_email", "phone", "letter"):
            raise InputError("method: email, secure email, phone or letter", "method")
        with self.write(actor, "feedback.send", "contact") as w:
            feedback = _feedback(w.session, contact_id)
            feedback.method, feedback.sent_at, feedback.sent_by_id = method, w.now, actor.user_id
            feedback.updated_by_id = actor.user_id
            w.session.flush()
            w.audit("referrer_feedback", feedback.id, f"feedback sent by {method}", late=w.now > feedback.due_at)


def feedback_text(contact: Contact, lead: Decision) -> str:
    return (f"Thank you for your contact about {contact.children_display} on "
            f"{contact.received_at.astimezone(LONDON):%d %B %Y}. The MASH has considered it. "
            f"Outcome: {codes.OUTCOMES[lead.outcome]}. {lead.rationale}").strip()


# -- helpers ------------------------------------------------------------------------------------------
def _contact(s: Session, contact_id: int) -> Contact:
    contact = s.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"contact {contact_id} does not exist")
    return contact


def _require_open(contact: Contact) -> None:
    if contact.status == "closed":
        raise InputError(f"status: contact {contact.reference} is closed", "status")


def _allocate(w: WriteScope, contact: Contact, user_id: int) -> None:
    worker = w.session.get(User, user_id)
    if worker is None or worker.role_code not in ("practitioner", "manager") or not worker.active:
        raise InputError("allocated to: choose an active MASH practitioner or manager", "allocated_to")
    contact.allocated_to_id, contact.allocated_at = worker.id, w.now


def _facts(s: Session, contact: Contact) -> list[ChildFacts]:
    children = [cp.person for cp in contact.people if cp.role == "child"]
    history = previous_contacts(s, [p.id for p in children], contact.received_at, exclude_contact=contact.id)
    return [ChildFacts(
        person_id=p.id, name=p.full_name, date_of_birth=p.date_of_birth,
        expected_date_of_birth=p.expected_date_of_birth, disabled=p.disabled,
        previous_cp_plan=p.cp_plan_previous or p.cp_plan_current,
        previous_contacts_12m=history[p.id][0], previous_referrals_12m=history[p.id][1]) for p in children]


def _run_engine(contact: Contact, facts: list[ChildFacts], data: ThresholdInput) -> TriageResult:
    known = {f.person_id for f in facts}
    unknown = set(data.children) - known
    if unknown:
        raise InputError(f"indicators: person {sorted(unknown)[0]} is not a child of this contact", "indicators")
    inputs = [ChildInput(
        ref=str(f.person_id), date_of_birth=f.date_of_birth,
        expected_date_of_birth=None if f.date_of_birth else f.expected_date_of_birth,
        disabled=f.disabled, previous_cp_plan=f.previous_cp_plan, previous_contacts_12m=f.previous_contacts_12m,
        previous_referrals_12m=f.previous_referrals_12m, indicators=tuple(data.children.get(f.person_id, ())))
        for f in facts]
    names = {str(f.person_id): f.name for f in facts}
    try:
        return threshold_engine().triage(contact.received_at.astimezone(LONDON).date(), inputs, data.household)
    except RuleInputError as exc:
        message = str(exc)
        if exc.child_ref in names:
            message = message.replace(f"child {exc.child_ref}", names[exc.child_ref])
        raise InputError(message, exc.field or "indicators") from exc


def _latest_assessments(s: Session, contact_id: int) -> dict[int, ThresholdAssessment]:
    latest = (select(ThresholdAssessment.person_id, func.max(ThresholdAssessment.id).label("id"))
              .where(ThresholdAssessment.contact_id == contact_id).group_by(ThresholdAssessment.person_id)
              .subquery())
    rows = s.scalars(select(ThresholdAssessment).join(latest, latest.c.id == ThresholdAssessment.id))
    return {a.person_id: a for a in rows}


def _suggested_rag(s: Session, contact: Contact) -> str:
    assessments = _latest_assessments(s, contact.id)
    rags = [a.suggested_rag for a in assessments.values()]
    if contact.immediate_protection == "yes":
        rags.append("red")
    if not rags:
        return "green"
    return min(rags, key=codes.RAG.index)


def _check_decision(d: ChildDecisionInput, assessment: ThresholdAssessment) -> None:
    rules = ruleset()
    if d.level not in rules.levels:
        raise InputError(f"level: {d.level} is not a level of the Threshold of Need (1-4)", "level")
    if d.outcome not in rules.outcomes:
        raise InputError(f"outcome: {d.outcome!r} is not an outcome of the ruleset", "outcome")
    if d.primary_need not in codes.PRIMARY_NEEDS:
        raise InputError(f"primary need: {d.primary_need!r} is not a CIN primary need code (N0-N9)", "primary_need")
    differs = d.level != assessment.suggested_level or d.outcome != assessment.suggested_outcome
    if differs and not (d.override_reason or "").strip():
        raise InputError(f"override reason: the suggestion was level {assessment.suggested_level} "
                         f"({assessment.suggested_outcome.replace('_', ' ')}); write why you decided otherwise",
                         "override_reason")


def _proposed(s: Session, contact_id: int) -> list[Decision]:
    decisions = list(s.scalars(select(Decision).where(Decision.contact_id == contact_id,
                                                      Decision.status == "proposed")))
    if not decisions:
        raise InputError("authorisation: there is no proposed decision", "status")
    return decisions


def _follow_up(w: WriteScope, calendar: WorkingCalendar, contact: Contact, lead: Decision) -> str:
    """What the authorised outcome creates, inside the same unit of work."""
    if lead.outcome == "early_help":
        from mashdesk.services.stepdown import open_step_down

        return f"step-down {open_step_down(w, contact, lead).id}"
    if lead.outcome == "strategy_discussion":
        from mashdesk.services.strategy import convene_discussion

        return f"strategy discussion {convene_discussion(w, contact, lead, calendar=calendar).id}"
    if lead.outcome == "assessment":
        due = calendar.due("assessment", w.now.astimezone(LONDON).date())
        return f"referral for a single assessment, due by {due:%d %b %Y}"
    return "closed"


def _feedback(s: Session, contact_id: int) -> ReferrerFeedback:
    feedback = s.scalar(select(ReferrerFeedback).where(ReferrerFeedback.contact_id == contact_id)
                        .order_by(ReferrerFeedback.id.desc()).limit(1))
    if feedback is None:
        raise InputError("feedback: there is no feedback due on this contact (not authorised, or the referrer "
                         "is not a professional)", "feedback")
    return feedback

