"""The census of a demo database passes the DfE's rules (csc-validator-be-cin) with no errors."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from db.models import User
from mashdesk.demo import build_demo
from mashdesk.returns.service import CensusService
from mashdesk.returns.validation import validate
from mashdesk.returns.workflow import CensusYear
from mashdesk.services.auth import actor_for
from tests.mashdesk.returns.builders import need_validator

#: The queries the demo's census raises, each a real thing for the performance team to check:
#: 8670Q an assessment started over 45 working days before 31 March and not yet authorised;
#: 8873Q "no factors identified" with a closure other than RC8 (a section 47 that closed otherwise);
#: 8530Q an expected date of birth outside March-December of the year; 8675Q a section 47 without a
#: conference yet; 8606Q / 8590Q and others are not expected on the demo.
EXPECTED_QUERIES = {"8670Q", "8873Q", "8530Q", "8675Q"}


@pytest.fixture
def validator():
    need_validator()


def _demo_manager(ctx):
    with ctx.session_factory() as s:
        return actor_for(s.scalars(select(User).where(User.username == "demo.manager")).one())


def test_the_demo_census_passes_the_dfe_rules_with_no_errors(validator, ctx, tmp_path):
    build_demo(ctx, 2500, seed=3)
    done = CensusService(ctx).write_census(_demo_manager(ctx), 2026, tmp_path / "census.xml")
    assert done.children > 100
    report = validate(done.path, CensusYear(2026))
    assert report.ruleset == "cin2025_26"
    assert report.errors == [], Counter((i.rule, i.message) for i in report.errors).most_common(5)
    assert {i.rule for i in report.queries} <= EXPECTED_QUERIES
    for query in report.queries:
        assert query.person_id is not None and query.field and query.message


def test_a_broken_file_is_reported_with_the_child_and_field(validator, tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("""<?xml version='1.0' encoding='utf-8'?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2026</Year>
<ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>305</LEA>
<SoftwareCode>MASH Desk</SoftwareCode><Release>0.1.0</Release><SerialNo>1</SerialNo>
<DateTime>2026-11-23T10:00:00</DateTime></Source></Header><Children><Child><ChildIdentifiers>
<LAchildID>P41</LAchildID><PersonBirthDate>2015-06-02</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
<ChildCharacteristics><Ethnicity>XXXX</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities>
</ChildCharacteristics><CINdetails><CINreferralDate>2025-06-01</CINreferralDate><ReferralSource>2A</ReferralSource>
<PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA></CINdetails></Child></Children></Message>
""", encoding="utf-8")
    report = validate(path, CensusYear(2026))
    ethnicity = [i for i in report.errors if i.field == "Ethnicity"]
    assert ethnicity and ethnicity[0].person_id == 41 and ethnicity[0].value == "XXXX"
