"""Builders for the daily meeting's tests: contacts of each kind the agenda picks up, markers, EDT items."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from db.models import Agency, AgencyCheck, AtlasMarker, Contact, EdtEntry, Person
from mashdesk.contacts.service import ContactService, ReferrerInput
from mashdesk.people.service import PersonInput
from mashdesk.triage.service import TriageService
from tests.helpers import police_notification


class Builder:
    def __init__(self, ctx, actors, clock) -> None:  # type: ignore[no-untyped-def]
        self.ctx, self.actors, self.clock = ctx, actors, clock

    def contact(self, first: str = "Ava", rag: str | None = None, *, school: bool = False,
                received: datetime | None = None) -> int:
        kid = PersonInput(first, "Testchild", date(2014, 5, 4), sex="F")
        changes: dict = {}
        if school:
            changes = {"channel": "email", "cin_source": "2A",
                       "referrer": ReferrerInput(name="Ms Head", agency_code="education", role="DSL",
                                                 organisation="Hayes Primary School")}
        data = police_notification(self.clock(), kid, **changes)
        if received is not None:
            data.received_at = received
        cid = ContactService(self.ctx).create_contact(self.actors["practitioner"], data)
        if rag:
            triage = TriageService(self.ctx)
            triage.screen(self.actors["manager"], cid, self.version(cid), rag, reason="test")
        return cid

    def version(self, contact_id: int) -> int:
        with self.ctx.session_factory() as s:
            return s.get(Contact, contact_id).version

    def child_of(self, contact_id: int) -> int:
        with self.ctx.session_factory() as s:
            return [cp.person_id for cp in s.get(Contact, contact_id).people if cp.role == "child"][0]

    def overdue_check(self, contact_id: int, agency: str = "police") -> None:
        with self.ctx.session_factory.begin() as s:
            s.add(AgencyCheck(contact_id=contact_id, agency_id=s.scalar(select(Agency.id).where(Agency.code == agency)),
                              requested_at=self.clock() - timedelta(days=3), due_at=self.clock() - timedelta(days=2),
                              status="requested"))

    def marker(self, person_id: int, kind: str = "cce", level: str = "high", *, restricted: bool = False,
               review_on: date | None = None, noted_on: date | None = None) -> int:
        with self.ctx.session_factory.begin() as s:
            m = AtlasMarker(person_id=person_id, kind=kind, level=level, source="Police intelligence report",
                            noted_on=noted_on or date(2026, 11, 1), review_on=review_on or date(2027, 2, 1),
                            restricted=restricted)
            s.add(m)
            s.flush()
            return m.id

    def edt_entry(self, children: str = "Zoe Testchild (8)") -> int:
        period_start, period_end = self.ctx.calendar.edt_period_ending(date(2026, 11, 23))
        with self.ctx.session_factory.begin() as s:
            e = EdtEntry(call_at=period_start + timedelta(hours=5), caller_name="Duty sergeant",
                         children_text=children, reported="Found alone at 2am", action_taken="Placed with aunt",
                         outstanding="Check with school today", urgency="urgent", period_start=period_start,
                         period_end=period_end)
            s.add(e)
            s.flush()
            return e.id

    def person(self, first: str = "Kai") -> int:
        with self.ctx.session_factory.begin() as s:
            p = Person(first_name=first, last_name="Testchild", sex="M", date_of_birth=date(2010, 3, 3))
            s.add(p)
            s.flush()
            return p.id
