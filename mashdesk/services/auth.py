"""Users and signing in: argon2 password hashes, roles, the first administrator.

Signing in speaks SQL directly (``db.direct``): it is on the way from starting the desk
to seeing the queue, which does not wait for the ORM to load.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from argon2.exceptions import InvalidHashError, VerificationError

from db import fastsql
from mashdesk import audit, codes, permissions
from mashdesk.accounts.users import ROLE_AGENCY, add_user, check_new_user, hash_password, hasher
from mashdesk.context import Actor, Service
from mashdesk.errors import AuthenticationError, InputError

__all__ = ["ROLE_AGENCY", "AuthService", "PendingSignIn", "actor_for", "hash_password", "seed_reference_data"]

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.models import User

def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role_code,
        agency_code=user.agency.code if user.agency else None,
    )


def seed_reference_data(session: Session) -> None:
    """Make sure every role and agency of the desk exists (idempotent)."""
    from sqlalchemy import select

    from db.models import Agency, Role

    have_roles = set(session.scalars(select(Role.code)))
    for code, name in permissions.ROLES.items():
        if code not in have_roles:
            session.add(Role(code=code, name=name))
    have_agencies = set(session.scalars(select(Agency.code)))
    for code, (name, source, checks) in codes.AGENCIES.items():
        if code not in have_agencies:
            session.add(Agency(code=code, name=name, cin_source=source, checks=checks))
    session.flush()


class AuthService(Service):
    def sign_in(self, username: str, password: str) -> Actor:
        """Check the password; every attempt, good or bad, is audited.

        Raises :class:`AccountLocked` (with the time it opens) for a locked account, and
        :class:`PasswordChangeRequired` when the password is right but an administrator reset it.
        """
        return self.begin_sign_in(username, password).result()

    def begin_sign_in(self, username: str, password: str, *, purpose: str = "sign_in") -> PendingSignIn:
        """Read the account and start checking the password on a worker thread.

        argon2 takes about a tenth of a second on purpose and releases the GIL while it
        works, so the desk loads its window meanwhile. :meth:`PendingSignIn.result`
        records the outcome and gives the actor (or refuses). Nothing is written here.
        """
        with self.ctx.direct() as conn:
            row = conn.one(fastsql.SIGN_IN_ACCOUNT, {"username": username})
            conn.finish_read()
        return PendingSignIn(self, username, row, password, purpose)

    def unlock_desk(self, actor: Actor, password: str) -> Actor:
        """Unlock a desk that locked itself while ``actor`` was away: their own password only.

        A wrong password counts towards the lockout like a wrong sign-in, and is audited.
        """
        return self.begin_sign_in(actor.username, password, purpose="unlock").result()

    def record_session(self, actor: Actor, event: str) -> None:
        """Record that the desk locked itself (``lock``) or its user signed out (``sign_out``)."""
        summary = {"lock": "the desk locked itself after the idle time", "sign_out": "signed out"}[event]
        with self.write(actor, f"auth.{event}", "user") as w:
            w.audit("user", actor.user_id, summary)

    def change_password(self, username: str, current: str, new: str) -> Actor:
        """Choose a new password (required after an administrator reset it), and sign in.

        The current password is checked as a sign-in is (a wrong one counts towards the lockout); the
        new one must keep the password rules. One transaction, one audit event.
        """
        from mashdesk.accounts.passwords import check_password

        if new == current:
            raise InputError("new password: must differ from the one an administrator gave", "new password")
        pending = self.begin_sign_in(username, current, purpose="password_change")
        row = pending.account
        check_password(new, username, row[2] if row else "", field="new password")
        return pending.result(new_hash=hash_password(new))

    def create_user(self, actor: Actor, *, username: str, display_name: str, role: str, password: str,
                    team: str | None = None) -> int:
        from mashdesk.accounts.service import UserService

        return UserService(self.ctx).add(actor, username=username, display_name=display_name, role=role,
                                         password=password, team=team).user_id

    def bootstrap_admin(self, username: str, password: str) -> int | None:
        """Create the first administrator on a database with no users; ``None`` if it has users."""
        from sqlalchemy import func, select

        from db.models import User

        check_new_user(username, "admin", password, username)
        with self.ctx.session_factory.begin() as session:
            seed_reference_data(session)
            if session.scalar(select(func.count()).select_from(User)):
                return None
            user_id = add_user(session, username, username, "admin", password, None)
            audit.write(session, keys=self.ctx.audit_keys, at=self.ctx.now(), user_id=user_id, username=username,
                        action="user.bootstrap_admin", entity="user", entity_id=user_id,
                        summary=f"first administrator {username} created")
            return user_id

    def actor(self, username: str) -> Actor:
        from sqlalchemy import select

        from db.models import User

        with self.ctx.session_factory() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None or not user.active:
                raise AuthenticationError(f"no active user called {username!r}")
            return actor_for(user)


class PendingSignIn:
    """A sign-in whose password is being checked; :meth:`result` waits for it and records it."""

    def __init__(self, service: AuthService, username: str, row: tuple[Any, ...] | None, password: str,
                 purpose: str = "sign_in") -> None:
        self._service, self.username, self._row, self._purpose = service, username, row, purpose
        self._ok = False
        self._checker = threading.Thread(target=self._check, args=(password,), name="sign-in", daemon=True)
        self._checker.start()

    @property
    def account(self) -> tuple[Any, ...] | None:
        return self._row

    def _check(self, password: str) -> None:
        row = self._row
        if row is None or not row[4]:
            _hasher_time_equaliser(password)  # an unknown name takes as long as a wrong password
            return
        try:
            self._ok = hasher.verify(row[5], password)
        except (VerificationError, InvalidHashError):
            self._ok = False

    def result(self, new_hash: str | None = None) -> Actor:
        """Record the attempt (one audit event, in one transaction) and give the actor, or refuse.

        ``new_hash`` (a password change) is stored only when the current password was right.
        """
        from mashdesk.accounts.attempts import record_attempt

        self._checker.join()
        ctx = self._service.ctx
        with ctx.direct() as conn, conn.writing():
            refusal = record_attempt(conn, ctx, self.username, self._row, self._ok, self._purpose, new_hash)
        if refusal is not None:
            raise refusal
        row = self._row
        assert row is not None
        return Actor(user_id=row[0], username=row[1], display_name=row[2], role=row[3], agency_code=row[6])


def _hasher_time_equaliser(password: str) -> None:
    hasher.hash(password)
