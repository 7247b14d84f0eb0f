"""Missing children: an episode from the report to the return home interview, and its stamped updates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import STAMP_INSERT, Base, Versioned
from db.references import missing_reference


class MissingEpisode(Versioned, Base):
    """One episode of a child missing: the report, the three clocks, the return and its interview.

    A clock's ``*_due_at`` is set when it starts; its ``*_breached`` flag is stored by the scheduled
    sweep the moment the deadline passes (and kept when the step is later done).
    """

    __tablename__ = "missing_episodes"
    __table_args__ = (
        Index("ix_missing_episodes_status_reported", "status", "reported_at"),
        Index("ix_missing_episodes_person_reported", "person_id", "reported_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    last_seen_at: Mapped[datetime]
    reported_at: Mapped[datetime]
    #: home / care_placement / school / other
    missing_from: Mapped[str] = mapped_column(String(16))
    looked_after: Mapped[bool] = mapped_column(Boolean, default=False)
    police_reference: Mapped[str | None] = mapped_column(String(40))
    #: low / medium / high
    risk: Mapped[str] = mapped_column(String(8))
    circumstances: Mapped[str] = mapped_column(Text, default="")
    associates: Mapped[str] = mapped_column(Text, default="")
    #: missing → returned → closed (after the return home interview is done or declined)
    status: Mapped[str] = mapped_column(String(12), default="missing")
    returned_at: Mapped[datetime | None]
    returned_where: Mapped[str | None] = mapped_column(String(200))
    returned_by: Mapped[str | None] = mapped_column(String(120))
    #: yes / no / unknown, once returned
    harmed: Mapped[str | None] = mapped_column(String(8))
    harm_notes: Mapped[str | None] = mapped_column(Text)
    # -- the 24-hour strategy discussion (looked-after children only)
    strategy_due_at: Mapped[datetime | None]
    strategy_discussion_id: Mapped[int | None] = mapped_column(ForeignKey("strategy_discussions.id"))
    strategy_at: Mapped[datetime | None]
    strategy_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    # -- escalation to a senior manager after 72 hours missing
    escalation_due_at: Mapped[datetime]
    escalated_at: Mapped[datetime | None]
    escalated_to: Mapped[str | None] = mapped_column(String(120))
    escalated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    escalation_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    # -- the return home interview, offered within 72 hours of return
    rhi_due_at: Mapped[datetime | None]
    rhi_offered_at: Mapped[datetime | None]
    #: accepted / declined, once the child answers
    rhi_response: Mapped[str | None] = mapped_column(String(8))
    rhi_response_at: Mapped[datetime | None]
    rhi_done_at: Mapped[datetime | None]
    rhi_done_by: Mapped[str | None] = mapped_column(String(120))
    rhi_findings: Mapped[str | None] = mapped_column(Text)
    rhi_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    #: Set when this is a repeat episode (the third in 90 days): the Atlas team reviews the child.
    atlas_review: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    updates: Mapped[list[MissingUpdate]] = relationship(
        cascade="all, delete-orphan", order_by="MissingUpdate.id", back_populates="episode"
    )

    @property
    def reference(self) -> str:
        return missing_reference(self.id)


class MissingUpdate(Base):
    """One stamped update: a sighting, a police update, the return, an escalation, the interview."""

    __tablename__ = "missing_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("missing_episodes.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(info=STAMP_INSERT)
    #: When what it reports happened (a sighting's time), where it differs from when it was recorded.
    happened_at: Mapped[datetime | None]
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: sighting / police / note / returned / escalated / strategy / rhi_offered / rhi_answer / rhi_done / contact
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")

    episode: Mapped[MissingEpisode] = relationship(back_populates="updates")
