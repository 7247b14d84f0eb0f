"""Step-downs to Early Help: the units of work (consent, the receiving centre, its life, step-up).

Which action may start from which status is ``workflow.TRANSITIONS``; every action here is one
audited unit of work and stamps a :class:`StepDownEvent`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from db.models import Contact, ContactPerson, Decision, StepDown, User
from db.references import step_down_reference
from mashdesk.context import Actor, WriteScope
from mashdesk.errors import InputError
from mashdesk.contacts.service import ContactChildInput, ContactInput, ReferrerInput, record_contact
from mashdesk.stepdown.opening import open_step_down, stamp_event
from mashdesk.stepdown.reading import StepDownReads
from mashdesk.stepdown.views import StepUpResult
from mashdesk.stepdown import workflow
from mashdesk.stepdown.workflow import CLOSURE_REASONS, OPEN_STATUSES, consented, require_state


class StepDownService(StepDownReads):
    """The units of work on a step-down: each one audited, each stamping a ``StepDownEvent``."""

    # -- writes -----------------------------------------------------------------------------------------
    def _edit(self, w: WriteScope, step_down_id: int, expected_version: int, action: str) -> StepDown:
        sd = w.get_for_edit(StepDown, step_down_id, expected_version, "step-down")
        require_state(sd.status, action)
        return sd

    def _done(self, w: WriteScope, sd: StepDown, kind: str, note: str, summary: str, **detail: Any) -> int:
        stamp_event(w, sd, kind, note, **detail)
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
            sd.status = workflow.after("record_consent", sd.status, refused=refused)
            text = workflow.consent_note(step_down, info_sharing, note)
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
                sd.status = workflow.after("decide_refusal", sd.status, ask_again=True)
                sd.consent_step_down, sd.consent_info_sharing = "not_asked", "not_asked"
                return self._done(
                    w,
                    sd,
                    "asked_again",
                    note.strip() or "Consent to be asked again",
                    "consent to be asked again",
                )
            sd.status = workflow.after("decide_refusal", sd.status)
            sd.closed_at, sd.closure_reason = w.now, "no_further_action"
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
            sd.status = workflow.after("send", sd.status)
            sd.centre, sd.needs, sd.sent_at = centre, needs.strip(), w.now
            sd.declined_reason = None
            name = self.config.centre_name(centre)
            return self._done(w, sd, "sent", workflow.sent_note(name), f"sent to {name}", centre=centre)

    def accept(self, actor: Actor, step_down_id: int, expected_version: int) -> int:
        """The centre accepts: the first-contact and review clocks start."""
        with self.write(actor, "stepdown.manage", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "accept")
            sd.status, sd.accepted_at = workflow.after("accept", sd.status), w.now
            sd.first_contact_due_at = self.calendar.due_datetime("early_help_first_contact", w.now)
            sd.next_review_due_at = self.calendar.due_datetime("early_help_review", w.now)
            return self._done(
                w, sd, "accepted", workflow.accepted_note(self.config.centre_name(sd.centre)), "accepted"
            )

    def decline(self, actor: Actor, step_down_id: int, expected_version: int, *, reason: str) -> int:
        if not reason.strip():
            raise InputError("reason: say why the step-down is declined", "reason")
        with self.write(actor, "stepdown.manage", "step-down") as w:
            sd = self._edit(w, step_down_id, expected_version, "decline")
            sd.status, sd.declined_reason = workflow.after("decline", sd.status), reason.strip()
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
            sd.status = workflow.after("allocate", sd.status)
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
            sd.status, sd.first_contact_at = workflow.after("first_contact", sd.status), moment
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
            sd.status, sd.closed_at, sd.closure_reason = workflow.after("close", sd.status), w.now, reason
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
            sd.status = workflow.after("step_up", sd.status)
            sd.stepped_up_contact_id, sd.closed_at = contact.id, w.now
            version = self._done(
                w,
                sd,
                "stepped_up",
                f"Stepped up to the MASH as {contact.reference}: " f"{reason.strip()}",
                f"stepped up as contact {contact.reference}",
                contact_id=contact.id,
            )
            return StepUpResult(contact.id, contact.reference, version)
