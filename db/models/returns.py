"""What the CIN census reports beyond the front door: the episode opened by a referral, its single
assessments with their factors, CIN plans, child protection plans, and the episode's closure."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Versioned


class CinEpisode(Versioned, Base):
    """A child in need episode: opened by an authorised referral decision, closed with a reason (RC1-RC8)."""

    __tablename__ = "cin_episodes"
    __table_args__ = (Index("ix_cin_episodes_person", "person_id"),
                      Index("ix_cin_episodes_referral", "referral_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), unique=True)
    #: The referral date (the day the contact was received).
    referral_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    #: RC1-RC8 (the census's reasons for closure), with ``closed_on``.
    closure_reason: Mapped[str | None] = mapped_column(String(3))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    assessments: Mapped[list[CinAssessment]] = relationship(
        cascade="all, delete-orphan", order_by="CinAssessment.started_on")
    plans: Mapped[list[CinPlan]] = relationship(cascade="all, delete-orphan", order_by="CinPlan.started_on")
    cp_plans: Mapped[list[CpPlan]] = relationship(cascade="all, delete-orphan", order_by="CpPlan.started_on")


class CinAssessment(Versioned, Base):
    """A single assessment (section 17) and the factors identified at its end."""

    __tablename__ = "cin_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("cin_episodes.id", ondelete="CASCADE"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    authorised_on: Mapped[date | None] = mapped_column(Date)
    #: Factor codes identified at the end of the assessment, space-separated ("3A 4B").
    factors: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CinPlan(Versioned, Base):
    """A child in need plan (section 17)."""

    __tablename__ = "cin_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("cin_episodes.id", ondelete="CASCADE"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


class CpPlan(Versioned, Base):
    """A child protection plan, from the initial child protection conference."""

    __tablename__ = "cp_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("cin_episodes.id", ondelete="CASCADE"), index=True)
    strategy_child_id: Mapped[int | None] = mapped_column(ForeignKey("strategy_children.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    #: NEG / PHY / EMO / SAB / MUL
    initial_category: Mapped[str] = mapped_column(String(3))
    latest_category: Mapped[str] = mapped_column(String(3))
