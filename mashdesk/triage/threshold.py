"""The Threshold of Need as triage applies it: a contact's children, the engine, and its last suggestions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Contact, ThresholdAssessment
from mashdesk import codes
from mashdesk.clock import LONDON
from mashdesk.people.history import previous_contacts
from mashdesk.errors import InputError
from mashdesk.rulesets.versions import engine_for, engine_in_force
from mashdesk.triage.views import AssessmentView, ChildDecisionInput, ChildFacts, ThresholdInput
from rules import ChildInput, RuleInputError, TriageResult


def child_facts(s: Session, contact: Contact) -> list[ChildFacts]:
    children = [cp.person for cp in contact.people if cp.role == "child"]
    history = previous_contacts(s, [p.id for p in children], contact.received_at, exclude_contact=contact.id)
    return [ChildFacts(
        person_id=p.id, name=p.full_name, date_of_birth=p.date_of_birth,
        expected_date_of_birth=p.expected_date_of_birth, disabled=p.disabled,
        previous_cp_plan=p.cp_plan_previous or p.cp_plan_current,
        previous_contacts_12m=history[p.id][0], previous_referrals_12m=history[p.id][1]) for p in children]


def child_inputs(facts: list[ChildFacts], data: ThresholdInput) -> list[ChildInput]:
    """The engine's input per child (``ref`` is the person id), as an assessment stores it."""
    known = {f.person_id for f in facts}
    unknown = set(data.children) - known
    if unknown:
        raise InputError(f"indicators: person {sorted(unknown)[0]} is not a child of this contact", "indicators")
    return [ChildInput(
        ref=str(f.person_id), date_of_birth=f.date_of_birth,
        expected_date_of_birth=None if f.date_of_birth else f.expected_date_of_birth,
        disabled=f.disabled, previous_cp_plan=f.previous_cp_plan, previous_contacts_12m=f.previous_contacts_12m,
        previous_referrals_12m=f.previous_referrals_12m, indicators=tuple(data.children.get(f.person_id, ())))
        for f in facts]


def run_engine(s: Session, contact: Contact, facts: list[ChildFacts], data: ThresholdInput) -> TriageResult:
    """The suggestion of the ruleset version in force when the contact was received."""
    inputs = child_inputs(facts, data)
    names = {str(f.person_id): f.name for f in facts}
    engine = engine_in_force(s, contact.received_at)
    try:
        return engine.triage(contact.received_at.astimezone(LONDON).date(), inputs, data.household)
    except RuleInputError as exc:
        message = str(exc)
        if exc.child_ref in names:
            message = message.replace(f"child {exc.child_ref}", names[exc.child_ref])
        raise InputError(message, exc.field or "indicators") from exc


def latest_assessments(s: Session, contact_id: int) -> dict[int, ThresholdAssessment]:
    latest = (select(ThresholdAssessment.person_id, func.max(ThresholdAssessment.id).label("id"))
              .where(ThresholdAssessment.contact_id == contact_id).group_by(ThresholdAssessment.person_id)
              .subquery())
    rows = s.scalars(select(ThresholdAssessment).join(latest, latest.c.id == ThresholdAssessment.id))
    return {a.person_id: a for a in rows}


def suggested_rag(s: Session, contact: Contact) -> str:
    assessments = latest_assessments(s, contact.id)
    rags = [a.suggested_rag for a in assessments.values()]
    if contact.immediate_protection == "yes":
        rags.append("red")
    if not rags:
        return "green"
    return min(rags, key=codes.RAG.index)


def check_decision(s: Session, d: ChildDecisionInput, assessment: ThresholdAssessment) -> None:
    """Checks a decision against the levels and outcomes of the version its assessment was made under."""
    rules = engine_for(s, assessment.ruleset_id, assessment.ruleset_version).ruleset
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




def assessment_view(a: ThresholdAssessment) -> AssessmentView:
    return AssessmentView(
        person_id=a.person_id, indicators=tuple(a.indicators), household_indicators=tuple(a.household_indicators),
        suggested_level=a.suggested_level, suggested_outcome=a.suggested_outcome, suggested_rag=a.suggested_rag,
        reasons=tuple(a.reasons), ruleset_id=a.ruleset_id, ruleset_version=a.ruleset_version)
