"""The Threshold of Need engine: suggests a level, outcome and RAG rating for each child of a contact.

Pure Python over a loaded :class:`~rules.model.Ruleset`. The seven rules of threshold-of-need.md run in
their fixed order; every number, indicator id and name they use comes from the ruleset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from rules.errors import RuleInputError, quoted
from rules.model import RAGS, Indicator, Ruleset


@dataclass(frozen=True, slots=True)
class ChildInput:
    """One child of a contact: exactly one of ``date_of_birth`` / ``expected_date_of_birth`` (unborn)."""

    ref: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    disabled: bool = False
    previous_cp_plan: bool = False
    previous_contacts_12m: int = 0
    previous_referrals_12m: int = 0
    indicators: tuple[str, ...] = ()


class ChildFacts(Protocol):
    """What :meth:`ThresholdEngine.input_class` reads of a child: a :class:`ChildInput` or a stored case."""

    @property
    def date_of_birth(self) -> date | None: ...
    @property
    def expected_date_of_birth(self) -> date | None: ...
    @property
    def disabled(self) -> bool: ...
    @property
    def previous_cp_plan(self) -> bool: ...
    @property
    def previous_contacts_12m(self) -> int: ...
    @property
    def previous_referrals_12m(self) -> int: ...
    @property
    def indicators(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class ChildResult:
    """The suggestion for one child; ``reasons`` holds one sentence per entry of ``rules``."""

    ref: str
    level: int
    outcome: str
    rag: str
    rules: tuple[str, ...]
    flags: tuple[str, ...]
    reasons: tuple[str, ...]
    #: The indicators the rules saw: the child's own and the household ones that fit the child, sorted.
    indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TriageResult:
    ruleset_id: str
    ruleset_version: str
    #: The most urgent of the children's ratings.
    rag: str
    children: tuple[ChildResult, ...]


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years of age on ``day``; the birthday itself counts (29 February birthdays: from 1 March)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _labels(indicators: Sequence[Indicator]) -> str:
    return "; ".join(indicator.label for indicator in indicators)


class ThresholdEngine:
    """Applies one ruleset. Build it once (lookups are prepared here) and call :meth:`triage` per contact."""

    __slots__ = ("ruleset", "_indicators", "_household", "_level_names", "_outcomes", "_rags", "_urgency",
                 "_history_cap", "_age_classes")

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self._indicators = dict(ruleset.indicators)
        self._household = ruleset.household_indicators
        self._level_names = {n: f"level {n} ({level.name})" for n, level in ruleset.levels.items()}
        self._outcomes = {n: level.default_outcome for n, level in ruleset.levels.items()}
        self._rags = {n: level.rag for n, level in ruleset.levels.items()}
        self._urgency = {rag: rank for rank, rag in enumerate(RAGS)}
        #: Previous contacts beyond this number change nothing (see :meth:`input_class`).
        self._age_classes: dict[tuple[object, ...], tuple[object, ...]] = {}
        self._history_cap = max(ruleset.repeat_contacts.min_previous_contacts,
                                ruleset.vulnerability.min_previous_contacts)

    def triage(
        self, received_on: date, children: Sequence[ChildInput], household_indicators: Sequence[str] = ()
    ) -> TriageResult:
        """Suggest for every child of a contact received on ``received_on`` (its local date).

        Raises:
            RuleInputError: an unknown indicator, one that fits no child it is recorded for, a child with both
                or neither birth dates, a date of birth after ``received_on``, a repeated ref, no children.
        """
        if not children:
            raise RuleInputError("children: a contact needs at least one child", child_ref=None,
                                 field="children")
        ages: list[int | None] = []
        seen: set[str] = set()
        for child in children:
            if child.ref in seen:
                raise RuleInputError(
                    f"child {child.ref}: ref is used by two children", child_ref=child.ref, field="ref"
                )
            seen.add(child.ref)
            ages.append(self._age(child, received_on))
        shared = self._household_indicators(household_indicators, ages)
        results = tuple(
            self._assess(child, age, [s for s, fits in shared if fits[i]])
            for i, (child, age) in enumerate(zip(children, ages, strict=True))
        )
        rag = min((result.rag for result in results), key=self._urgency.__getitem__)
        return TriageResult(self.ruleset.id, self.ruleset.version, rag, results)

    def replay_child(
        self, received_on: date, child: ChildInput, household_indicators: Sequence[str] = ()
    ) -> tuple[ChildResult, tuple[str, ...]]:
        """One stored child again, under this ruleset, with the indicators it cannot take left out.

        Household indicators apply where they fit the child; an indicator this ruleset does not know, or
        one that does not fit the child here, is dropped and returned beside the result (a replay must
        evaluate every stored child, whatever ruleset it was recorded under).
        """
        age = self._age(child, received_on)
        kept, dropped = [], []
        for ident in child.indicators:
            indicator = self._indicators.get(ident)
            (kept if indicator is not None and indicator.fits(age) else dropped).append(ident)
        shared = []
        for ident in dict.fromkeys(household_indicators):
            indicator = self._indicators.get(ident)
            if indicator is None or ident not in self._household:
                dropped.append(ident)
            elif indicator.fits(age):
                shared.append(indicator)
        own = ChildInput(child.ref, child.date_of_birth, child.expected_date_of_birth, child.disabled,
                         child.previous_cp_plan, child.previous_contacts_12m, child.previous_referrals_12m,
                         tuple(kept))
        return self._assess(own, age, shared), tuple(dropped)

    def input_class(
        self, received_on: date, child: ChildFacts, household_indicators: Sequence[str] = ()
    ) -> tuple[object, ...]:
        """A key equal for two children whose :meth:`replay_child` gives the same level, outcome, RAG, flags
        and rules (only the numbers quoted in the reasons may differ): the age counts only through the
        indicators that fit it and the rules' age limits, the history only through the rules' thresholds."""
        dob = child.date_of_birth
        if dob is not None and dob <= received_on and child.expected_date_of_birth is None:
            age: int | None = age_on(dob, received_on)
        elif dob is None and child.expected_date_of_birth is not None:
            age = None
        else:
            return ("invalid", dob, child.expected_date_of_birth, received_on)
        by_age = self._age_classes.get((age, child.indicators, tuple(household_indicators)))
        if by_age is None:
            known, ruleset = self._indicators, self.ruleset
            by_age = self._age_classes[age, child.indicators, tuple(household_indicators)] = (
                age is None, age is not None and age < ruleset.toxic_trio.infant_under_age,
                age is not None and age < ruleset.vulnerability.under_age,
                tuple(i in known and known[i].fits(age) for i in child.indicators),
                tuple(i in known and known[i].fits(age) for i in household_indicators))
        contacts = min(child.previous_contacts_12m, self._history_cap)
        referred = child.previous_referrals_12m >= self.ruleset.re_referral.min_previous_referrals
        return (by_age, child.disabled, child.previous_cp_plan, contacts, referred,
                child.indicators, household_indicators)

    @staticmethod
    def _age(child: ChildInput, received_on: date) -> int | None:
        """The child's whole years at the contact, ``None`` when unborn; checks the child's plain fields."""
        ref = child.ref
        if (child.date_of_birth is None) == (child.expected_date_of_birth is None):
            which = "both" if child.date_of_birth is not None else "neither"
            raise RuleInputError(
                f"child {ref}: date_of_birth: give exactly one of date_of_birth and expected_date_of_birth "
                f"({which} given)",
                child_ref=ref,
                field="date_of_birth",
            )
        for field in ("previous_contacts_12m", "previous_referrals_12m"):
            if getattr(child, field) < 0:
                raise RuleInputError(f"child {ref}: {field}: must not be negative", child_ref=ref,
                                     field=field)
        if child.date_of_birth is None:
            return None
        if child.date_of_birth > received_on:
            raise RuleInputError(
                f"child {ref}: date_of_birth: {child.date_of_birth.isoformat()} is after the contact was "
                f"received ({received_on.isoformat()})",
                child_ref=ref,
                field="date_of_birth",
            )
        return age_on(child.date_of_birth, received_on)

    def _household_indicators(
        self, ids: Sequence[str], ages: Sequence[int | None]
    ) -> list[tuple[Indicator, list[bool]]]:
        """Each household indicator with, per child, whether it fits that child."""
        shared = []
        for ident in dict.fromkeys(ids):
            indicator = self._indicators.get(ident)
            if indicator is None:
                raise RuleInputError(
                    f"household_indicators: unknown indicator {quoted(ident)}",
                    child_ref=None,
                    field="household_indicators",
                )
            if ident not in self._household:
                raise RuleInputError(
                    f"household_indicators: {ident} cannot be recorded for the household",
                    child_ref=None,
                    field="household_indicators",
                )
            fits = [indicator.fits(age) for age in ages]
            if not any(fits):
                raise RuleInputError(
                    f"household_indicators: {ident} does not fit any child of the contact",
                    child_ref=None,
                    field="household_indicators",
                )
            shared.append((indicator, fits))
        return shared

    def _assess(self, child: ChildInput, age: int | None, shared: list[Indicator]) -> ChildResult:
        ruleset = self.ruleset
        ref = child.ref
        found: dict[str, Indicator] = {}
        for ident in child.indicators:
            indicator = self._indicators.get(ident)
            if indicator is None:
                raise RuleInputError(
                    f"child {ref}: indicators: unknown indicator {quoted(ident)}", child_ref=ref,
                    field="indicators",
                )
            if not indicator.fits(age):
                who = "an unborn child" if age is None else f"a child aged {age}"
                raise RuleInputError(
                    f"child {ref}: indicators: {ident} does not apply to {who}",
                    child_ref=ref,
                    field="indicators",
                )
            found[ident] = indicator
        for indicator in shared:
            found[indicator.id] = indicator
        indicators = sorted(found.values(), key=lambda i: (-i.level, i.id))
        flags: set[str] = set()
        for indicator in indicators:
            flags |= indicator.flags

        # 1. max_level
        rules = ["max_level"]
        if indicators:
            level = indicators[0].level
            top = [i for i in indicators if i.level == level]
            reasons = [f"The highest indicator gives {self._level_names[level]}: {_labels(top)}."]
        else:
            level = ruleset.no_indicators_level
            reasons = [f"No indicators recorded: {self._level_names[level]}."]

        # 2. cumulative_needs
        cumulative = ruleset.cumulative_needs
        counted = [i for i in indicators if i.level == cumulative.indicator_level]
        domains = {i.domain for i in counted}
        if len(counted) >= cumulative.min_indicators and len(domains) >= cumulative.min_domains:
            level = max(level, cumulative.raise_to)
            rules.append("cumulative_needs")
            reasons.append(
                f"{len(counted)} level-{cumulative.indicator_level} indicators across {len(domains)} domains "
                f"({', '.join(sorted(domains))}) give at least {self._level_names[cumulative.raise_to]}: "
                f"{_labels(counted)}."
            )

        # 3. toxic_trio
        trio = ruleset.toxic_trio
        if all(not group.isdisjoint(found) for _, group in trio.groups):
            matched = [
                (name, [found[i] for i in sorted(group.intersection(found))]) for name, group in trio.groups
            ]
            infant = age is None or age < trio.infant_under_age
            raised = trio.infant_raise_to if infant else trio.raise_to
            level = max(level, raised)
            rules.append("toxic_trio")
            parts = "; ".join(f"{name}: {_labels(present)}" for name, present in matched)
            who = " and the child is unborn or under " + _years(trio.infant_under_age) if infant else ""
            reasons.append(f"The toxic trio is present ({parts}){who}: at least {self._level_names[raised]}.")

        # 4. pre_birth
        pre_birth = ruleset.pre_birth
        if age is None:
            concerns = [
                i
                for i in indicators
                if i.domain in pre_birth.domains and i.level >= pre_birth.min_indicator_level
            ]
            if concerns:
                level = max(level, pre_birth.raise_to)
                flags.add(pre_birth.flag)
                rules.append("pre_birth")
                reasons.append(
                    f"An unborn child with {_labels(concerns)} needs a pre-birth assessment: at least "
                    f"{self._level_names[pre_birth.raise_to]}."
                )

        # 5. repeat_contacts
        repeat = ruleset.repeat_contacts
        if child.previous_contacts_12m >= repeat.min_previous_contacts and level == repeat.when_level:
            level = repeat.raise_to
            rules.append("repeat_contacts")
            reasons.append(
                f"{child.previous_contacts_12m} previous contacts in the 12 months before this one raise "
                f"{self._level_names[repeat.when_level]} to {self._level_names[repeat.raise_to]}."
            )

        # 6. vulnerability_escalation
        escalation = ruleset.vulnerability_escalation
        if level == escalation.when_level:
            serious = [i for i in indicators if i.level == escalation.indicator_level]
            vulnerable = (
                self._vulnerabilities(child, age) if len(serious) >= escalation.min_indicators else []
            )
            if vulnerable:
                level = escalation.raise_to
                rules.append("vulnerability_escalation")
                reasons.append(
                    f"{len(serious)} level-{escalation.indicator_level} indicators ({_labels(serious)}) in a "
                    f"vulnerable child ({', '.join(vulnerable)}) raise "
                    f"{self._level_names[escalation.when_level]} "
                    f"to {self._level_names[escalation.raise_to]}."
                )

        # 7. strategy_required
        strategy = ruleset.strategy_required
        needs_strategy = [i for i in indicators if strategy.indicator_flag in i.flags]
        if needs_strategy:
            level = max(level, strategy.raise_to)
            outcome = strategy.outcome
            rules.append("strategy_required")
            reasons.append(
                f"A strategy discussion is required for {_labels(needs_strategy)}: "
                f"{self._level_names[level]}, outcome {outcome}."
            )
        else:
            outcome = self._outcomes[level]

        if child.previous_referrals_12m >= ruleset.re_referral.min_previous_referrals:
            flags.add(ruleset.re_referral.flag)
        rag = "red" if flags & ruleset.red_flags else self._rags[level]
        return ChildResult(
            ref, level, outcome, rag, tuple(rules), tuple(sorted(flags)), tuple(reasons), tuple(sorted(found))
        )

    def _vulnerabilities(self, child: ChildInput, age: int | None) -> list[str]:
        """Why the child counts as vulnerable (empty when not)."""
        rule = self.ruleset.vulnerability
        why = []
        if age is None:
            why.append("unborn")
        elif age < rule.under_age:
            why.append("under " + _years(rule.under_age))
        if rule.disabled and child.disabled:
            why.append("disabled")
        if rule.previous_cp_plan and child.previous_cp_plan:
            why.append("previously subject of a child protection plan")
        if child.previous_contacts_12m >= rule.min_previous_contacts:
            why.append(f"{child.previous_contacts_12m} previous contacts in the last 12 months")
        return why


def _years(n: int) -> str:
    return "1 year old" if n == 1 else f"{n} years old"
