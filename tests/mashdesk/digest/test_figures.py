"""The digest's figures against the hand-counted front door of conftest.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from mashdesk.digest.service import DigestService
from mashdesk.digest.views import Count
from mashdesk.errors import InputError, PermissionDenied
from tests.mashdesk.digest.conftest import FIRST, LAST


@pytest.fixture
def digest(ctx, actors, front_door):
    return DigestService(ctx).digest(actors["manager"], FIRST, LAST)


def figures(digest, section: str) -> dict[str, tuple[Count, Count]]:
    return {line.key: (line.current, line.previous) for line in digest.section(section)}


def test_the_period_before_is_as_long_and_ends_the_day_before(digest):
    assert (digest.previous.first.isoformat(), digest.previous.last.isoformat()) == ("2026-08-31", "2026-09-30")


def test_contacts_by_source_and_outcome_count_london_days(digest):
    assert figures(digest, "source") == {
        "contacts": (Count(4), Count(2)),
        "source:1A": (Count(0), Count(1)), "source:2A": (Count(2), Count(0)), "source:6": (Count(2), Count(1)),
    }
    assert figures(digest, "outcome") == {
        "outcome:nfa_advice": (Count(1), Count(0)), "outcome:early_help": (Count(0), Count(1)),
        "outcome:assessment": (Count(1), Count(1)), "outcome:strategy_discussion": (Count(1), Count(0)),
        "outcome:open": (Count(1), Count(0)),
    }
    assert [line.key for line in digest.section("source")][:2] == ["contacts", "source:1A"]  # code-list order


def test_decisions_within_timescale_by_rag(digest):
    assert figures(digest, "timescale") == {
        "timescale:red": (Count(1, 2), Count(0, 0)),
        "timescale:amber": (Count(0, 0), Count(1, 2)),
        "timescale:green": (Count(1, 1), Count(0, 0)),
    }
    red = digest.line("timescale:red")
    assert red.current.share == 50.0 and red.current.text() == "1 of 2 (50.0%)" and red.change == "—"


def test_conversion_and_re_referrals(digest):
    assert figures(digest, "referrals") == {
        "conversion": (Count(2, 3), Count(1, 2)),
        "rereferral": (Count(1, 2), Count(0, 1)),
    }
    assert digest.line("conversion").change == "+16.7 pts"


def test_step_downs_and_step_ups_within_three_months(digest):
    assert figures(digest, "stepdown") == {
        "stepdown.sent": (Count(2), Count(1)),
        "stepdown.accepted": (Count(1, 2), Count(1, 1)),
        "stepdown.stepped_up": (Count(1, 2), Count(0, 1)),
    }


def test_icpcs_edt_and_overrides(digest):
    assert figures(digest, "icpc") == {"icpc": (Count(1, 2), Count(1, 1))}
    assert figures(digest, "edt") == {"edt": (Count(1, 3), Count(0, 0))}
    assert figures(digest, "override") == {
        "override:bromley-ton 2026.1": (Count(1, 2), Count(0, 0)),
        "override:bromley-ton 2026.2": (Count(1, 1), Count(0, 0)),
    }
    assert {(r.ruleset, r.reason, r.times) for r in digest.reasons} == {
        ("bromley-ton 2026.1", "Police disclosure of a weapon", 1),
        ("bromley-ton 2026.2", "Family support already in place", 1),
    }


def test_missing_children_and_consultations(digest):
    assert figures(digest, "missing") == {
        "missing.episodes": (Count(1), Count(0)),
        "missing.strategy": (Count(1, 1), Count(0, 0)),
        "missing.rhi": (Count(0, 1), Count(0, 0)),
    }
    assert figures(digest, "consultation") == {
        "consultation:advice_only": (Count(1), Count(0)),
        "consultation:contact_now": (Count(1), Count(0)),
        "consultation.contact": (Count(1, 2), Count(0, 0)),
    }


def test_each_figure_drills_down_to_the_records_behind_it(ctx, actors, digest, front_door):
    service = DigestService(ctx)
    red = service.drill(actors["manager"], digest, "timescale:red")
    assert red.total == 2
    assert [(r.contact_id, r.counted) for r in red.records] == [(front_door["C1"], True), (front_door["C2"], False)]
    assert red.records[1].reference == f"C-{front_door['C2']:06d}" and "decided late" in red.records[1].detail
    overrides = service.drill(actors["manager"], digest, "override:bromley-ton 2026.1")
    assert [(r.contact_id, r.counted) for r in overrides.records] == [(front_door["C2"], True),
                                                                       (front_door["C1"], False)]
    assert "Police disclosure of a weapon" in overrides.records[0].detail  # those that count come first
    edt = service.drill(actors["manager"], digest, "edt")
    assert [r.counted for r in edt.records] == [True, False, False]
    assert [r.kind for r in service.drill(actors["manager"], digest, "icpc").records] == ["strategy", "strategy"]
    # Every figure's drill lists as many records as the figure counts.
    for line in digest.lines:
        drill = service.drill(actors["manager"], digest, line.key)
        whole = line.current.of if line.current.of is not None else line.current.value
        assert drill.total == len(drill.records) == whole, line.key
        if line.current.of is not None:
            assert sum(bool(r.counted) for r in drill.records) == line.current.value, line.key


def test_only_managers_and_administrators_read_the_digest(ctx, actors, front_door):
    service = DigestService(ctx)
    assert service.digest(actors["admin"], FIRST, LAST).line("contacts").current == Count(4)
    for role in ("practitioner", "police", "earlyhelp"):
        with pytest.raises(PermissionDenied):
            service.digest(actors[role], FIRST, LAST)


def test_a_period_that_ends_before_it_starts_is_refused(ctx, actors):
    with pytest.raises(InputError, match="to:"):
        DigestService(ctx).digest(actors["manager"], LAST, FIRST)
