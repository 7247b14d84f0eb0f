from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rules import RAGS, RULE_IDS, ChildInput, ThresholdEngine, age_on, load_ruleset

ENGINE = ThresholdEngine(load_ruleset())
INDICATORS = list(ENGINE.ruleset.indicators.values())
RECEIVED = date(2027, 3, 26)

PROPERTIES = settings(max_examples=200, deadline=None)


@st.composite
def children(draw: st.DrawFn) -> tuple[ChildInput, list[str]]:
    """A child and the indicators it has not got that would fit it."""
    unborn = draw(st.booleans())
    born = None if unborn else RECEIVED - timedelta(days=draw(st.integers(0, 18 * 366)))
    age = None if born is None else age_on(born, RECEIVED)
    fitting = [i.id for i in INDICATORS if i.fits(age)]
    chosen = draw(st.lists(st.sampled_from(fitting), unique=True, max_size=7))
    child = ChildInput(
        ref="A",
        date_of_birth=born,
        expected_date_of_birth=RECEIVED + timedelta(days=90) if unborn else None,
        disabled=draw(st.booleans()),
        previous_cp_plan=draw(st.booleans()),
        previous_contacts_12m=draw(st.integers(0, 4)),
        previous_referrals_12m=draw(st.integers(0, 2)),
        indicators=tuple(chosen),
    )
    return child, [i for i in fitting if i not in chosen]


@PROPERTIES
@given(children(), st.data())
def test_adding_an_indicator_never_lowers_the_level(
    drawn: tuple[ChildInput, list[str]], data: st.DataObject
) -> None:
    child, others = drawn
    before = ENGINE.triage(RECEIVED, [child]).children[0]
    if not others:
        return
    extra = data.draw(st.sampled_from(others))
    after = ENGINE.triage(RECEIVED, [replace(child, indicators=(*child.indicators, extra))]).children[0]
    assert after.level >= before.level
    assert RAGS.index(after.rag) <= RAGS.index(before.rag)


@PROPERTIES
@given(children())
def test_results_are_well_formed(drawn: tuple[ChildInput, list[str]]) -> None:
    child, _ = drawn
    result = ENGINE.triage(RECEIVED, [child]).children[0]
    assert 1 <= result.level <= 4
    assert result.rules[0] == "max_level"
    assert list(result.rules) == sorted(result.rules, key=RULE_IDS.index)
    assert len(result.reasons) == len(result.rules)
    assert list(result.flags) == sorted(set(result.flags))
    top = max((ENGINE.ruleset.indicators[i].level for i in child.indicators), default=1)
    assert result.level >= top
    assert result.rag == (
        "red"
        if result.level == 4 or "immediate" in result.flags
        else "amber"
        if result.level == 3
        else "green"
    )
    if "strategy" in result.flags or result.level == 4:
        assert result.outcome == "strategy_discussion"
    else:
        assert result.outcome == ENGINE.ruleset.levels[result.level].default_outcome


@PROPERTIES
@given(st.lists(children(), min_size=1, max_size=4))
def test_contact_rag_is_the_most_urgent_child(drawn: list[tuple[ChildInput, list[str]]]) -> None:
    kids = [replace(child, ref=str(n)) for n, (child, _) in enumerate(drawn)]
    result = ENGINE.triage(RECEIVED, kids)
    assert result.rag == min((c.rag for c in result.children), key=RAGS.index)
    assert [c.ref for c in result.children] == [c.ref for c in kids]
