"""Lockout as a pure rule: five wrong passwords in a row lock the account for fifteen minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mashdesk.accounts.workflow import LOCK_FOR, MAX_FAILURES, Lockout, idle_lock_minutes, locked_message

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_the_fifth_failure_locks_for_fifteen_minutes():
    state = Lockout()
    for n in range(1, MAX_FAILURES):
        state = state.after_failure(NOW)
        assert (state.failures, state.locked_until) == (n, None)
    state = state.after_failure(NOW)
    assert state.locked_until == NOW + timedelta(minutes=15)
    assert state.locked_at(NOW + timedelta(minutes=14, seconds=59))
    assert not state.locked_at(NOW + timedelta(minutes=15))


@given(st.integers(min_value=0, max_value=1000))
def test_failures_while_locked_never_lengthen_the_lock(seconds):
    locked = Lockout(MAX_FAILURES, NOW + LOCK_FOR)
    later = NOW + timedelta(seconds=seconds % int(LOCK_FOR.total_seconds()))
    assert locked.after_failure(later) == locked


def test_after_a_lock_runs_out_the_count_starts_again():
    ran_out = Lockout(MAX_FAILURES, NOW)
    assert ran_out.after_failure(NOW + timedelta(minutes=1)) == Lockout(1, None)


def test_the_message_says_until_when_in_london_time():
    summer = datetime(2026, 7, 1, 9, 5, tzinfo=UTC)
    assert "locked until 10:05" in locked_message("jo.smith", summer)


def test_idle_time_setting_falls_back_to_ten_minutes():
    assert idle_lock_minutes(None) == 10
    assert idle_lock_minutes("five") == 10
    assert idle_lock_minutes("-1") == 10
    assert idle_lock_minutes("500") == 10
    assert idle_lock_minutes("2.5") == 2.5
