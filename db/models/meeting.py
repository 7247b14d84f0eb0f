"""The daily MASH meeting's items (the agenda as it was held) and the addenda after the minutes locked.

The meeting itself and its actions are :class:`db.models.contacts.DailyMeeting` and ``MeetingAction``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Versioned


class MeetingItem(Versioned, Base):
    """One item of a held meeting: the agenda line as it stood when the meeting opened, its note and decision."""

    __tablename__ = "meeting_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("daily_meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    section: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(24))
    record_id: Mapped[int | None]
    reference: Mapped[str] = mapped_column(String(24), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    brought_by: Mapped[str] = mapped_column(String(32), default="mash")
    urgency: Mapped[int] = mapped_column(Integer, default=0)
    involves_school: Mapped[bool] = mapped_column(Boolean, default=False)
    school: Mapped[str | None] = mapped_column(String(120))
    #: Roles that may read the detail (empty: everyone who sees the agenda).
    restricted_to: Mapped[list[Any]] = mapped_column(default=list)
    person_ids: Mapped[list[Any]] = mapped_column(default=list)
    #: Added by hand by a manager, not by a source.
    by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    #: nfa / agency_check / strategy / step_down / assessment / monitor (``mashdesk.meeting.workflow``).
    decision: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class MeetingAddendum(Base):
    """Something added to the minutes after they were locked, stamped with who and when."""

    __tablename__ = "meeting_addenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("daily_meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_items.id", ondelete="SET NULL"))
    at: Mapped[datetime]
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_name: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
