"""The consultation line's units of work: logging a call, listing the day's and week's calls, and what a
contact made from a call is prefilled with (the contact itself is recorded by the contacts service, with
the consultation linked)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from db.models import Consultation, ConsultationPerson, Contact, Person, User
from db.references import consultation_reference, contact_reference
from mashdesk.context import Actor, Service
from mashdesk.errors import InputError, NotFound
from mashdesk.consultations.views import (
    ConsultationInput,
    ConsultationList,
    ConsultationQuery,
    ConsultationRow,
    ContactPrefill,
)
from mashdesk.consultations.workflow import OUTCOMES, check_call, sees_only_schools


class ConsultationService(Service):
    def log(self, actor: Actor, data: ConsultationInput) -> int:
        """Log a call to the consultation line; returns its id."""
        check_call(at=data.at, caller_name=data.caller_name, question=data.question, advice=data.advice,
                   outcome=data.outcome, signposted_to=data.signposted_to, minutes=data.minutes, now=self.ctx.now())
        with self.write(actor, "consultation.log", "consultation") as w:
            known = set(w.session.scalars(select(Person.id).where(Person.id.in_(data.child_ids))))
            for i, pid in enumerate(data.child_ids, start=1):
                if pid not in known:
                    raise InputError(f"child {i}: no child with reference {pid} is known", f"children[{i}]")
            c = Consultation(
                at=data.at, caller_name=data.caller_name.strip(), caller_role=data.caller_role.strip() or None,
                organisation=data.organisation.strip() or None, from_school=data.from_school,
                phone=data.phone.strip() or None, question=data.question.strip(), advice=data.advice.strip(),
                child_summary=data.child_summary.strip() or None, outcome=data.outcome,
                signposted_to=data.signposted_to.strip() or None if data.outcome == "signposted" else None,
                minutes=data.minutes, advised_by_id=actor.user_id, updated_by_id=actor.user_id)
            c.children = [ConsultationPerson(person_id=pid) for pid in dict.fromkeys(data.child_ids)]
            w.session.add(c)
            w.session.flush()
            w.audit("consultation", c.id, f"logged consultation {consultation_reference(c.id)} from "
                    f"{c.organisation or c.caller_name}", outcome=c.outcome, children=len(c.children))
            return c.id

    def calls(self, actor: Actor, query: ConsultationQuery) -> ConsultationList:
        """The day's (or week's) calls, newest first, filtered by school and outcome."""
        start = query.day - timedelta(days=query.day.weekday()) if query.week else query.day
        end = start + timedelta(days=7 if query.week else 1)
        cal = self.ctx.calendar
        lo, hi = (cal.localize(datetime.combine(d, time(0), tzinfo=cal.tz)) for d in (start, end))
        where: list[ColumnElement[bool]] = [Consultation.at >= lo, Consultation.at < hi]
        if sees_only_schools(actor.role):
            where.append(Consultation.from_school.is_(True))
        with self.read(actor, "consultation.read") as s:
            schools = tuple(sorted({o for o in s.scalars(select(Consultation.organisation).where(
                *where, Consultation.from_school.is_(True))) if o}))
            if query.school:
                where.append(Consultation.organisation == query.school)
            if query.outcome:
                where.append(Consultation.outcome == query.outcome)
            rows = _rows(s, where)
        return ConsultationList(query, start, end - timedelta(days=1), tuple(rows), schools)

    def schools(self, actor: Actor) -> list[str]:
        """The schools the record names (children's schools and earlier callers'), for the call form."""
        with self.read(actor, "consultation.log") as s:
            named = set(s.scalars(select(Person.school).where(Person.school.is_not(None)).distinct()))
            named |= set(s.scalars(select(Consultation.organisation).where(
                Consultation.from_school.is_(True), Consultation.organisation.is_not(None)).distinct()))
        return sorted(n for n in named if n)

    def get(self, actor: Actor, consultation_id: int) -> ConsultationRow:
        where = [Consultation.id == consultation_id]
        if sees_only_schools(actor.role):
            where.append(Consultation.from_school.is_(True))
        with self.read(actor, "consultation.read") as s:
            rows = _rows(s, where)
        if not rows:
            raise NotFound(f"consultation {consultation_id} does not exist")
        return rows[0]

    def contact_prefill(self, actor: Actor, consultation_id: int) -> ContactPrefill:
        """What the contact form starts with when a call becomes a contact: the caller, the question and
        the advice as the concern, the children linked, received at the call's time."""
        with self.read(actor, "contact.create") as s:
            c = s.get(Consultation, consultation_id)
            if c is None:
                raise NotFound(f"consultation {consultation_id} does not exist")
            children = tuple((cp.person_id, cp.person.full_name) for cp in c.children)
            concern = (f"Consultation line call {consultation_reference(c.id)}: {c.question}"
                       + (f"\nChildren as described: {c.child_summary}" if c.child_summary else "")
                       + (f"\nAdvice given: {c.advice}" if c.advice else ""))
            return ContactPrefill(
                consultation_id=c.id, received_at=c.at, caller_name=c.caller_name, caller_role=c.caller_role or "",
                organisation=c.organisation or "", phone=c.phone or "",
                agency_code="education" if c.from_school else None, concern=concern, children=children)


def _rows(s: Session, where: list[ColumnElement[bool]]) -> list[ConsultationRow]:
    found = s.scalars(select(Consultation).where(*where).options(selectinload(Consultation.children))
                      .order_by(Consultation.at.desc(), Consultation.id.desc())).all()
    ids = [c.id for c in found]
    contacts = dict(s.execute(select(Contact.consultation_id, Contact.id).where(
        Contact.consultation_id.in_(ids)).order_by(Contact.id.desc())).all()) if ids else {}
    names = dict(s.execute(select(User.id, User.display_name).where(
        User.id.in_({c.advised_by_id for c in found if c.advised_by_id}))).all()) if ids else {}
    rows = []
    for c in found:
        kids = ", ".join(cp.person.full_name for cp in c.children)
        children = "; ".join(x for x in (kids, c.child_summary or "") if x) or "not named"
        contact = contacts.get(c.id)
        rows.append(ConsultationRow(
            id=c.id, reference=consultation_reference(c.id), at=c.at,
            caller=c.caller_name + (f" ({c.caller_role})" if c.caller_role else ""),
            organisation=c.organisation or "", from_school=c.from_school, children=children,
            outcome=OUTCOMES.get(c.outcome, c.outcome), signposted_to=c.signposted_to, minutes=c.minutes,
            advised_by=names.get(c.advised_by_id, "—") if c.advised_by_id else "—",
            contact_reference=contact_reference(contact) if contact else None, contact_id=contact,
            question=c.question, advice=c.advice))
    return rows

