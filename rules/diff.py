"""What differs between two rulesets: indicators added, removed or moved between levels, and rules changed.

Pure: compares two loaded :class:`~rules.model.Ruleset` objects field by field, so a new parameter in the
model shows up in a diff without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from rules.model import Indicator, Ruleset


@dataclass(frozen=True, slots=True)
class IndicatorEntry:
    id: str
    description: str
    level: int


@dataclass(frozen=True, slots=True)
class IndicatorMove:
    id: str
    description: str
    old_level: int
    new_level: int


@dataclass(frozen=True, slots=True)
class Change:
    """One changed setting: ``where`` is a rule id or section, ``what`` the parameter or indicator field."""

    where: str
    what: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RulesetDiff:
    old: str
    new: str
    added: tuple[IndicatorEntry, ...]
    removed: tuple[IndicatorEntry, ...]
    moved: tuple[IndicatorMove, ...]
    #: Indicators kept at their level whose flags, ages, household use or description changed.
    indicators_changed: tuple[Change, ...]
    #: Rule parameters, levels, outcomes, vulnerability, re-referral, RAG and household settings.
    rules_changed: tuple[Change, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.moved or self.indicators_changed or self.rules_changed)

    @property
    def affected_indicators(self) -> frozenset[str]:
        """Indicators whose effect may differ: added, removed, moved, or changed other than in wording."""
        changed = {c.where for c in self.indicators_changed if c.what != "description"}
        return frozenset({e.id for e in self.added} | {e.id for e in self.removed}
                         | {m.id for m in self.moved} | changed)

    def lines(self) -> list[str]:
        """The differences as sentences, for a report or the command line."""
        out = [f"Added: {e.description} ({e.id}) at level {e.level}" for e in self.added]
        out += [f"Removed: {e.description} ({e.id}), was level {e.level}" for e in self.removed]
        out += [f"Moved: {m.description} ({m.id}) from level {m.old_level} to level {m.new_level}"
                for m in self.moved]
        out += [f"Indicator {c.where}: {c.what} {c.old} → {c.new}" for c in self.indicators_changed]
        out += [f"Rule {c.where}: {c.what} {c.old} → {c.new}" for c in self.rules_changed]
        return out or ["No differences."]


def label(ruleset: Ruleset) -> str:
    return f"{ruleset.id} {ruleset.version}"


def diff_rulesets(old: Ruleset, new: Ruleset) -> RulesetDiff:
    added = tuple(_entry(i) for k, i in new.indicators.items() if k not in old.indicators)
    removed = tuple(_entry(i) for k, i in old.indicators.items() if k not in new.indicators)
    moved, changed = [], []
    for ident, before in old.indicators.items():
        after = new.indicators.get(ident)
        if after is None:
            continue
        if before.level != after.level:
            moved.append(IndicatorMove(ident, after.description, before.level, after.level))
        for name in ("flags", "min_age", "max_age", "unborn", "description"):
            if getattr(before, name) != getattr(after, name):
                changed.append(Change(ident, name.replace("_", " "), _shown(getattr(before, name)),
                                      _shown(getattr(after, name))))
        household = (ident in old.household_indicators, ident in new.household_indicators)
        if household[0] != household[1]:
            changed.append(Change(ident, "household", _shown(household[0]), _shown(household[1])))
    return RulesetDiff(label(old), label(new), added, removed, tuple(moved), tuple(changed),
                       tuple(_rule_changes(old, new)))


def _entry(indicator: Indicator) -> IndicatorEntry:
    return IndicatorEntry(indicator.id, indicator.description, indicator.level)


_RULE_SECTIONS = ("cumulative_needs", "toxic_trio", "pre_birth", "repeat_contacts", "vulnerability_escalation",
                  "strategy_required", "vulnerability", "re_referral")


def _rule_changes(old: Ruleset, new: Ruleset) -> list[Change]:
    changes: list[Change] = []
    if old.no_indicators_level != new.no_indicators_level:
        changes.append(Change("max_level", "no indicators level", _shown(old.no_indicators_level),
                              _shown(new.no_indicators_level)))
    for section in _RULE_SECTIONS:
        before, after = getattr(old, section), getattr(new, section)
        assert is_dataclass(before)
        for f in fields(before):
            a, b = getattr(before, f.name), getattr(after, f.name)
            if a != b:
                changes.append(Change(section, f.name.replace("_", " "), _shown(a), _shown(b)))
    for number, level in old.levels.items():
        other = new.levels[number]
        for name in ("name", "default_outcome", "rag"):
            if getattr(level, name) != getattr(other, name):
                changes.append(Change(f"level {number}", name.replace("_", " "), getattr(level, name),
                                      getattr(other, name)))
    for where, a, b in (("outcomes", old.outcomes, new.outcomes), ("rag", old.red_flags, new.red_flags),
                        ("domains", tuple(old.domains), tuple(new.domains)),
                        ("flags", tuple(old.flags), tuple(new.flags))):
        if set(a) != set(b):
            what = "red flags" if where == "rag" else "list"
            changes.append(Change(where, what, _shown(a), _shown(b)))
    return changes


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(value)) or "none"
    if isinstance(value, tuple):
        if value and isinstance(value[0], tuple):  # toxic trio groups
            return "; ".join(f"{name}: {_shown(group)}" for name, group in value)
        return ", ".join(str(v) for v in value) or "none"
    return str(value)
