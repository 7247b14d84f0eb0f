"""Strict validation of a ruleset file's contents into a :class:`~rules.model.Ruleset`.

An unknown key, a duplicate id or a reference to something that does not exist raises
:class:`~rules.errors.RulesetError` naming the file, the key or indicator, and the line when found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rules.errors import RulesetError
from rules.model import (
    LEVELS,
    RAGS,
    RULE_IDS,
    UNBORN_ALLOWED,
    UNBORN_NO,
    UNBORN_ONLY,
    CumulativeNeedsRule,
    Indicator,
    Level,
    PreBirthRule,
    RepeatContactsRule,
    ReReferral,
    Ruleset,
    StrategyRequiredRule,
    ToxicTrioRule,
    Vulnerability,
    VulnerabilityEscalationRule,
)

_INDICATOR_ID = re.compile(r"^(?P<domain>[a-z][a-z0-9_]*)\.[a-z][a-z0-9_]*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class RulesetBuilder:
    """Checks one parsed file and builds its :class:`Ruleset`; every check fails with a located error."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def fail(self, key: str, problem: str, *anchors: str, line: int | None = None) -> RulesetError:
        """An error on ``key`` at ``line``, or at the line found by searching for each anchor in turn."""
        start = 0
        for anchor in anchors if line is None else ():
            found = next((i for i in range(start, len(self.lines)) if anchor in self.lines[i]), None)
            if found is None:
                break
            line, start = found + 1, found
        return RulesetError(self.path, key, problem, line)

    # -- typed access ------------------------------------------------------------------------------

    def table(self, value: object, key: str, anchors: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table", *anchors)
        return value

    def keys(
        self,
        table: dict[str, Any],
        key: str,
        anchors: tuple[str, ...],
        required: set[str],
        optional: frozenset[str] = frozenset(),
    ) -> None:
        for name in table:
            if name not in required and name not in optional:
                raise self.fail(f"{key}.{name}", "unknown key", *anchors, f"{name}")
        for name in sorted(required - table.keys()):
            raise self.fail(f"{key}.{name}", "missing", *anchors)

    def int_(self, table: dict[str, Any], name: str, key: str, anchors: tuple[str, ...], low: int = 0) -> int:
        value = table[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise self.fail(f"{key}.{name}", f"must be a whole number of at least {low}", *anchors, name)
        return value

    def level(self, table: dict[str, Any], name: str, key: str, anchors: tuple[str, ...]) -> int:
        value = table[name]
        if not isinstance(value, int) or isinstance(value, bool) or value not in LEVELS:
            raise self.fail(f"{key}.{name}", f"must be a level from 1 to 4, not {value!r}", *anchors, name)
        return value

    def bool_(self, table: dict[str, Any], name: str, key: str, anchors: tuple[str, ...]) -> bool:
        value = table[name]
        if not isinstance(value, bool):
            raise self.fail(f"{key}.{name}", "must be true or false", *anchors, name)
        return value

    def str_(
        self,
        table: dict[str, Any],
        name: str,
        key: str,
        anchors: tuple[str, ...],
        pattern: re.Pattern[str] | None = None,
    ) -> str:
        value = table[name]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key}.{name}", "must be a non-empty string", *anchors, name)
        if pattern is not None and not pattern.match(value):
            raise self.fail(f"{key}.{name}", f"{value!r} is not a valid name", *anchors, name)
        return value

    def names(
        self,
        table: dict[str, Any],
        name: str,
        key: str,
        anchors: tuple[str, ...],
        allowed: Mapping[str, object],
        what: str,
    ) -> frozenset[str]:
        """A list of distinct strings, each one of ``allowed``."""
        value = table[name]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(f"{key}.{name}", "must be a list of strings", *anchors, name)
        if len(set(value)) != len(value):
            raise self.fail(f"{key}.{name}", "lists the same entry twice", *anchors, name)
        for item in value:
            if item not in allowed:
                raise self.fail(f"{key}.{name}", f"{item!r} is not a known {what}", *anchors, name)
        return frozenset(value)

    def descriptions(self, data: dict[str, Any], key: str) -> dict[str, str]:
        """A table of ``name = "description"`` pairs (domains, flags)."""
        anchors = (f"[{key}]",)
        table = self.table(data[key], key, anchors)
        for name, description in table.items():
            if not _NAME.match(name):
                raise self.fail(f"{key}.{name}", "not a valid name (lower case, digits, _)", *anchors, name)
            if not isinstance(description, str) or not description.strip():
                raise self.fail(f"{key}.{name}", "must be a non-empty description", *anchors, name)
        if not table:
            raise self.fail(key, "must not be empty", *anchors)
        return table

    # -- sections ----------------------------------------------------------------------------------

    def build(self, data: dict[str, Any]) -> Ruleset:
        top = {
            "ruleset",
            "levels",
            "outcomes",
            "domains",
            "flags",
            "household",
            "rules",
            "vulnerability",
            "re_referral",
            "rag",
            "indicators",
        }
        self.keys(data, "(top level)", (), top)
        ident, version, title = self.header(data["ruleset"])
        levels = self.levels(data["levels"])
        outcomes = self.outcomes(data["outcomes"], levels)
        domains = self.descriptions(data, "domains")
        flags = self.descriptions(data, "flags")
        indicators = self.indicators(data["indicators"], domains, flags)
        household = self.household(data["household"], domains, indicators)
        rules = self.table(data["rules"], "rules", ())
        self.keys(rules, "rules", ("[rules.",), set(RULE_IDS))
        sections = {name: self.table(rules[name], f"rules.{name}", (f"[rules.{name}]",)) for name in RULE_IDS}
        return Ruleset(
            id=ident,
            version=version,
            title=title,
            path=self.path,
            levels=levels,
            outcomes=outcomes,
            domains=domains,
            flags=flags,
            indicators=indicators,
            household_indicators=household,
            no_indicators_level=self.max_level(sections["max_level"]),
            cumulative_needs=self.cumulative_needs(sections["cumulative_needs"]),
            toxic_trio=self.toxic_trio(sections["toxic_trio"], indicators),
            pre_birth=self.pre_birth(sections["pre_birth"], domains),
            repeat_contacts=self.repeat_contacts(sections["repeat_contacts"]),
            vulnerability_escalation=self.vulnerability_escalation(sections["vulnerability_escalation"]),
            strategy_required=self.strategy_required(sections["strategy_required"], flags, outcomes),
            vulnerability=self.vulnerability(data["vulnerability"]),
            re_referral=self.re_referral(data["re_referral"]),
            red_flags=self.rag(data["rag"], flags),
            draft=self.draft(data["ruleset"]),
        )

    def header(self, value: object) -> tuple[str, str, str]:
        anchors = ("[ruleset]",)
        table = self.table(value, "ruleset", anchors)
        self.keys(table, "ruleset", anchors, {"id", "version", "title"}, frozenset({"draft"}))
        ident = self.str_(table, "id", "ruleset", anchors, re.compile(r"^[a-z0-9][a-z0-9-]*$"))
        version = self.str_(table, "version", "ruleset", anchors, re.compile(r"^\d+(\.\d+)*$"))
        title = self.str_(table, "title", "ruleset", anchors)
        if self.path.name != f"{ident}-{version}.toml":
            raise self.fail(
                "ruleset.id",
                f"the file must be named {ident}-{version}.toml to match its id and version",
                *anchors,
                "id",
            )
        return ident, version, title

    def draft(self, table: dict[str, Any]) -> bool:
        return self.bool_(table, "draft", "ruleset", ("[ruleset]",)) if "draft" in table else False

    def levels(self, value: object) -> dict[int, Level]:
        if not isinstance(value, list) or not value:
            raise self.fail("levels", "must be a list of [[levels]] tables", "levels")
        levels: dict[int, Level] = {}
        for entry in value:
            table = self.table(entry, "levels", ("[[levels]]",))
            anchors = ("[[levels]]", f"level = {table.get('level')}")
            self.keys(table, "levels", anchors, {"level", "name", "default_outcome", "rag"})
            number = self.level(table, "level", "levels", anchors)
            key = f"levels[{number}]"
            if number in levels:
                raise self.fail(key, "defined twice", *anchors)
            rag = self.str_(table, "rag", key, anchors)
            if rag not in RAGS:
                raise self.fail(f"{key}.rag", f"must be one of {', '.join(RAGS)}", *anchors, "rag")
            levels[number] = Level(
                number,
                self.str_(table, "name", key, anchors),
                self.str_(table, "default_outcome", key, anchors, _NAME),
                rag,
            )
        for number in LEVELS:
            if number not in levels:
                raise self.fail("levels", f"level {number} is not defined", "[[levels]]")
        return dict(sorted(levels.items()))

    def outcomes(self, value: object, levels: Mapping[int, Level]) -> tuple[str, ...]:
        anchors = ("[outcomes]",)
        table = self.table(value, "outcomes", anchors)
        self.keys(table, "outcomes", anchors, {"other"})
        other = table["other"]
        if not isinstance(other, list) or not all(
            isinstance(item, str) and _NAME.match(item) for item in other
        ):
            raise self.fail("outcomes.other", "must be a list of outcome ids", *anchors, "other")
        defaults = list(dict.fromkeys(level.default_outcome for level in levels.values()))
        for item in other:
            if item in defaults or other.count(item) > 1:
                raise self.fail("outcomes.other", f"{item!r} is listed twice", *anchors, "other")
        return (*defaults, *other)

    def indicators(
        self, value: object, domains: Mapping[str, str], flags: Mapping[str, str]
    ) -> dict[str, Indicator]:
        if not isinstance(value, list) or not value:
            raise self.fail("indicators", "must be a list of [[indicators]] tables", "[[indicators]]")
        indicators: dict[str, Indicator] = {}
        for position, entry in enumerate(value, start=1):
            table = self.table(entry, f"indicators[{position}]", ("[[indicators]]",))
            raw_id = table.get("id")
            key = f"indicator {raw_id}" if isinstance(raw_id, str) else f"indicators[{position}]"
            anchors = (f'"{raw_id}"',) if isinstance(raw_id, str) else ("[[indicators]]",)
            self.keys(
                table,
                key,
                anchors,
                {"id", "level", "description"},
                frozenset({"flags", "min_age", "max_age", "unborn"}),
            )
            ident = self.str_(table, "id", key, anchors, _INDICATOR_ID)
            if ident in indicators:
                repeats = [number for number, text in enumerate(self.lines, start=1) if anchors[0] in text]
                raise self.fail(key, "defined twice", line=repeats[1] if len(repeats) > 1 else None)
            domain = ident.split(".", 1)[0]
            if domain not in domains:
                raise self.fail(f"{key}.id", f"domain {domain!r} is not one of the [domains]", *anchors)
            level = self.level(table, "level", key, anchors)
            age = {
                name: self.int_(table, name, key, anchors) for name in ("min_age", "max_age") if name in table
            }
            if "min_age" in age and "max_age" in age and age["min_age"] > age["max_age"]:
                raise self.fail(f"{key}.min_age", "is above max_age", *anchors, "min_age")
            unborn = table.get("unborn", UNBORN_NO)
            if unborn not in (UNBORN_NO, UNBORN_ALLOWED, UNBORN_ONLY):
                raise self.fail(f"{key}.unborn", 'must be "no", "allowed" or "only"', *anchors, "unborn")
            if unborn == UNBORN_ONLY and age:
                raise self.fail(
                    f"{key}.unborn", "an unborn-only indicator cannot have an age range", *anchors
                )
            indicators[ident] = Indicator(
                id=ident,
                domain=domain,
                level=level,
                description=self.str_(table, "description", key, anchors),
                flags=self.names(table, "flags", key, anchors, flags, "flag")
                if "flags" in table
                else frozenset(),
                min_age=age.get("min_age"),
                max_age=age.get("max_age"),
                unborn=unborn,
            )
        return indicators

    def household(
        self, value: object, domains: Mapping[str, str], indicators: Mapping[str, Indicator]
    ) -> frozenset[str]:
        anchors = ("[household]",)
        table = self.table(value, "household", anchors)
        self.keys(table, "household", anchors, {"domains", "indicators"})
        allowed_domains = self.names(table, "domains", "household", anchors, domains, "domain")
        extra = self.names(table, "indicators", "household", anchors, indicators, "indicator")
        return frozenset(i.id for i in indicators.values() if i.domain in allowed_domains) | extra

    def max_level(self, table: dict[str, Any]) -> int:
        anchors = ("[rules.max_level]",)
        self.keys(table, "rules.max_level", anchors, {"no_indicators_level"})
        return self.level(table, "no_indicators_level", "rules.max_level", anchors)

    def cumulative_needs(self, table: dict[str, Any]) -> CumulativeNeedsRule:
        key, anchors = "rules.cumulative_needs", ("[rules.cumulative_needs]",)
        self.keys(table, key, anchors, {"indicator_level", "min_indicators", "min_domains", "raise_to"})
        return CumulativeNeedsRule(
            indicator_level=self.level(table, "indicator_level", key, anchors),
            min_indicators=self.int_(table, "min_indicators", key, anchors, low=1),
            min_domains=self.int_(table, "min_domains", key, anchors, low=1),
            raise_to=self.level(table, "raise_to", key, anchors),
        )

    def toxic_trio(self, table: dict[str, Any], indicators: Mapping[str, Indicator]) -> ToxicTrioRule:
        key, anchors = "rules.toxic_trio", ("[rules.toxic_trio]",)
        self.keys(table, key, anchors, {"groups", "raise_to", "infant_under_age", "infant_raise_to"})
        group_anchors = ("[rules.toxic_trio.groups]",)
        groups = self.table(table["groups"], f"{key}.groups", group_anchors)
        if not groups:
            raise self.fail(f"{key}.groups", "must name at least one group", *group_anchors)
        return ToxicTrioRule(
            groups=tuple(
                (name, self.names(groups, name, f"{key}.groups", group_anchors, indicators, "indicator"))
                for name in groups
            ),
            raise_to=self.level(table, "raise_to", key, anchors),
            infant_under_age=self.int_(table, "infant_under_age", key, anchors, low=1),
            infant_raise_to=self.level(table, "infant_raise_to", key, anchors),
        )

    def pre_birth(self, table: dict[str, Any], domains: Mapping[str, str]) -> PreBirthRule:
        key, anchors = "rules.pre_birth", ("[rules.pre_birth]",)
        self.keys(table, key, anchors, {"domains", "min_indicator_level", "raise_to", "flag"})
        return PreBirthRule(
            domains=self.names(table, "domains", key, anchors, domains, "domain"),
            min_indicator_level=self.level(table, "min_indicator_level", key, anchors),
            raise_to=self.level(table, "raise_to", key, anchors),
            flag=self.str_(table, "flag", key, anchors, _NAME),
        )

    def repeat_contacts(self, table: dict[str, Any]) -> RepeatContactsRule:
        key, anchors = "rules.repeat_contacts", ("[rules.repeat_contacts]",)
        self.keys(table, key, anchors, {"min_previous_contacts", "when_level", "raise_to"})
        return RepeatContactsRule(
            min_previous_contacts=self.int_(table, "min_previous_contacts", key, anchors, low=1),
            when_level=self.level(table, "when_level", key, anchors),
            raise_to=self.level(table, "raise_to", key, anchors),
        )

    def vulnerability_escalation(self, table: dict[str, Any]) -> VulnerabilityEscalationRule:
        key, anchors = "rules.vulnerability_escalation", ("[rules.vulnerability_escalation]",)
        self.keys(table, key, anchors, {"when_level", "indicator_level", "min_indicators", "raise_to"})
        return VulnerabilityEscalationRule(
            when_level=self.level(table, "when_level", key, anchors),
            indicator_level=self.level(table, "indicator_level", key, anchors),
            min_indicators=self.int_(table, "min_indicators", key, anchors, low=1),
            raise_to=self.level(table, "raise_to", key, anchors),
        )

    def strategy_required(
        self, table: dict[str, Any], flags: Mapping[str, str], outcomes: tuple[str, ...]
    ) -> StrategyRequiredRule:
        key, anchors = "rules.strategy_required", ("[rules.strategy_required]",)
        self.keys(table, key, anchors, {"indicator_flag", "raise_to", "outcome"})
        flag = self.str_(table, "indicator_flag", key, anchors)
        if flag not in flags:
            raise self.fail(
                f"{key}.indicator_flag", f"{flag!r} is not one of the [flags]", *anchors, "indicator_flag"
            )
        outcome = self.str_(table, "outcome", key, anchors)
        if outcome not in outcomes:
            raise self.fail(f"{key}.outcome", f"{outcome!r} is not a known outcome", *anchors, "outcome")
        return StrategyRequiredRule(flag, self.level(table, "raise_to", key, anchors), outcome)

    def vulnerability(self, value: object) -> Vulnerability:
        key, anchors = "vulnerability", ("[vulnerability]",)
        table = self.table(value, key, anchors)
        self.keys(table, key, anchors, {"under_age", "disabled", "previous_cp_plan", "min_previous_contacts"})
        return Vulnerability(
            under_age=self.int_(table, "under_age", key, anchors),
            disabled=self.bool_(table, "disabled", key, anchors),
            previous_cp_plan=self.bool_(table, "previous_cp_plan", key, anchors),
            min_previous_contacts=self.int_(table, "min_previous_contacts", key, anchors, low=1),
        )

    def re_referral(self, value: object) -> ReReferral:
        key, anchors = "re_referral", ("[re_referral]",)
        table = self.table(value, key, anchors)
        self.keys(table, key, anchors, {"min_previous_referrals", "flag"})
        return ReReferral(
            self.int_(table, "min_previous_referrals", key, anchors, low=1),
            self.str_(table, "flag", key, anchors, _NAME),
        )

    def rag(self, value: object, flags: Mapping[str, str]) -> frozenset[str]:
        anchors = ("[rag]",)
        table = self.table(value, "rag", anchors)
        self.keys(table, "rag", anchors, {"red_flags"})
        return self.names(table, "red_flags", "rag", anchors, flags, "flag")
