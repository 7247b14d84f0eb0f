"""Recording what the census reports: the assessment and its factors, the CIN plan, the conference and its
plan, and closure by a manager, each audited; bad input refused naming the field, nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from db import models as m
from mashdesk.errors import InputError, PermissionDenied, StaleEditError
from mashdesk.triage.episodes import open_episodes
from mashdesk.returns.recording import CensusRecordService
from tests.mashdesk.returns.builders import child, referral


@pytest.fixture
def referred(ctx, actors):
    """A child referred for a strategy discussion (section 47 started) and authorised: the episode opens."""
    uid = actors["manager"].user_id
    with ctx.session_factory.begin() as s:
        p = child(s)
        contact, decision = referral(s, uid, p, date(2026, 10, 5), outcome="strategy_discussion")
        assert open_episodes(s, contact, [decision], uid) == 1
        again, d2 = referral(s, uid, p, date(2026, 10, 20))
        assert open_episodes(s, again, [d2], uid) == 0  # the case is open: no second episode
        sd = m.StrategyDiscussion(contact_id=contact.id, decision_id=decision.id, status="held",
                                  convened_at=contact.received_at, due_at=contact.received_at)
        s.add(sd)
        s.flush()
        sc = m.StrategyChild(discussion_id=sd.id, person_id=p.id, decision="s47_joint",
                             s47_started_on=date(2026, 10, 6), icpc_due=date(2026, 10, 27))
        s.add(sc)
        s.flush()
        return {"contact": contact.id, "discussion": sd.id, "child": sc.id, "person": p.id}


def _audits(ctx, action, refused=False):
    """How many changes (or, with ``refused``, refused attempts) of ``action`` the trail holds."""
    summary = m.AuditEvent.summary.like("refused:%")
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(m.AuditEvent).where(
            m.AuditEvent.action == action, summary if refused else ~summary))


def test_the_assessment_plan_conference_and_closure_are_recorded_and_audited(ctx, actors, referred):
    service = CensusRecordService(ctx)
    [ep] = service.episodes(actors["practitioner"], referred["contact"])
    assert ep.referral_on == date(2026, 10, 5) and ep.assessment_started is None
    v = service.record_assessment(actors["practitioner"], ep.episode_id, ep.version, date(2026, 10, 6),
                                  date(2026, 11, 10), "3b, 16a")
    v = service.record_plan(actors["practitioner"], ep.episode_id, v, date(2026, 11, 11), None)
    [conf] = service.conferences(actors["practitioner"], referred["discussion"])
    service.record_conference(actors["practitioner"], conf.child_id, conf.version, held_on=date(2026, 10, 26),
                              not_required=False, plan_category="NEG")
    with pytest.raises(PermissionDenied):
        service.close(actors["practitioner"], ep.episode_id, v, date(2026, 11, 20), "RC7")
    service.close(actors["manager"], ep.episode_id, v, date(2026, 11, 20), "RC7")
    [ep] = service.episodes(actors["manager"], referred["contact"])
    assert (ep.assessment_started, ep.assessment_authorised, ep.factors) == \
        (date(2026, 10, 6), date(2026, 11, 10), "3B 16A")
    assert (ep.plan_started, ep.plan_ended, ep.closed_on, ep.closure_reason) == \
        (date(2026, 11, 11), None, date(2026, 11, 20), "RC7")
    [conf] = service.conferences(actors["manager"], referred["discussion"])
    assert (conf.icpc_held_on, conf.icpc_not_required, conf.plan_category, conf.plan_started) == \
        (date(2026, 10, 26), False, "NEG", date(2026, 10, 26))
    assert _audits(ctx, "returns.record") == 3 and _audits(ctx, "returns.close") == 1
    assert _audits(ctx, "returns.close", refused=True) == 1  # the practitioner's attempt, with its reason


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(ctx, actors, referred):
    service = CensusRecordService(ctx)
    [ep] = service.episodes(actors["practitioner"], referred["contact"])
    for started, authorised, factors, field in (
            (date(2026, 10, 1), None, "", "started_on"),
            (date(2026, 10, 6), date(2026, 10, 1), "3B", "authorised_on"),
            (date(2026, 10, 6), date(2026, 11, 1), "21 3B", "factors"),
            (date(2026, 10, 6), date(2026, 11, 1), "", "factors")):
        with pytest.raises(InputError) as err:
            service.record_assessment(actors["practitioner"], ep.episode_id, ep.version, started, authorised,
                                      factors)
        assert err.value.field == field
    [conf] = service.conferences(actors["practitioner"], referred["discussion"])
    with pytest.raises(InputError) as err:
        service.record_conference(actors["practitioner"], conf.child_id, conf.version, held_on=None,
                                  not_required=True, plan_category="NEG")
    assert err.value.field == "plan_category"
    with pytest.raises(InputError) as err:
        service.close(actors["manager"], ep.episode_id, ep.version, date(2026, 11, 20), "RC0")
    assert err.value.field == "closure_reason"
    assert _audits(ctx, "returns.record") == _audits(ctx, "returns.close") == 0
    service.record_assessment(actors["practitioner"], ep.episode_id, ep.version, date(2026, 10, 6), None, "")
    with pytest.raises(StaleEditError):
        service.record_assessment(actors["practitioner"], ep.episode_id, ep.version, date(2026, 10, 7), None,
                                  "")
