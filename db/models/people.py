"""People (children and adults), their names, addresses, relationships and households."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Versioned


class Person(Versioned, Base):
    """A child or adult known to the MASH.

    The ``key_*`` columns hold normalised and phonetic forms of the names, kept by
    the people service, so the known-child search looks up an index instead of
    scanning every person.
    """

    __tablename__ = "people"
    __table_args__ = (
        Index("ix_people_key_last_dob", "key_last", "date_of_birth"),
        Index("ix_people_key_first", "key_first"),
        Index("ix_people_phon_last", "phon_last"),
        Index("ix_people_phon_first", "phon_first"),
        Index("ix_people_dob", "date_of_birth"),
        Index("ix_people_nhs", "nhs_number"),
        Index("ix_people_upn", "upn"),
        Index("ix_people_phon_last_first", "phon_last", "phon_first"),
        Index("ix_people_key_last_first", "key_last", "key_first"),
        Index("ix_people_edob", "expected_date_of_birth"),
        Index("ix_people_merged_into", "merged_into_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Identifier in the system the person was imported from (``mashdesk import persons``).
    external_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    middle_names: Mapped[str | None] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    expected_date_of_birth: Mapped[date | None] = mapped_column(Date)
    date_of_death: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1), default="U")  # M / F / U
    ethnicity: Mapped[str | None] = mapped_column(String(4))
    first_language: Mapped[str | None] = mapped_column(String(40))
    religion: Mapped[str | None] = mapped_column(String(40))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disability_notes: Mapped[str | None] = mapped_column(Text)
    #: CIN census disability codes, space-separated ("MOB LD"); ``disabled`` is set when there are any.
    disability_codes: Mapped[str | None] = mapped_column(String(60))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    immigration_status: Mapped[str | None] = mapped_column(String(60))
    nhs_number: Mapped[str | None] = mapped_column(String(10))
    upn: Mapped[str | None] = mapped_column(String(13))
    former_upn: Mapped[str | None] = mapped_column(String(13))
    #: Why a child has no UPN (UN1-UN5, the DfE codes), when they have none.
    upn_unknown: Mapped[str | None] = mapped_column(String(3))
    school: Mapped[str | None] = mapped_column(String(120))
    gp: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: Case status carried from the case record, shown at a glance when matching.
    open_case: Mapped[bool] = mapped_column(Boolean, default=False)
    cp_plan_current: Mapped[bool] = mapped_column(Boolean, default=False)
    cp_plan_previous: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Warnings a practitioner must see (e.g. "violent adult in household").
    warning: Mapped[str | None] = mapped_column(Text)
    #: A restricted record (e.g. a family member works in the service): only managers open it.
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    restricted_reason: Mapped[str | None] = mapped_column(Text)
    #: Set when this record was merged into another; merged records are hidden, not deleted.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    key_first: Mapped[str] = mapped_column(String(80), default="")
    key_last: Mapped[str] = mapped_column(String(80), default="")
    phon_first: Mapped[str] = mapped_column(String(16), default="")
    phon_last: Mapped[str] = mapped_column(String(16), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    names: Mapped[list[PersonName]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonName.id"
    )
    addresses: Mapped[list[PersonAddress]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonAddress.id"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonName(Base):
    """Another name a person is or was known by: alias, former name, preferred name."""

    __tablename__ = "person_names"
    __table_args__ = (
        Index("ix_person_names_phon_last", "phon_last"),
        Index("ix_person_names_key_last", "key_last"),
        Index("ix_person_names_phon_last_first", "phon_last", "phon_first"),
        Index("ix_person_names_key_last_first", "key_last", "key_first"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="alias")  # alias / former / preferred
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    #: From when the person was known by this name (a former name: until the current one).
    from_date: Mapped[date | None] = mapped_column(Date)
    key_first: Mapped[str] = mapped_column(String(80), default="")
    key_last: Mapped[str] = mapped_column(String(80), default="")
    phon_first: Mapped[str] = mapped_column(String(16), default="")
    phon_last: Mapped[str] = mapped_column(String(16), default="")

    person: Mapped[Person] = relationship(back_populates="names")


class Address(Base):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    line1: Mapped[str] = mapped_column(String(120))
    line2: Mapped[str | None] = mapped_column(String(120))
    town: Mapped[str] = mapped_column(String(80), default="")
    postcode: Mapped[str | None] = mapped_column(String(8))
    #: Postcode upper-cased without spaces, for matching.
    postcode_key: Mapped[str | None] = mapped_column(String(8), index=True)

    @property
    def one_line(self) -> str:
        parts = [self.line1, self.line2, self.town, self.postcode]
        return ", ".join(p for p in parts if p)


class PersonAddress(Base):
    __tablename__ = "person_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"), index=True)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    from_date: Mapped[date | None] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="addresses")
    address: Mapped[Address] = relationship(lazy="joined")


class Relationship(Base):
    """How one person stands to another: ``person`` is the ``kind`` of ``related_person``."""

    __tablename__ = "relationships"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    related_person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # mother, father, step-parent, sibling, carer, partner…
    parental_responsibility: Mapped[bool] = mapped_column(Boolean, default=False)


class Household(Base):
    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))
    label: Mapped[str] = mapped_column(String(120), default="")

    members: Mapped[list[HouseholdMember]] = relationship(cascade="all, delete-orphan")
    address: Mapped[Address | None] = relationship()


class HouseholdMember(Base):
    __tablename__ = "household_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    #: child, parent, carer, other adult, regular visitor.
    role: Mapped[str] = mapped_column(String(20))
    from_date: Mapped[date | None] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)


class PersonMerge(Base):
    """A merge of a duplicate person into a survivor, kept so it can be undone."""

    __tablename__ = "person_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    merged_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    merged_at: Mapped[datetime]
    merged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The links moved from the merged record, so unmerge can move them back.
    moved_links: Mapped[dict[str, Any]] = mapped_column(default=dict)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
