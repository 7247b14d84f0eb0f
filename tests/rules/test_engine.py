from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rules import (
    ChildInput,
    ChildResult,
    RuleInputError,
    ThresholdEngine,
    TriageResult,
    age_on,
    load_ruleset_file,
)
from tests.rules.conftest import VariantWriter

RECEIVED = date(2026, 12, 24)
SCHOOL_AGE = date(2016, 5, 1)  # 10 on RECEIVED
BABY = date(2026, 9, 1)  # 0 on RECEIVED
UNBORN = date(2027, 4, 1)

TRIO = ("parenting.substance_misuse", "parenting.mental_health_impact", "family.domestic_abuse_current")


def run(
    engine: ThresholdEngine, *children: ChildInput, household: tuple[str, ...] = (), on: date = RECEIVED
) -> TriageResult:
    return engine.triage(on, list(children), household)


def one(
    engine: ThresholdEngine, *indicators: str, born: date | None = SCHOOL_AGE, **fields: Any
) -> ChildResult:
    """Triage a single child (unborn when ``born`` is None) and return its result."""
    child = ChildInput(
        "A",
        date_of_birth=born,
        expected_date_of_birth=None if born else UNBORN,
        indicators=indicators,
        **fields,
    )
    return run(engine, child).children[0]


def test_interfaces_example_gives_the_documented_output(engine: ThresholdEngine) -> None:
    result = run(
        engine,
        ChildInput("A", date_of_birth=BABY, indicators=("harm.injury_non_mobile_infant",)),
        ChildInput("B", expected_date_of_birth=UNBORN),
        household=("family.domestic_abuse_current",),
    )
    a, b = result.children
    assert (result.ruleset_id, result.ruleset_version, result.rag) == ("bromley-ton", "2026.1", "red")
    assert (a.ref, a.level, a.outcome, a.rag) == ("A", 4, "strategy_discussion", "red")
    assert a.rules == ("max_level", "strategy_required")
    assert a.flags == ("immediate", "strategy")
    assert len(a.reasons) == 2
    assert all("harm.injury_non_mobile_infant" in reason for reason in a.reasons)
    assert a.indicators == ("family.domestic_abuse_current", "harm.injury_non_mobile_infant")
    assert (b.level, b.outcome, b.rag, b.rules, b.flags) == (
        3,
        "assessment",
        "amber",
        ("max_level", "pre_birth"),
        ("pre_birth_assessment",),
    )


def test_no_indicators_is_level_1(engine: ThresholdEngine) -> None:
    result = one(engine)
    assert (result.level, result.outcome, result.rag, result.rules, result.flags) == (
        1,
        "nfa_advice",
        "green",
        ("max_level",),
        (),
    )
    assert result.reasons == ("No indicators recorded: level 1 (Universal).",)


@pytest.mark.parametrize(
    ("indicators", "level", "outcome", "rag"),
    [
        (("child.attendance_concern",), 2, "early_help", "green"),
        (("child.attendance_concern", "child.offending"), 3, "assessment", "amber"),
        (("harm.severe_neglect",), 4, "strategy_discussion", "red"),
    ],
)
def test_max_level(
    engine: ThresholdEngine, indicators: tuple[str, ...], level: int, outcome: str, rag: str
) -> None:
    result = one(engine, *indicators)
    assert (result.level, result.outcome, result.rag, result.rules) == (level, outcome, rag, ("max_level",))


def test_max_level_reason_names_every_top_indicator(engine: ThresholdEngine) -> None:
    result = one(engine, "child.offending", "child.missing_episodes", "child.attendance_concern")
    assert result.reasons[0] == (
        "The highest indicator gives level 3 (Complex): has gone missing from home or school "
        "(child.missing_episodes); offending, risk of entering the youth justice system (child.offending)."
    )


def test_level_4_without_a_strategy_indicator_still_gives_strategy_discussion(
    engine: ThresholdEngine,
) -> None:
    result = one(engine, "harm.emotional_abuse")
    assert (result.outcome, result.rules, result.flags) == ("strategy_discussion", ("max_level",), ())


def test_cumulative_needs_three_level_2_across_two_domains(engine: ThresholdEngine) -> None:
    result = one(engine, "child.attendance_concern", "child.young_carer", "family.poor_housing")
    assert (result.level, result.outcome, result.rag) == (3, "assessment", "amber")
    assert result.rules == ("max_level", "cumulative_needs")
    assert result.reasons[1].startswith("3 level-2 indicators across 2 domains (child, family)")
    assert "overcrowded or poor housing (family.poor_housing)" in result.reasons[1]


@pytest.mark.parametrize(
    "indicators",
    [
        ("child.attendance_concern", "child.young_carer", "child.emotional_wellbeing"),  # one domain
        ("child.attendance_concern", "family.poor_housing"),  # only two
    ],
)
def test_cumulative_needs_not_met(engine: ThresholdEngine, indicators: tuple[str, ...]) -> None:
    result = one(engine, *indicators)
    assert (result.level, result.rules) == (2, ("max_level",))


def test_cumulative_needs_is_named_even_when_the_level_is_already_higher(engine: ThresholdEngine) -> None:
    result = one(
        engine, "child.attendance_concern", "child.young_carer", "family.poor_housing", "child.offending"
    )
    assert (result.level, result.rules) == (3, ("max_level", "cumulative_needs"))


@pytest.mark.parametrize("domestic_abuse", ["family.domestic_abuse_history", "family.domestic_abuse_current"])
def test_toxic_trio_for_an_older_child_is_level_3(engine: ThresholdEngine, domestic_abuse: str) -> None:
    result = one(engine, "parenting.substance_misuse", "parenting.mental_health_impact", domestic_abuse)
    assert (result.level, result.outcome, result.rules) == (3, "assessment", ("max_level", "toxic_trio"))
    assert "parental substance misuse: parental drug or alcohol misuse" in result.reasons[1]
    assert domestic_abuse in result.reasons[1]


def test_toxic_trio_with_high_risk_domestic_abuse(engine: ThresholdEngine) -> None:
    result = one(
        engine,
        "parenting.substance_misuse",
        "parenting.mental_health_impact",
        "harm.domestic_abuse_high_risk",
    )
    assert (result.level, result.rules) == (4, ("max_level", "toxic_trio", "strategy_required"))


def test_toxic_trio_for_a_baby_is_level_4(engine: ThresholdEngine) -> None:
    result = one(engine, *TRIO, born=BABY)
    assert (result.level, result.outcome, result.rag) == (4, "strategy_discussion", "red")
    assert result.rules == ("max_level", "toxic_trio")
    assert "unborn or under 1 year old" in result.reasons[1]


def test_toxic_trio_for_an_unborn_child_is_level_4_with_pre_birth(engine: ThresholdEngine) -> None:
    result = one(engine, *TRIO, born=None)
    assert (result.level, result.rules) == (4, ("max_level", "toxic_trio", "pre_birth"))
    assert result.flags == ("pre_birth_assessment",)


@pytest.mark.parametrize(("born", "level"), [(date(2025, 12, 24), 3), (date(2025, 12, 25), 4)])
def test_toxic_trio_first_birthday_on_the_contact_date_is_no_longer_an_infant(
    engine: ThresholdEngine, born: date, level: int
) -> None:
    assert one(engine, *TRIO, born=born).level == level


@pytest.mark.parametrize("missing", TRIO)
def test_toxic_trio_needs_all_three(engine: ThresholdEngine, missing: str) -> None:
    result = one(engine, *(i for i in TRIO if i != missing))
    assert (result.level, result.rules) == (3, ("max_level",))


def test_pre_birth_for_a_level_3_parenting_or_family_indicator(engine: ThresholdEngine) -> None:
    result = one(engine, "family.homelessness_risk", born=None)
    assert (result.level, result.outcome, result.rules, result.flags) == (
        3,
        "assessment",
        ("max_level", "pre_birth"),
        ("pre_birth_assessment",),
    )
    assert "pre-birth assessment" in result.reasons[1]
    assert "family.homelessness_risk" in result.reasons[1]


def test_pre_birth_does_not_hold_for_level_2_or_a_born_child(engine: ThresholdEngine) -> None:
    assert one(engine, "parenting.missed_antenatal", "family.poor_housing", born=None).rules == ("max_level",)
    assert one(engine, "family.homelessness_risk", born=BABY).rules == ("max_level",)


def test_pre_birth_with_high_risk_domestic_abuse_only_is_not_pre_birth(engine: ThresholdEngine) -> None:
    result = one(engine, "harm.domestic_abuse_high_risk", born=None)
    assert result.rules == ("max_level", "strategy_required")


@pytest.mark.parametrize(
    ("contacts", "level", "rules"),
    [
        (2, 3, ("max_level", "repeat_contacts")),
        (5, 3, ("max_level", "repeat_contacts")),
        (1, 2, ("max_level",)),
    ],
)
def test_repeat_contacts_raises_level_2(
    engine: ThresholdEngine, contacts: int, level: int, rules: tuple[str, ...]
) -> None:
    result = one(engine, "child.attendance_concern", previous_contacts_12m=contacts)
    assert (result.level, result.rules) == (level, rules)
    if "repeat_contacts" in rules:
        assert result.reasons[1] == (
            f"{contacts} previous contacts in the 12 months before this one raise "
            "level 2 (Early Help) to level 3 (Complex)."
        )


@pytest.mark.parametrize("indicators", [(), ("child.offending",)])
def test_repeat_contacts_only_applies_at_level_2(
    engine: ThresholdEngine, indicators: tuple[str, ...]
) -> None:
    result = one(engine, *indicators, previous_contacts_12m=3)
    assert "repeat_contacts" not in result.rules


@pytest.mark.parametrize(
    ("fields", "born", "why"),
    [
        ({"disabled": True}, SCHOOL_AGE, "disabled"),
        ({"previous_cp_plan": True}, SCHOOL_AGE, "previously subject of a child protection plan"),
        ({"previous_contacts_12m": 2}, SCHOOL_AGE, "2 previous contacts in the last 12 months"),
        ({}, BABY, "under 1 year old"),
        ({}, None, "unborn"),
    ],
)
def test_vulnerability_escalation(
    engine: ThresholdEngine, fields: dict[str, Any], born: date | None, why: str
) -> None:
    indicators = ("parenting.substance_misuse", "family.risky_adult_in_household")
    result = one(engine, *indicators, born=born, **fields)
    assert (result.level, result.outcome, result.rag) == (4, "strategy_discussion", "red")
    assert result.rules[0] == "max_level" and result.rules[-1] == "vulnerability_escalation"
    assert f"vulnerable child ({why})" in result.reasons[-1]


@pytest.mark.parametrize(
    ("indicators", "fields"),
    [
        (("parenting.substance_misuse", "family.risky_adult_in_household"), {"previous_contacts_12m": 1}),
        (("parenting.substance_misuse",), {"disabled": True}),
    ],
)
def test_vulnerability_escalation_not_met(
    engine: ThresholdEngine, indicators: tuple[str, ...], fields: dict[str, Any]
) -> None:
    result = one(engine, *indicators, **fields)
    assert (result.level, result.rules) == (3, ("max_level",))


def test_vulnerability_escalation_needs_level_3_so_far(engine: ThresholdEngine) -> None:
    result = one(engine, *TRIO, born=BABY, disabled=True)
    assert (result.level, result.rules) == (4, ("max_level", "toxic_trio"))


def test_strategy_required_with_police_flag(engine: ThresholdEngine) -> None:
    result = one(engine, "harm.fgm", "child.attendance_concern")
    assert (result.level, result.outcome, result.rag) == (4, "strategy_discussion", "red")
    assert result.rules == ("max_level", "strategy_required")
    assert result.flags == ("police", "strategy")
    assert result.reasons[1] == (
        "A strategy discussion is required for FGM known, suspected, or a girl at risk "
        "(harm.fgm): level 4 (Acute), outcome strategy_discussion."
    )


def test_immediate_flag_without_strategy(engine: ThresholdEngine) -> None:
    result = one(engine, "harm.no_carer")
    assert (result.level, result.rag, result.rules, result.flags) == (
        4,
        "red",
        ("max_level",),
        ("accommodation", "immediate"),
    )


def test_immediate_flag_makes_a_lower_level_red(ruleset_variant: VariantWriter) -> None:
    path = ruleset_variant(('id = "harm.no_carer"\nlevel = 4', 'id = "harm.no_carer"\nlevel = 3'))
    result = ThresholdEngine(load_ruleset_file(path)).triage(
        RECEIVED, [ChildInput("A", SCHOOL_AGE, indicators=("harm.no_carer",))]
    )
    assert (result.children[0].level, result.children[0].rag) == (3, "red")


def test_every_rule_in_order(engine: ThresholdEngine) -> None:
    result = one(
        engine,
        "parenting.missed_antenatal",
        "parenting.poor_routines",
        "family.poor_housing",
        "parenting.substance_misuse",
        "parenting.mental_health_impact",
        "harm.domestic_abuse_high_risk",
        born=None,
    )
    assert result.rules == ("max_level", "cumulative_needs", "toxic_trio", "pre_birth", "strategy_required")
    assert len(result.reasons) == len(result.rules)


def test_re_referral_flag(engine: ThresholdEngine) -> None:
    assert one(engine, previous_referrals_12m=1).flags == ("re_referral",)
    assert one(engine, previous_referrals_12m=0).flags == ()


def test_contact_rag_is_the_most_urgent_child(engine: ThresholdEngine) -> None:
    green = ChildInput("G", SCHOOL_AGE)
    amber = ChildInput("M", SCHOOL_AGE, indicators=("child.offending",))
    assert run(engine, green).rag == "green"
    assert run(engine, green, amber).rag == "amber"
    assert (
        run(engine, green, amber, ChildInput("R", SCHOOL_AGE, indicators=("harm.trafficking",))).rag == "red"
    )


# -- household indicators --------------------------------------------------------------------------


def test_household_indicator_applies_only_to_the_children_it_fits(engine: ThresholdEngine) -> None:
    result = run(
        engine,
        ChildInput("born", SCHOOL_AGE),
        ChildInput("unborn", expected_date_of_birth=UNBORN),
        household=("parenting.missed_antenatal", "family.poor_housing"),
    )
    born, unborn = result.children
    assert born.indicators == ("family.poor_housing",)
    assert unborn.indicators == ("family.poor_housing", "parenting.missed_antenatal")


def test_household_indicator_also_recorded_for_the_child_counts_once(engine: ThresholdEngine) -> None:
    result = run(
        engine,
        ChildInput("A", SCHOOL_AGE, indicators=("family.poor_housing",)),
        household=("family.poor_housing",),
    )
    assert result.children[0].indicators == ("family.poor_housing",)


def test_household_high_risk_domestic_abuse_reaches_every_child(engine: ThresholdEngine) -> None:
    result = run(
        engine,
        ChildInput("A", SCHOOL_AGE),
        ChildInput("B", expected_date_of_birth=UNBORN),
        household=("harm.domestic_abuse_high_risk",),
    )
    assert [child.level for child in result.children] == [4, 4]


@pytest.mark.parametrize(
    ("household", "message"),
    [
        (("parenting.missed_antenatal",), "parenting.missed_antenatal does not fit any child of the contact"),
        (("child.attendance_concern",), "child.attendance_concern cannot be recorded for the household"),
        (("harm.fgm",), "harm.fgm cannot be recorded for the household"),
        (("family.dragons",), "unknown indicator 'family.dragons'"),
    ],
)
def test_bad_household_indicator(engine: ThresholdEngine, household: tuple[str, ...], message: str) -> None:
    with pytest.raises(RuleInputError, match=message) as caught:
        run(engine, ChildInput("A", SCHOOL_AGE), ChildInput("B", BABY), household=household)
    assert (caught.value.child_ref, caught.value.field) == (None, "household_indicators")


# -- ages and unborn children ----------------------------------------------------------------------


def years_before(day: date, years: int, days: int = 0) -> date:
    """The date of birth of a child who turns ``years`` on ``day`` plus ``days``."""
    return date.fromordinal(day.replace(year=day.year - years).toordinal() + days)


@pytest.mark.parametrize(
    ("indicator", "years", "days", "fits"),
    [
        ("harm.injury_non_mobile_infant", 0, 0, True),  # born on the contact date
        ("harm.injury_non_mobile_infant", 2, 1, True),  # second birthday tomorrow
        ("harm.injury_non_mobile_infant", 2, 0, False),  # second birthday today
        ("child.speech_language_delay", 6, 1, True),
        ("child.speech_language_delay", 6, 0, False),
        ("child.persistent_absence", 5, 1, False),
        ("child.persistent_absence", 5, 0, True),
        ("child.persistent_absence", 18, 1, True),
        ("child.persistent_absence", 18, 0, False),
        ("child.offending", 10, 1, False),
        ("child.offending", 10, 0, True),
        ("child.pregnant_under_18", 13, 0, True),
        ("child.pregnant_under_18", 13, 1, False),
        ("child.risky_sexual_behaviour", 13, 1, False),
        ("harm.sexual_activity_under_13", 13, 1, True),
        ("harm.sexual_activity_under_13", 13, 0, False),
        ("child.homeless_16_17", 16, 0, True),
        ("child.homeless_16_17", 16, 1, False),
        ("child.homeless_16_17", 18, 0, False),
    ],
)
def test_age_boundaries_with_the_birthday_on_the_contact_date(
    engine: ThresholdEngine, indicator: str, years: int, days: int, fits: bool
) -> None:
    child = ChildInput("K", years_before(RECEIVED, years, days), indicators=(indicator,))
    if fits:
        assert run(engine, child).children[0].indicators == (indicator,)
    else:
        with pytest.raises(
            RuleInputError, match=f"child K: indicators: {indicator} does not apply to a child aged"
        ):
            run(engine, child)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2020, 2, 29), date(2026, 2, 28), 5),
        (date(2020, 2, 29), date(2026, 3, 1), 6),
        (date(2020, 2, 29), date(2028, 2, 29), 8),
        (date(2026, 12, 24), date(2026, 12, 24), 0),
        (date(2016, 12, 24), date(2026, 12, 24), 10),
        (date(2016, 12, 25), date(2026, 12, 24), 9),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


@pytest.mark.parametrize(
    "indicator",
    ["child.attendance_concern", "harm.fgm", "harm.injury_non_mobile_infant", "child.speech_language_delay"],
)
def test_unborn_child_cannot_carry_child_or_harm_indicators(engine: ThresholdEngine, indicator: str) -> None:
    with pytest.raises(
        RuleInputError, match=f"child U: indicators: {indicator} does not apply to an unborn child"
    ):
        run(engine, ChildInput("U", expected_date_of_birth=UNBORN, indicators=(indicator,)))


def test_missed_antenatal_is_only_for_an_unborn_child(engine: ThresholdEngine) -> None:
    with pytest.raises(RuleInputError, match="parenting.missed_antenatal does not apply to a child aged 0"):
        run(engine, ChildInput("N", BABY, indicators=("parenting.missed_antenatal",)))
    assert one(engine, "parenting.missed_antenatal", born=None).level == 2


# -- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "field", "message"),
    [
        (
            ChildInput("X", SCHOOL_AGE, indicators=("child.unicorns",)),
            "indicators",
            "child X: indicators: unknown indicator 'child.unicorns'",
        ),
        (
            ChildInput("X", SCHOOL_AGE, indicators=("child.pregnant_under_18",)),
            "indicators",
            "child X: indicators: child.pregnant_under_18 does not apply to a child aged 10",
        ),
        (ChildInput("X", SCHOOL_AGE, UNBORN), "date_of_birth", "child X: date_of_birth: .*both given"),
        (ChildInput("X"), "date_of_birth", "child X: date_of_birth: .*neither given"),
        (
            ChildInput("X", date(2026, 12, 25)),
            "date_of_birth",
            r"child X: date_of_birth: 2026-12-25 is after the contact was received \(2026-12-24\)",
        ),
        (
            ChildInput("X", SCHOOL_AGE, previous_contacts_12m=-1),
            "previous_contacts_12m",
            "child X: previous_contacts_12m: must not be negative",
        ),
        (
            ChildInput("X", SCHOOL_AGE, previous_referrals_12m=-2),
            "previous_referrals_12m",
            "child X: previous_referrals_12m: must not be negative",
        ),
    ],
)
def test_bad_child_input(engine: ThresholdEngine, child: ChildInput, field: str, message: str) -> None:
    with pytest.raises(RuleInputError, match=message) as caught:
        run(engine, ChildInput("ok", SCHOOL_AGE), child)
    assert (caught.value.child_ref, caught.value.field) == ("X", field)
    assert isinstance(caught.value, ValueError)


def test_two_children_with_one_ref(engine: ThresholdEngine) -> None:
    with pytest.raises(RuleInputError, match="child A: ref is used by two children") as caught:
        run(engine, ChildInput("A", SCHOOL_AGE), ChildInput("A", BABY))
    assert caught.value.field == "ref"


def test_a_contact_without_children(engine: ThresholdEngine) -> None:
    with pytest.raises(RuleInputError, match="at least one child") as caught:
        run(engine)
    assert (caught.value.child_ref, caught.value.field) == (None, "children")
