"""Users and signing in: argon2 password hashes, roles, the first administrator.

Signing in speaks SQL directly (``db.direct``): it is on the way from starting the desk
to seeing the queue, which does not wait for the ORM to load.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from db import fastsql
from mashdesk import audit, codes, permissions
from mashdesk.errors import AuthenticationError, InputError
from mashdesk.context import Actor, Service

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.models import User

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


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


#: The agency each agency role belongs to.
ROLE_AGENCY = {
    "police": "police", "health": "health", "education": "education", "edt": "edt",
    "earlyhelp": "early_help", "practitioner": "mash", "manager": "mash",
    "atlas": "atlas",
}


class AuthService(Service):
    def sign_in(self, username: str, password: str) -> Actor:
        """Check the password; every attempt, good or bad, is audited."""
        return self.begin_sign_in(username, password).result()

    def begin_sign_in(self, username: str, password: str) -> PendingSignIn:
        """Read the account and start checking the password on a worker thread.

        argon2 takes about a tenth of a second on purpose and releases the GIL while it
        works, so the desk loads its window meanwhile. :meth:`PendingSignIn.result`
        records the outcome and gives the actor (or refuses). Nothing is written here.
        """
        with self.ctx.direct() as conn:
            row = conn.one(fastsql.SIGN_IN_ACCOUNT, {"username": username})
            conn.finish_read()
        return PendingSignIn(self, username, row, password)

    def create_user(
        self,
        actor: Actor,
        *,
        username: str,
        display_name: str,
        role: str,
        password: str,
        team: str | None = None,
    ) -> int:
        _check_new_user(username, role, password)
        with self.write(actor, "user.manage", "user") as w:
            user_id = _add_user(w.session, username, display_name, role, password, team)
            w.audit("user", user_id, f"created user {username} ({role})", role=role)
            return user_id

    def bootstrap_admin(self, username: str, password: str) -> int | None:
        """Create the first administrator on a database with no users; ``None`` if it has users."""
        from sqlalchemy import func, select

        from db.models import User

        _check_new_user(username, "admin", password)
        with self.ctx.session_factory.begin() as session:
            seed_reference_data(session)
            if session.scalar(select(func.count()).select_from(User)):
                return None
            user_id = _add_user(session, username, username, "admin", password, None)
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

    def __init__(self, service: AuthService, username: str, row: tuple[Any, ...] | None, password: str) -> None:
        self._service, self.username, self._row = service, username, row
        self._ok = False
        self._checker = threading.Thread(target=self._check, args=(password,), name="sign-in", daemon=True)
        self._checker.start()

    def _check(self, password: str) -> None:
        row = self._row
        if row is None or not row[4]:
            _hasher_time_equaliser(password)  # an unknown name takes as long as a wrong password
            return
        try:
            self._ok = _hasher.verify(row[5], password)
        except (VerificationError, InvalidHashError):
            self._ok = False

    def result(self) -> Actor:
        """Record the attempt (one audit event, in one transaction) and give the actor, or refuse."""
        self._checker.join()
        row, ok = self._row, self._ok
        ctx = self._service.ctx
        with ctx.direct() as conn, conn.writing():
            now = ctx.now()
            if ok and row is not None:
                conn.execute(fastsql.SIGNED_IN, {"now": conn.timestamp(now), "id": row[0]}).close()
            audit.write(  # last, so the trail's append lock is held for the commit only
                conn, keys=ctx.audit_keys, at=now, user_id=row[0] if row and ok else None, username=self.username,
                action="auth.sign_in" if ok else "auth.sign_in_failed", entity="user",
                entity_id=row[0] if row else None,
                summary="signed in" if ok else "sign-in refused",
            )
        if not ok or row is None:
            raise AuthenticationError("Wrong user name or password, or the account is not active.")
        return Actor(user_id=row[0], username=row[1], display_name=row[2], role=row[3], agency_code=row[6])


def _hasher_time_equaliser(password: str) -> None:
    _hasher.hash(password)


def _check_new_user(username: str, role: str, password: str) -> None:
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise InputError("username: use letters, digits, dots, dashes or underscores", "username")
    if role not in permissions.ROLES:
        raise InputError(f"role: {role!r} is not one of {', '.join(permissions.ROLES)}", "role")
    if len(password) < 4:
        raise InputError("password: at least 4 characters", "password")


def _add_user(session: Session, username: str, display_name: str, role: str, password: str,
              team: str | None, is_demo: bool = False) -> int:
    from sqlalchemy import select

    from db.models import Agency, User

    if session.scalar(select(User.id).where(User.username == username)):
        raise InputError(f"username: {username!r} is already taken", "username")
    agency_code = ROLE_AGENCY.get(role)
    agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code)) if agency_code else None
    user = User(username=username, display_name=display_name, role_code=role, agency_id=agency_id,
                team=team, password_hash=hash_password(password), is_demo=is_demo)
    session.add(user)
    session.flush()
    return user.id
