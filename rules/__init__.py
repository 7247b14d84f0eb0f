"""The Threshold of Need: versioned ruleset files and the engine that applies them (no Qt, no database)."""

from __future__ import annotations

from rules.engine import ChildInput, ChildResult, ThresholdEngine, TriageResult, age_on
from rules.errors import RuleInputError, RulesetError
from rules.model import RAGS, RULE_IDS, Indicator, Level, Ruleset
from rules.ruleset import (
    DATA_DIR,
    available_rulesets,
    load_ruleset,
    load_ruleset_file,
    parse_ruleset,
    read_ruleset_text,
    text_sha256,
    version_key,
)

__all__ = [
    "DATA_DIR",
    "RAGS",
    "RULE_IDS",
    "ChildInput",
    "ChildResult",
    "Indicator",
    "Level",
    "RuleInputError",
    "Ruleset",
    "RulesetError",
    "ThresholdEngine",
    "TriageResult",
    "age_on",
    "available_rulesets",
    "load_ruleset",
    "load_ruleset_file",
    "parse_ruleset",
    "read_ruleset_text",
    "text_sha256",
    "version_key",
]
