"""What-if replay: stored threshold assessments evaluated again under another ruleset, and what changed.

Pure (no database): the caller reads the stored inputs in batches and feeds them to :class:`Replay`, which
evaluates each child (once per distinct set of inputs: the engine's answer depends only on them) and
counts the changes as it goes, so a year of contacts never has to be in memory at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from rules.diff import RulesetDiff
from rules.engine import ChildInput, ChildResult, ThresholdEngine, age_on
from rules.errors import RuleInputError

#: The outcomes whose weekly numbers a replay reports: the work a changed threshold adds or removes.
WORKLOAD_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("strategy_discussion", "strategy discussions"),
    ("assessment", "assessments"),
    ("early_help", "step-downs to Early Help"),
)
#: Changed cases kept per cell of the level matrix, to drill into.
CASES_PER_CELL = 40


@dataclass(frozen=True, slots=True)
class StoredCase:
    """One child's stored assessment: its inputs exactly as stored, the suggestion, and the decision."""

    assessment_id: int
    contact_id: int
    person_id: int
    received_on: date
    child: ChildInput
    household: tuple[str, ...]
    level: int
    outcome: str
    rag: str
    flags: tuple[str, ...]
    rules: tuple[str, ...]
    decided_level: int | None = None
    decided_outcome: str | None = None

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
    """Evaluates stored cases under one ruleset and accumulates the report."""

    def __init__(self, engine: ThresholdEngine, start: date, end: date, diff: RulesetDiff | None = None) -> None:
        self.engine = engine
        self.start, self.end = start, end
        self.affected = diff.affected_indicators if diff is not None else frozenset()
        self._cache: dict[tuple[Any, ...], tuple[ChildResult, tuple[str, ...]] | None] = {}
        self.children = self.changed = self.not_evaluated = self.flags_changed = 0
        self.overrides = self.overrides_now_agreed = self.followed_now_differ = 0
        self.levels: Counter[tuple[int, int]] = Counter()
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.rags: Counter[tuple[str, str]] = Counter()
        self.rule_causes: Counter[str] = Counter()
        self.indicator_causes: Counter[str] = Counter()
        self.dropped: Counter[str] = Counter()
        self.old_work: Counter[str] = Counter()
        self.new_work: Counter[str] = Counter()
        self.samples: list[ChangedCase] = []
        self._per_cell: Counter[tuple[int, int]] = Counter()

    def evaluate(self, case: StoredCase) -> tuple[ChildResult, tuple[str, ...]] | None:
        """The proposed ruleset's result for ``case`` (``None`` if its stored facts cannot be evaluated)."""
        c = case.child
        if c.date_of_birth is not None and c.date_of_birth <= case.received_on:
            age: int | None = age_on(c.date_of_birth, case.received_on)
        else:
            age = None if c.date_of_birth is None and c.expected_date_of_birth is not None else -1
        key = (age, c.date_of_birth is None, c.expected_date_of_birth is None, c.disabled, c.previous_cp_plan, c.previous_contacts_12m, c.previous_referrals_12m,
               tuple(sorted(set(c.indicators))), tuple(sorted(set(case.household))))
        if key not in self._cache:
            try:
                self._cache[key] = self.engine.replay_child(case.received_on, c, case.household)
            except RuleInputError:
                self._cache[key] = None
        return self._cache[key]

    def add(self, case: StoredCase) -> None:
        found = self.evaluate(case)
        if found is None:
            self.not_evaluated += 1
            return
        new, dropped = found
        self.children += 1
        self.dropped.update(dropped)
        self.levels[case.level, new.level] += 1
        self.outcomes[case.outcome, new.outcome] += 1
        self.rags[case.rag, new.rag] += 1
        self.old_work[case.outcome] += 1
        self.new_work[new.outcome] += 1
        flags = tuple(sorted(new.flags))
        flags_differ = flags != tuple(sorted(case.flags))
        self.flags_changed += flags_differ
        if case.overridden:
            self.overrides += 1
            self.overrides_now_agreed += (new.level, new.outcome) == (case.decided_level, case.decided_outcome)
        elif case.decided_level is not None:
            self.followed_now_differ += (new.level, new.outcome) != (case.decided_level, case.decided_outcome)
        if (case.level, case.outcome, case.rag) == (new.level, new.outcome, new.rag) and not flags_differ:
            return
        self.changed += 1
        causes = tuple([f"+{r}" for r in new.rules if r not in case.rules]
                       + [f"-{r}" for r in case.rules if r not in new.rules]
                       + sorted(self.affected.intersection(case.child.indicators + case.household)))
        self.rule_causes.update(c[1:] for c in causes if c[0] in "+-")
        self.indicator_causes.update(c for c in causes if c[0] not in "+-")
        cell = (case.level, new.level)
        if self._per_cell[cell] < CASES_PER_CELL:
            self._per_cell[cell] += 1
            self.samples.append(ChangedCase(
                case.assessment_id, case.contact_id, case.person_id, case.received_on, case.level, new.level,
                case.outcome, new.outcome, case.rag, new.rag, tuple(sorted(case.flags)), flags, causes,
                case.decided_level, case.decided_outcome, case.overridden))

    def report(self) -> ReplayReport:
        ruleset = self.engine.ruleset
        weeks = max(1.0, ((self.end - self.start).days + 1) / 7)
        return ReplayReport(
            proposed=f"{ruleset.id} {ruleset.version}", start=self.start, end=self.end, children=self.children,
            changed=self.changed, not_evaluated=self.not_evaluated,
            level_matrix=tuple((o, n, c) for (o, n), c in sorted(self.levels.items())),
            outcome_matrix=tuple((o, n, c) for (o, n), c in sorted(self.outcomes.items())),
            rag_matrix=tuple((o, n, c) for (o, n), c in sorted(self.rags.items())),
            flags_changed=self.flags_changed,
            rule_causes=tuple(self.rule_causes.most_common()),
            indicator_causes=tuple(self.indicator_causes.most_common()),
            workload=tuple(WorkloadLine(o, label, round(self.old_work[o] / weeks, 1),
                                        round(self.new_work[o] / weeks, 1)) for o, label in WORKLOAD_OUTCOMES),
            overrides=self.overrides, overrides_now_agreed=self.overrides_now_agreed,
            followed_now_differ=self.followed_now_differ,
            dropped_indicators=tuple(self.dropped.most_common()),
            samples=tuple(sorted(self.samples, key=lambda c: (c.received_on, c.assessment_id))),
        )


def facts_record(child: ChildInput) -> dict[str, Any]:
    """A child's facts as an assessment stores them (JSON), for :func:`child_from_record` to read back."""
    return {
        "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
        "expected_date_of_birth": child.expected_date_of_birth.isoformat() if child.expected_date_of_birth
        else None,
        "disabled": child.disabled, "previous_cp_plan": child.previous_cp_plan,
        "previous_contacts_12m": child.previous_contacts_12m,
        "previous_referrals_12m": child.previous_referrals_12m,
    }


def child_from_record(ref: str, record: dict[str, Any], indicators: tuple[str, ...]) -> ChildInput:
    dob, edob = record.get("date_of_birth"), record.get("expected_date_of_birth")
    return ChildInput(
        ref=ref, date_of_birth=date.fromisoformat(dob) if dob else None,
        expected_date_of_birth=date.fromisoformat(edob) if edob else None,
        disabled=bool(record.get("disabled")), previous_cp_plan=bool(record.get("previous_cp_plan")),
        previous_contacts_12m=int(record.get("previous_contacts_12m") or 0),
        previous_referrals_12m=int(record.get("previous_referrals_12m") or 0), indicators=indicators)
