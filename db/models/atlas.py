"""The Atlas team's intelligence markers on a person (missing and exploited children)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import STAMP_INSERT, Base, Versioned


class AtlasMarker(Versioned, Base):
    """A marker of a kind (CSE, CCE, county lines…) with a level of concern, a source, a date and a review date."""

    __tablename__ = "atlas_markers"
    __table_args__ = (Index("ix_atlas_markers_review", "ended_on", "review_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    #: cse / cce / county_lines / gang / syv / trafficking / missing (``mashdesk.atlas.markers.KINDS``).
    kind: Mapped[str] = mapped_column(String(16))
    #: low / medium / high
    level: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(Text, default="")
    noted_on: Mapped[date] = mapped_column(Date)
    review_on: Mapped[date] = mapped_column(Date)
    #: Only the Atlas team and police read the level and source; others see the kind only.
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(info=STAMP_INSERT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    ended_on: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
