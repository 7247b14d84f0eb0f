"""Opening a step-down: the hook the authorisation of an ``early_help`` decision calls, and the event stamp."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Contact, Decision, StepDown, StepDownEvent
from mashdesk import codes
from mashdesk.context import WriteScope
from mashdesk.stepdown.workflow import OPEN_STATUSES, opened_note


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
    stamp_event(
        w,
        sd,
        "created",
        opened_note(contact.reference, by_hand=by_hand),
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


def stamp_event(w: WriteScope, sd: StepDown, kind: str, note: str = "", **detail: Any) -> None:
    w.session.add(
        StepDownEvent(
            step_down_id=sd.id, at=w.now, by_id=w.actor.user_id, kind=kind, note=note, detail=detail
        )
    )
