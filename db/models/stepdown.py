"""Step-downs to Early Help and their life, including step-up back to the MASH."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import STAMP_INSERT, Base, Versioned


class StepDown(Versioned, Base):
    __tablename__ = "step_downs"
    __table_args__ = (Index("ix_step_downs_centre_status", "centre", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    #: Receiving team or Children and Family Centre (code from configuration).
    centre: Mapped[str | None] = mapped_column(String(40))
    #: given / refused / not_asked
    consent_step_down: Mapped[str] = mapped_column(String(10), default="not_asked")
    consent_info_sharing: Mapped[str] = mapped_column(String(10), default="not_asked")
    needs: Mapped[str] = mapped_column(Text, default="")
    decision_summary: Mapped[str] = mapped_column(Text, default="")
    #: draft, sent, accepted, declined, allocated, engaged, closed, stepped_up, consent_refused
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    sent_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    declined_reason: Mapped[str | None] = mapped_column(Text)
    allocated_worker: Mapped[str | None] = mapped_column(String(120))
    allocated_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    first_contact_due_at: Mapped[datetime | None]
    first_contact_at: Mapped[datetime | None]
    next_review_due_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: outcomes_met / family_declined / no_further_action
    closure_reason: Mapped[str | None] = mapped_column(String(24))
    stepped_up_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    is_demo: Mapped[bool] = mapped_column(default=False)

    events: Mapped[list[StepDownEvent]] = relationship(
        cascade="all, delete-orphan", order_by="StepDownEvent.id"
    )


class StepDownEvent(Base):
    """One step in a step-down's life, stamped with who and when."""

    __tablename__ = "step_down_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_down_id: Mapped[int] = mapped_column(ForeignKey("step_downs.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(info=STAMP_INSERT)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
