"""Ofsted's Annex A Lists 1-3 for a date range: each list read in one query, written as the template's workbook.

- List 1 has a row for each child of each contact received in the range;
- List 2 a row for each child of each step-down to Early Help whose assessment started (the step-down was
  accepted) in the range, with the centre that completes it;
- List 3 a row for each child's referral (an authorised decision for a single assessment or a strategy
  discussion) made in the range, with the child's referrals in the 12 months up to it.

Only codes, dates and the names of workers and centres leave the desk: no free text at all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Contact, ContactPerson, Decision, Person, StepDown, User
from mashdesk.clock import LONDON
from mashdesk.codes import REFERRAL_OUTCOMES
from mashdesk.context import Actor, Service
from mashdesk.documents.delivery import DocumentDelivery, DocumentOf
from mashdesk.errors import InputError
from mashdesk.returns.annex_a_codes import (
    LIST_1,
    LIST_2,
    LIST_3,
    YES_NO,
    AnnexA,
    age_on,
    child_id,
    ethnicity,
    gender,
    source,
)
from mashdesk.returns.annex_a_workbook import annex_a_workbook
from mashdesk.stepdown.centres import early_help_config

#: Referrals "in the last 12 months" look back this far from each referral (the referral itself included).
LOOK_BACK = timedelta(days=365)
#: The team shown for a referral whose worker has no team recorded.
FRONT_DOOR_TEAM = "MASH"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON)


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone(LONDON).date() if moment is not None else None


def _child(person_id: int, sex: str | None, eth: str | None, born: date | None, on: date) -> tuple[Any, ...]:
    return child_id(person_id), gender(sex), ethnicity(eth), born, age_on(born, on)


def _children() -> Any:
    return and_(ContactPerson.role == "child", ContactPerson.person_id == Person.id)


def list_1(s: Session, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
    c = Contact
    rows = s.execute(select(Person.id, Person.sex, Person.ethnicity, Person.date_of_birth, c.received_at,
                            c.cin_source)
                     .join(ContactPerson, ContactPerson.contact_id == c.id).join(Person, _children())
                     .where(c.received_at >= start, c.received_at < end)
                     .order_by(c.received_at, c.id, Person.id)).all()
    out = []
    for pid, sex, eth, born, at, code in rows:
        on = _day(at)
        assert on is not None
        out.append((*_child(pid, sex, eth, born, on), on, source(code)))
    return out


def list_2(s: Session, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
    sd, d = StepDown, aliased(Decision)
    centres = early_help_config()
    # The child the step-down's decision was about, or every child of the contact when it names none.
    rows = s.execute(select(Person.id, Person.sex, Person.ethnicity, Person.date_of_birth, sd.accepted_at,
                            sd.closed_at, sd.centre)
                     .select_from(sd).outerjoin(d, d.id == sd.decision_id)
                     .join(ContactPerson, ContactPerson.contact_id == sd.contact_id).join(Person, _children())
                     .where(sd.accepted_at >= start, sd.accepted_at < end,
                            or_(d.id.is_(None), d.person_id == Person.id))
                     .order_by(sd.accepted_at, sd.id, Person.id)).all()
    out = []
    for pid, sex, eth, born, started, closed, centre in rows:
        on = _day(started)
        assert on is not None
        out.append((*_child(pid, sex, eth, born, on), on, _day(closed),
                    centres.centre_name(centre) or "Early Help (centre not yet chosen)"))
    return out


def _referral_at() -> Any:
    return func.coalesce(Decision.authorised_at, Decision.decided_at)


def _referrals() -> tuple[Any, ...]:
    return Decision.status == "authorised", Decision.outcome.in_(sorted(REFERRAL_OUTCOMES))


def list_3(s: Session, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
    d, c = Decision, Contact
    worker = aliased(User)
    at = _referral_at()
    rows = s.execute(select(Person.id, Person.sex, Person.ethnicity, Person.date_of_birth, at, c.cin_source, d.nfa,
                            worker.display_name, worker.team)
                     .select_from(d).join(c, c.id == d.contact_id).join(Person, Person.id == d.person_id)
                     .outerjoin(worker, worker.id == func.coalesce(c.allocated_to_id, d.decided_by_id))
                     .where(*_referrals(), at >= start, at < end).order_by(at, d.id)).all()
    # Every referral from 12 months before the range on, in one pass, counted per referral in Python.
    earlier: dict[int, list[datetime]] = defaultdict(list)
    wanted = {r[0] for r in rows}
    for pid, when in s.execute(select(d.person_id, at).where(*_referrals(), at >= start - LOOK_BACK, at < end)):
        if pid in wanted:
            earlier[pid].append(when)
    out = []
    for pid, sex, eth, born, when, code, nfa, name, team in rows:
        on = _day(when)
        assert on is not None
        count = sum(when - LOOK_BACK < other <= when for other in earlier[pid])
        out.append((*_child(pid, sex, eth, born, on), on, source(code), YES_NO[bool(nfa)], count,
                    team or FRONT_DOOR_TEAM, name or "Unallocated"))
    return out


def check_range(first: date, last: date) -> None:
    if last < first:
        raise InputError(f"to: {last} is before from ({first})", "to")


class AnnexAService(Service):
    def build(self, actor: Actor, first: date, last: date) -> AnnexA:
        """Lists 1-3 for the days ``first``..``last`` (London time, inclusive)."""
        check_range(first, last)
        start, end = _moment(first), _moment(last + timedelta(days=1))
        with self.read(actor, "export.returns") as s:
            lists = {LIST_1: list_1(s, start, end), LIST_2: list_2(s, start, end), LIST_3: list_3(s, start, end)}
        return AnnexA(first, last, lists)

    def save(self, actor: Actor, annex: AnnexA, path: str | Path) -> Path:
        """Write the workbook to ``path`` (.xlsx), audited with its name, SHA-256 and the rows of each list."""
        data = annex_a_workbook(annex)
        rows: dict[str, Any] = {name.lower().replace(" ", "_"): len(r) for name, r in annex.lists.items()}
        doc = DocumentOf("annex_a", None, "the Annex A return", "export.returns", "export.returns",
                         {"from": annex.first.isoformat(), "to": annex.last.isoformat(), **rows})
        return DocumentDelivery(self.ctx).save(actor, doc, data, path, (".xlsx",))


def counts(annex: AnnexA) -> dict[str, int]:
    return {name: len(rows) for name, rows in annex.lists.items()}

