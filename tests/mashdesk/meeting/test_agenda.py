"""The agenda assembles itself from each capability's source, and each reader sees only their share."""

from __future__ import annotations

from datetime import date, timedelta

from db.models import AgencyCheck, StepDown
from mashdesk.agenda import AgendaItem
from mashdesk.meeting import sources
from mashdesk.meeting.service import MeetingService
from mashdesk.meeting.workflow import Owner
from mashdesk.stepdown.service import StepDownService
from mashdesk.strategy.service import StrategyService

MONDAY = date(2026, 11, 23)


def _items(ctx, actor, section=None):  # type: ignore[no-untyped-def]
    d = MeetingService(ctx).agenda(actor, MONDAY)
    return [it for it in d.items if section is None or it.section == section]


def test_new_red_and_amber_contacts_since_the_last_meeting_red_first(ctx, actors, build, clock):
    amber = build.contact("Amber", "amber")
    red = build.contact("Red", "red")
    build.contact("Green", "green")
    build.contact("Unscreened")
    build.contact("Old", "red", received=clock() - timedelta(days=4))  # before Friday's meeting
    got = _items(ctx, actors["manager"], "new_contacts")
    assert [it.record_id for it in got] == [red, amber]
    assert got[0].reason.startswith("red contact received Mon 09:00") and got[0].kind == "contact"


def test_contacts_waiting_on_agency_checks_past_due_brought_by_the_late_agency(ctx, actors, build):
    late = build.contact("Late", "green")
    build.overdue_check(late, "health")
    on_time = build.contact("Fine", "green")
    with ctx.session_factory.begin() as s:
        s.add(AgencyCheck(contact_id=on_time, agency_id=1, requested_at=ctx.now(), status="requested",
                          due_at=ctx.now() + timedelta(hours=3)))
    got = _items(ctx, actors["manager"], "checks_overdue")
    assert [(it.record_id, it.brought_by) for it in got] == [(late, "health")]
    assert "waiting on Health" in got[0].reason


def test_the_nights_edt_items_not_dealt_with(ctx, actors, build):
    entry = build.edt_entry("Zoe Testchild (8)")
    got = _items(ctx, actors["manager"], "edt")
    assert [(it.record_id, it.title) for it in got] == [(entry, "Zoe Testchild (8)")]
    assert "not yet acknowledged" in got[0].reason and got[0].brought_by == "edt"


def test_strategy_discussions_to_convene_or_due(ctx, actors, build, clock):
    cid = build.contact("Strat", "red")
    other = build.contact("Today", "red")
    clock.now -= timedelta(days=4)  # convened on Thursday: due on Friday
    StrategyService(ctx).convene(actors["manager"], cid, "Injury to a baby")
    clock.now += timedelta(days=1)  # convened on Friday: due today
    StrategyService(ctx).convene(actors["manager"], other, "Disclosure at school")
    clock.now += timedelta(days=3)
    got = _items(ctx, actors["manager"], "strategy")
    assert [it.reason for it in got] == ["overdue — to convene: due Fri 20 Nov 10:00",
                                         "to convene: due Mon 23 Nov 10:00"]
    assert got[0].kind == "strategy_discussion" and got[0].reference.startswith("ST-")


def test_step_downs_refused_or_overdue(ctx, actors, build):
    cid = build.contact("Step", "green")
    service = StepDownService(ctx)
    sd = service.create(actors["manager"], cid)
    with ctx.session_factory() as s:
        version = s.get(StepDown, sd).version
    service.record_consent(actors["manager"], sd, version, step_down="refused", info_sharing="given")
    got = _items(ctx, actors["manager"], "step_downs")
    assert [it.record_id for it in got] == [sd] and "Consent refused" in got[0].reason


def test_children_flagged_by_atlas_and_markers_past_review(ctx, actors, build, clock):
    kid = build.person("Kai")
    build.marker(kid, "county_lines", "high", review_on=MONDAY - timedelta(days=1))
    later = build.person("Lou")
    build.marker(later, "cse", "low", review_on=MONDAY + timedelta(days=30))  # not due, not new
    got = _items(ctx, actors["manager"], "atlas")
    assert [it.record_id for it in got] == [kid]
    assert got[0].atlas == ("Atlas: County lines, high",) and "review due 22 Nov 2026" in got[0].reason


def test_open_actions_from_earlier_meetings(ctx, actors, build, clock):
    service = MeetingService(ctx)
    clock.set_local(2026, 11, 20, 10, 0)  # Friday's meeting
    friday = service.open(actors["manager"], date(2026, 11, 20))
    service.add_action(actors["manager"], friday, text="Call the school", owner=Owner(agency="education"),
                       due=date(2026, 11, 20), school="Hayes Primary School")
    clock.set_local(2026, 11, 23, 10, 0)
    got = _items(ctx, actors["manager"], "actions")
    assert len(got) == 1 and got[0].reason.startswith("overdue: education: Hayes Primary School")
    assert got[0].involves_school


def test_a_new_capability_adds_a_section_by_offering_a_source(ctx, actors, monkeypatch):
    def missing(session, day):  # type: ignore[no-untyped-def]
        yield AgendaItem(section="missing", kind="missing_episode", record_id=7, reference="M-000007",
                         title="Nia Example", reason="missing 30 hours", brought_by="atlas")

    monkeypatch.setattr(sources, "SOURCES", (*sources.SOURCES, missing))
    monkeypatch.setattr("mashdesk.meeting.reads.SOURCES", sources.SOURCES)
    got = _items(ctx, actors["manager"])
    assert [(it.section_title, it.reference) for it in got] == [("Missing children", "M-000007")]


def test_each_role_sees_only_its_share(ctx, actors, build):
    school = build.contact("School", "amber", school=True)
    police = build.contact("Police", "red")
    build.marker(build.child_of(police), "cce", "high", restricted=True, review_on=MONDAY)
    service = MeetingService(ctx)
    meeting = service.open(actors["manager"], MONDAY)
    service.add_item(actors["manager"], meeting, text="Intelligence on the uncle's address",
                     restricted_to_police=True)

    def seen(role):  # type: ignore[no-untyped-def]
        return {(it.section, it.record_id): it for it in service.agenda(actors[role], MONDAY).items}

    education, manager, police_view, atlas = seen("education"), seen("manager"), seen("police"), seen("atlas")
    assert set(education) == {("new_contacts", school)}
    assert ("new_contacts", police) in manager and ("atlas", build.child_of(police)) in manager
    hand = [it for it in manager.values() if it.by_hand][0]
    assert hand.withheld and hand.title == "Restricted" and "Police" in hand.reason
    hand_police = [it for it in police_view.values() if it.by_hand][0]
    assert not hand_police.withheld and hand_police.title == "Intelligence on the uncle's address"
    assert manager[("new_contacts", police)].atlas == ("Atlas: CCE (restricted)",)
    assert police_view[("new_contacts", police)].atlas == ("Atlas: CCE, high",)
    assert atlas[("new_contacts", police)].atlas == ("Atlas: CCE, high",)
    assert [it for it in atlas.values() if it.by_hand][0].withheld
