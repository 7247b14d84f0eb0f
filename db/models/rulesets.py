"""Threshold of Need ruleset versions: the file text each was loaded from, and when it took effect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Versioned


class RulesetVersion(Versioned, Base):
    """A ruleset file as loaded by an administrator; in force from ``effective_from`` once activated.

    The text is kept so the engine can evaluate any stored version again, whatever the files on disk say.
    """

    __tablename__ = "ruleset_versions"
    __table_args__ = (
        UniqueConstraint("ruleset_id", "ruleset_version", name="uq_ruleset_versions_ruleset_version"),
        Index("ix_ruleset_versions_effective", "effective_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ruleset_id: Mapped[str] = mapped_column(String(60))
    ruleset_version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime]
    loaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Contacts received from this moment on are assessed under this version; ``None`` until activated.
    effective_from: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]
    activated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
