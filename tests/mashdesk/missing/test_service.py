"""Missing episodes: the report, updates, the return, the three clocks with stored breaches, convening,
the contact an episode becomes, repeat episodes, and bad input refused naming the field."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db.models import Contact, ContactPerson, MissingEpisode, StrategyDiscussion
from mashdesk.errors import InputError, PermissionDenied
from mashdesk.missing.service import MissingService
from mashdesk.missing.views import ReturnInput
from mashdesk.scheduler import run_jobs_now
from tests.mashdesk.missing.conftest import report

LONDON = ZoneInfo("Europe/London")


def _episode(ctx, episode_id: int) -> MissingEpisode:
    with ctx.session_factory() as s:
        return s.get(MissingEpisode, episode_id)


def test_a_report_starts_the_clocks_from_the_calendar_and_lists_the_child(ctx, actors, clock, child_id):
    service = MissingService(ctx)
    ident = service.record(actors["atlas"], report(child_id, clock() - timedelta(hours=1)))
    e = _episode(ctx, ident)
    assert e.strategy_due_at == e.reported_at + timedelta(hours=24)
    assert e.escalation_due_at == e.reported_at + timedelta(hours=72)
    lst = service.daily_list(actors["manager"])
    (row,) = lst.missing
    assert row.reference == f"MP-{ident:06d}" and row.child == "Kai Testmissing" and row.hours_missing == 3
    assert [c.name for c in row.clocks] == ["Strategy 24h", "Escalation 72h"]
    assert [c.state for c in row.clocks] == ["ok", "ok"] and row.police_reference == "MPS-26-0001"


def test_a_child_not_looked_after_has_no_strategy_clock(ctx, actors, clock, child_id):
    service = MissingService(ctx)
    ident = service.record(actors["practitioner"], report(child_id, clock(), looked_after=False))
    assert _episode(ctx, ident).strategy_due_at is None
    assert [c.name for c in service.daily_list(actors["manager"]).missing[0].clocks] == ["Escalation 72h"]


def test_breaches_are_stored_by_the_sweep_when_they_happen(ctx, actors, clock, child_id):
    service = MissingService(ctx)
    ident = service.record(actors["atlas"], report(child_id, clock()))
    clock.now += timedelta(hours=20)
    notices = run_jobs_now(ctx, actors["manager"])
    assert any(n.key == f"missing:missing_from_care_strategy:due_soon:{ident}" for n in notices)
    assert not _episode(ctx, ident).strategy_breached
    clock.now += timedelta(hours=4, minutes=1)
    notices = run_jobs_now(ctx, actors["manager"])
    e = _episode(ctx, ident)
    assert e.strategy_breached and not e.escalation_breached
    assert any(n.level == "breached" and "Strategy 24h" in n.title for n in notices)
    clock.now += timedelta(hours=48)
    run_jobs_now(ctx, actors["atlas"])
    assert _episode(ctx, ident).escalation_breached
    # Escalating late keeps the fact that it was late.
    version = _episode(ctx, ident).version
    service.escalate(actors["manager"], ident, version, "Head of Service (J. Example)")
    (row,) = service.daily_list(actors["manager"]).missing
    assert [c.state for c in row.clocks] == ["breached", "met_late"]


def test_return_starts_the_interview_clock_then_offer_answer_and_done_close_it(ctx, actors, clock, child_id):
    service = MissingService(ctx)
    ident = service.record(actors["atlas"], report(child_id, clock() - timedelta(hours=5)))
    e = _episode(ctx, ident)
    v = service.returned(actors["atlas"], ident, e.version, ReturnInput(
        returned_at=clock() - timedelta(hours=1), where="Placement", by_whom="Police", harmed="no"))
    e = _episode(ctx, ident)
    assert e.status == "returned" and e.rhi_due_at == e.returned_at + timedelta(hours=72)
    lst = service.daily_list(actors["manager"])
    assert not lst.missing and [r.id for r in lst.returned] == [ident]
    assert [c.state for c in lst.returned[0].clocks] == ["stopped", "stopped", "ok"]
    v = service.rhi_offer(actors["atlas"], ident, v)
    v = service.rhi_answer(actors["atlas"], ident, v, "accepted")
    assert ident in [r.id for r in service.daily_list(actors["manager"]).returned]
    service.rhi_done(actors["atlas"], ident, v, "Jordan Reid (Atlas)", "Stayed with a friend; no exploitation "
                     "indicators; wants more time with family.")
    e = _episode(ctx, ident)
    assert e.status == "closed" and e.rhi_findings.startswith("Stayed")
    assert service.daily_list(actors["manager"]).rows == ()


def test_the_interview_offered_late_is_a_stored_breach(ctx, actors, clock, child_id):
    service = MissingService(ctx)
    ident = service.record(actors["atlas"], report(child_id, clock() - timedelta(hours=5), looked_after=False))
    service.returned(actors["atlas"], ident, _episode(ctx, ident).version, ReturnInput(
        returned_at=clock() - timedelta(hours=4), where="Home", by_whom="Mother"))
    clock.now += timedelta(hours=69)
    run_jobs_now(ctx, actors["atlas"])
    assert _episode(ctx, ident).rhi_breached
    service.rhi_offer(actors["atlas"], ident, _episode(ctx, ident).version)
    assert service.get(actors["atlas"], ident).row.clocks[-1].state == "met_late"


def test_convening_from_an_episode_links_a_discussion_due_at_the_24_hour_clock(ctx, actors, clock, child_id):
    service = MissingService(ctx)
    ident = service.record(actors["atlas"], report(child_id, clock() - timedelta(hours=2)))
    with pytest.raises(PermissionDenied):
        service.convene(actors["atlas"], ident, _episode(ctx, ident).version)
    discussion_id = service.convene(actors["manager"], ident, _episode(ctx, ident).version)
    e = _episode(ctx, ident)
    with ctx.session_factory() as s:
        d = s.get(StrategyDiscussion, discussion_id)
        children = s.scalars(select(ContactPerson.person_id).where(ContactPerson.contact_id == d.contact_id)).all()
        assert d.due_at == e.strategy_due_at and "missing from care" in d.reason
    assert e.strategy_discussion_id == discussion_id and e.contact_id == d.contact_id and children == [child_id]
    detail = service.get(actors["manager"], ident)
    assert detail.strategy_reference == f"ST-{discussion_id:06d}" and "convene" not in detail.actions
    assert detail.row.clocks[0].state == "met"


def test_an_episode_becomes_a_prefilled_contact_in_one_action(ctx, actors, clock, child_id):
    service = MissingService(ctx)
    ident = service.record(actors["atlas"], report(child_id, clock() - timedelta(hours=2)))
    contact_id = service.make_contact(actors["practitioner"], ident, _episode(ctx, ident).version)
    with ctx.session_factory() as s:
        c = s.get(Contact, contact_id)
        assert c.channel == "police_notification" and c.cin_source == "6" and c.status == "new"
        assert f"MP-{ident:06d}" in c.concern and "Older males" in c.concern
        assert c.received_at == _episode(ctx, ident).reported_at and c.children_display == "Kai Testmissing"
        assert c.immediate_protection == "yes"
    with pytest.raises(InputError, match="already became"):
        service.make_contact(actors["practitioner"], ident, _episode(ctx, ident).version)


def test_the_third_episode_in_90_days_raises_an_atlas_review(ctx, actors, clock, child_id):
    service = MissingService(ctx)
    for days_ago in (80, 30):
        ident = service.record(actors["atlas"], report(child_id, clock() - timedelta(days=days_ago)))
        assert not _episode(ctx, ident).atlas_review
        service.returned(actors["atlas"], ident, _episode(ctx, ident).version, ReturnInput(
            returned_at=clock() - timedelta(days=days_ago - 1), where="Home", by_whom="Police"))
    third = service.record(actors["atlas"], report(child_id, clock()))
    assert _episode(ctx, third).atlas_review
    detail = service.get(actors["manager"], third)
    assert detail.row.recent_episodes == 3 and any(u.kind == "atlas_review" for u in detail.updates)
    assert service.child_facts(actors["atlas"], child_id).looked_after is True
    assert f"missing:atlas_review:{third}" in {n.key for n in run_jobs_now(ctx, actors["atlas"])}


@pytest.mark.parametrize(("change", "field"), [
    ({"person_id": 999_999}, "child"),
    ({"reported_at": "future"}, "reported_at"),
    ({"last_seen_at": "after"}, "last_seen_at"),
    ({"risk": "severe"}, "risk"),
    ({"missing_from": "moon"}, "missing_from"),
])
def test_bad_reports_are_refused_naming_the_field(ctx, actors, clock, child_id, change, field):
    from dataclasses import replace

    data = report(child_id, clock())
    key, value = next(iter(change.items()))
    if value == "future":
        value = clock() + timedelta(hours=1)
    elif value == "after":
        value = clock() + timedelta(minutes=30)
        data = replace(data, reported_at=clock() - timedelta(minutes=10))
    with pytest.raises(InputError) as caught:
        MissingService(ctx).record(actors["atlas"], replace(data, **{key: value}))
    assert caught.value.field == field
    with ctx.session_factory() as s:
        assert s.scalar(select(MissingEpisode.id)) is None


def test_returned_before_missing_and_future_returns_are_refused(ctx, actors, clock, child_id):
    service = MissingService(ctx)
    ident = service.record(actors["atlas"], report(child_id, clock() - timedelta(hours=1)))
    version = _episode(ctx, ident).version
    for when, words in ((clock() - timedelta(hours=5), "before the child went missing"),
                        (clock() + timedelta(hours=1), "future")):
        with pytest.raises(InputError, match=words) as caught:
            service.returned(actors["atlas"], ident, version, ReturnInput(when, "Home", "Police"))
        assert caught.value.field == "returned_at"
    assert _episode(ctx, ident).status == "missing"


def test_education_reads_the_list_without_police_detail(ctx, actors, clock, child_id):
    service = MissingService(ctx)
    ident = service.record(actors["atlas"], report(child_id, clock() - timedelta(hours=1)))
    service.add_update(actors["atlas"], ident, _episode(ctx, ident).version, "police", "ANPR hit near Bromley South")
    (row,) = service.daily_list(actors["education"]).missing
    assert row.police_reference == "withheld" and "ANPR" not in row.last_update
    detail = service.get(actors["education"], ident)
    assert all("ANPR" not in u.text for u in detail.updates) and any(u.withheld for u in detail.updates)
    assert "ANPR" in service.daily_list(actors["manager"]).missing[0].last_update
    with pytest.raises(PermissionDenied):
        service.add_update(actors["education"], ident, _episode(ctx, ident).version, "note", "x")
