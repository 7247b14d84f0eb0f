"""The triage workflow: screening, allocation, agency checks, the threshold, decisions, authorisation.

Every step is one audited unit of work on one contact, checked against the version
the user opened. The Threshold of Need engine and the working calendar are the only
sources of suggestions and deadlines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from db.models import Agency, AgencyCheck, Contact, Decision, ReferrerFeedback, ThresholdAssessment, User
from db.models.contacts import RAG_RANK
from db.references import contact_reference
from mashdesk import access, codes
from mashdesk.calendar import WorkingCalendar
from mashdesk.clock import LONDON
from mashdesk.context import Actor, Service, WriteScope
from mashdesk.documents.delivery import DocumentOf
from mashdesk.errors import InputError, NotFound, PermissionDenied
from mashdesk.rulesets.versions import engine_in_force
from mashdesk.triage import threshold, workflow
from mashdesk.triage.checks import add_agency_checks
from mashdesk.triage.episodes import open_episodes
from mashdesk.triage.views import (
    AssessmentView,
    CheckQueueRow,
    ChildDecisionInput,
    ChildFacts,
    DecisionView,
    FeedbackLetterFacts,
    ThresholdInput,
)
from rules import Ruleset, TriageResult
from rules.replay import facts_record


class TriageService(Service):
    @contextmanager
    def _reading(self, actor: Actor, contact_id: int) -> Iterator[Session]:
        """A read of one contact, refused (and audited) outside the reader's access rules."""
        self.require_record(actor, "contact.read", "contact", contact_id, contact_reference(contact_id))
        with self.read(actor, "contact.read") as s:
            yield s

    # -- the threshold --------------------------------------------------------------------------
    def child_facts(self, actor: Actor, contact_id: int) -> list[ChildFacts]:
        """The children of a contact with what the record knows of their history."""
        with self._reading(actor, contact_id) as s:
            contact = _contact(s, contact_id)
            return threshold.child_facts(s, contact)

    def ruleset_for(self, actor: Actor, contact_id: int) -> Ruleset:
        """The ruleset version in force when the contact was received: its indicators, levels and outcomes."""
        with self._reading(actor, contact_id) as s:
            return engine_in_force(s, _contact(s, contact_id).received_at).ruleset

    def preview(self, actor: Actor, contact_id: int, data: ThresholdInput) -> TriageResult:
        """The engine's suggestion for ``data`` (nothing is written): for the live threshold panel."""
        with self._reading(actor, contact_id) as s:
            contact = _contact(s, contact_id)
            return threshold.run_engine(s, contact, threshold.child_facts(s, contact), data)

    def assess(self, actor: Actor, contact_id: int, data: ThresholdInput) -> TriageResult:
        """Store the threshold assessment of every child, with the ruleset's id and version."""
        with self.write(actor, "decision.propose", "contact") as w:
            contact = _contact(w.session, contact_id)
            workflow.require("threshold", contact.status, contact.reference)
            facts = threshold.child_facts(w.session, contact)
            result = threshold.run_engine(w.session, contact, facts, data)
            stored = {c.ref: facts_record(c) for c in threshold.child_inputs(facts, data)}
            for child in result.children:
                w.session.add(ThresholdAssessment(
                    contact_id=contact.id, person_id=int(child.ref), indicators=list(data.children.get(
                        int(child.ref), ())), household_indicators=list(data.household),
                    suggested_level=child.level, suggested_outcome=child.outcome, suggested_rag=child.rag,
                    flags=list(child.flags), rules_fired=list(child.rules), reasons=list(child.reasons),
                    ruleset_id=result.ruleset_id, ruleset_version=result.ruleset_version,
                    assessed_at=w.now, **stored[child.ref], assessed_by_id=actor.user_id))
            w.audit("contact", contact.id, f"threshold applied to {contact.reference}",
                    ruleset=f"{result.ruleset_id} {result.ruleset_version}",
                    levels={c.ref: c.level for c in result.children})
            return result

    def latest_assessments(self, actor: Actor, contact_id: int) -> dict[int, AssessmentView]:
        """The threshold's last suggestion per child, by person id."""
        with self._reading(actor, contact_id) as s:
            return {pid: threshold.assessment_view(a)
                    for pid, a in threshold.latest_assessments(s, contact_id).items()}

    # -- screening and allocation ---------------------------------------------------------------
    def suggested_rag(self, actor: Actor, contact_id: int) -> str:
        """The ruleset's RAG for what is recorded so far (red if the child may need protection now)."""
        with self._reading(actor, contact_id) as s:
            contact = _contact(s, contact_id)
            return threshold.suggested_rag(s, contact)

    def screen(self, actor: Actor, contact_id: int, expected_version: int, rag: str,
               reason: str | None = None, allocate_to: int | None = None) -> int:
        """Set the RAG (a change from the suggestion needs a reason); this starts the decision clock."""
        if rag not in codes.RAG:
            raise InputError("RAG: red, amber or green", "rag")
        with self.write(actor, "contact.screen", "contact") as w:
            contact = w.get_for_edit(Contact, contact_id, expected_version, "contact")
            workflow.require("screen", contact.status, contact.reference)
            suggested = threshold.suggested_rag(w.session, contact)
            if rag != suggested and not (reason or "").strip():
                raise InputError(f"RAG reason: the ruleset suggests {suggested}; say why it is {rag}", "rag_reason")
            contact.rag, contact.rag_rank, contact.rag_suggested = rag, RAG_RANK[rag], suggested
            contact.rag_reason = (reason or "").strip() or None
            contact.screened_at, contact.screened_by_id = w.now, actor.user_id
            contact.decision_due_at = self.ctx.calendar.due_datetime(f"decision_{rag}", contact.received_at)
            contact.status = workflow.after("screen", contact.status)
            if allocate_to is not None:
                _allocate(w, contact, allocate_to)
            w.session.flush()
            w.audit("contact", contact.id, f"screened {contact.reference} {rag.upper()}", rag=rag,
                    suggested=suggested, allocated_to=allocate_to)
            return contact.version

    def allocate(self, actor: Actor, contact_id: int, expected_version: int, user_id: int) -> int:
        with self.write(actor, "contact.allocate", "contact") as w:
            contact = w.get_for_edit(Contact, contact_id, expected_version, "contact")
            workflow.require("allocate", contact.status, contact.reference)
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
        with self.write(actor, "check.request", "contact") as w:
            contact = w.get_for_edit(Contact, contact_id, expected_version, "contact")
            add_agency_checks(w, contact, agencies, question, self.ctx.calendar)
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
            workflow.require("answer", check.contact.status, check.contact.reference)
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
            workflow.require("decide", contact.status, contact.reference)
            assessments = threshold.latest_assessments(w.session, contact.id)
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
                threshold.check_decision(w.session, d, assessment)
                w.session.add(Decision(
                    contact_id=contact.id, person_id=d.person_id, assessment_id=assessment.id, level=d.level,
                    outcome=d.outcome, primary_need=d.primary_need, rationale=d.rationale.strip(),
                    override_reason=(d.override_reason or "").strip() or None, decided_at=w.now,
                    decided_by_id=actor.user_id, status="proposed", nfa=d.outcome == "nfa_advice",
                    updated_by_id=actor.user_id))
            contact.status = workflow.after("decide", contact.status)
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
            workflow.require("authorise", contact.status, contact.reference)
            decisions = _proposed(w.session, contact.id)
            for d in decisions:
                d.status, d.authorised_at, d.authorised_by_id = "authorised", w.now, actor.user_id
            lead = max(decisions, key=lambda d: workflow.lead_rank(d.level, d.outcome))
            contact.outcome, contact.level, contact.closed_at = lead.outcome, lead.level, w.now
            contact.status = workflow.after("authorise", contact.status)
            contact.decided_late = workflow.decided_late(contact.decision_due_at, lead.decided_at)
            follow_up = _follow_up(w, self.ctx.calendar, contact, lead)
            open_episodes(w.session, contact, decisions, actor.user_id)
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
            workflow.require("return", contact.status, contact.reference)
            for d in _proposed(w.session, contact.id):
                d.status, d.return_comment = "returned", comment.strip()
            contact.status = workflow.after("return", contact.status)
            w.session.flush()
            w.audit("contact", contact.id, f"decision returned for {contact.reference}", comment=comment.strip())
            return contact.version

    def decisions(self, actor: Actor, contact_id: int) -> list[DecisionView]:
        """The decisions on a contact's children, but those proposed again since."""
        with self._reading(actor, contact_id) as s:
            rows = s.scalars(select(Decision).where(Decision.contact_id == contact_id,
                                                    Decision.status != "superseded").order_by(Decision.id))
            return [DecisionView(d.person_id, d.level, d.outcome, d.primary_need, d.status, d.override_reason,
                                 d.return_comment) for d in rows]

    # -- what may be done now ----------------------------------------------------------------------
    def allowed_actions(self, actor: Actor, contact_id: int) -> tuple[workflow.ContactAction, ...]:
        """What ``actor`` may do to the contact now, by the workflow's table (for the contact view);
        nothing on a contact outside the reader's access rules."""
        with self.ctx.direct() as conn:
            if access.may_open(conn, actor, "contact", contact_id) is False:
                return ()
        with self.read(actor, "contact.read") as s:
            status = s.scalar(select(Contact.status).where(Contact.id == contact_id))
            if status is None:
                raise NotFound(f"contact {contact_id} does not exist")
            own_check = actor.agency_code is not None and bool(s.scalar(select(exists().where(
                AgencyCheck.contact_id == contact_id, AgencyCheck.status == "requested",
                AgencyCheck.agency_id == Agency.id, Agency.code == actor.agency_code))))
        return workflow.allowed(status, actor.may, own_check=own_check)

    # -- feedback --------------------------------------------------------------------------------------
    def feedback_letter(self, actor: Actor, contact_id: int) -> tuple[DocumentOf, bytes]:
        """The letter to the referrer (PDF), built from the authorised decision in a read; laid out after it.

        Saving or printing it goes through ``DocumentDelivery`` with the ``DocumentOf`` returned.
        """
        from mashdesk.triage.documents import build_feedback_letter

        with self.read(actor, "feedback.send") as s:
            contact = _contact(s, contact_id)
            workflow.require("letter", contact.status, contact.reference)
            feedback = _feedback(s, contact.id)
            referrer = contact.referrer
            facts = FeedbackLetterFacts(
                contact_id=contact.id, feedback_id=feedback.id, reference=contact.reference,
                children=contact.children_display, received_at=contact.received_at, outcome=contact.outcome,
                closed_at=contact.closed_at, text=feedback.text,
                referrer_name=referrer.name if referrer else None, referrer_role=referrer.role if referrer else None,
                referrer_organisation=referrer.organisation if referrer else None,
                referrer_email=referrer.email if referrer else None,
                signed_by=actor.display_name, written_at=self.ctx.now())
        doc = DocumentOf("referrer_feedback", facts.feedback_id, f"the feedback letter for {facts.reference}",
                         "feedback.send", "feedback.send")
        return doc, build_feedback_letter(facts)

    def mark_feedback_sent(self, actor: Actor, contact_id: int, method: str) -> None:
        if method not in ("email", "secure_email", "phone", "letter"):
            raise InputError("method: email, secure email, phone or letter", "method")
        with self.write(actor, "feedback.send", "contact") as w:
            contact = _contact(w.session, contact_id)
            workflow.require("sent", contact.status, contact.reference)
            feedback = _feedback(w.session, contact_id)
            feedback.method, feedback.sent_at, feedback.sent_by_id = method, w.now, actor.user_id
            feedback.updated_by_id = actor.user_id
            w.session.flush()
            w.audit("referrer_feedback", feedback.id, f"feedback sent by {method}", late=w.now > feedback.due_at)


def feedback_text(contact: Contact, lead: Decision) -> str:
    return workflow.feedback_text(contact.children_display, contact.received_at, lead.outcome, lead.rationale)


# -- helpers ------------------------------------------------------------------------------------------
def _contact(s: Session, contact_id: int) -> Contact:
    contact = s.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"contact {contact_id} does not exist")
    return contact


def _allocate(w: WriteScope, contact: Contact, user_id: int) -> None:
    worker = w.session.get(User, user_id)
    if worker is None or worker.role_code not in ("practitioner", "manager") or not worker.active:
        raise InputError("allocated to: choose an active MASH practitioner or manager", "allocated_to")
    contact.allocated_to_id, contact.allocated_at = worker.id, w.now


def _proposed(s: Session, contact_id: int) -> list[Decision]:
    decisions = list(s.scalars(select(Decision).where(Decision.contact_id == contact_id,
                                                      Decision.status == "proposed")))
    if not decisions:
        raise InputError("authorisation: there is no proposed decision", "status")
    return decisions


def _follow_up(w: WriteScope, calendar: WorkingCalendar, contact: Contact, lead: Decision) -> str:
    """What the authorised outcome creates, inside the same unit of work."""
    if lead.outcome == "early_help":
        from mashdesk.stepdown.opening import open_step_down

        return f"step-down {open_step_down(w, contact, lead).id}"
    if lead.outcome == "strategy_discussion":
        from mashdesk.strategy.service import convene_discussion

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

