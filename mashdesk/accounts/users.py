"""Accounts as rows: the password hash, the agency a role belongs to, checking and adding a user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argon2 import PasswordHasher

from mashdesk import permissions
from mashdesk.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

hasher = PasswordHasher()

#: The agency each agency role belongs to (an administrator may set another).
ROLE_AGENCY = {
    "police": "police", "health": "health", "education": "education", "edt": "edt",
    "earlyhelp": "early_help", "practitioner": "mash", "manager": "mash",
    "atlas": "atlas",
}


def hash_password(password: str) -> str:
    return hasher.hash(password)


def check_new_user(username: str, role: str, password: str, display_name: str) -> None:
    """Refuse a new account's bad user name, role or password (the message names the field)."""
    from mashdesk.accounts.passwords import check_password

    if not username or len(username) > 64 or \
            not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise InputError("username: use letters, digits, dots, dashes or underscores (at most 64)", "username")
    if role not in permissions.ROLES:
        raise InputError(f"role: {role[:80]!r} is not one of {', '.join(permissions.ROLES)}", "role")
    check_password(password, username, display_name)


def add_user(session: Session, username: str, display_name: str, role: str, password: str,
             team: str | None, is_demo: bool = False, agency_code: str | None = None,
             must_change: bool = False) -> int:
    from sqlalchemy import select

    from db.models import Agency, User

    if session.scalar(select(User.id).where(User.username == username)):
        raise InputError(f"username: {username!r} is already taken", "username")
    agency_code = agency_code or ROLE_AGENCY.get(role)
    agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code)) if agency_code else None
    user = User(username=username, display_name=display_name, role_code=role, agency_id=agency_id,
                team=team, password_hash=hash_password(password), is_demo=is_demo,
                must_change_password=must_change)
    session.add(user)
    session.flush()
    return user.id
