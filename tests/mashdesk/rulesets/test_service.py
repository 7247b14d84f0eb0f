"""Ruleset versions on SQLite and PostgreSQL: loading, activation from a date, the version each assessment is
made and kept under, replay of stored assessments, and the consistency report over the demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Decision, RulesetVersion, ThresholdAssessment
from mashdesk.contacts.service import ContactService
from mashdesk.demo import build_demo
from mashdesk.errors import InputError, PermissionDenied
from mashdesk.people.service import PersonInput
from mashdesk.rulesets.service import RulesetService
from mashdesk.services.auth import AuthService
from mashdesk.triage.service import ThresholdInput, TriageService
from rules import DATA_DIR
from tests.helpers import police_notification

DRAFT = DATA_DIR / "bromley-ton-2027.1.toml"


def _assess(ctx, actors, clock, indicators=("family.domestic_abuse_current",)):  # type: ignore[no-untyped-def]
    child = PersonInput(first_name="Mia", last_name="Version", date_of_birth=date(2016, 2, 3), sex="F")
    contact = ContactService(ctx).create_contact(actors["practitioner"], police_notification(clock(), child))
    triage = TriageService(ctx)
    person = triage.child_facts(actors["practitioner"], contact)[0].person_id
    return contact, triage.assess(actors["practitioner"], contact, ThresholdInput(children={person: indicators}))


def test_stored_assessments_keep_their_version_across_an_activation(ctx, actors, clock):
    admin = actors["admin"]
    service = RulesetService(ctx)
    before, result = _assess(ctx, actors, clock)
    assert (result.ruleset_version, result.children[0].level) == ("2026.1", 3)
    version_id = service.load(admin, DRAFT)
    tomorrow = clock().date() + timedelta(days=1)
    service.activate(admin, version_id, 1, tomorrow)
    clock.now += timedelta(days=2)
    after, result = _assess(ctx, actors, clock)
    assert (result.ruleset_version, result.children[0].level) == ("2027.1", 4)
    # the earlier contact, assessed again, keeps the version in force when it was received
    triage = TriageService(ctx)
    person = triage.child_facts(actors["practitioner"], before)[0].person_id
    again = triage.assess(actors["practitioner"], before,
                          ThresholdInput(children={person: ("family.domestic_abuse_current",)}))
    assert (again.ruleset_version, again.children[0].level) == ("2026.1", 3)
    # the threshold picker offers the indicators of the version in force when each contact was received
    assert "child.missing_from_home_once" in triage.ruleset_for(actors["practitioner"], after).indicators
    assert "child.missing_from_home_once" not in triage.ruleset_for(actors["practitioner"], before).indicators
    with ctx.session_factory() as s:
        stored = {r[0]: r[1] for r in s.execute(select(ThresholdAssessment.contact_id, ThresholdAssessment.ruleset_version))}
        assert stored == {before: "2026.1", after: "2027.1"}
        audited = s.scalars(select(AuditEvent.summary).where(AuditEvent.action == "ruleset.activate")).all()
    assert audited == [f"ruleset bromley-ton 2027.1 in force from {tomorrow.isoformat()}"]
    statuses = {v.label: v.status for v in service.versions(admin)}
    assert statuses == {"bromley-ton 2026.1": "shipped", "bromley-ton 2027.1": "in force"}


def test_activation_is_from_today_on_and_only_for_the_administrator(ctx, actors, clock):
    service = RulesetService(ctx)
    version_id = service.load(actors["admin"], DRAFT)
    with pytest.raises(InputError, match="effective from: .* is in the past"):
        service.activate(actors["admin"], version_id, 1, clock().date() - timedelta(days=1))
    with pytest.raises(PermissionDenied):
        service.activate(actors["manager"], version_id, 1, clock().date() + timedelta(days=1))
    with pytest.raises(InputError, match="already loaded from the same file"):
        service.load(actors["admin"], DRAFT)


def test_a_malformed_file_is_refused_naming_its_line(ctx, actors, tmp_path):
    text = DRAFT.read_text(encoding="utf-8").replace("min_domains = 2", "min_domains = \"two\"")
    bad = tmp_path / DRAFT.name
    bad.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if 'min_domains = "two"' in t)
    with pytest.raises(InputError) as caught:
        RulesetService(ctx).load(actors["admin"], bad)
    assert str(caught.value).startswith(f"bromley-ton-2027.1.toml, line {line}, rules.cumulative_needs.min_domains:")
    with ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(RulesetVersion)) == 0


@pytest.fixture
def demo(ctx):  # type: ignore[no-untyped-def]
    build_demo(ctx, 150, seed=3)
    return AuthService(ctx).actor("demo.admin")


def _year(ctx):  # type: ignore[no-untyped-def]
    today = ctx.now().date()
    return today - timedelta(days=365), today


def test_replay_of_the_demo_under_its_own_version_changes_nothing(ctx, demo):
    service = RulesetService(ctx)
    seen: list[tuple[int, int]] = []
    report = service.replay_version(demo, "bromley-ton 2026.1", *_year(ctx), progress=lambda d, t: seen.append((d, t)))
    with ctx.session_factory() as s:
        assessed = s.scalar(select(func.count(func.distinct(ThresholdAssessment.person_id * 1000000
                                                             + ThresholdAssessment.contact_id))))
    assert report.children == assessed > 0 and report.changed == 0 and report.not_evaluated == 0
    assert seen[-1][0] == report.children
    proposal = service.replay_file(demo, DRAFT, *_year(ctx))
    assert proposal.children == report.children and proposal.changed == sum(
        n for old, new, n in proposal.level_matrix if old != new)
    assert all(c.new_level == 4 and c.old_level == 3 for c in proposal.samples)
    with ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "ruleset.replay")) == 2


def test_the_consistency_report_counts_every_decision_and_its_overrides(ctx, demo):
    report = RulesetService(ctx).consistency(demo, *_year(ctx))
    with ctx.session_factory() as s:
        rows = s.execute(select(Decision.level, Decision.outcome, ThresholdAssessment.suggested_level,
                                ThresholdAssessment.suggested_outcome, Decision.override_reason)
                         .join(ThresholdAssessment, ThresholdAssessment.id == Decision.assessment_id)
                         .where(Decision.status != "superseded")).all()
    overridden = [r for r in rows if (r[0], r[1]) != (r[2], r[3])]
    assert report.decisions == len(rows) and report.overrides == len(overridden) > 0
    assert all(r[4] for r in overridden)  # the demo's overrides carry their reasons
    assert sum(line.decisions for line in report.by_practitioner) == len(rows)
    assert sum(line.overrides for line in report.reasons) <= len(overridden)
    assert sum(len(line.cases) for line in report.levels) == len(rows)
