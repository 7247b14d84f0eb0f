"""What the Users view and ``mashdesk user`` show of an account (no password, no hash)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    role_name: str
    agency_code: str | None
    agency_name: str
    team: str
    active: bool
    is_demo: bool
    #: Set while wrong passwords keep the account locked (in the past once the lock has run out).
    locked_until: datetime | None
    locked: bool
    must_change_password: bool
    last_sign_in_at: datetime | None
    version: int

    @property
    def status(self) -> str:
        if not self.active:
            return "deactivated"
        if self.locked:
            return "locked"
        if self.must_change_password:
            return "must change password"
        return "active"

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "username": self.username, "display_name": self.display_name, "role": self.role,
                "agency": self.agency_code, "team": self.team, "active": self.active, "status": self.status,
                "locked_until": self.locked_until.isoformat() if self.locked else None,
                "must_change_password": self.must_change_password}


@dataclass(frozen=True)
class TemporaryPassword:
    """A password made for a new or reset account: shown once to the administrator, changed at first sign-in."""

    user_id: int
    username: str
    password: str
