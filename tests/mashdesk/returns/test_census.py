"""The CIN census file: every field from what was recorded, the year's scope, permissions and audit."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from sqlalchemy import select

from db import models as m
from mashdesk.errors import InputError, PermissionDenied
from mashdesk.returns.service import CensusService
from tests.mashdesk.returns.builders import child, episode, referral


def _census(ctx, actor, tmp_path, year=2026):
    out = tmp_path / "census.xml"
    done = CensusService(ctx).write_census(actor, year, out)
    return done, ET.parse(out).getroot()


def _text(el, path):
    found = el.find(path)
    return None if found is None else found.text


@pytest.fixture
def recorded(ctx, actors):
    """A child's whole year (referral, assessment, CIN plan, section 47, conference, CP plan, closure),
    and an unborn child's referral."""
    uid = actors["manager"].user_id
    with ctx.session_factory.begin() as s:
        p = child(s, upn="A305000000011", former_upn="B305000000022", disability_codes="MOB LD",
                  date_of_death=None)
        contact, decision = referral(s, uid, p, date(2025, 5, 6), source="3E", need="N1",
                                     outcome="strategy_discussion")
        ep = episode(s, contact, decision, closed_on=date(2026, 2, 27), closure_reason="RC7")
        s.add(m.CinAssessment(episode_id=ep.id, started_on=date(2025, 5, 7), authorised_on=date(2025, 6, 20),
                              factors="3B 16A"))
        s.add(m.CinPlan(episode_id=ep.id, started_on=date(2025, 6, 23), ended_on=date(2025, 9, 1)))
        sd = m.StrategyDiscussion(contact_id=contact.id, decision_id=decision.id, status="held",
                                  convened_at=contact.received_at, due_at=contact.received_at)
        s.add(sd)
        s.flush()
        sc = m.StrategyChild(discussion_id=sd.id, person_id=p.id, decision="s47_joint",
                             s47_started_on=date(2025, 5, 8), icpc_due=date(2025, 5, 30),
                             icpc_held_on=date(2025, 5, 29))
        s.add(sc)
        s.flush()
        s.add(m.CpPlan(episode_id=ep.id, strategy_child_id=sc.id, started_on=date(2025, 9, 2),
                       ended_on=date(2026, 2, 27), initial_category="NEG", latest_category="EMO"))
        unborn = child(s, first_name="Baby", date_of_birth=None, expected_date_of_birth=date(2026, 5, 1),
                       sex="U", ethnicity=None, upn_unknown="UN1")
        c2, d2 = referral(s, uid, unborn, date(2026, 1, 12), source="3B", need="N4")
        ep2 = episode(s, c2, d2)
        s.add(m.CinAssessment(episode_id=ep2.id, started_on=date(2026, 1, 13), authorised_on=date(2026, 4, 2),
                              factors="21"))
        return {"child": p.id, "unborn": unborn.id}


def test_every_census_field_comes_from_the_recorded_journey(ctx, actors, recorded, tmp_path):
    done, root = _census(ctx, actors["manager"], tmp_path)
    assert (done.children, done.episodes) == (2, 2)
    details = root.find("Header/CollectionDetails")
    assert [_text(details, t) for t in ("Collection", "Year", "ReferenceDate")] == \
        ["CIN", "2026", "2026-03-31"]
    assert _text(root, "Header/Source/LEA") == "305" and _text(root, "Header/Source/SourceLevel") == "L"
    first, second = root.findall("Children/Child")
    ids = first.find("ChildIdentifiers")
    assert {e.tag: e.text for e in ids} == {
        "LAchildID": f"P{recorded['child']}", "UPN": "A305000000011", "FormerUPN": "B305000000022",
        "PersonBirthDate": "2015-06-02", "Sex": "F"}
    assert _text(first, "ChildCharacteristics/Ethnicity") == "BAFR"
    assert [d.text for d in first.findall("ChildCharacteristics/Disabilities/Disability")] == ["MOB", "LD"]
    cin = first.find("CINdetails")
    tags = ("CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure",
            "ReferralNFA")
    assert {t: _text(cin, t) for t in tags} == {
        "CINreferralDate": "2025-05-06", "ReferralSource": "3E", "PrimaryNeedCode": "N1",
        "CINclosureDate": "2026-02-27", "ReasonForClosure": "RC7", "ReferralNFA": "false"}
    assert _text(cin, "Assessments/AssessmentActualStartDate") == "2025-05-07"
    assert _text(cin, "Assessments/AssessmentAuthorisationDate") == "2025-06-20"
    assert [f.text for f in cin.findall("Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors")] == \
        ["3B", "16A"]
    assert [_text(cin, f"CINPlanDates/{t}") for t in ("CINPlanStartDate", "CINPlanEndDate")] == \
        ["2025-06-23", "2025-09-01"]
    assert {e.tag: e.text for e in cin.find("Section47")} == {
        "S47ActualStartDate": "2025-05-08", "InitialCPCtarget": "2025-05-30",
        "DateOfInitialCPC": "2025-05-29", "ICPCnotRequired": "false"}
    assert {e.tag: e.text for e in cin.find("ChildProtectionPlans")} == {
        "CPPstartDate": "2025-09-02", "CPPendDate": "2026-02-27", "InitialCategoryOfAbuse": "NEG",
        "LatestCategoryOfAbuse": "EMO", "NumberOfPreviousCPP": "0"}
    # The unborn child: expected date, sex U, why there is no UPN; and no disability recorded is NONE.
    assert {e.tag: e.text for e in second.find("ChildIdentifiers")} == {
        "LAchildID": f"P{recorded['unborn']}", "UPNunknown": "UN1", "ExpectedPersonBirthDate": "2026-05-01",
        "Sex": "U"}
    assert _text(second, "ChildCharacteristics/Ethnicity") == "NOBT"
    assert [d.text for d in second.findall("ChildCharacteristics/Disabilities/Disability")] == ["NONE"]
    # Told as it stood on 31 March: the assessment authorised in April is still open, without factors.
    assessment = second.find("CINdetails/Assessments")
    assert {e.tag for e in assessment} == {"AssessmentActualStartDate"}


def test_icpc_not_required_and_the_year_in_scope(ctx, actors, recorded, tmp_path):
    uid = actors["manager"].user_id
    with ctx.session_factory.begin() as s:
        sc = s.scalars(select(m.StrategyChild)).one()
        sc.icpc_held_on, sc.icpc_not_required = None, True
        old = child(s, first_name="Closed", date_of_birth=date(2012, 1, 1))
        c, d = referral(s, uid, old, date(2024, 9, 2))
        episode(s, c, d, closed_on=date(2025, 3, 31), closure_reason="RC8")
        later = child(s, first_name="Later", date_of_birth=date(2012, 1, 1))
        c, d = referral(s, uid, later, date(2026, 4, 1))
        episode(s, c, d)
    _, root = _census(ctx, actors["manager"], tmp_path)
    ids = [e.text for e in root.findall("Children/Child/ChildIdentifiers/LAchildID")]
    # Neither the child whose episode closed before April nor the one referred after March is in it.
    assert ids == [f"P{recorded['child']}", f"P{recorded['unborn']}"]
    s47 = root.find("Children/Child/CINdetails/Section47")
    assert _text(s47, "ICPCnotRequired") == "true" and _text(s47, "DateOfInitialCPC") is None


def test_only_managers_and_administrators_export_and_each_export_is_audited_with_its_hash(
        ctx, actors, recorded, tmp_path):
    for role in ("practitioner", "police", "health", "education", "edt", "earlyhelp", "atlas"):
        with pytest.raises(PermissionDenied):
            CensusService(ctx).write_census(actors[role], 2026, tmp_path / f"{role}.xml")
        assert not (tmp_path / f"{role}.xml").exists()
    done, _ = _census(ctx, actors["admin"], tmp_path)
    assert done.sha256 == hashlib.sha256(done.path.read_bytes()).hexdigest()
    with ctx.session_factory() as s:
        events = s.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "export.returns")
                           .order_by(m.AuditEvent.id)).all()
    refusals, events = events[:7], events[7:]
    assert all(e.summary.startswith("refused:") and e.detail["reason"] for e in refusals)
    assert len(events) == 1
    assert events[0].detail["file"] == "census.xml" and events[0].detail["sha256"] == done.sha256
    assert events[0].username == "test.admin"


def test_the_census_carries_no_free_text_and_nothing_restricted_to_the_police(ctx, actors, recorded,
                                                                              tmp_path):
    with ctx.session_factory.begin() as s:
        contact = s.scalars(select(m.Contact)).first()
        police = s.scalar(select(m.Agency.id).where(m.Agency.code == "police"))
        s.add(m.AgencyCheck(contact_id=contact.id, agency_id=police, requested_at=contact.received_at,
                            due_at=contact.received_at, status="answered", restricted=True,
                            response="Operation Kestrel: intelligence on the stepfather"))
    done, _ = _census(ctx, actors["manager"], tmp_path)
    text = done.path.read_text(encoding="utf-8")
    assert "Kestrel" not in text and "bruising" not in text and "Okoye" not in text


def test_a_bad_year_or_file_name_is_refused_naming_it(ctx, actors, tmp_path):
    service = CensusService(ctx)
    with pytest.raises(InputError) as bad:
        service.write_census(actors["manager"], 1999, tmp_path / "c.xml")
    assert bad.value.field == "year"
    with pytest.raises(InputError) as bad:
        service.write_census(actors["manager"], 2026, tmp_path / "c.csv")
    assert bad.value.field == "out"
    with pytest.raises(InputError) as bad:
        service.write_census(actors["manager"], 2026, tmp_path / "missing" / "c.xml")
    assert bad.value.field == "out"
