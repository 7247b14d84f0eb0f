"""What-if replay: stored threshold assessments evaluated again under another ruleset, and what changed.

Pure (no database): the caller reads the stored inputs in batches and feeds them to :class:`Replay`, which
evaluates each child (once per distinct set of inputs: the engine's answer depends only on them) and
counts the changes as it goes, so a year of contacts never has to be in memory at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from rules.diff import RulesetDiff
from rules.engine import ChildInput, ChildResult, ThresholdEngine
from rules.errors import RuleInputError

#: The outcomes whose weekly numbers a replay reports: the work a changed threshold adds or removes.
WORKLOAD_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("strategy_discussion", "strategy discussions"),
    ("assessment", "assessments"),
    ("early_help", "step-downs to Early Help"),
)
#: Changed cases kept per cell of the level matrix, to drill into.
CASES_PER_CELL = 40


class StoredCase(NamedTuple):
    """One child's stored assessment: its inputs exactly as stored (the child's facts under the names of
    :class:`ChildInput`, so the engine reads either), the suggestion, and the decision. A named tuple: a year
    of them is made in a replay, and a tuple is made several times faster than a frozen dataclass."""

    assessment_id: int
    contact_id: int
    person_id: int
    received_on: date
    date_of_birth: date | None
    expected_date_of_birth: date | None
    disabled: bool
    previous_cp_plan: bool
    previous_contacts_12m: int
    previous_referrals_12m: int
    indicators: tuple[str, ...]
    household: tuple[str, ...]
    level: int
    outcome: str
    rag: str
    flags: tuple[str, ...]
    rules: tuple[str, ...]
    decided_level: int | None = None
    decided_outcome: str | None = None

    @classmethod
    def of(cls, assessment_id: int, contact_id: int, person_id: int, received_on: date, child: ChildInput,
           household: tuple[str, ...], level: int, outcome: str, rag: str, flags: tuple[str, ...],
           rules: tuple[str, ...], decided_level: int | None = None, decided_outcome: str | None = None,
           ) -> StoredCase:
        return cls(assessment_id, contact_id, person_id, received_on, child.date_of_birth,
                   child.expected_date_of_birth, child.disabled, child.previous_cp_plan, child.previous_contacts_12m,
                   child.previous_referrals_12m, child.indicators, household, level, outcome, rag, flags, rules,
                   decided_level, decided_outcome)

    @property
    def child(self) -> ChildInput:
        return ChildInput(str(self.person_id), self.date_of_birth, self.expected_date_of_birth, self.disabled,
                          self.previous_cp_plan, self.previous_contacts_12m, self.previous_referrals_12m,
                          self.indicators)

    @property
    def overridden(self) -> bool:
        return self.decided_level is not None and (self.decided_level, self.decided_outcome) != (
            self.level, self.outcome)


@dataclass(frozen=True, slots=True)
class ChangedCase:
    assessment_id: int
    contact_id: int
    person_id: int
    received_on: date
    old_level: int
    new_level: int
    old_outcome: str
    new_outcome: str
    old_rag: str
    new_rag: str
    old_flags: tuple[str, ...]
    new_flags: tuple[str, ...]
    #: Rules that fire now and did not (+rule) or no longer fire (-rule), and changed indicators it has.
    causes: tuple[str, ...]
    decided_level: int | None
    decided_outcome: str | None
    overridden: bool

    @property
    def agrees_with_decision(self) -> bool | None:
        if self.decided_level is None:
            return None
        return (self.new_level, self.new_outcome) == (self.decided_level, self.decided_outcome)


@dataclass(frozen=True, slots=True)
class WorkloadLine:
    outcome: str
    label: str
    old_per_week: float
    new_per_week: float


@dataclass(frozen=True, slots=True)
class ReplayReport:
    proposed: str
    start: date
    end: date
    children: int
    changed: int
    not_evaluated: int
    #: (old, new, children) for every pair met, unchanged pairs included.
    level_matrix: tuple[tuple[int, int, int], ...]
    outcome_matrix: tuple[tuple[str, str, int], ...]
    rag_matrix: tuple[tuple[str, str, int], ...]
    flags_changed: int
    rule_causes: tuple[tuple[str, int], ...]
    indicator_causes: tuple[tuple[str, int], ...]
    workload: tuple[WorkloadLine, ...]
    overrides: int
    overrides_now_agreed: int
    followed_now_differ: int
    dropped_indicators: tuple[tuple[str, int], ...]
    samples: tuple[ChangedCase, ...]

    def cases_in(self, old_level: int | None = None, new_level: int | None = None) -> tuple[ChangedCase, ...]:
        return tuple(c for c in self.samples if old_level in (None, c.old_level)
                     and new_level in (None, c.new_level))

    def to_json(self) -> dict[str, Any]:
        return {
            "proposed": self.proposed, "from": self.start.isoformat(), "to": self.end.isoformat(),
            "children": self.children, "changed": self.changed, "not_evaluated": self.not_evaluated,
            "matrix": {"level": [{"old": o, "new": n, "children": c} for o, n, c in self.level_matrix],
                       "outcome": [{"old": o, "new": n, "children": c} for o, n, c in self.outcome_matrix],
                       "rag": [{"old": o, "new": n, "children": c} for o, n, c in self.rag_matrix]},
            "flags_changed": self.flags_changed,
            "causes": {"rules": dict(self.rule_causes), "indicators": dict(self.indicator_causes)},
            "workload_per_week": [{"outcome": w.outcome, "old": w.old_per_week, "new": w.new_per_week}
                                  for w in self.workload],
            "overrides": {"overridden": self.overrides, "proposed_agrees_with_decision": self.overrides_now_agreed,
                          "followed_suggestion_now_differs": self.followed_now_differ},
            "dropped_indicators": dict(self.dropped_indicators),
            "sample": [{"contact_id": c.contact_id, "person_id": c.person_id, "old_level": c.old_level,
                        "new_level": c.new_level, "old_outcome": c.old_outcome, "new_outcome": c.new_outcome,
                        "causes": list(c.causes)} for c in self.samples[:50]],
        }


class Replay:
    """Evaluates stored cases under one ruleset and accumulates the report.

    Each distinct set of engine inputs is evaluated once; each case then only adds one to the count of its
    (stored suggestion, decision, new result) group, and the report is worked out from the groups.
    """

    def __init__(self, engine: ThresholdEngine, start: date, end: date, diff: RulesetDiff | None = None) -> None:
        self.engine = engine
        self.start, self.end = start, end
        self.affected = diff.affected_indicators if diff is not None else frozenset()
        self._cache: dict[tuple[Any, ...], int] = {}
        #: Distinct results: (result, dropped indicators, (level, outcome, rag, sorted flags)).
        self._results: list[tuple[ChildResult, tuple[str, ...], tuple[Any, ...]] | None] = []
        self._groups: Counter[tuple[Any, ...]] = Counter()
        self.rule_causes: Counter[str] = Counter()
        self.indicator_causes: Counter[str] = Counter()
        self.samples: list[ChangedCase] = []
        self._per_cell: Counter[tuple[int, int]] = Counter()

    def evaluate(self, case: StoredCase) -> int:
        """The index of the proposed ruleset's result for ``case`` (its entry is ``None`` if the stored facts
        cannot be evaluated); children of one input class share it, so its reasons are not theirs."""
        key = self.engine.input_class(case.received_on, case, case.household)
        index = self._cache.get(key)
        if index is None:
            try:
                result, dropped = self.engine.replay_child(case.received_on, case.child, case.household)
                found: tuple[ChildResult, tuple[str, ...], tuple[Any, ...]] | None = (
                    result, dropped, (result.level, result.outcome, result.rag, tuple(sorted(result.flags))))
            except RuleInputError:
                found = None
            index = self._cache[key] = len(self._results)
            self._results.append(found)
        return index

    def add(self, case: StoredCase) -> None:
        index = self.evaluate(case)
        old = (case.level, case.outcome, case.rag, case.flags)
        self._groups[(*old, case.overridden, case.decided_level, case.decided_outcome, index)] += 1
        found = self._results[index]
        if found is None or found[2] == old:
            return
        new = found[0]
        causes = tuple([f"+{r}" for r in new.rules if r not in case.rules]
                       + [f"-{r}" for r in case.rules if r not in new.rules]
                       + sorted(self.affected.intersection(case.indicators + case.household)))
        self.rule_causes.update(c[1:] for c in causes if c[0] in "+-")
        self.indicator_causes.update(c for c in causes if c[0] not in "+-")
        cell = (case.level, new.level)
        if self._per_cell[cell] < CASES_PER_CELL:
            self._per_cell[cell] += 1
            self.samples.append(ChangedCase(
                case.assessment_id, case.contact_id, case.person_id, case.received_on, case.level, new.level,
                case.outcome, new.outcome, case.rag, new.rag, case.flags, found[2][3], causes,
                case.decided_level, case.decided_outcome, case.overridden))

    def report(self) -> ReplayReport:
        levels: Counter[tuple[int, int]] = Counter()
        outcomes: Counter[tuple[str, str]] = Counter()
        rags: Counter[tuple[str, str]] = Counter()
        old_work: Counter[str] = Counter()
        new_work: Counter[str] = Counter()
        dropped: Counter[str] = Counter()
        children = changed = not_evaluated = flags_changed = overrides = agreed = differ = 0
        for (level, outcome, rag, flags, overridden, d_level, d_outcome, index), n in self._groups.items():
            found = self._results[index]
            if found is None:
                not_evaluated += n
                continue
            _, lost, (new_level, new_outcome, new_rag, new_flags) = found
            children += n
            changed += n * ((level, outcome, rag, flags) != found[2])
            flags_changed += n * (flags != new_flags)
            levels[level, new_level] += n
            outcomes[outcome, new_outcome] += n
            rags[rag, new_rag] += n
            old_work[outcome] += n
            new_work[new_outcome] += n
            for ident in lost:
                dropped[ident] += n
            agrees = (new_level, new_outcome) == (d_level, d_outcome)
            if overridden:
                overrides += n
                agreed += n * agrees
            elif d_level is not None:
                differ += n * (not agrees)
        ruleset = self.engine.ruleset
        weeks = max(1.0, ((self.end - self.start).days + 1) / 7)
        return ReplayReport(
            proposed=f"{ruleset.id} {ruleset.version}", start=self.start, end=self.end, children=children,
            changed=changed, not_evaluated=not_evaluated,
            level_matrix=tuple((o, n, c) for (o, n), c in sorted(levels.items())),
            outcome_matrix=tuple((o, n, c) for (o, n), c in sorted(outcomes.items())),
            rag_matrix=tuple((o, n, c) for (o, n), c in sorted(rags.items())),
            flags_changed=flags_changed,
            rule_causes=tuple(self.rule_causes.most_common()),
            indicator_causes=tuple(self.indicator_causes.most_common()),
            workload=tuple(WorkloadLine(o, label, round(old_work[o] / weeks, 1), round(new_work[o] / weeks, 1))
                           for o, label in WORKLOAD_OUTCOMES),
            overrides=overrides, overrides_now_agreed=agreed, followed_now_differ=differ,
            dropped_indicators=tuple(dropped.most_common()),
            samples=tuple(sorted(self.samples, key=lambda c: (c.received_on, c.assessment_id))),
        )


#: The columns of a stored assessment that hold the child's facts, in :func:`facts_record`'s order.
FACT_COLUMNS: tuple[str, ...] = (
    "facts_date_of_birth", "facts_expected_date_of_birth", "facts_disabled", "facts_previous_cp_plan",
    "facts_previous_contacts_12m", "facts_previous_referrals_12m")


def facts_record(child: ChildInput) -> dict[str, Any]:
    """A child's facts as an assessment stores them (its ``facts_*`` columns)."""
    return dict(zip(FACT_COLUMNS, (
        child.date_of_birth, child.expected_date_of_birth, child.disabled, child.previous_cp_plan,
        child.previous_contacts_12m, child.previous_referrals_12m), strict=True))
