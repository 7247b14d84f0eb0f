"""What-if replay and ruleset diffs, pure: the same ruleset changes nothing, raising one indicator changes
exactly the children who have it, and a malformed ruleset is refused naming its line."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules import DATA_DIR, RulesetError, ThresholdEngine, load_ruleset, load_ruleset_file, parse_ruleset
from rules.diff import diff_rulesets
from rules.engine import ChildInput
from rules.replay import Replay, StoredCase

BASE = load_ruleset()
DRAFT = load_ruleset_file(DATA_DIR / "bromley-ton-2027.1.toml")
LEVEL_2 = sorted(i for i, ind in BASE.indicators.items() if ind.level == 2)
RECEIVED = date(2026, 6, 15)


@st.composite
def children(draw: st.DrawFn) -> ChildInput:
    unborn = draw(st.booleans()) and draw(st.booleans())
    dob = None if unborn else RECEIVED - timedelta(days=draw(st.integers(0, 17 * 365)))
    edob = RECEIVED + timedelta(days=draw(st.integers(1, 200))) if unborn else None
    age = None if dob is None else (RECEIVED - dob).days // 366
    fitting = [i for i in LEVEL_2 if BASE.indicators[i].fits(age)]
    chosen = draw(st.lists(st.sampled_from(fitting), max_size=4, unique=True)) if fitting else []
    return ChildInput("c", dob, edob, draw(st.booleans()), draw(st.booleans()), draw(st.integers(0, 4)),
                      draw(st.integers(0, 2)), tuple(chosen))


def stored(engine: ThresholdEngine, kids: list[ChildInput]) -> list[StoredCase]:
    """Each child as an assessment would have stored it under ``engine``."""
    out = []
    for n, child in enumerate(kids, start=1):
        r = engine.triage(RECEIVED, [child]).children[0]
        out.append(StoredCase.of(n, n, n, RECEIVED, child, (), r.level, r.outcome, r.rag, r.flags, r.rules))
    return out


def replay(engine: ThresholdEngine, cases: list[StoredCase]) -> Replay:
    run = Replay(engine, RECEIVED, RECEIVED, diff_rulesets(BASE, engine.ruleset))
    for case in cases:
        run.add(case)
    return run


@settings(max_examples=60, deadline=None)
@given(st.lists(children(), min_size=1, max_size=30))
def test_replay_under_the_same_ruleset_changes_nothing(kids):
    engine = ThresholdEngine(BASE)
    report = replay(engine, stored(engine, kids)).report()
    assert (report.children, report.changed, report.flags_changed, report.samples) == (len(kids), 0, 0, ())
    assert all(old == new for old, new, _ in report.level_matrix)


@settings(max_examples=60, deadline=None)
@given(st.lists(children(), min_size=1, max_size=30), st.sampled_from(LEVEL_2))
def test_raising_one_indicator_changes_exactly_the_children_who_have_it(kids, raised):
    raised_ruleset = dataclasses.replace(BASE, indicators={
        **BASE.indicators, raised: dataclasses.replace(BASE.indicators[raised], level=4)})
    cases = stored(ThresholdEngine(BASE), kids)
    run = replay(ThresholdEngine(raised_ruleset), cases)
    report = run.report()
    having = {c.contact_id for c in cases if raised in c.indicators}
    assert {c.contact_id for c in report.samples} == having
    assert report.changed == len(having)
    assert all(c.new_level == 4 and raised in c.causes for c in report.samples)
    assert dict(report.indicator_causes).get(raised, 0) == len(having)


def test_the_diff_names_indicators_added_moved_and_rules_changed():
    diff = diff_rulesets(BASE, DRAFT)
    assert [(m.id, m.old_level, m.new_level) for m in diff.moved] == [("family.domestic_abuse_current", 3, 4)]
    assert {e.id for e in diff.added} >= {"child.missing_from_home_once", "child.missing_from_home_repeat",
                                          "harm.missing_with_harm_disclosed"}
    assert not diff.removed
    assert [(c.where, c.what, c.old, c.new) for c in diff.rules_changed] == [("vulnerability", "under age", "1", "2")]
    assert diff_rulesets(BASE, BASE).empty and diff_rulesets(BASE, BASE).lines() == ["No differences."]


def test_a_draft_is_never_the_default_ruleset():
    assert DRAFT.draft and not BASE.draft and BASE.version == "2026.1"


def test_an_indicator_the_proposal_does_not_know_is_left_out_and_counted():
    removed = dataclasses.replace(BASE, indicators={k: v for k, v in BASE.indicators.items()
                                                    if k != "family.poor_housing"})
    child = ChildInput("c", date(2015, 1, 1), indicators=("family.poor_housing", "child.attendance_concern"))
    report = replay(ThresholdEngine(removed), stored(ThresholdEngine(BASE), [child])).report()
    assert report.dropped_indicators == (("family.poor_housing", 1),) and report.children == 1


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize("old, new, needle, key", [
    ("min_indicators = 3", "min_indicator = 3", "min_indicator = 3", "rules.cumulative_needs.min_indicator"),
    ('id = "family.poor_housing"\nlevel = 2', 'id = "family.poor_housing"\nlevel = 7', "level = 7",
     "indicator family.poor_housing.level"),
])
def test_a_malformed_ruleset_is_refused_naming_file_line_and_key(old, new, needle, key):
    text = (DATA_DIR / "bromley-ton-2026.1.toml").read_text(encoding="utf-8").replace(old, new)
    with pytest.raises(RulesetError) as caught:
        parse_ruleset(text, Path("bromley-ton-2026.1.toml"))
    line = _line_of(text, needle)
    assert caught.value.line == line and caught.value.key == key
    assert str(caught.value).startswith(f"bromley-ton-2026.1.toml, line {line}, {key}:")


#: Few indicators (some limited by age, some in the toxic trio) so that children often share a class.
POOL = ["child.speech_language_delay", "child.offending", "family.domestic_abuse_current",
        "parenting.substance_misuse", "parenting.mental_health_impact", "harm.injury_non_mobile_infant",
        "family.poor_housing", "child.attendance_concern"]


@st.composite
def any_children(draw: st.DrawFn) -> tuple[date, ChildInput]:
    received = RECEIVED + timedelta(days=draw(st.integers(0, 400)))
    unborn = draw(st.integers(0, 5)) == 0
    dob = None if unborn else received - timedelta(days=draw(st.integers(0, 17 * 365)))
    edob = received + timedelta(days=draw(st.integers(1, 200))) if unborn else None
    chosen = draw(st.lists(st.sampled_from(POOL), max_size=3, unique=True))
    return received, ChildInput("c", dob, edob, draw(st.booleans()), draw(st.booleans()), draw(st.integers(0, 5)),
                                draw(st.integers(0, 3)), tuple(chosen))


@settings(max_examples=60, deadline=None)
@given(st.lists(any_children(), min_size=2, max_size=80))
def test_children_of_one_input_class_get_the_same_suggestion(kids):
    engine = ThresholdEngine(DRAFT)
    seen: dict[tuple[object, ...], tuple[object, ...]] = {}
    for received, child in kids:
        result, dropped = engine.replay_child(received, child)
        got = (result.level, result.outcome, result.rag, result.flags, result.rules, dropped)
        assert seen.setdefault(engine.input_class(received, child), got) == got
