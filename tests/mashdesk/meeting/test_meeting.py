"""Holding the meeting: locked minutes and addenda, actions on the calendar, decisions that change contacts in
the same unit of work, the education lead's actions, notices, and the minutes redacted per reader."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from db.models import AgencyCheck, AuditEvent, Contact, StepDown, StrategyDiscussion
from mashdesk.documents.base import MARKING
from mashdesk.errors import InputError, PermissionDenied, StaleEditError
from mashdesk.meeting.service import MeetingService
from mashdesk.meeting.workflow import Owner
from mashdesk.scheduler import run_jobs_now

MONDAY = date(2026, 11, 23)


def _audits(ctx) -> int:  # type: ignore[no-untyped-def]
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


def _held(ctx, actors, build):  # type: ignore[no-untyped-def]
    service = MeetingService(ctx)
    red = build.contact("Red", "red")
    school = build.contact("School", "amber", school=True)
    meeting = service.open(actors["manager"], MONDAY)
    items = {it.record_id: it for it in service.agenda(actors["manager"], MONDAY).items}
    return service, meeting, items[red], items[school]


def test_opening_takes_the_agenda_as_it_stands_and_only_once(ctx, actors, build):
    service, meeting, red, _ = _held(ctx, actors, build)
    d = service.agenda(actors["manager"], MONDAY)
    assert d.status == "open" and d.meeting_id == meeting and all(it.item_id for it in d.items)
    build.contact("Later", "red")  # came in after the meeting opened: not on its record
    assert len(service.agenda(actors["manager"], MONDAY).items) == len(d.items)
    with pytest.raises(InputError, match="already open"):
        service.open(actors["manager"], MONDAY)
    with pytest.raises(PermissionDenied):
        service.open(actors["education"], date(2026, 11, 20))


def test_locked_minutes_refuse_an_edit_and_addenda_are_stamped(ctx, actors, build, clock):
    service, meeting, red, _ = _held(ctx, actors, build)
    service.record(actors["manager"], red.item_id, red.version, note="Police to share the log", decision="monitor")
    d = service.agenda(actors["manager"], MONDAY)
    service.close(actors["manager"], meeting, d.version)
    item = [it for it in service.agenda(actors["manager"], MONDAY).items if it.item_id == red.item_id][0]
    before = _audits(ctx)
    with pytest.raises(InputError, match="minutes are locked"):
        service.record(actors["manager"], item.item_id, item.version, note="changed", decision="nfa")
    with pytest.raises(InputError, match="minutes are locked"):
        service.set_attendance(actors["manager"], meeting, service.agenda(actors["manager"], MONDAY).version,
                               {"police": "Someone"})
    with pytest.raises(InputError, match="minutes are locked"):
        service.add_item(actors["manager"], meeting, text="late item")
    assert _audits(ctx) == before
    clock.set_local(2026, 11, 23, 14, 5)
    service.add_addendum(actors["police"], meeting, "Police log shared at 13:50", item.item_id)
    action = service.add_action(actors["manager"], meeting, text="Chase health", owner=Owner(agency="health"),
                                due=date(2026, 11, 24), item_id=item.item_id)
    d = service.agenda(actors["manager"], MONDAY)
    (addendum,) = d.addenda
    assert (addendum.by, addendum.text, addendum.item_reference) == ("Test Police", "Police log shared at 13:50",
                                                                      red.reference)
    assert addendum.at == clock()
    assert [a.addendum for a in d.actions if a.id == action] == [True]
    recorded = [it for it in d.items if it.item_id == red.item_id][0]
    assert (recorded.note, recorded.decision) == ("Police to share the log", "monitor")


def test_a_stale_record_is_refused(ctx, actors, build):
    service, _, red, _ = _held(ctx, actors, build)
    service.record(actors["manager"], red.item_id, red.version, note="first", decision=None)
    with pytest.raises(StaleEditError):
        service.record(actors["manager"], red.item_id, red.version, note="second", decision=None)


def test_actions_follow_the_calendar(ctx, actors, build):
    service, meeting, red, _ = _held(ctx, actors, build)
    assert service.due_choices(MONDAY)[:3] == [date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]
    assert service.due_choices(date(2026, 12, 24))[:2] == [date(2026, 12, 29), date(2026, 12, 30)]
    for bad, words in ((date(2026, 11, 28), "not a working day"), (date(2026, 12, 25), "not a working day"),
                       (date(2026, 11, 20), "before the meeting")):
        with pytest.raises(InputError, match=words):
            service.add_action(actors["manager"], meeting, text="x", owner=Owner(agency="police"), due=bad)


def test_a_strategy_decision_convenes_the_discussion_in_the_same_unit_with_one_audit(ctx, actors, build):
    service, _, red, _ = _held(ctx, actors, build)
    before = _audits(ctx)
    service.record(actors["manager"], red.item_id, red.version, note="Bruising to a baby", decision="strategy")
    assert _audits(ctx) == before + 1
    with ctx.session_factory() as s:
        (d,) = s.scalars(select(StrategyDiscussion).where(StrategyDiscussion.contact_id == red.record_id)).all()
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert d.reason == "Bruising to a baby" and event.action == "meeting.hold"
    assert event.detail["discussion_id"] == d.id and "strategy discussion ST-" in event.summary


def test_a_step_down_decision_opens_the_step_down(ctx, actors, build):
    service, _, red, _ = _held(ctx, actors, build)
    service.record(actors["manager"], red.item_id, red.version, note="Level 2 needs", decision="step_down")
    with ctx.session_factory() as s:
        (sd,) = s.scalars(select(StepDown).where(StepDown.contact_id == red.record_id)).all()
    assert sd.status == "draft" and sd.needs == "Level 2 needs"


def test_an_agency_check_decision_asks_through_triage_and_refusal_writes_nothing(ctx, actors, build):
    service, meeting, red, _ = _held(ctx, actors, build)
    service.record(actors["manager"], red.item_id, red.version, note="What do you hold?", decision="agency_check",
                   agencies=["police", "education"])
    with ctx.session_factory() as s:
        asked = s.scalars(select(AgencyCheck).where(AgencyCheck.contact_id == red.record_id)).all()
        status = s.get(Contact, red.record_id).status
    assert sorted(c.agency.code for c in asked) == ["education", "police"] and status == "in_progress"
    unscreened = build.contact("New")
    item = service.add_item(actors["manager"], meeting, reference=f"C-{unscreened:06d}")
    row = [it for it in service.agenda(actors["manager"], MONDAY).items if it.item_id == item][0]
    before = _audits(ctx)
    with pytest.raises(InputError, match="is new; that is not possible now"):
        service.record(actors["manager"], item, row.version, note="x", decision="agency_check", agencies=["police"])
    assert _audits(ctx) == before
    assert [it.decision for it in service.agenda(actors["manager"], MONDAY).items if it.item_id == item] == [None]


def test_the_education_lead_sees_school_actions_and_marks_them_done(ctx, actors, build, clock):
    service, meeting, red, school = _held(ctx, actors, build)
    assert school.school == "Hayes Primary School"
    for_school = service.add_action(actors["manager"], meeting, text="Confirm attendance", due=date(2026, 11, 24),
                                    owner=Owner(agency="education"), item_id=school.item_id, school=school.school)
    police = service.add_action(actors["manager"], meeting, text="Share the log", due=date(2026, 11, 24),
                                owner=Owner(user_id=actors["police"].user_id), item_id=red.item_id)
    edu = actors["education"]
    schools = service.actions(edu, "schools")
    assert [(a.id, a.school, a.owner) for a in schools] == [(for_school, "Hayes Primary School",
                                                              "education: Hayes Primary School")]
    assert [a.id for a in service.actions(edu, "mine")] == [for_school]
    assert [a.id for a in service.agenda(edu, MONDAY).actions] == [for_school]
    with pytest.raises(PermissionDenied):
        service.complete_action(edu, police, 1, "not mine")
    clock.set_local(2026, 11, 25, 9, 0)  # now overdue: a notice to education, none to health
    keys = {n.key for n in run_jobs_now(ctx, edu)}
    assert f"meeting-action:overdue:{for_school}" in keys
    assert not [n for n in run_jobs_now(ctx, actors["health"]) if n.key.startswith("meeting-action")]
    service.complete_action(edu, for_school, schools[0].version, "School confirmed 96% attendance")
    (done,) = [a for a in service.agenda(actors["manager"], MONDAY).actions if a.id == for_school]
    assert (done.status, done.done_note) == ("done", "School confirmed 96% attendance")
    assert service.actions(edu, "schools") == []


def test_the_agenda_ready_notice_at_0915_on_working_days(ctx, actors, build, clock):
    build.contact("Red", "red")
    manager = actors["manager"]
    clock.set_local(2026, 11, 23, 9, 10)
    assert not [n for n in run_jobs_now(ctx, manager) if n.key.startswith("meeting-agenda")]
    clock.set_local(2026, 11, 23, 9, 16)
    (n,) = [n for n in run_jobs_now(ctx, manager) if n.key.startswith("meeting-agenda")]
    assert n.title == "Today's MASH meeting agenda is ready (09:30)" and n.text.startswith("1 items")
    clock.set_local(2026, 11, 28, 9, 16)  # a Saturday
    assert not [n for n in run_jobs_now(ctx, manager) if n.key.startswith("meeting-agenda")]


def _text(pdf: bytes) -> tuple[list[str], str]:
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    return pages, "\n".join(pages)


def test_the_minutes_are_marked_on_every_page_and_redacted_per_reader(ctx, actors, build):
    service = MeetingService(ctx)
    red = build.contact("Red", "red")
    build.marker(build.child_of(red), "cce", "high", restricted=True)
    build.contact("School", "amber", school=True)
    for n in range(30):
        build.contact(f"Kid{n}", "amber")
    meeting = service.open(actors["manager"], MONDAY)
    service.add_item(actors["manager"], meeting, text="Uncle's address linked to supply", restricted_to_police=True)
    manager_pages, manager = _text(service.minutes_pdf(actors["manager"], MONDAY))
    police_pages, police = _text(service.minutes_pdf(actors["police"], MONDAY))
    _, education = _text(service.minutes_pdf(actors["education"], MONDAY))
    assert len(manager_pages) > 1
    for i, page in enumerate(manager_pages, start=1):
        assert page.count(MARKING) == 2 and f"Page {i} of {len(manager_pages)}" in page
    assert "Uncle's address" in police and "Uncle's address" not in manager and "Withheld" in manager
    assert "Atlas: CCE (restricted)" in manager and "Atlas: CCE, high" in police
    assert "School Testchild" in education and "Red Testchild" not in education
    assert "Prepared for Test Education" in education
