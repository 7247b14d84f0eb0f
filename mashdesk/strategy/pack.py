"""The strategy meeting pack's content, gathered for one reader, with its chronology.

An agency check answer restricted to an agency is left out for everyone outside that agency
(``permissions.may_read_restricted``), who sees that it was withheld. ``documents`` lays the result out.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

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
    StrategyChild,
    StrategyDiscussion,
    ThresholdAssessment,
    User,
)
from db.references import contact_reference, discussion_reference
from mashdesk.atlas.reading import labels_of
from mashdesk import codes, permissions
from mashdesk.context import Actor
from mashdesk.people.history import previous_contacts
from mashdesk.strategy.reads import load_discussion
from mashdesk.strategy.views import (
    ChronologyEvent,
    PackAction,
    PackAssessment,
    PackAttendee,
    PackCheck,
    PackChild,
    PackPerson,
    StrategyPack,
)
from mashdesk.strategy.workflow import DECISIONS, stage_of


def _born(p: Person) -> str:
    if p.date_of_birth:
        return p.date_of_birth.strftime("%d %b %Y")
    return f"due {p.expected_date_of_birth:%d %b %Y}" if p.expected_date_of_birth else "not known"


def _address(p: Person) -> str:
    current = [pa.address.one_line for pa in p.addresses if pa.current]
    return current[0] if current else "—"


def gather_pack(s: Session, discussion_id: int, reader: Actor, now: datetime) -> tuple[StrategyPack, int]:
    """Everything the pack holds, as ``reader`` may see it; returns it with the number of answers withheld."""
    d = load_discussion(s, discussion_id)
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
    atlas = labels_of(s, child_ids, reader.role)  # restricted markers: the kind only, unless Atlas or police

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
        notes.extend(atlas.get(c.person_id, ()))
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
        stage=stage_of(d.status),
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
