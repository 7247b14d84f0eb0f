"""User administration: add, deactivate, reactivate, reset a password, change role or agency, unlock.

Every change is one unit of work with its audit event (``Service.write(actor, "user.manage")``);
deactivating never deletes, and the desk always keeps at least one active administrator.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from mashdesk import audit, codes, permissions
from mashdesk.accounts.passwords import check_password
from mashdesk.accounts.users import ROLE_AGENCY, add_user, check_new_user, hash_password
from mashdesk.accounts.views import TemporaryPassword, UserRow
from mashdesk.context import Actor, Service, WriteScope
from mashdesk.errors import InputError, NotFound

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.models import User

ACTION = "user.manage"


def temporary_password(username: str) -> str:
    """A random password that keeps the rules, for the administrator to pass on once."""
    while True:
        candidate = secrets.token_urlsafe(12)
        try:
            check_password(candidate, username)
        except InputError:
            continue
        return candidate


class UserService(Service):
    def users(self, actor: Actor) -> list[UserRow]:
        from sqlalchemy import select

        from db.models import User

        with self.read(actor, ACTION) as s:
            now = self.ctx.now()
            return [_row(u, now) for u in s.scalars(select(User).order_by(User.active.desc(), User.username))]

    def user(self, actor: Actor, username: str) -> UserRow:
        """One account by user name (``NotFound`` names it)."""
        from sqlalchemy import select

        from db.models import User

        with self.read(actor, ACTION) as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound(f"user: there is no user called {username[:80]!r}")
            return _row(user, self.ctx.now())

    def add(self, actor: Actor, *, username: str, display_name: str, role: str, password: str | None = None,
            team: str | None = None, agency: str | None = None) -> TemporaryPassword:
        """A new account; its first password (given, or made here) must be changed at the first sign-in."""
        display_name = display_name.strip()
        if not display_name or len(display_name) > 120:
            raise InputError("name: give the person's name (at most 120 characters)", "name")
        _check_agency(agency)
        chosen = password if password is not None else temporary_password(username)
        check_new_user(username, role, chosen, display_name)
        with self.write(actor, ACTION, "user") as w:
            user_id = add_user(w.session, username, display_name, role, chosen, (team or "").strip() or None,
                               agency_code=agency, must_change=True)
            w.audit("user", user_id, f"added user {username} ({permissions.ROLES[role]})", change="add",
                    username=username, role=role, agency=agency or ROLE_AGENCY.get(role))
        return TemporaryPassword(user_id, username, chosen)

    def deactivate(self, actor: Actor, user_id: int, version: int) -> None:
        """The account can no longer sign in; it and everything it recorded stay."""
        self._set_active(actor, user_id, version, False)

    def reactivate(self, actor: Actor, user_id: int, version: int) -> None:
        self._set_active(actor, user_id, version, True)

    def _set_active(self, actor: Actor, user_id: int, version: int, active: bool) -> None:
        change = "reactivate" if active else "deactivate"
        with self.write(actor, ACTION, "user") as w:
            user = w.get_for_edit(_user_model(), user_id, version, "user")
            if user.active == active:
                raise InputError(f"user: {user.username} is already {'active' if active else 'deactivated'}",
                                 "user")
            if not active:
                if user.id == actor.user_id:
                    raise InputError("user: you cannot deactivate your own account; ask another administrator",
                                     "user")
                _keep_an_admin(w, user, "deactivate")
            user.active = active
            w.audit("user", user.id, f"{change}d user {user.username}", change=change, username=user.username)

    def reset(self, actor: Actor, user_id: int, version: int) -> TemporaryPassword:
        """A new temporary password, to be changed at the next sign-in; it also lifts a lock."""
        with self.write(actor, ACTION, "user") as w:
            user = w.get_for_edit(_user_model(), user_id, version, "user")
            password = temporary_password(user.username)
            user.password_hash = hash_password(password)
            user.must_change_password = True
            user.failed_sign_ins, user.locked_until = 0, None
            w.audit("user", user.id, f"reset the password of {user.username} (to be changed at next sign-in)",
                    change="reset", username=user.username)
            return TemporaryPassword(user.id, user.username, password)

    def set_role(self, actor: Actor, user_id: int, version: int, role: str, agency: str | None = None) -> None:
        """Give the account another role and agency (the role's own agency unless one is named)."""
        if role not in permissions.ROLES:
            raise InputError(f"role: {role[:80]!r} is not one of {', '.join(permissions.ROLES)}", "role")
        _check_agency(agency)
        agency = agency or ROLE_AGENCY.get(role)
        with self.write(actor, ACTION, "user") as w:
            user = w.get_for_edit(_user_model(), user_id, version, "user")
            if user.role_code == "admin" and role != "admin":
                _keep_an_admin(w, user, "change the role of")
            before = (user.role_code, user.agency.code if user.agency else None)
            user.role_code = role
            user.agency_id = _agency_id(w.session, agency)
            w.audit("user", user.id, f"{user.username}: role {before[0]} → {role}, agency {before[1]} → {agency}",
                    change="role", username=user.username, role=role, agency=agency, was=list(before))

    def unlock(self, actor: Actor, user_id: int, version: int) -> None:
        """Lift the lock wrong passwords put on the account (and forget the count)."""
        with self.write(actor, ACTION, "user") as w:
            user = w.get_for_edit(_user_model(), user_id, version, "user")
            user.failed_sign_ins, user.locked_until = 0, None
            w.audit("user", user.id, f"unlocked {user.username}", change="unlock", username=user.username)


def _user_model() -> type[User]:
    from db.models import User

    return User


def _keep_an_admin(w: WriteScope, user: User, doing: str) -> None:
    """Refuse to leave the desk without an active administrator (the other admins' rows are locked first)."""
    from sqlalchemy import select

    from db.models import User

    if user.role_code != "admin" or not user.active:
        return
    audit.hold_trail(w.session)  # the trail before the rows, as every writer takes them
    others = w.session.scalars(select(User.id).where(User.role_code == "admin", User.active.is_(True),
                                                     User.id != user.id).with_for_update()).all()
    if not others:
        raise InputError(f"user: cannot {doing} {user.username}, the last active administrator; "
                         "make another administrator first", "user")


def _check_agency(agency: str | None) -> None:
    if agency is not None and agency not in codes.AGENCIES:
        raise InputError(f"agency: {agency[:80]!r} is not one of {', '.join(codes.AGENCIES)}", "agency")


def _agency_id(session: Session, code: str | None) -> int | None:
    from sqlalchemy import select

    from db.models import Agency

    return session.scalar(select(Agency.id).where(Agency.code == code)) if code else None


def _row(user: User, now) -> UserRow:  # type: ignore[no-untyped-def]
    return UserRow(
        id=user.id, username=user.username, display_name=user.display_name, role=user.role_code,
        role_name=permissions.ROLES.get(user.role_code, user.role_code),
        agency_code=user.agency.code if user.agency else None, agency_name=user.agency.name if user.agency else "",
        team=user.team or "", active=user.active, is_demo=user.is_demo, locked_until=user.locked_until,
        locked=user.locked_until is not None and now < user.locked_until,
        must_change_password=user.must_change_password, last_sign_in_at=user.last_sign_in_at,
        version=user.version)
