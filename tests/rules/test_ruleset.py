from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import rules.engine
from rules import (
    ChildInput,
    RulesetError,
    ThresholdEngine,
    available_rulesets,
    load_ruleset,
    load_ruleset_file,
)
from tests.rules.conftest import SHIPPED, VariantWriter


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    numbers = [n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line]
    return numbers[occurrence - 1]


def test_shipped_ruleset_is_the_default_and_complete() -> None:
    ruleset = load_ruleset()
    assert (ruleset.id, ruleset.version, ruleset.path) == ("bromley-ton", "2026.1", SHIPPED)
    assert [(lv.level, lv.name, lv.default_outcome, lv.rag) for lv in ruleset.levels.values()] == [
        (1, "Universal", "nfa_advice", "green"),
        (2, "Early Help", "early_help", "green"),
        (3, "Complex", "assessment", "amber"),
        (4, "Acute", "strategy_discussion", "red"),
    ]
    assert ruleset.outcomes[-2:] == ("pass_to_allocated_worker", "transfer_other_la")
    assert len(ruleset.indicators) == 53
    by_level = [sum(1 for i in ruleset.indicators.values() if i.level == n) for n in (1, 2, 3, 4)]
    assert by_level == [0, 15, 21, 17]
    infant = ruleset.indicators["harm.injury_non_mobile_infant"]
    assert (infant.domain, infant.flags, infant.min_age, infant.max_age) == (
        "harm",
        frozenset({"strategy", "immediate"}),
        0,
        1,
    )
    assert ruleset.indicators["harm.fgm"].flags == {"strategy", "police"}
    assert ruleset.indicators["child.homeless_16_17"].flags == {"accommodation"}
    assert ruleset.indicators["parenting.missed_antenatal"].unborn == "only"


def test_household_indicators_are_parenting_family_and_high_risk_domestic_abuse() -> None:
    ruleset = load_ruleset()
    expected = {i for i in ruleset.indicators if i.split(".")[0] in ("parenting", "family")}
    assert ruleset.household_indicators == expected | {"harm.domestic_abuse_high_risk"}


@pytest.mark.parametrize(
    ("indicator", "age", "fits"),
    [
        ("parenting.missed_antenatal", None, True),
        ("parenting.missed_antenatal", 0, False),
        ("family.poor_housing", None, True),
        ("harm.domestic_abuse_high_risk", None, True),
        ("harm.fgm", None, False),
        ("child.attendance_concern", None, False),
        ("harm.injury_non_mobile_infant", None, False),
        ("harm.injury_non_mobile_infant", 1, True),
        ("harm.injury_non_mobile_infant", 2, False),
        ("child.persistent_absence", 4, False),
        ("child.persistent_absence", 5, True),
        ("child.persistent_absence", 17, True),
        ("child.persistent_absence", 18, False),
    ],
)
def test_indicator_fits(indicator: str, age: int | None, fits: bool) -> None:
    assert load_ruleset().indicators[indicator].fits(age) is fits


def test_engine_source_names_no_indicator_or_level_name() -> None:
    """The ruleset file is the only place indicators and levels are defined."""
    source = Path(rules.engine.__file__).read_text()
    ruleset = load_ruleset()
    for ident in ruleset.indicators:
        assert ident not in source
    for name in [*(lv.name for lv in ruleset.levels.values()), *ruleset.outcomes]:
        assert f'"{name}"' not in source and f"'{name}'" not in source


def test_highest_version_is_loaded_by_default_and_a_named_file_on_request(
    ruleset_variant: VariantWriter,
) -> None:
    folder = ruleset_variant().parent
    ruleset_variant(('version = "2026.1"', 'version = "2026.10"'), name="bromley-ton-2026.10.toml")
    ruleset_variant(('version = "2026.1"', 'version = "2026.9"'), name="bromley-ton-2026.9.toml")
    assert [p.name for p in available_rulesets(folder)] == [
        "bromley-ton-2026.1.toml",
        "bromley-ton-2026.9.toml",
        "bromley-ton-2026.10.toml",
    ]
    assert load_ruleset(directory=folder).version == "2026.10"
    assert load_ruleset("bromley-ton-2026.9", directory=folder).version == "2026.9"
    assert load_ruleset("bromley-ton-2026.1.toml", directory=folder).version == "2026.1"


def test_a_new_version_with_a_new_indicator_needs_no_code_change(ruleset_variant: VariantWriter) -> None:
    path = ruleset_variant(
        ('version = "2026.1"', 'version = "2027.1"'),
        (
            '[[indicators]]\nid = "child.attendance_concern"',
            '[[indicators]]\nid = "child.online_harm"\nlevel = 3\ndescription = "harmful online contact"\n\n'
            '[[indicators]]\nid = "child.attendance_concern"',
        ),
        name="bromley-ton-2027.1.toml",
    )
    ruleset = load_ruleset(directory=path.parent)
    assert ruleset.version == "2027.1"
    result = ThresholdEngine(ruleset).triage(
        date(2027, 2, 1), [ChildInput("A", date(2015, 1, 1), indicators=("child.online_harm",))]
    )
    assert (result.children[0].level, result.children[0].outcome) == (3, "assessment")
    assert "harmful online contact (child.online_harm)" in result.children[0].reasons[0]


def test_a_badly_named_file_in_the_folder_is_an_error(ruleset_variant: VariantWriter) -> None:
    folder = ruleset_variant().parent
    (folder / "latest.toml").write_text("")
    with pytest.raises(RulesetError, match=r"latest\.toml: a ruleset file must be named"):
        load_ruleset(directory=folder)


def test_two_files_with_the_same_version_are_an_error(ruleset_variant: VariantWriter) -> None:
    folder = ruleset_variant().parent
    (folder / "other-2026.1.toml").write_text("")
    with pytest.raises(RulesetError, match="same version as"):
        available_rulesets(folder)


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RulesetError, match="no ruleset file"):
        load_ruleset(directory=tmp_path)


def test_a_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RulesetError, match=r"ton-1\.0\.toml: cannot be read"):
        load_ruleset("ton-1.0", directory=tmp_path)


# (replacement made in the shipped file, key named in the error, problem, text on the line reported)
MALFORMED = [
    pytest.param(
        ("[ruleset]\n", "surprise = 1\n[ruleset]\n"),
        "(top level).surprise",
        "unknown key",
        "surprise = 1",
        id="unknown-top-level-key",
    ),
    pytest.param(
        ('description = "repeated self-harm"', 'description = "repeated self-harm"\ncolour = "red"'),
        "indicator child.repeated_self_harm.colour",
        "unknown key",
        'colour = "red"',
        id="unknown-indicator-key",
    ),
    pytest.param(
        ('id = "harm.trafficking"', 'id = "harm.fgm"'),
        "indicator harm.fgm",
        "defined twice",
        ('id = "harm.fgm"', 2),
        id="duplicate-indicator",
    ),
    pytest.param(
        ('id = "child.offending"\nlevel = 3', 'id = "child.offending"\nlevel = 5'),
        "indicator child.offending.level",
        "must be a level from 1 to 4, not 5",
        "level = 5",
        id="indicator-level-5",
    ),
    pytest.param(
        ('id = "child.offending"\nlevel = 3', 'id = "child.offending"\nlevel = "3"'),
        "indicator child.offending.level",
        "must be a level from 1 to 4",
        'level = "3"',
        id="indicator-level-string",
    ),
    pytest.param(
        ('level = 1\nname = "Universal"', 'level = 0\nname = "Universal"'),
        "levels.level",
        "must be a level from 1 to 4, not 0",
        "level = 0",
        id="levels-level-0",
    ),
    pytest.param(
        ('level = 4\nname = "Acute"', 'level = 3\nname = "Acute"'),
        "levels[3]",
        "defined twice",
        None,
        id="levels-duplicate",
    ),
    pytest.param(
        (
            'name = "Complex"\ndefault_outcome = "assessment"\nrag = "amber"',
            'name = "Complex"\ndefault_outcome = "assessment"\nrag = "orange"',
        ),
        "levels[3].rag",
        "must be one of red, amber, green",
        'rag = "orange"',
        id="levels-bad-rag",
    ),
    pytest.param(
        (
            '"parental mental health" = ["parenting.mental_health_impact"]',
            '"parental mental health" = ["parenting.mental_health"]',
        ),
        "rules.toxic_trio.groups.parental mental health",
        "'parenting.mental_health' is not a known indicator",
        '"parental mental health"',
        id="rule-names-missing-indicator",
    ),
    pytest.param(
        ('indicators = ["harm.domestic_abuse_high_risk"]', 'indicators = ["harm.domestic_abuse"]'),
        "household.indicators",
        "'harm.domestic_abuse' is not a known indicator",
        'indicators = ["harm.domestic_abuse"]',
        id="household-missing-indicator",
    ),
    pytest.param(
        ('domains = ["parenting", "family"]\nindicators', 'domains = ["parenting", "home"]\nindicators'),
        "household.domains",
        "'home' is not a known domain",
        'domains = ["parenting", "home"]',
        id="household-bad-domain",
    ),
    pytest.param(
        ('id = "child.young_carer"', 'id = "school.young_carer"'),
        "indicator school.young_carer.id",
        "domain 'school' is not one of the [domains]",
        'id = "school.young_carer"',
        id="bad-domain",
    ),
    pytest.param(
        ('id = "child.young_carer"', 'id = "child.Young Carer"'),
        "indicator child.Young Carer.id",
        "is not a valid name",
        'id = "child.Young Carer"',
        id="bad-id",
    ),
    pytest.param(
        ('flags = ["strategy", "police"]', 'flags = ["strategy", "polce"]'),
        "indicator harm.fgm.flags",
        "'polce' is not a known flag",
        'flags = ["strategy", "polce"]',
        id="unknown-flag",
    ),
    pytest.param(
        (
            'id = "family.poor_housing"\nlevel = 2\nunborn = "allowed"',
            'id = "family.poor_housing"\nlevel = 2\nunborn = "yes"',
        ),
        "indicator family.poor_housing.unborn",
        'must be "no", "allowed" or "only"',
        'unborn = "yes"',
        id="bad-unborn",
    ),
    pytest.param(
        ('unborn = "only"', 'unborn = "only"\nmax_age = 0'),
        "indicator parenting.missed_antenatal.unborn",
        "cannot have an age range",
        'id = "parenting.missed_antenatal"',
        id="unborn-only-with-age",
    ),
    pytest.param(
        (
            'min_age = 13\nmax_age = 17\ndescription = "young person pregnant"',
            'min_age = 17\nmax_age = 13\ndescription = "young person pregnant"',
        ),
        "indicator child.pregnant_under_18.min_age",
        "is above max_age",
        "min_age = 17",
        id="min-age-above-max-age",
    ),
    pytest.param(
        ("min_age = 16", "min_age = -1"),
        "indicator child.homeless_16_17.min_age",
        "must be a whole number of at least 0",
        "min_age = -1",
        id="negative-age",
    ),
    pytest.param(
        ('description = "young person pregnant"\n', ""),
        "indicator child.pregnant_under_18.description",
        "missing",
        'id = "child.pregnant_under_18"',
        id="missing-description",
    ),
    pytest.param(
        ("[rules.repeat_contacts]", "[rules.repeat_contact]"),
        "rules.repeat_contact",
        "unknown key",
        "[rules.repeat_contact]",
        id="misspelt-rule",
    ),
    pytest.param(
        ("min_indicators = 3", 'min_indicators = "three"'),
        "rules.cumulative_needs.min_indicators",
        "must be a whole number of at least 1",
        'min_indicators = "three"',
        id="wrong-type",
    ),
    pytest.param(
        ('indicator_flag = "strategy"', 'indicator_flag = "urgent"'),
        "rules.strategy_required.indicator_flag",
        "'urgent' is not one of the [flags]",
        'indicator_flag = "urgent"',
        id="strategy-flag-unknown",
    ),
    pytest.param(
        ('\noutcome = "strategy_discussion"', '\noutcome = "s47"'),
        "rules.strategy_required.outcome",
        "'s47' is not a known outcome",
        'outcome = "s47"',
        id="strategy-outcome-unknown",
    ),
    pytest.param(
        ('red_flags = ["immediate"]', 'red_flags = ["urgent"]'),
        "rag.red_flags",
        "'urgent' is not a known flag",
        'red_flags = ["urgent"]',
        id="rag-flag-unknown",
    ),
    pytest.param(
        (
            'other = ["pass_to_allocated_worker", "transfer_other_la"]',
            'other = ["early_help", "transfer_other_la"]',
        ),
        "outcomes.other",
        "'early_help' is listed twice",
        'other = ["early_help"',
        id="outcome-twice",
    ),
    pytest.param(
        ("min_previous_referrals = 1", "min_previous_referrals = 0"),
        "re_referral.min_previous_referrals",
        "must be a whole number of at least 1",
        "min_previous_referrals = 0",
        id="re-referral-zero",
    ),
    pytest.param(
        ("previous_cp_plan = true", "previous_cp_plan = 1"),
        "vulnerability.previous_cp_plan",
        "must be true or false",
        "previous_cp_plan = 1",
        id="vulnerability-not-bool",
    ),
    pytest.param(
        ('version = "2026.1"', 'version = "2026.2"'),
        "ruleset.id",
        "must be named bromley-ton-2026.2.toml",
        'id = "bromley-ton"',
        id="name-does-not-match",
    ),
]


@pytest.mark.parametrize(("replacement", "key", "problem", "line_text"), MALFORMED)
def test_malformed_ruleset_names_file_key_and_line(
    ruleset_variant: VariantWriter,
    replacement: tuple[str, str],
    key: str,
    problem: str,
    line_text: str | tuple[str, int] | None,
) -> None:
    path = ruleset_variant(replacement)
    with pytest.raises(RulesetError) as caught:
        load_ruleset_file(path)
    error = caught.value
    assert error.path == path
    assert error.key == key
    assert problem in error.problem
    assert str(error).startswith(path.name)
    assert key in str(error)
    if line_text is not None:
        text, occurrence = line_text if isinstance(line_text, tuple) else (line_text, 1)
        assert error.line == line_of(path, text, occurrence)
        assert f"line {error.line}" in str(error)


def test_invalid_toml_reports_its_line(ruleset_variant: VariantWriter) -> None:
    path = ruleset_variant(
        ('description = "risky sexual behaviour"', 'description = "risky sexual behaviour')
    )
    with pytest.raises(RulesetError, match="not valid TOML") as caught:
        load_ruleset_file(path)
    assert caught.value.line == line_of(path, 'description = "risky sexual behaviour')


def test_a_missing_level_is_an_error(ruleset_variant: VariantWriter) -> None:
    path = ruleset_variant(
        ('[[levels]]\nlevel = 4\nname = "Acute"\ndefault_outcome = "strategy_discussion"\nrag = "red"\n', "")
    )
    with pytest.raises(RulesetError, match=re.escape("levels: level 4 is not defined")):
        load_ruleset_file(path)
