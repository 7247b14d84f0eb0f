"""Contacts and everything that hangs off them on the way to a decision."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import STAMP_INSERT, Base, Versioned
from db.models.admin import Agency, User
from db.models.people import Person
from db.references import consultation_reference, contact_reference


class Referrer(Versioned, Base):
    """Who made a contact: a professional, a family member, the public, or anonymous."""

    __tablename__ = "referrers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    #: Organisation as the referrer gave it (a school's name, a GP practice).
    organisation: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    relationship_to_family: Mapped[str | None] = mapped_column(String(80))
    professional: Mapped[bool] = mapped_column(Boolean, default=True)

    agency: Mapped[Agency | None] = relationship(lazy="joined")


class Contact(Versioned, Base):
    """A contact about one or more children: the unit of work of the MASH queue.

    ``children_display`` and ``source_display`` repeat, in a form ready to show, what
    the linked rows say; the contact service keeps them in step so the queue can
    sort, filter and page 150,000 contacts from one indexed table.
    """

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_received", "received_at"),
        Index("ix_contacts_status_received", "status", "received_at"),
        Index("ix_contacts_due", "decision_due_at"),
        Index("ix_contacts_allocated_status", "allocated_to_id", "status"),
        Index("ix_contacts_rag_rank_received", "rag_rank", "received_at"),
        # Covers every contact figure of the performance digest: a period's contacts are read from the index.
        Index("ix_contacts_digest", "received_at", "cin_source", "rag", "outcome", "decided_late",
              "is_re_referral"),
        Index("ix_contacts_children", "children_display"),
        Index("ix_contacts_source", "cin_source", "received_at"),
        Index("ix_contacts_consultation", "consultation_id"),
        #: "Take next": the first screened, unallocated contact in urgency order (migration 0010).
        Index("ix_contacts_take_next", "rag_rank", "decision_due_at", "id",
              postgresql_where=text("status = 'screened' AND allocated_to_id IS NULL"),
              sqlite_where=text("status = 'screened' AND allocated_to_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime]
    #: phone, email, online_form, police_notification, other_la, edt, consultation, step_up
    channel: Mapped[str] = mapped_column(String(24))
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("referrers.id"))
    cin_source: Mapped[str] = mapped_column(String(3))
    concern: Mapped[str] = mapped_column(Text, default="")
    child_location: Mapped[str | None] = mapped_column(Text)
    #: yes / no / unknown
    immediate_protection: Mapped[str] = mapped_column(String(8), default="unknown")
    interpreter_needs: Mapped[str | None] = mapped_column(String(200))
    #: given / refused / not_sought
    consent: Mapped[str] = mapped_column(String(12), default="not_sought")
    consent_reason: Mapped[str | None] = mapped_column(Text)
    consent_decided_by: Mapped[str | None] = mapped_column(String(120))
    #: new → screened → in_progress → awaiting_authorisation (→ returned) → closed
    status: Mapped[str] = mapped_column(String(24), default="new")
    rag: Mapped[str | None] = mapped_column(String(5))  # red / amber / green; None before screening
    #: 0 red, 1 amber, 2 green, 3 not yet screened: sorts the queue by urgency on an index.
    rag_rank: Mapped[int] = mapped_column(Integer, default=3)
    rag_suggested: Mapped[str | None] = mapped_column(String(5))
    rag_reason: Mapped[str | None] = mapped_column(Text)
    screened_at: Mapped[datetime | None]
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_due_at: Mapped[datetime | None]
    allocated_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    allocated_at: Mapped[datetime | None]
    #: The authorised outcome (threshold outcome ids), once closed.
    outcome: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None]
    decided_late: Mapped[bool | None] = mapped_column(Boolean)
    is_re_referral: Mapped[bool] = mapped_column(Boolean, default=False)
    children_display: Mapped[str] = mapped_column(String(300), default="")
    source_display: Mapped[str] = mapped_column(String(160), default="")
    edt_entry_id: Mapped[int | None] = mapped_column(ForeignKey("edt_entries.id"))
    step_down_id: Mapped[int | None] = mapped_column(ForeignKey("step_downs.id", use_alter=True))
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    referrer: Mapped[Referrer | None] = relationship()
    allocated_to: Mapped[User | None] = relationship(foreign_keys=[allocated_to_id])
    people: Mapped[list[ContactPerson]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactPerson.id"
    )
    checks: Mapped[list[AgencyCheck]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="AgencyCheck.id"
    )

    @property
    def reference(self) -> str:
        return contact_reference(self.id)


RAG_RANK = {"red": 0, "amber": 1, "green": 2, None: 3}


class ContactPerson(Base):
    """A person in a contact, in one of the roles a contact records."""

    __tablename__ = "contact_people"
    __table_args__ = (
        UniqueConstraint("contact_id", "person_id", "role", name="uq_contact_people_contact_person_role"),
        Index("ix_contact_people_person_contact", "person_id", "contact_id"),
        #: The queue's name search: the contacts of children, index-only (migration 0010).
        Index("ix_contact_people_child", "person_id", "contact_id", postgresql_where=text("role = 'child'"),
              sqlite_where=text("role = 'child'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    #: child, household_member, regular_visitor, alleged_perpetrator
    role: Mapped[str] = mapped_column(String(24))
    relationship_to_child: Mapped[str | None] = mapped_column(String(40))
    parental_responsibility: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)

    contact: Mapped[Contact] = relationship(back_populates="people")
    person: Mapped[Person] = relationship(lazy="joined")


class AgencyCheck(Versioned, Base):
    """A request to a partner agency for what it holds, and its answer."""

    __tablename__ = "agency_checks"
    __table_args__ = (Index("ix_agency_checks_agency_status", "agency_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    requested_at: Mapped[datetime]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime]
    question: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="requested")  # requested / answered
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None]
    responder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Only the answering agency may read the response; others see that it exists.
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)

    contact: Mapped[Contact] = relationship(back_populates="checks")
    agency: Mapped[Agency] = relationship(lazy="joined")
    responder: Mapped[User | None] = relationship(foreign_keys=[responder_id])


class ThresholdAssessment(Base):
    """The Threshold of Need applied to one child of a contact, as the engine suggested it."""

    __tablename__ = "threshold_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    indicators: Mapped[list[Any]] = mapped_column(default=list)
    household_indicators: Mapped[list[Any]] = mapped_column(default=list)
    suggested_level: Mapped[int]
    suggested_outcome: Mapped[str] = mapped_column(String(32))
    suggested_rag: Mapped[str] = mapped_column(String(5))
    flags: Mapped[list[Any]] = mapped_column(default=list)
    rules_fired: Mapped[list[Any]] = mapped_column(default=list)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    ruleset_id: Mapped[str] = mapped_column(String(60))
    ruleset_version: Mapped[str] = mapped_column(String(20))
    #: The child's facts the engine used, so a replay evaluates them exactly as they were (all ``None`` on
    #: assessments stored before they were kept): birth dates, disabled, previously on a plan, and contacts
    #: and referrals in the 12 months before.
    facts_date_of_birth: Mapped[date | None] = mapped_column(Date)
    facts_expected_date_of_birth: Mapped[date | None] = mapped_column(Date)
    facts_disabled: Mapped[bool | None] = mapped_column(Boolean)
    facts_previous_cp_plan: Mapped[bool | None] = mapped_column(Boolean)
    facts_previous_contacts_12m: Mapped[int | None] = mapped_column(Integer)
    facts_previous_referrals_12m: Mapped[int | None] = mapped_column(Integer)
    assessed_at: Mapped[datetime] = mapped_column(info=STAMP_INSERT)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Decision(Versioned, Base):
    """The practitioner's decision for one child, and the manager's authorisation of it."""

    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_status", "status"),
        # The digest's threshold overrides: a period's decisions, with what was decided, from the index.
        Index("ix_decisions_decided", "decided_at", "assessment_id", "level", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("threshold_assessments.id"))
    level: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(32))
    primary_need: Mapped[str | None] = mapped_column(String(2))  # N0-N9
    override_reason: Mapped[str | None] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime]
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: proposed → authorised, or returned (with a comment) for another go
    status: Mapped[str] = mapped_column(String(12), default="proposed")
    authorised_at: Mapped[datetime | None]
    authorised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    return_comment: Mapped[str | None] = mapped_column(Text)
    nfa: Mapped[bool] = mapped_column(Boolean, default=False)


class ReferrerFeedback(Versioned, Base):
    __tablename__ = "referrer_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str | None] = mapped_column(String(20))  # email / phone / letter / secure_email
    sent_at: Mapped[datetime | None]
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Consultation(Versioned, Base):
    """A professional's call to the consultation line: advice given, perhaps a contact."""

    __tablename__ = "consultations"
    __table_args__ = (Index("ix_consultations_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    caller_name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str | None] = mapped_column(String(120))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    phone: Mapped[str | None] = mapped_column(String(40))
    child_summary: Mapped[str | None] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    advised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    became_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    caller_role: Mapped[str | None] = mapped_column(String(80))
    #: Whether the caller rang from a school (the education safeguarding lead sees these).
    from_school: Mapped[bool] = mapped_column(Boolean, default=False)
    #: advice_only / signposted / referral_asked / contact_now
    outcome: Mapped[str] = mapped_column(String(16), default="advice_only")
    signposted_to: Mapped[str | None] = mapped_column(String(120))
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    children: Mapped[list[ConsultationPerson]] = relationship(
        cascade="all, delete-orphan", order_by="ConsultationPerson.id"
    )

    @property
    def reference(self) -> str:
        return consultation_reference(self.id)


class ConsultationPerson(Base):
    """A child named in a consultation, linked through the known-child search."""

    __tablename__ = "consultation_people"
    __table_args__ = (Index("ix_consultation_people_person", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))

    person: Mapped[Person] = relationship(lazy="joined")


class DailyMeeting(Versioned, Base):
    """One working morning's MASH meeting: opened, attended, held item by item, closed (minutes locked)."""

    __tablename__ = "daily_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_date: Mapped[date] = mapped_column(Date, unique=True)
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    attendees: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: open → closed (closing locks the minutes: later additions are addenda).
    status: Mapped[str] = mapped_column(String(8), default="open")
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Who attended, by agency code: {"police": "DC Laura Hughes", …}; an agency absent is not a key.
    attendance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    actions: Mapped[list[MeetingAction]] = relationship(cascade="all, delete-orphan")


class MeetingAction(Versioned, Base):
    """An action agreed at a meeting: an owner (a user or an agency, perhaps a school), a due date, a status."""

    __tablename__ = "meeting_actions"
    __table_args__ = (Index("ix_meeting_actions_status_due", "status", "due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("daily_meetings.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    action: Mapped[str] = mapped_column(Text)
    #: The owner as the minutes name them ("Tom Whitfield", "education: Hayes Primary School").
    owner: Mapped[str] = mapped_column(String(120))
    due: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None]
    item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_items.id", ondelete="SET NULL"))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The owning agency's code (the owner user's agency, or the agency named as owner).
    owner_agency: Mapped[str | None] = mapped_column(String(32))
    #: The school an education action goes back to.
    school: Mapped[str | None] = mapped_column(String(120))
    #: open / done
    status: Mapped[str] = mapped_column(String(8), default="open")
    done_note: Mapped[str | None] = mapped_column(Text)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime | None]
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Added after the minutes were locked.
    addendum: Mapped[bool] = mapped_column(Boolean, default=False)
