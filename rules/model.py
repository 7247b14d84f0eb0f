"""What a Threshold of Need ruleset holds: levels, indicators and the parameters of each rule.

Plain frozen data, built by :mod:`rules.builder` from a ruleset file and read by the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: RAG ratings, most urgent first.
RAGS: tuple[str, ...] = ("red", "amber", "green")
LEVELS: tuple[int, ...] = (1, 2, 3, 4)
#: The rules of threshold-of-need.md, in the order they run (and are listed in a result).
RULE_IDS: tuple[str, ...] = (
    "max_level",
    "cumulative_needs",
    "toxic_trio",
    "pre_birth",
    "repeat_contacts",
    "vulnerability_escalation",
    "strategy_required",
)
#: Values of an indicator's ``unborn`` key.
UNBORN_NO, UNBORN_ALLOWED, UNBORN_ONLY = "no", "allowed", "only"


@dataclass(frozen=True, slots=True)
class Level:
    level: int
    name: str
    default_outcome: str
    rag: str


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of need; ``min_age``/``max_age`` are inclusive whole years and apply to born children."""

    id: str
    domain: str
    level: int
    description: str
    flags: frozenset[str]
    min_age: int | None
    max_age: int | None
    unborn: str

    def fits(self, age: int | None) -> bool:
        """Whether the indicator may be recorded for a child of ``age`` whole years (``None``: unborn)."""
        if age is None:
            return self.unborn != UNBORN_NO
        if self.unborn == UNBORN_ONLY:
            return False
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)

    @property
    def label(self) -> str:
        return f"{self.description} ({self.id})"


@dataclass(frozen=True, slots=True)
class CumulativeNeedsRule:
    indicator_level: int
    min_indicators: int
    min_domains: int
    raise_to: int


@dataclass(frozen=True, slots=True)
class ToxicTrioRule:
    """All ``groups`` (name, indicator ids) present: at least ``raise_to``, or ``infant_raise_to`` for a child
    who is unborn or younger than ``infant_under_age`` whole years."""

    groups: tuple[tuple[str, frozenset[str]], ...]
    raise_to: int
    infant_under_age: int
    infant_raise_to: int


@dataclass(frozen=True, slots=True)
class PreBirthRule:
    domains: frozenset[str]
    min_indicator_level: int
    raise_to: int
    flag: str


@dataclass(frozen=True, slots=True)
class RepeatContactsRule:
    min_previous_contacts: int
    when_level: int
    raise_to: int


@dataclass(frozen=True, slots=True)
class VulnerabilityEscalationRule:
    when_level: int
    indicator_level: int
    min_indicators: int
    raise_to: int


@dataclass(frozen=True, slots=True)
class StrategyRequiredRule:
    indicator_flag: str
    raise_to: int
    outcome: str


@dataclass(frozen=True, slots=True)
class Vulnerability:
    """Who is vulnerable (rule vulnerability_escalation); an unborn child counts as under ``under_age``."""

    under_age: int
    disabled: bool
    previous_cp_plan: bool
    min_previous_contacts: int


@dataclass(frozen=True, slots=True)
class ReReferral:
    min_previous_referrals: int
    flag: str


@dataclass(frozen=True, slots=True)
class Ruleset:
    id: str
    version: str
    title: str
    path: Path
    levels: Mapping[int, Level]
    #: Every outcome a practitioner may record: the levels' defaults first, then the others.
    outcomes: tuple[str, ...]
    domains: Mapping[str, str]
    flags: Mapping[str, str]
    #: Indicators by id, in file order (the order of a picker).
    indicators: Mapping[str, Indicator]
    household_indicators: frozenset[str]
    no_indicators_level: int
    cumulative_needs: CumulativeNeedsRule
    toxic_trio: ToxicTrioRule
    pre_birth: PreBirthRule
    repeat_contacts: RepeatContactsRule
    vulnerability_escalation: VulnerabilityEscalationRule
    strategy_required: StrategyRequiredRule
    vulnerability: Vulnerability
    re_referral: ReReferral
    red_flags: frozenset[str]
    #: A draft for consultation: never loaded by default, only replayed or activated on purpose.
    draft: bool = False
