"""Signing in with lockout and the forced change of a reset password (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuditEvent, User
from mashdesk import audit
from mashdesk.accounts.service import UserService
from mashdesk.errors import AccountLocked, AuthenticationError, InputError, PasswordChangeRequired
from mashdesk.services.auth import AuthService


def _trail(ctx, username):
    with ctx.session_factory() as s:
        return [(e.action, e.summary) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.username == username).order_by(AuditEvent.id))]


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(ctx, actors, clock):
    auth = AuthService(ctx)
    for _ in range(4):
        with pytest.raises(AuthenticationError) as refused:
            auth.sign_in("test.practitioner", "wrong guess")
        assert not isinstance(refused.value, AccountLocked)
    with pytest.raises(AccountLocked) as locked:
        auth.sign_in("test.practitioner", "wrong guess")
    assert "locked until 10:15" in str(locked.value)  # 10:00 in London, fifteen minutes on
    clock.now += timedelta(minutes=5)
    with pytest.raises(AccountLocked, match="locked until 10:15"):
        auth.sign_in("test.practitioner", "secret")  # the right password, while locked
    actions = [a for a, _ in _trail(ctx, "test.practitioner")]
    assert actions == ["auth.sign_in_failed"] * 5 + ["auth.sign_in_locked"]
    assert "account locked until 10:15" in _trail(ctx, "test.practitioner")[4][1]
    clock.now += timedelta(minutes=10)  # 10:15: the lock has run out
    assert auth.sign_in("test.practitioner", "secret").username == "test.practitioner"
    with ctx.session_factory() as s:
        user = s.scalar(select(User).where(User.username == "test.practitioner"))
        assert (user.failed_sign_ins, user.locked_until) == (0, None)
        assert audit.verify(s, ctx.audit_keys).ok


def test_a_right_password_clears_the_count(ctx, actors):
    auth = AuthService(ctx)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            auth.sign_in("test.manager", "nope nope")
    auth.sign_in("test.manager", "secret")
    for _ in range(4):
        with pytest.raises(AuthenticationError) as refused:
            auth.sign_in("test.manager", "nope nope")
        assert not isinstance(refused.value, AccountLocked)


def test_an_administrator_unlocks_a_locked_account(ctx, actors):
    auth, users = AuthService(ctx), UserService(ctx)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            auth.sign_in("test.police", "guess guess")
    row = users.user(actors["admin"], "test.police")
    assert row.locked and row.status == "locked"
    users.unlock(actors["admin"], row.id, row.version)
    assert auth.sign_in("test.police", "secret").role == "police"
    assert ("user.manage", "unlocked test.police") in _trail(ctx, "test.admin")


def test_a_reset_password_must_be_changed_before_anything_else(ctx, actors):
    auth, users = AuthService(ctx), UserService(ctx)
    row = users.user(actors["admin"], "test.health")
    temporary = users.reset(actors["admin"], row.id, row.version)
    with pytest.raises(AuthenticationError):
        auth.sign_in("test.health", "secret")  # the old password no longer works
    with pytest.raises(PasswordChangeRequired, match="choose a new one"):
        auth.sign_in("test.health", temporary.password)
    with pytest.raises(InputError, match="new password: at least 12"):
        auth.change_password("test.health", temporary.password, "short")
    with pytest.raises(InputError, match="must not contain the user name"):
        auth.change_password("test.health", temporary.password, "my test.health pass 97")
    actor = auth.change_password("test.health", temporary.password, "plum orbit tundra")
    assert actor.username == "test.health"
    assert auth.sign_in("test.health", "plum orbit tundra").role == "health"
    actions = [a for a, _ in _trail(ctx, "test.health")]
    assert actions == ["auth.sign_in_failed", "auth.sign_in_change_required", "auth.password_changed",
                       "auth.sign_in"]


def test_changing_a_password_with_a_wrong_current_one_counts_as_a_failure(ctx, actors):
    auth = AuthService(ctx)
    with pytest.raises(AuthenticationError, match="Wrong password"):
        auth.change_password("test.edt", "not it at all", "plum orbit tundra")
    with ctx.session_factory() as s:
        assert s.scalar(select(User.failed_sign_ins).where(User.username == "test.edt")) == 1


def test_unlocking_an_idle_desk_takes_only_the_signed_in_persons_password(ctx, actors):
    auth = AuthService(ctx)
    with pytest.raises(AuthenticationError, match="Wrong password"):
        auth.unlock_desk(actors["practitioner"], "secret-of-someone-else")
    assert auth.unlock_desk(actors["practitioner"], "secret") == actors["practitioner"]
    assert [a for a, _ in _trail(ctx, "test.practitioner")] == ["auth.unlock_failed", "auth.unlock"]


def test_a_deactivated_account_cannot_sign_in(ctx, actors):
    users = UserService(ctx)
    row = users.user(actors["admin"], "test.atlas")
    users.deactivate(actors["admin"], row.id, row.version)
    with pytest.raises(AuthenticationError, match="not active"):
        AuthService(ctx).sign_in("test.atlas", "secret")


def test_wrong_passwords_from_two_desks_at_once_all_count(ctx, actors):
    from concurrent.futures import ThreadPoolExecutor

    auth = AuthService(ctx)

    def guess(n: int) -> str:
        try:
            auth.sign_in("test.manager", f"guess number {n}")
        except AccountLocked:
            return "locked"
        except AuthenticationError:
            return "wrong"
        return "in"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(guess, range(6)))
    assert outcomes.count("in") == 0 and outcomes.count("locked") == 2  # the fifth locks; the sixth is refused
    with ctx.session_factory() as s:
        user = s.scalar(select(User).where(User.username == "test.manager"))
        assert user.failed_sign_ins == 5 and user.locked_until is not None
        assert audit.verify(s, ctx.audit_keys).ok
