"""Users and signing in: argon2 password hashes, roles, the first administrator."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Agency, Role, User
from mashdesk import audit, codes, permissions
from mashdesk.errors import AuthenticationError, InputError
from mashdesk.services.base import Actor, Service

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
}


class AuthService(Service):
    def sign_in(self, username: str, password: str) -> Actor:
        """Check the password; every attempt, good or bad, is audited."""
        with self.ctx.session_factory.begin() as session:
            user = session.scalar(select(User).where(User.username == username))
            ok = False
            if user is not None and user.active:
                try:
                    ok = _hasher.verify(user.password_hash, password)
                except (VerificationError, InvalidHashError):
                    ok = False
            now = self.ctx.now()
            audit.write(
                session, at=now, user_id=user.id if user and ok else None, username=username,
                action="auth.sign_in" if ok else "auth.sign_in_failed", entity="user",
                entity_id=user.id if user else None,
                summary="signed in" if ok else "sign-in refused",
            )
            if not ok or user is None:
                # Commit the audit of the failure, then refuse.
                session.commit()
                raise AuthenticationError("Wrong user name or password, or the account is not active.")
            user.last_sign_in_at = now
            return actor_for(user)

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
        _check_new_user(username, "admin", password)
        with self.ctx.session_factory.begin() as session:
            seed_reference_data(session)
            if session.scalar(select(func.count()).select_from(User)):
                return None
            user_id = _add_user(session, username, username, "admin", password, None)
            audit.write(session, at=self.ctx.now(), user_id=user_id, username=username,
                        action="user.bootstrap_admin", entity="user", entity_id=user_id,
                        summary=f"first administrator {username} created")
            return user_id

    def actor(self, username: str) -> Actor:
        with self.ctx.session_factory() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None or not user.active:
                raise AuthenticationError(f"no active user called {username!r}")
            return actor_for(user)


def _check_new_user(username: str, role: str, password: str) -> None:
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise InputError("username: use letters, digits, dots, dashes or underscores", "username")
    if role not in permissions.ROLES:
        raise InputError(f"role: {role!r} is not one of {', '.join(permissions.ROLES)}", "role")
    if len(password) < 4:
        raise InputError("password: at least 4 characters", "password")


def _add_user(session: Session, username: str, display_name: str, role: str, password: str,
              team: str | None, is_demo: bool = False) -> int:
    if session.scalar(select(User.id).where(User.username == username)):
        raise InputError(f"username: {username!r} is already taken", "username")
    agency_code = ROLE_AGENCY.get(role)
    agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code)) if agency_code else None
    user = User(username=username, display_name=display_name, role_code=role, agency_id=agency_id,
                team=team, password_hash=hash_password(password), is_demo=is_demo)
    session.add(user)
    session.flush()
    return user.id
