"""Users, roles, agencies, the audit trail and autosaved drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import STAMP_INSERT, Base, Versioned


class Role(Base):
    """A role a user holds; what each role may do is the permission table in mashdesk."""

    __tablename__ = "roles"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")


class Agency(Base):
    """A partner agency (police, health, education…) or the local authority's own teams."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    #: CIN census referral source code suggested for a referrer from this agency.
    cin_source: Mapped[str | None] = mapped_column(String(3))
    #: Whether the MASH can send this agency agency-checks.
    checks: Mapped[bool] = mapped_column(Boolean, default=False)


class User(Versioned, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role_code: Mapped[str] = mapped_column(ForeignKey("roles.code"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    team: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    last_sign_in_at: Mapped[datetime | None]
    #: Wrong passwords since the last good one; the fifth locks the account (``mashdesk.accounts.workflow``).
    failed_sign_ins: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Until when the account refuses every sign-in, even with the right password.
    locked_until: Mapped[datetime | None]
    #: Set when an administrator resets the password: the user chooses a new one at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    role: Mapped[Role] = relationship(lazy="joined")
    agency: Mapped[Agency | None] = relationship(lazy="joined")


class AuditEvent(Base):
    """One entry of the tamper-evident audit trail (``mashdesk.audit``).

    ``hash`` is a keyed MAC over the previous entry's hash and this entry's canonical content, so an
    edited, removed, reordered or forged entry breaks the chain. The database refuses UPDATE and
    DELETE on this table (``db/audit_guard.py``).
    """

    __tablename__ = "audit_events"
    # AUTOINCREMENT on SQLite: an id is never given again, even after the last entries were deleted.
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True, info=STAMP_INSERT)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: 1: plain SHA-256 (entries from before the audit key); 2: HMAC-SHA-256 with the audit key.
    scheme: Mapped[int] = mapped_column(SmallInteger, default=2, server_default="1")


class Draft(Base):
    """A form as it was being typed, autosaved so that a crash loses nothing."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "form", "key", name="uq_drafts_user_form_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    form: Mapped[str] = mapped_column(String(40))
    #: Which record the draft edits ("new" for a record not yet saved).
    key: Mapped[str] = mapped_column(String(40), default="new")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    saved_at: Mapped[datetime] = mapped_column(info=STAMP_INSERT)
