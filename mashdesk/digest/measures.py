"""What each figure of the digest counts, written once as SQL conditions.

A :class:`Measure` names the records it is about, the moment that places a record in a period,
an optional grouping (one figure per group), and, for a share, the condition a record must meet to
count. The same conditions count the figure (``figures.py``) and list the records behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import (
    Consultation,
    Contact,
    Decision,
    EdtEntry,
    HandoverAcknowledgement,
    MissingEpisode,
    StepDown,
    StrategyChild,
    StrategyDiscussion,
    ThresholdAssessment,
)
from db.references import (
    consultation_reference,
    contact_reference,
    discussion_reference,
    edt_entry_reference,
    missing_reference,
    step_down_reference,
)
from mashdesk.clock import LONDON
from mashdesk.codes import CIN_REFERRAL_SOURCES, OUTCOMES, RAG, REFERRAL_OUTCOMES
from mashdesk.consultations.figures import days_between
from mashdesk.consultations.workflow import BECAME_CONTACT_WITHIN
from mashdesk.consultations.workflow import OUTCOMES as CALL_OUTCOMES
from mashdesk.digest.workflow import STEP_UP_WITHIN
from mashdesk.stepdown.centres import early_help_config


@dataclass(frozen=True)
class Measure:
    key: str
    section: str
    #: The kind of record behind the figure (``DrillRecord.kind``) and how it is referred to.
    kind: str
    reference: Callable[[int], str]
    #: The FROM clause (with its joins), the record's id and the contact it belongs to.
    source: Any
    ident: Any
    contact: Any
    #: The moment (or, when ``dated``, the day) that places a record in a period.
    at: Any
    label: Callable[[str], str]
    #: Columns shown for each record, and the sentence made of them.
    detail: Sequence[Any]
    describe: Callable[[Sequence[Any]], str]
    dated: bool = False
    where: Sequence[Any] = ()
    #: One figure per value of this column (``None``: one figure).
    group: Any = None
    #: The groups in the order they are shown (others follow, most records first).
    order: Sequence[str] = ()
    #: For a share: the condition a record meets to count (``None``: the figure is a count).
    counted: Any = None
    #: The record is referred to by its contact's reference (a decision is known by its contact's).
    by_contact: bool = False
    #: The figure's name under its bar in a chart (default: its label); whether it has a bar at all.
    short: Callable[[str], str] | None = None
    charted: bool = True

    def key_of(self, group: str | None) -> str:
        return self.key if self.group is None else f"{self.key}:{group}"


def _local(moment: datetime | None) -> str:
    return f"{moment.astimezone(LONDON):%d %b %Y %H:%M}" if moment else "—"


def _day(value: date | None) -> str:
    return f"{value:%d %b %Y}" if value else "—"


def _contacts() -> list[Measure]:
    c = Contact
    common: dict[str, Any] = dict(kind="contact", reference=contact_reference, source=c, ident=c.id,
                                  contact=c.id, at=c.received_at,
                                  detail=(c.cin_source, c.rag, c.outcome, c.decided_late, c.is_re_referral),
                                  describe=_contact_text)
    return [
        Measure("contacts", "source", label=lambda _g: "All contacts received", charted=False, **common),
        Measure("source", "source", group=c.cin_source, order=tuple(CIN_REFERRAL_SOURCES), short=str,
                label=lambda g: f"{g} {CIN_REFERRAL_SOURCES.get(g, 'Unknown code')}", **common),
        Measure("outcome", "outcome", group=func.coalesce(c.outcome, "open"), order=(*OUTCOMES, "open"),
                label=lambda g: OUTCOMES.get(g, "Not yet decided"), **common),
        Measure("timescale", "timescale", group=c.rag, order=RAG, where=(c.decided_late.is_not(None),),
                counted=c.decided_late.is_(False), label=lambda g: f"{g.title()}: decided within timescale",
                short=str.title,
                **common),
        Measure("conversion", "referrals", where=(c.outcome.is_not(None),),
                counted=c.outcome.in_(sorted(REFERRAL_OUTCOMES)),
                label=lambda _g: "Decided contacts that became referrals", **common),
        Measure("rereferral", "referrals", where=(c.outcome.in_(sorted(REFERRAL_OUTCOMES)),),
                counted=c.is_re_referral.is_(True),
                label=lambda _g: "Referrals that were re-referrals within 12 months", **common),
    ]


def _contact_text(row: Sequence[Any]) -> str:
    source, rag, outcome, late, again = row
    decided = "not yet decided" if outcome is None else OUTCOMES.get(outcome, outcome)
    timing = "" if late is None else (", decided late" if late else ", decided in time")
    return f"Source {source}, {(rag or 'not screened').upper()}, {decided}{timing}" + \
        (", re-referral" if again else "")


def _step_downs(session: Session) -> list[Measure]:
    s, up = StepDown, aliased(Contact)
    centres = early_help_config()
    common: dict[str, Any] = dict(
        kind="step_down", reference=step_down_reference, source=s.__table__.outerjoin(
            up, up.id == s.stepped_up_contact_id),
        ident=s.id, contact=s.contact_id, at=s.sent_at, detail=(s.centre, s.status, up.received_at),
        describe=lambda r: f"{centres.centre_name(r[0]) or 'No centre yet'}, {r[1].replace('_', ' ')}"
                           + (f", stepped up {_local(r[2])}" if r[2] else ""))
    within = and_(up.id.is_not(None),
                  days_between(session, up.received_at, s.sent_at) <= STEP_UP_WITHIN.days)
    return [
        Measure("stepdown.sent", "stepdown", label=lambda _g: "Step-downs sent to Early Help", **common),
        Measure("stepdown.accepted", "stepdown", counted=s.accepted_at.is_not(None),
                label=lambda _g: "Accepted by Early Help", **common),
        Measure("stepdown.stepped_up", "stepdown", counted=within,
                label=lambda _g: "Stepped up to the MASH within 3 months", **common),
    ]


def _icpc() -> list[Measure]:
    sc, sd = StrategyChild, StrategyDiscussion
    return [Measure(
        "icpc", "icpc", kind="strategy", reference=discussion_reference,
        source=sc.__table__.join(sd, sd.id == sc.discussion_id), ident=sd.id, contact=sd.contact_id,
        at=sc.icpc_held_on, dated=True, where=(sc.icpc_held_on.is_not(None),),
        counted=and_(sc.icpc_due.is_not(None), sc.icpc_held_on <= sc.icpc_due),
        label=lambda _g: "ICPCs held within 15 working days of the strategy discussion",
        detail=(sd.held_at, sc.icpc_due, sc.icpc_held_on),
        describe=lambda r: f"Strategy discussion {_local(r[0])}, ICPC due {_day(r[1])}, held {_day(r[2])}")]


def _edt() -> list[Measure]:
    e, a = EdtEntry, HandoverAcknowledgement
    return [Measure(
        "edt", "edt", kind="edt_entry", reference=edt_entry_reference,
        source=e.__table__.outerjoin(a, a.entry_id == e.id), ident=e.id, contact=a.contact_id, at=e.period_end,
        counted=and_(a.dealt_at.is_not(None), a.breached.is_(False)),
        label=lambda _g: "EDT items dealt with by 10:00 after the handover",
        detail=(e.urgency, e.call_at, a.outcome, a.dealt_at),
        describe=lambda r: f"{r[0].title()} call {_local(r[1])}; "
                           + (f"{r[2].replace('_', ' ')}, dealt with {_local(r[3])}" if r[3] else "not dealt with"))]


def ruleset_of(t: Any) -> Any:
    """The ruleset version an assessment was made under, as one text ("bromley-ton 2.1")."""
    return t.ruleset_id + literal(" ") + t.ruleset_version


def overridden(d: Any, t: Any) -> Any:
    """A decision otherwise than the ruleset suggested (level or outcome), as the consistency report says."""
    return or_(d.level != t.suggested_level, d.outcome != t.suggested_outcome)


def _overrides() -> list[Measure]:
    d, t = Decision, ThresholdAssessment
    return [Measure(
        "override", "override", kind="decision", reference=contact_reference, by_contact=True, source=d.__table__.join(
            t, t.id == d.assessment_id),
        ident=d.id, contact=d.contact_id, at=d.decided_at, group=ruleset_of(t), counted=overridden(d, t), short=str,
        label=lambda g: f"Decisions otherwise than suggested, ruleset {g}",
        detail=(t.suggested_level, t.suggested_outcome, d.level, d.outcome, d.override_reason),
        describe=lambda r: f"Suggested level {r[0]} {OUTCOMES.get(r[1], r[1])}; decided level {r[2]} "
                           f"{OUTCOMES.get(r[3], r[3])}" + (f": {r[4]}" if r[4] else ""))]


def _missing() -> list[Measure]:
    m = MissingEpisode
    common: dict[str, Any] = dict(
        kind="missing", reference=missing_reference, source=m, ident=m.id, contact=m.contact_id,
        at=m.reported_at, detail=(m.looked_after, m.risk, m.status),
        describe=lambda r: f"{'Looked after' if r[0] else 'Not looked after'}, {r[1]} risk, {r[2]}")
    return [
        Measure("missing.episodes", "missing", label=lambda _g: "Missing episodes reported", **common),
        Measure("missing.strategy", "missing", where=(m.looked_after.is_(True),),
                counted=and_(m.strategy_at.is_not(None), m.strategy_at <= m.strategy_due_at),
                label=lambda _g: "Looked after: strategy discussion within 24 hours", **common),
        Measure("missing.rhi", "missing", where=(m.returned_at.is_not(None),),
                counted=and_(m.rhi_offered_at.is_not(None), m.rhi_offered_at <= m.rhi_due_at),
                label=lambda _g: "Returned: return home interview offered within 72 hours", **common),
    ]


def _consultations(session: Session) -> list[Measure]:
    cl, c = Consultation, Contact
    became = exists(select(c.id).where(
        c.consultation_id == cl.id,
        days_between(session, c.created_at, cl.at) <= BECAME_CONTACT_WITHIN.total_seconds() / 86400))
    common: dict[str, Any] = dict(
        kind="consultation", reference=consultation_reference, source=cl, ident=cl.id, contact=None, at=cl.at,
        detail=(cl.organisation, cl.outcome, cl.minutes),
        describe=lambda r: f"{r[0] or 'Caller'}: {CALL_OUTCOMES.get(r[1], r[1])}, {r[2]} minutes")
    return [
        Measure("consultation", "consultation", group=cl.outcome, order=tuple(CALL_OUTCOMES),
                label=lambda g: f"Calls: {CALL_OUTCOMES.get(g, g).lower()}", **common),
        Measure("consultation.contact", "consultation", counted=became,
                label=lambda _g: "Calls that became a contact within 7 days", **common),
    ]


def measures(session: Session) -> tuple[Measure, ...]:
    """Every measure of the digest, in the order the digest shows them."""
    return (*_contacts(), *_step_downs(session), *_icpc(), *_edt(), *_overrides(), *_missing(),
            *_consultations(session))


def measure_for(session: Session, key: str) -> tuple[Measure, str | None]:
    """The measure behind a figure's key, and the figure's group."""
    name, _, group = key.partition(":")
    for m in measures(session):
        if m.key == name and (m.group is None) == (not group):
            return m, (group or None)
    raise KeyError(key)

