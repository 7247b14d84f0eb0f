"""Strategy discussions: who was there, what each agency shared, decisions and actions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Versioned


class StrategyDiscussion(Versioned, Base):
    __tablename__ = "strategy_discussions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    convened_at: Mapped[datetime]
    convened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime]
    scheduled_for: Mapped[datetime | None]
    held_at: Mapped[datetime | None]
    mode: Mapped[str] = mapped_column(String(12), default="video")  # in_person / phone / video
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    #: convened → held → closed
    status: Mapped[str] = mapped_column(String(12), default="convened", index=True)
    immediate_actions: Mapped[str] = mapped_column(Text, default="")
    further_information: Mapped[str] = mapped_column(Text, default="")
    criminal_investigation: Mapped[str] = mapped_column(Text, default="")
    legal_advice: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    children: Mapped[list[StrategyChild]] = relationship(cascade="all, delete-orphan", order_by="StrategyChild.id")
    attendees: Mapped[list[StrategyAttendee]] = relationship(
        cascade="all, delete-orphan", order_by="StrategyAttendee.id"
    )
    actions: Mapped[list[StrategyAction]] = relationship(
        cascade="all, delete-orphan", order_by="StrategyAction.id"
    )


class StrategyChild(Versioned, Base):
    """The discussion's record for one child, with its section 47 decision."""

    __tablename__ = "strategy_children"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("strategy_discussions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    #: s47_single / s47_joint / no_s47; None until decided
    decision: Mapped[str | None] = mapped_column(String(12))
    no_s47_reason: Mapped[str | None] = mapped_column(Text)
    s47_started_on: Mapped[date | None] = mapped_column(Date)
    icpc_due: Mapped[date | None] = mapped_column(Date)
    icpc_held_on: Mapped[date | None] = mapped_column(Date)
    #: The enquiry found no conference is needed (the census's ICPCnotRequired).
    icpc_not_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StrategyAttendee(Versioned, Base):
    __tablename__ = "strategy_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("strategy_discussions.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    invited: Mapped[bool] = mapped_column(Boolean, default=True)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    joined_by: Mapped[str | None] = mapped_column(String(12))  # in_person / phone / video
    information_shared: Mapped[str] = mapped_column(Text, default="")


class StrategyAction(Versioned, Base):
    __tablename__ = "strategy_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("strategy_discussions.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    due: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None]
