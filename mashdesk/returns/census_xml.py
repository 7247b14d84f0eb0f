"""The CIN census XML (domain.md, "CIN census XML"): the header, then each child and their CIN details."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, datetime

from mashdesk import __version__
from mashdesk.returns.census_data import Child, Episode
from mashdesk.returns.codes import BROMLEY_LEA
from mashdesk.returns.workflow import CensusYear

SOFTWARE = "MASH Desk"


def child_id(person_id: int) -> str:
    """The LAchildID of a person (up to 20 alphanumerics): the desk's person reference."""
    return f"P{person_id}"


def person_of(la_child_id: str) -> int | None:
    """The person behind an LAchildID written by :func:`child_id`."""
    digits = la_child_id.strip().removeprefix("P")
    return int(digits) if digits.isdigit() else None


def _add(parent: ET.Element, tag: str, value: object | None) -> None:
    if value is None or value == "":
        return
    text = value.isoformat() if isinstance(value, date) else str(value)
    ET.SubElement(parent, tag).text = text


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _header(root: ET.Element, year: CensusYear, serial: int, written: datetime) -> None:
    header = ET.SubElement(root, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", year.year)
    _add(details, "ReferenceDate", year.reference_date)
    source = ET.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", BROMLEY_LEA)
    _add(source, "SoftwareCode", SOFTWARE)
    _add(source, "Release", __version__)
    _add(source, "SerialNo", serial)
    _add(source, "DateTime", written.replace(microsecond=0, tzinfo=None).isoformat())


def _child(children: ET.Element, child: Child, reference_date: date) -> None:
    el = ET.SubElement(children, "Child")
    ids = ET.SubElement(el, "ChildIdentifiers")
    _add(ids, "LAchildID", child_id(child.person_id))
    _add(ids, "UPN", child.upn)
    _add(ids, "FormerUPN", child.former_upn)
    _add(ids, "UPNunknown", None if child.upn else child.upn_unknown)
    born = child.birth_date is not None and child.birth_date <= reference_date
    _add(ids, "PersonBirthDate", child.birth_date if born else None)
    _add(ids, "ExpectedPersonBirthDate", None if born else child.expected_birth_date or child.birth_date)
    _add(ids, "Sex", child.sex if born else "U")
    _add(ids, "PersonDeathDate", child.death_date)
    traits = ET.SubElement(el, "ChildCharacteristics")
    _add(traits, "Ethnicity", child.ethnicity or "NOBT")
    disabilities = ET.SubElement(traits, "Disabilities")
    for code in child.disabilities or ["NONE"]:
        _add(disabilities, "Disability", code)
    for episode in child.episodes:
        _episode(el, episode)


def _episode(parent: ET.Element, ep: Episode) -> None:
    el = ET.SubElement(parent, "CINdetails")
    _add(el, "CINreferralDate", ep.referral_on)
    _add(el, "ReferralSource", ep.source)
    _add(el, "PrimaryNeedCode", ep.primary_need)
    _add(el, "CINclosureDate", ep.closed_on)
    _add(el, "ReasonForClosure", ep.closure_reason)
    if not ep.section47s:  # a conference belongs to its section 47 when there is one (rule 2884)
        _add(el, "DateOfInitialCPC", ep.icpc_on)
    for a in ep.assessments:
        ael = ET.SubElement(el, "Assessments")
        _add(ael, "AssessmentActualStartDate", a.started_on)
        _add(ael, "AssessmentInternalReviewDate", None)
        _add(ael, "AssessmentAuthorisationDate", a.authorised_on)
        if a.factors:
            factors = ET.SubElement(ael, "FactorsIdentifiedAtAssessment")
            for code in a.factors:
                _add(factors, "AssessmentFactors", code)
    for started, ended in ep.plans:
        pel = ET.SubElement(el, "CINPlanDates")
        _add(pel, "CINPlanStartDate", started)
        _add(pel, "CINPlanEndDate", ended)
    for s in ep.section47s:
        sel = ET.SubElement(el, "Section47")
        _add(sel, "S47ActualStartDate", s.started_on)
        _add(sel, "InitialCPCtarget", s.icpc_target)
        _add(sel, "DateOfInitialCPC", s.icpc_on)
        _add(sel, "ICPCnotRequired", _flag(s.icpc_not_required))
    _add(el, "ReferralNFA", _flag(False))
    for plan in ep.cp_plans:
        cel = ET.SubElement(el, "ChildProtectionPlans")
        _add(cel, "CPPstartDate", plan.started_on)
        _add(cel, "CPPendDate", plan.ended_on)
        _add(cel, "InitialCategoryOfAbuse", plan.initial_category)
        _add(cel, "LatestCategoryOfAbuse", plan.latest_category)
        _add(cel, "NumberOfPreviousCPP", plan.previous)


def render(children: list[Child], year: CensusYear, written: datetime, serial: int = 1,
           progress: Callable[[int, int], None] | None = None) -> bytes:
    """The census file's bytes (UTF-8 XML with its declaration)."""
    root = ET.Element("Message")
    _header(root, year, serial, written)
    el = ET.SubElement(root, "Children")
    total = len(children)
    for n, child in enumerate(children, 1):
        _child(el, child, year.reference_date)
        if progress and n % 500 == 0:
            progress(n, total)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
