"""The three missing clocks are clock hours: weekends, bank holidays and the clock change do not stop them,
and a deadline across a clock change is the same elapsed time (shown in London time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from db.models import MissingEpisode
from mashdesk.calendar import WorkingCalendar
from mashdesk.missing.service import MissingService
from mashdesk.missing.views import ReturnInput
from mashdesk.missing.workflow import ClockTimes, clocks_for, due_times, rhi_due
from tests.mashdesk.missing.conftest import report

LONDON = ZoneInfo("Europe/London")


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


CASES = [
    # reported (London), strategy due, escalation due: across a weekend …
    (_at(2026, 11, 27, 18, 0), _at(2026, 11, 28, 18, 0), _at(2026, 11, 30, 18, 0)),
    # … across Christmas, Boxing Day and its substitute bank holiday …
    (_at(2026, 12, 24, 16, 30), _at(2026, 12, 25, 16, 30), _at(2026, 12, 27, 16, 30)),
    # … across the clocks going back (25 Oct 2026): 24 elapsed hours end at 11:00 GMT on the wall clock …
    (_at(2026, 10, 24, 12, 0), _at(2026, 10, 25, 11, 0), _at(2026, 10, 27, 11, 0)),
    # … and going forward (28 Mar 2027): 24 elapsed hours end at 13:00 BST.
    (_at(2027, 3, 27, 12, 0), _at(2027, 3, 28, 13, 0), _at(2027, 3, 30, 13, 0)),
]


@pytest.mark.parametrize(("reported", "strategy", "escalation"), CASES)
def test_strategy_and_escalation_deadlines(reported, strategy, escalation):
    calendar = WorkingCalendar()
    due_strategy, due_escalation = due_times(calendar, reported, True)
    assert due_strategy == strategy and due_escalation == escalation
    assert due_strategy.astimezone(LONDON).hour == strategy.hour  # shown in London time
    assert due_times(calendar, reported, False)[0] is None


@pytest.mark.parametrize(("returned", "due"), [
    (_at(2026, 12, 24, 20, 0), _at(2026, 12, 27, 20, 0)),   # over Christmas
    (_at(2026, 10, 23, 16, 0), _at(2026, 10, 26, 15, 0)),   # over the clocks going back
    (_at(2026, 11, 27, 17, 30), _at(2026, 11, 30, 17, 30)),  # Friday evening to Monday evening
])
def test_the_return_home_interview_is_due_72_hours_after_return(returned, due):
    assert rhi_due(WorkingCalendar(), returned) == due


def test_a_clock_is_due_soon_in_its_last_quarter_and_breached_after(clock):
    calendar = WorkingCalendar()
    reported = _at(2026, 10, 24, 12, 0)
    strategy, escalation = due_times(calendar, reported, True)
    times = ClockTimes(reported, True, None, strategy, None, False, escalation, None, False, None, None, False)
    real = reported.astimezone(UTC)  # elapsed hours, not wall-clock hours, across the clock change
    states = {at: [c.state for c in clocks_for(calendar, times, at)] for at in (
        real + timedelta(hours=17), real + timedelta(hours=19), real + timedelta(hours=24, minutes=1))}
    assert list(states.values()) == [["ok", "ok"], ["due_soon", "ok"], ["breached", "ok"]]


def test_an_episode_over_the_clock_change_is_breached_after_24_real_hours(ctx, actors, clock, child_id):
    clock.set_local(2026, 10, 24, 12, 30)
    service = MissingService(ctx)
    ident = service.record(actors["atlas"], report(child_id, _at(2026, 10, 24, 12, 0), seen_before=1))
    clock.set_local(2026, 10, 25, 10, 59)  # 23h59m later in real time
    service.mark_breaches(actors["manager"])
    with ctx.session_factory() as s:
        assert not s.get(MissingEpisode, ident).strategy_breached
    clock.set_local(2026, 10, 25, 11, 1)
    assert service.mark_breaches(actors["manager"]) == [(ident, "strategy")]
    (row,) = service.daily_list(actors["manager"]).missing
    assert row.hours_missing == 25 and row.clocks[0].state == "breached"  # last seen an hour before the report
    clock.set_local(2026, 10, 25, 12, 0)
    with ctx.session_factory() as s:
        version = s.get(MissingEpisode, ident).version
    service.returned(actors["atlas"], ident, version, ReturnInput(clock(), "Placement", "Foster carer"))
    (row,) = service.daily_list(actors["manager"]).returned
    assert row.clocks[-1].due_at == _at(2026, 10, 28, 12, 0)
