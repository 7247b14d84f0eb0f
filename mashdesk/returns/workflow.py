"""The census's pure rules: the collection year, and the checks on what a person records for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mashdesk.errors import InputError
from mashdesk.returns.codes import (
    ASSESSMENT_FACTORS,
    CLOSURE_REASONS,
    CP_CATEGORIES,
    NO_FACTORS,
    parse_factors,
)

FIRST_YEAR = 2000


@dataclass(frozen=True)
class CensusYear:
    """The collection year ending 31 March ``year``: 1 April of the year before to 31 March."""

    year: int

    @property
    def start(self) -> date:
        return date(self.year - 1, 4, 1)

    @property
    def reference_date(self) -> date:
        return date(self.year, 3, 31)

    @property
    def ruleset(self) -> str:
        """The validator's ruleset for this year (``cin2025_26`` for 2026)."""
        return f"cin{self.year - 1}_{self.year % 100:02d}"


def last_collection_year(today: date) -> int:
    """The newest collection year that has ended (the one to return): 2026 from April 2026 to March 2027."""
    return today.year if today.month >= 4 else today.year - 1


def census_year(year: int, today: date) -> CensusYear:
    """The collection year ``year``; refused before 2000 or more than a year ahead of today."""
    if not FIRST_YEAR <= year <= today.year + 1:
        raise InputError(f"year: give the year the collection ends (31 March), "
                         f"{FIRST_YEAR}-{today.year + 1}; not {year}", "year")
    return CensusYear(year)


def check_factors(text: str) -> list[str]:
    """The factors identified at the end of an assessment, as codes; at least one, and 21 only alone."""
    codes = parse_factors(text)
    if not codes:
        raise InputError("factors: give the factors identified, or 21 when there are none", "factors")
    unknown = [c for c in codes if c not in ASSESSMENT_FACTORS]
    if unknown:
        raise InputError(f"factors: {', '.join(unknown)} is not a census factor code (1A-24A)", "factors")
    if NO_FACTORS in codes and len(codes) > 1:
        raise InputError("factors: 21 (no factors identified) cannot go with other factors", "factors")
    return codes


def check_assessment(referral_on: date, started_on: date, authorised_on: date | None, today: date) -> None:
    if started_on < referral_on:
        raise InputError(f"assessment start: {started_on:%d/%m/%Y} is before the referral "
                         f"({referral_on:%d/%m/%Y})", "started_on")
    if started_on > today:
        raise InputError("assessment start: it cannot be in the future", "started_on")
    if authorised_on is not None:
        if authorised_on < started_on:
            raise InputError("authorised: before the assessment started", "authorised_on")
        if authorised_on > today:
            raise InputError("authorised: it cannot be in the future", "authorised_on")


def check_closure(reason: str, closed_on: date, opened_on: date, today: date) -> None:
    if reason not in CLOSURE_REASONS:
        raise InputError(f"reason for closure: choose one of RC1-RC8, not {reason!r}", "closure_reason")
    if closed_on < opened_on:
        raise InputError(f"closure date: {closed_on:%d/%m/%Y} is before the referral ({opened_on:%d/%m/%Y})",
                         "closed_on")
    if closed_on > today:
        raise InputError("closure date: it cannot be in the future", "closed_on")


def check_cp_plan(category: str, started_on: date, s47_started_on: date | None, today: date) -> None:
    if category not in CP_CATEGORIES:
        raise InputError(f"category of abuse: choose one of {', '.join(CP_CATEGORIES)}", "initial_category")
    if s47_started_on is not None and started_on < s47_started_on:
        raise InputError("plan start: before the section 47 enquiries started", "started_on")
    if started_on > today:
        raise InputError("plan start: it cannot be in the future", "started_on")
