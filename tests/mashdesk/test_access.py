"""Access by record: every role × record-reading action × own/other record, on both databases.

The cells are generated from ``PERMISSIONS`` (which roles may take each action at all) and the demo's
roles; what each role should see is written out here, independently of ``mashdesk.access``, as the
rules of docs/access.md say it in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from db.models import (
    Agency,
    AgencyCheck,
    AtlasMarker,
    AuditEvent,
    Contact,
    EdtEntry,
    EdtEntryPerson,
    StepDown,
    StrategyChild,
    StrategyDiscussion,
)
from mashdesk.contacts.queue import QueueService
from mashdesk.contacts.service import ContactService, ReferrerInput
from mashdesk.contacts.views import QueueQuery
from mashdesk.demo.catalogue import DEMO_USERS
from mashdesk.errors import PermissionDenied
from mashdesk.handover.service import HandoverService
from mashdesk.people.record import PersonRecordService
from mashdesk.people.scoring import MatchQuery
from mashdesk.people.service import PeopleService, PersonInput
from mashdesk.permissions import PERMISSIONS, ROLES
from mashdesk.stepdown.service import StepDownService
from mashdesk.strategy.service import StrategyService
from tests.helpers import police_notification

#: The actions that open one child's or family's record, and the kind of record each opens.
OPENS = {"contact.read": "contact", "person.read": "person", "strategy.read": "strategy_discussion",
         "pack.build": "strategy_discussion", "stepdown.read": "step_down", "handover.read": "edt_entry"}
#: What each role sees of each kind: "all", "own" (its own records only) or nothing (not named).
SEES = {
    "contact": {"practitioner": "all", "manager": "all", "police": "own", "health": "own", "education": "own",
                "edt": "own", "earlyhelp": "own", "atlas": "own"},
    "person": {"practitioner": "all", "manager": "all", "police": "own", "health": "own", "education": "own",
               "edt": "own", "earlyhelp": "own", "atlas": "own"},
    "strategy_discussion": {"practitioner": "all", "manager": "all", "police": "all", "health": "all",
                            "education": "own"},
    "step_down": {"practitioner": "all", "manager": "all", "earlyhelp": "all"},
    "edt_entry": {"practitioner": "all", "manager": "all", "edt": "own"},
}
ROLES_OF_THE_DEMO = sorted({role for role, _, _ in DEMO_USERS.values()})
CELLS = [(role, action) for role in ROLES_OF_THE_DEMO for action in sorted(OPENS)]


def test_the_demo_has_every_role_and_every_read_of_a_record_is_covered():
    assert set(ROLES_OF_THE_DEMO) == set(ROLES)
    assert set(OPENS) <= set(PERMISSIONS)


@dataclass
class World:
    #: kind → role → the record that role's rule lets it see; kind → a record no partner's rule reaches.
    own: dict[str, dict[str, int]]
    other: dict[str, int]


def _child(first: str) -> PersonInput:
    return PersonInput(first_name=first, last_name="Accesstest", date_of_birth=date(2016, 3, 2), sex="F")


@pytest.fixture
def world(ctx, actors, clock) -> World:  # type: ignore[no-untyped-def]
    contacts = ContactService(ctx)
    me = actors["practitioner"]
    make = lambda data: contacts.create_contact(me, data)  # noqa: E731
    police = make(police_notification(clock(), _child("Polly")))
    school = make(police_notification(clock(), _child("Sally"), cin_source="2A", channel="email",
                                      referrer=ReferrerInput(name="Ms Head", agency_code="education",
                                                             organisation="Ash Primary")))
    public = lambda name: police_notification(clock(), _child(name), cin_source="1B", channel="phone",  # noqa: E731
                                              referrer=ReferrerInput(name="A neighbour", professional=False))
    health, edt, early, atlas, other = (make(public(n)) for n in ("Hattie", "Edie", "Ellie", "Addy", "Olive"))
    now = clock()
    with ctx.session_factory.begin() as s:
        agency = {code: ident for code, ident in s.execute(select(Agency.code, Agency.id))}
        s.add(AgencyCheck(contact_id=health, agency_id=agency["health"], requested_at=now, due_at=now))
        child = {c: s.scalar(select(Contact).where(Contact.id == c)).people[0].person_id
                 for c in (police, school, health, edt, early, atlas, other)}
        period = dict(period_start=now - timedelta(days=3, hours=15), period_end=now - timedelta(days=2, hours=16))
        entry = lambda who, **when: EdtEntry(call_at=now - timedelta(days=3), recorded_by_id=who,  # noqa: E731
                                             **(when or period))
        own_entry, other_entry = entry(actors["edt"].user_id), entry(actors["manager"].user_id)
        s.add_all([own_entry, other_entry, entry(actors["manager"].user_id, period_start=now - timedelta(hours=9),
                                                 period_end=now + timedelta(hours=6))])
        s.flush()
        s.add(EdtEntryPerson(entry_id=own_entry.id, person_id=child[edt]))
        s.get(Contact, edt).edt_entry_id = own_entry.id
        step = StepDown(contact_id=early, status="sent")
        s.add(step)
        s.add(AtlasMarker(person_id=child[atlas], kind="cse", level="high", noted_on=now.date(),
                          review_on=now.date() + timedelta(days=90)))
        discussions = {}
        for c in (police, school, other):
            d = StrategyDiscussion(contact_id=c, convened_at=now, due_at=now + timedelta(days=1), reason="Test.")
            s.add(d)
            s.flush()
            s.add(StrategyChild(discussion_id=d.id, person_id=child[c]))
            discussions[c] = d.id
        s.flush()
        step_id, own_entry_id, other_entry_id = step.id, own_entry.id, other_entry.id
    by_role = {"police": police, "health": health, "education": school, "edt": edt, "earlyhelp": early,
               "atlas": atlas, "practitioner": police, "manager": police, "admin": police}
    return World(
        own={"contact": by_role, "person": {r: child[c] for r, c in by_role.items()},
             "strategy_discussion": {r: discussions[school if r == "education" else police] for r in by_role},
             "step_down": dict.fromkeys(by_role, step_id), "edt_entry": dict.fromkeys(by_role, own_entry_id)},
        other={"contact": other, "person": child[other], "strategy_discussion": discussions[other],
               "step_down": step_id, "edt_entry": other_entry_id})


def _open(ctx, actor, action: str, ident: int) -> object:  # type: ignore[no-untyped-def]
    if action == "contact.read":
        return ContactService(ctx).get(actor, ident)
    if action == "person.read":
        return PersonRecordService(ctx).open(actor, ident)
    if action == "strategy.read":
        return StrategyService(ctx).get(actor, ident)
    if action == "pack.build":
        return StrategyService(ctx).build_pack(actor, ident)
    if action == "stepdown.read":
        return StepDownService(ctx).get(actor, ident)
    return HandoverService(ctx).item(actor, ident)


def _expected(role: str, action: str, cell: str) -> bool:
    if role not in PERMISSIONS[action]:
        return False
    sees = SEES[OPENS[action]].get(role)
    return sees == "all" or (sees == "own" and cell == "own")


def _audited(ctx, username: str, action: str, refused: bool) -> list[str]:  # type: ignore[no-untyped-def]
    with ctx.session_factory() as s:
        return [e.summary for e in s.scalars(select(AuditEvent).where(
            AuditEvent.username == username, AuditEvent.action == action)) if bool(e.detail.get("refused")) == refused]


@pytest.mark.parametrize(("role", "action"), CELLS)
def test_each_role_opens_its_own_records_and_is_refused_the_others_with_the_refusal_audited(
        ctx, actors, world, role, action):  # type: ignore[no-untyped-def]
    who = actors[role]
    for cell in ("own", "other"):
        kind = OPENS[action]
        ident = world.own[kind][role] if cell == "own" else world.other[kind]
        before = len(_audited(ctx, who.username, action, refused=True))
        if _expected(role, action, cell):
            assert _open(ctx, who, action, ident) is not None, (role, action, cell)
            assert len(_audited(ctx, who.username, action, refused=False)) >= 1, (role, action, cell)
        else:
            with pytest.raises(PermissionDenied) as refused:
                _open(ctx, who, action, ident)
            assert who.display_name in str(refused.value) or who.username in str(refused.value)
            after = _audited(ctx, who.username, action, refused=True)
            assert len(after) == before + 1 and after[-1].startswith("refused"), (role, action, cell)


@pytest.mark.parametrize("role", ROLES_OF_THE_DEMO)
def test_the_lists_hold_only_the_records_each_role_may_open(ctx, actors, world, role):  # type: ignore[no-untyped-def]
    who = actors[role]
    own, other = world.own["contact"][role], world.other["contact"]
    if who.may("queue.read"):
        shown = {r.id for r in QueueService(ctx).page(who, QueueQuery())}
        assert (own in shown) == _expected(role, "contact.read", "own") and (other in shown) == _expected(
            role, "contact.read", "other")
        assert QueueService(ctx).count(who, QueueQuery()) == len(shown)
    if who.may("strategy.read"):
        listed = {r.id for r in StrategyService(ctx).discussions(who)}
        for cell in ("own", "other"):
            ident = world.own["strategy_discussion"][role] if cell == "own" else world.other["strategy_discussion"]
            assert (ident in listed) == _expected(role, "strategy.read", cell), cell
    if who.may("person.match"):
        found = {m.person_id: m for m in PeopleService(ctx).search(who, MatchQuery("Olive", "Accesstest"))}
        olive = found[world.other["person"]]
        assert olive.masked != _expected(role, "person.read", "other")  # outside the rules: the name only


def test_the_education_lead_sees_only_school_contacts_and_each_search_keeps_keys_not_text(ctx, actors, world):
    # world: a school referral, a police notification and five contacts from the public
    education = actors["education"]
    rows = QueueService(ctx).page(education, QueueQuery())
    assert [r.id for r in rows] == [world.own["contact"]["education"]]
    QueueService(ctx).page(education, QueueQuery(search="Olive"))
    with ctx.session_factory() as s:
        search = s.scalars(select(AuditEvent).where(AuditEvent.action == "queue.search")).one()
    assert search.username == "test.education" and "Olive" not in str(search.detail)
    assert search.detail["terms"]["keys"] == ["olive"]
