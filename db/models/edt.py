"""The Emergency Duty Team's out-of-hours log and the morning handover."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from db.base import STAMP_INSERT, Base, Versioned


class EdtEntry(Versioned, Base):
    """One out-of-hours call. Never deleted; read-only after handover except appended notes."""

    __tablename__ = "edt_entries"
    __table_args__ = (Index("ix_edt_entries_period", "period_end", "urgency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_at: Mapped[datetime] = mapped_column(index=True)
    caller_name: Mapped[str] = mapped_column(String(120), default="")
    caller_agency: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    children_text: Mapped[str] = mapped_column(Text, default="")
    address_text: Mapped[str | None] = mapped_column(Text)
    reported: Mapped[str] = mapped_column(Text, default="")
    emergency_services: Mapped[bool] = mapped_column(Boolean, default=False)
    action_taken: Mapped[str] = mapped_column(Text, default="")
    outstanding: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(8), default="routine")  # urgent / routine
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None]
    #: The out-of-hours period the call falls in (calendar decides), for the handover.
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    people: Mapped[list[EdtEntryPerson]] = relationship(cascade="all, delete-orphan")
    notes: Mapped[list[EdtEntryNote]] = relationship(cascade="all, delete-orphan", order_by="EdtEntryNote.id")
    acknowledgement: Mapped[HandoverAcknowledgement | None] = relationship(back_populates="entry")


class EdtEntryPerson(Base):
    """A known person linked to an EDT entry through the search panel."""

    __tablename__ = "edt_entry_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("edt_entries.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(24), default="child")


class EdtEntryNote(Base):
    """A note appended to an entry; notes are only ever added."""

    __tablename__ = "edt_entry_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("edt_entries.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(info=STAMP_INSERT)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)


class HandoverAcknowledgement(Versioned, Base):
    """The MASH's acknowledgement of one EDT entry at the morning handover, and what it became."""

    __tablename__ = "handover_acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("edt_entries.id"), unique=True)
    acknowledged_at: Mapped[datetime]
    acknowledged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: pending / contact_created / no_action
    outcome: Mapped[str] = mapped_column(String(16), default="pending")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    no_action_reason: Mapped[str | None] = mapped_column(Text)
    dealt_at: Mapped[datetime | None]
    dealt_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Not dealt with by the handover deadline.
    breached: Mapped[bool] = mapped_column(Boolean, default=False)

    entry: Mapped[EdtEntry] = relationship(back_populates="acknowledgement")


#: Rows of the EDT log and its handover that nothing may delete (notes are only ever added).
NEVER_DELETED = (EdtEntry, EdtEntryNote, HandoverAcknowledgement)


class EdtLogDeletion(Exception):
    """Something tried to delete an item of the EDT log, a note on one, or its acknowledgement."""


@event.listens_for(Session, "before_flush")
def _refuse_deleting_the_log(session: Session, _context: object, _instances: object) -> None:
    for obj in session.deleted:
        if isinstance(obj, NEVER_DELETED):
            raise EdtLogDeletion(f"{type(obj).__name__} {obj.id} cannot be deleted: the EDT log keeps every "
                                 "item, note and acknowledgement")
