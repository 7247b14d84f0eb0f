"""The consistency report's figures against a hand-counted set of decisions."""

from __future__ import annotations

from datetime import date

from mashdesk.rulesets.workflow import DecisionRow, consistency

AMY, BEN = "Amy Practitioner", "Ben Practitioner"
KIM = "Kim Manager"
PROTECTIVE = "Protective factors: parents engaging."
OPEN = "Already open to a social worker."

#: id, decided (level, outcome), suggested (level, outcome), reason, practitioner, manager, source, indicators
ROWS = [
    DecisionRow(1, 10, 100, 2, "early_help", 2, "early_help", None, AMY, KIM, "6 Police", ("family.poor_housing",)),
    DecisionRow(2, 11, 101, 2, "early_help", 3, "assessment", PROTECTIVE, AMY, KIM, "6 Police",
                ("family.domestic_abuse_current",)),
    DecisionRow(3, 12, 102, 3, "assessment", 3, "assessment", None, BEN, KIM, "2A School",
                ("family.domestic_abuse_current", "child.offending")),
    DecisionRow(4, 13, 103, 3, "pass_to_allocated_worker", 3, "assessment", OPEN, BEN, "not yet authorised",
                "2A School", ("child.offending",)),
    DecisionRow(5, 14, 104, 1, "nfa_advice", 2, "early_help", PROTECTIVE, BEN, KIM, "6 Police",
                ("family.poor_housing",)),
]


def _table(lines):  # type: ignore[no-untyped-def]
    return {line.key: (line.decisions, line.overrides, [c.contact_id for c in line.cases]) for line in lines}


def test_override_rates_reasons_and_levels_as_counted_by_hand():
    report = consistency(ROWS, date(2026, 1, 1), date(2026, 12, 31))
    assert (report.decisions, report.overrides, round(report.rate, 2)) == (5, 3, 0.6)
    assert _table(report.by_practitioner) == {AMY: (2, 1, [11]), BEN: (3, 2, [13, 14])}
    assert [line.key for line in report.by_practitioner] == [BEN, AMY]  # highest rate first
    assert _table(report.by_manager) == {KIM: (4, 2, [11, 14]), "not yet authorised": (1, 1, [13])}
    assert _table(report.by_source) == {"6 Police": (3, 2, [11, 14]), "2A School": (2, 1, [13])}
    assert _table(report.by_indicator) == {"family.poor_housing": (2, 1, [14]),
                                           "family.domestic_abuse_current": (2, 1, [11]),
                                           "child.offending": (2, 1, [13])}
    assert _table(report.reasons) == {PROTECTIVE: (2, 2, [11, 14]), OPEN: (1, 1, [13])}
    assert _table(report.levels) == {"2 → 2": (1, 0, [10]), "3 → 2": (1, 1, [11]), "3 → 3": (2, 1, [12, 13]),
                                     "2 → 1": (1, 1, [14])}
    assert report.to_json()["override_rate"] == 0.6
