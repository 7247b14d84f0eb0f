"""The Emergency Duty Team's out-of-hours log and the MASH's morning handover of it.

The EDT logs each call of the night (or weekend, or bank holiday) in the period the
calendar says the call falls in. At the next opening the MASH takes the period over:
every item is acknowledged by a named manager and then either turned into a contact or
recorded as needing "no action for the day service", with a reason. Items are never
deleted; once handed over an entry is read-only except for notes appended to it.
Anything not dealt with by the ``edt_handover`` deadline (10:00) is breached and stays
on screen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from db.models import (
    Contact,
    EdtEntry,
    EdtEntryNote,
    EdtEntryPerson,
    HandoverAcknowledgement,
    Person,
    User,
)
from db.references import contact_reference
from mashdesk import validators
from mashdesk.calendar import WorkingCalendar
from mashdesk.errors import InputError, MashDeskError
from mashdesk.notices import Notice
from mashdesk.context import Actor, AppContext, Service, WriteScope
from mashdesk.services.contacts import ContactChildInput, ContactInput, ReferrerInput, record_contact
from mashdesk.people.service import PersonInput

URGENCIES = ("urgent", "routine")
#: The morning reminder goes out at this local time on working days.
REMINDER_AT = time(8, 45)
#: What the EDT may change on an entry until it is handed over.
ENTRY_FIELDS = ("call_at", "caller_name", "caller_agency", "phone", "children_text", "address_text",
                "reported", "emergency_services", "action_taken", "outstanding", "urgency")


class HandedOver(MashDeskError):
    """The entry was handed over to the MASH: it is read-only except for appended notes."""


class AlreadyDealtWith(MashDeskError):
    """Someone else acknowledged or dealt with the item first."""


# -- input and what the service hands back -------------------------------------------------------------

@dataclass
class EdtEntryInput:
    """One out-of-hours call as the EDT logs it."""

    call_at: datetime
    reported: str
    caller_name: str = ""
    caller_agency: str | None = None
    phone: str | None = None
    children_text: str = ""
    address_text: str | None = None
    emergency_services: bool = False
    action_taken: str = ""
    outstanding: str = ""
    urgency: str = "routine"
    #: Known people linked through the search panel.
    person_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class NoteView:
    at: datetime
    by: str
    text: str


@dataclass(frozen=True)
class HandoverItem:
    """One EDT entry with its place in the handover."""

    id: int
    version: int
    call_at: datetime
    caller_name: str
    caller_agency: str | None
    phone: str | None
    children_text: str
    address_text: str | None
    reported: str
    emergency_services: bool
    action_taken: str
    outstanding: str
    urgency: str
    recorded_by: str | None
    completed_at: datetime | None
    period_start: datetime
    period_end: datetime
    deadline: datetime
    people: tuple[tuple[int, str], ...]
    notes: tuple[NoteView, ...]
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    #: None before acknowledgement, then pending / contact_created / no_action.
    outcome: str | None
    contact_id: int | None
    no_action_reason: str | None
    dealt_at: datetime | None
    dealt_by: str | None
    #: Not dealt with by the deadline (kept once dealt with late).
    breached: bool
    #: The EDT may still edit it (not acknowledged, deadline not passed).
    editable: bool

    @property
    def urgent(self) -> bool:
        return self.urgency == "urgent"

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def dealt_with(self) -> bool:
        return self.outcome in ("contact_created", "no_action")

    @property
    def contact_reference(self) -> str | None:
        return contact_reference(self.contact_id) if self.contact_id else None

    @property
    def children(self) -> str:
        """The children as the log names them: linked known people, else the free text."""
        return ", ".join(name for _, name in self.people) or self.children_text or "not named"

    @property
    def caller(self) -> str:
        return " · ".join(x for x in (self.caller_name or "Caller not named", self.caller_agency) if x)

    @property
    def status_label(self) -> str:
        """pending / acknowledged / contact C-000123 / no action / BREACHED ("(late)" once dealt with late)."""
        late = " (late)" if self.breached else ""
        if self.outcome == "contact_created":
            return f"contact {self.contact_reference}{late}"
        if self.outcome == "no_action":
            return f"no action{late}"
        if self.breached:
            return "BREACHED"
        return "acknowledged" if self.acknowledged else "pending"

    @property
    def became(self) -> str:
        """What the item became, in words for the sheet."""
        if self.outcome == "contact_created":
            return f"Contact {self.contact_reference} recorded by {self.dealt_by}"
        if self.outcome == "no_action":
            return f"No action for the day service ({self.dealt_by}): {self.no_action_reason}"
        return "Not yet dealt with"


@dataclass(frozen=True)
class HandoverPeriod:
    start: datetime
    end: datetime
    deadline: datetime
    now: datetime
    items: list[HandoverItem]

    @property
    def day(self) -> date:
        return self.end.date()

    @property
    def unacknowledged(self) -> list[HandoverItem]:
        return [i for i in self.items if not i.acknowledged]

    @property
    def outstanding(self) -> list[HandoverItem]:
        return [i for i in self.items if not i.dealt_with]

    @property
    def summary(self) -> str:
        n = len(self.items)
        urgent = sum(i.urgent for i in self.items)
        acked = n - len(self.unacknowledged)
        breached = sum(i.breached for i in self.items)
        text = (f"{n} item{'s' if n != 1 else ''} ({urgent} urgent) · {acked} acknowledged · "
                f"{n - len(self.outstanding)} dealt with")
        return text + (f" · {breached} breached" if breached else "")


@dataclass(frozen=True)
class HandoverSheet:
    pdf: bytes
    period: HandoverPeriod


# -- the calendar's periods -------------------------------------------------------------------------

def period_of_call(calendar: WorkingCalendar, call_at: datetime) -> tuple[datetime, datetime]:
    """The out-of-hours period a call falls in; a call in office hours belongs to no period."""
    if calendar.in_office_hours(call_at):
        raise InputError("call time: that is in office hours; the EDT logs out-of-hours calls only", "call_at")
    return calendar.edt_period_ending(calendar.start_of_clock(call_at).date())


def handover_day(calendar: WorkingCalendar, now: datetime) -> date:
    """The working day whose morning handover a manager sees now: today, or the next working day."""
    today = calendar.localize(now).date()
    return today if calendar.is_working_day(today) else calendar.next_working_day(today)


def shift_day(calendar: WorkingCalendar, now: datetime) -> date:
    """The day whose opening ends the EDT shift of ``now`` (in office hours: this morning's shift)."""
    if calendar.in_office_hours(now):
        return calendar.localize(now).date()
    return calendar.start_of_clock(now).date()


def _past(calendar: WorkingCalendar, deadline: datetime, now: datetime) -> bool:
    """Whether ``deadline`` has passed at ``now`` (the calendar's rule: breached once passed)."""
    return calendar.localize(now) > calendar.localize(deadline)


# -- the children of a contact made from an entry ------------------------------------------------------

_SPLIT = re.compile(r"\s*(?:[;\n]|,(?!\s*aged?\b)|\band\b|&)\s*", re.IGNORECASE)
_CHILD = re.compile(
    r"^(?P<name>[^\W\d_][^\d()]*?)\s*(?:\(\s*(?:aged?\s*)?(?P<age1>\d{1,2})\s*(?:y(?:ea)?rs?)?\s*\)"
    r"|,?\s*aged?\s*(?P<age2>\d{1,2}))?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedChild:
    first_name: str
    last_name: str
    age: int | None


def parse_children(text: str) -> list[ParsedChild]:
    """Children written as the EDT types them: "Amelia Smith (7), Jack Smith aged 12; Baby Smith".

    Raises :class:`InputError` (field ``children``) when a part is not a first and last name.
    """
    out = []
    for part in (p for p in _SPLIT.split(text or "") if p and p.strip()):
        m = _CHILD.match(part.strip())
        words = m["name"].split() if m else []
        if len(words) < 2 or not (words[0][0].isupper() and words[-1][0].isupper()):
            raise InputError(f"children: cannot read {part.strip()!r} as a child's first and last name; "
                             "name each child", "children")
        age = m["age1"] or m["age2"]  # type: ignore[index]
        out.append(ParsedChild(" ".join(words[:-1]), words[-1], int(age) if age else None))
    return out


_POSTCODE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\s*$", re.IGNORECASE)


def _address_parts(address: str | None) -> dict[str, str | None]:
    """Line 1, town and postcode of an address typed as "12 High Street, Bromley BR1 2AB"."""
    text = (address or "").strip()
    if not text:
        return {}
    postcode = None
    m = _POSTCODE.search(text)
    if m:
        try:
            postcode = validators.postcode(m[1])
            text = text[:m.start()].strip().rstrip(",")
        except ValueError:
            postcode = None
    line1, _, town = text.partition(",")
    return {"address_line1": line1.strip() or None, "town": town.strip() or None, "postcode": postcode}


#: Words in the caller's agency → (CIN referral source, agency code). First match wins.
_SOURCE_WORDS: list[tuple[tuple[str, ...], str, str | None]] = [
    (("police", "officer", "pc ", "ds ", "dc "), "6", "police"),
    (("a&e", "emergency department", "hospital"), "3E", "health"),
    (("health visitor",), "3B", "health"),
    (("school nurse",), "3C", "health"),
    (("gp", "surgery", "doctor", "medical centre"), "3A", "health"),
    (("nhs", "health", "ambulance", "paramedic", "midwife", "111", "nurse"), "3F", "health"),
    (("school", "academy", "college"), "2A", "education"),
    (("education",), "2B", "education"),
    (("housing",), "4", "housing"),
    (("probation", "prison", "court"), "7", "probation"),
    (("foster", "children's home", "residential", "social care", "social worker"), "5A", None),
    (("other local authority", "another local authority", "council"), "5C", "other_la"),
    (("youth offending",), "5B", "youth_offending"),
    (("early help", "family centre"), "5D", "early_help"),
    (("anonymous",), "9", None),
    (("self", "young person", "the child"), "1C", None),
    (("parent", "mother", "father", "mum", "dad", "grand", "aunt", "uncle", "relative", "family",
      "carer", "sibling", "brother", "sister"), "1A", None),
    (("neighbour", "friend", "acquaintance"), "1B", None),
    (("public", "passer", "member of"), "1D", None),
    (("charity", "voluntary", "refuge", "church"), "8", "voluntary"),
]
#: Sources whose referrers are family or the public rather than professionals.
_INDIVIDUAL_SOURCES = frozenset({"1A", "1B", "1C", "1D", "9", "10"})


def suggest_source(caller_agency: str | None, caller_name: str = "") -> tuple[str, str | None]:
    """The CIN referral source (and agency, if it is one of the MASH's) suggested by the caller's agency."""
    text = f" {(caller_agency or '').lower()} "
    if not caller_name.strip():
        return "9", None  # a caller who gave no name is anonymous, whoever they said they were
    if not text.strip():
        return "10", None
    for words, source, agency in _SOURCE_WORDS:
        if any(w in text for w in words):
            return source, agency
    return "8", None


@dataclass
class ConversionInput:
    """Overrides the manager may give when turning an entry into a contact (all optional)."""

    #: The children when the entry names none the desk can read: known people or new ones.
    children: list[ContactChildInput] | None = None
    cin_source: str | None = None
    immediate_protection: str = "unknown"
    consent: str = "not_sought"
    consent_reason: str | None = None


# -- the service ------------------------------------------------------------------------------------

class HandoverService(Service):
    """The EDT log (role ``edt``) and the morning handover (MASH managers)."""

    @property
    def calendar(self) -> WorkingCalendar:
        return self.ctx.calendar

    # -- reading --------------------------------------------------------------------------------------
    def period(self, actor: Actor, day: date) -> HandoverPeriod:
        """Every item of the period ending at the opening of working day ``day``, urgent first."""
        if not self.calendar.is_working_day(day):
            raise InputError(f"date: {day:%a %d %b %Y} is not a working day, so no EDT period ends that morning",
                             "date")
        start, end = self.calendar.edt_period_ending(day)
        deadline = self.calendar.edt_handover(end)
        now = self.ctx.now()
        with self.read(actor, "handover.read") as s:
            entries = list(s.scalars(_entries().where(EdtEntry.period_end == end)))
            items = _items(s, entries, self.calendar, now)
        items.sort(key=lambda i: (not i.urgent, i.call_at, i.id))
        return HandoverPeriod(start=start, end=end, deadline=deadline, now=now, items=items)

    def default_day(self, actor: Actor) -> date:
        """The morning whose period a user sees first: the EDT its current shift, the MASH the handover."""
        now = self.ctx.now()
        return shift_day(self.calendar, now) if actor.may("edt.log") else handover_day(self.calendar, now)

    def morning(self, actor: Actor) -> HandoverPeriod:
        """The handover a manager works on now: this working day's, or the next one's."""
        return self.period(actor, handover_day(self.calendar, self.ctx.now()))

    def shift(self, actor: Actor) -> HandoverPeriod:
        """The EDT's current shift (in office hours: the shift that ended this morning)."""
        return self.period(actor, shift_day(self.calendar, self.ctx.now()))

    def item(self, actor: Actor, entry_id: int) -> HandoverItem:
        with self.read(actor, "handover.read") as s:
            entry = s.scalar(_entries().where(EdtEntry.id == entry_id))
            if entry is None:
                raise InputError(f"entry: EDT entry {entry_id} does not exist", "entry")
            return _items(s, [entry], self.calendar, self.ctx.now())[0]

    # -- the EDT log ----------------------------------------------------------------------------------
    def add_entry(self, actor: Actor, data: EdtEntryInput) -> int:
        """Log a call in the period the calendar puts it in; returns the entry's id."""
        with self.write(actor, "edt.log", "EDT entry") as w:
            start, end = self._check_entry(data, w.now)
            entry = EdtEntry(period_start=start, period_end=end, recorded_by_id=actor.user_id,
                             updated_by_id=actor.user_id,
                             **{name: getattr(data, name) for name in ENTRY_FIELDS})
            _clean(entry)
            entry.people = [EdtEntryPerson(person_id=w.get(Person, pid, "person").id, role="child")
                            for pid in dict.fromkeys(data.person_ids)]
            w.session.add(entry)
            w.session.flush()
            w.audit("edt_entry", entry.id, f"logged an out-of-hours call ({entry.urgency})",
                    period_end=end.isoformat(), people=len(entry.people))
            return entry.id

    def update_entry(self, actor: Actor, entry_id: int, expected_version: int, data: EdtEntryInput) -> int:
        """Change an entry during the shift; returns its new version. Refused once handed over."""
        with self.write(actor, "edt.log", "EDT entry") as w:
            entry = w.get_for_edit(EdtEntry, entry_id, expected_version, "EDT entry")
            self._check_editable(w, entry)
            start, end = self._check_entry(data, w.now)
            changed = [name for name in ENTRY_FIELDS if getattr(entry, name) != getattr(data, name)]
            for name in ENTRY_FIELDS:
                setattr(entry, name, getattr(data, name))
            _clean(entry)
            entry.period_start, entry.period_end = start, end
            wanted = list(dict.fromkeys(data.person_ids))
            if wanted != [p.person_id for p in entry.people]:
                changed.append("people")
                keep = {p.person_id: p for p in entry.people}
                entry.people = [keep.get(pid) or EdtEntryPerson(person_id=w.get(Person, pid, "person").id,
                                                                role="child") for pid in wanted]
            w.session.flush()
            w.audit("edt_entry", entry.id, "edited an EDT entry", fields=changed)
            return entry.version

    def complete_entry(self, actor: Actor, entry_id: int, expected_version: int) -> int:
        """The EDT has finished with the call; returns the entry's new version."""
        with self.write(actor, "edt.log", "EDT entry") as w:
            entry = w.get_for_edit(EdtEntry, entry_id, expected_version, "EDT entry")
            self._check_editable(w, entry)
            entry.completed_at = w.now
            w.session.flush()
            w.audit("edt_entry", entry.id, "completed an EDT entry")
            return entry.version

    def add_note(self, actor: Actor, entry_id: int, text: str) -> int:
        """Append a note to an entry (the one change allowed after handover); returns the note's id."""
        if not text.strip():
            raise InputError("note: write the note", "note")
        with self.write(actor, "edt.note", "EDT entry") as w:
            entry = w.get(EdtEntry, entry_id, "EDT entry")
            note = EdtEntryNote(entry_id=entry.id, at=w.now, by_id=actor.user_id, text=text.strip())
            w.session.add(note)
            w.session.flush()
            w.audit("edt_entry", entry.id, "appended a note to an EDT entry", note=note.id)
            return note.id

    def _check_entry(self, data: EdtEntryInput, now: datetime) -> tuple[datetime, datetime]:
        if data.call_at.tzinfo is None:
            raise InputError("call time: give a time zone", "call_at")
        if data.call_at > now + timedelta(minutes=5):
            raise InputError("call time: cannot be in the future", "call_at")
        if not data.reported.strip():
            raise InputError("reported: say what was reported", "reported")
        if data.urgency not in URGENCIES:
            raise InputError("urgency: urgent or routine", "urgency")
        start, end = period_of_call(self.calendar, data.call_at)
        handover = self.calendar.edt_handover(end)
        if _past(self.calendar, handover, now):
            raise HandedOver(f"The period ending {_local(end)} was handed over at {_local(handover)}: "
                             "add a note to one of its entries instead")
        return start, end

    def _check_editable(self, w: WriteScope, entry: EdtEntry) -> None:
        ack = entry.acknowledgement
        if ack is not None:
            who = w.session.get(User, ack.acknowledged_by_id)
            raise HandedOver(f"This entry was handed over to {who.display_name if who else 'the MASH'} at "
                             f"{_local(ack.acknowledged_at)}: it is read-only; add a note instead")
        handover = self.calendar.edt_handover(entry.period_end)
        if _past(self.calendar, handover, w.now):
            raise HandedOver(f"This entry's period was handed over at {_local(handover)}: it is read-only; "
                             "add a note instead")

    # -- the morning handover -------------------------------------------------------------------------
    def acknowledge(self, actor: Actor, entry_ids: Sequence[int]) -> list[int]:
        """Acknowledge items (one or many): each is stamped with who and when; one audit event names all.

        Items already acknowledged are left as they are; returns the ids acknowledged now.
        """
        ids = list(dict.fromkeys(entry_ids))
        if not ids:
            raise InputError("entries: choose at least one item to acknowledge", "entries")
        with self.write(actor, "handover.acknowledge", "handover item") as w:
            entries = self._entries_for_update(w, ids)
            fresh = [e for e in entries if e.acknowledgement is None]
            if not fresh:
                raise AlreadyDealtWith("Every item chosen was already acknowledged: reload to see by whom")
            for entry in fresh:
                self._acknowledgement(w, entry)
            self._flush(w)
            w.audit("edt_entry", fresh[0].id if len(fresh) == 1 else None,
                    f"acknowledged {len(fresh)} EDT item{'s' if len(fresh) != 1 else ''} at the handover",
                    entries=[e.id for e in fresh])
            return [e.id for e in fresh]

    def make_contact(self, actor: Actor, entry_id: int, options: ConversionInput | None = None) -> int:
        """Turn an item into a contact in one action (acknowledging it if need be); returns the contact's id.

        The contact is prefilled from the entry: the children (linked known people, else those named in
        the entry's text; if neither, ``options.children`` must name them), the caller and agency as
        referrer, what was reported as the concern, the call time as received time, channel EDT and
        the CIN source suggested by the caller's agency.
        """
        options = options or ConversionInput()
        with self.write(actor, "handover.deal", "handover item") as w:
            (entry,) = self._entries_for_update(w, [entry_id])
            ack = self._undealt(w, entry)
            children, ages = (options.children, []) if options.children else self._children_of(entry)
            source, agency = suggest_source(entry.caller_agency, entry.caller_name)
            if options.cin_source and options.cin_source != source:
                source, agency = options.cin_source, None
            individual = source in _INDIVIDUAL_SOURCES
            data = ContactInput(
                received_at=entry.call_at, channel="edt", cin_source=source, concern=entry.reported,
                referrer=ReferrerInput(
                    name=entry.caller_name, agency_code=agency,
                    organisation=None if individual else entry.caller_agency, phone=entry.phone,
                    relationship_to_family=entry.caller_agency if individual else None,
                    professional=not individual),
                children=children, child_location=entry.address_text,
                immediate_protection=options.immediate_protection, consent=options.consent,
                consent_reason=options.consent_reason or (
                    "Received out of hours through the EDT log; consent to be considered at screening."
                    if options.consent == "not_sought" else None),
                consent_decided_by=actor.display_name if options.consent == "not_sought" else None,
            )
            contact = record_contact(w, data)
            contact.edt_entry_id = entry.id
            for cp, age in zip(contact.people, ages, strict=False):
                if age is not None:
                    cp.notes = f"Age {age} as given in the EDT log"
            ack.outcome, ack.contact_id = "contact_created", contact.id
            self._dealt(w, entry, ack)
            self._flush(w)
            w.audit("edt_entry", entry.id, f"made contact {contact.reference} from an EDT item",
                    entries=[entry.id], contact=contact.id, children=len(children))
            return contact.id

    def no_action(self, actor: Actor, entry_ids: Sequence[int], reason: str) -> list[int]:
        """Record "no action for the day service" with a reason for one or many items."""
        ids = list(dict.fromkeys(entry_ids))
        if not ids:
            raise InputError("entries: choose at least one item", "entries")
        if not reason.strip():
            raise InputError("reason: say why the day service need not act", "reason")
        with self.write(actor, "handover.deal", "handover item") as w:
            entries = self._entries_for_update(w, ids)
            for entry in entries:
                ack = self._undealt(w, entry)
                ack.outcome, ack.no_action_reason = "no_action", reason.strip()
                self._dealt(w, entry, ack)
            self._flush(w)
            w.audit("edt_entry", ids[0] if len(ids) == 1 else None,
                    f"no action for the day service on {len(ids)} EDT item{'s' if len(ids) != 1 else ''}",
                    entries=ids, reason=reason.strip())
            return ids

    def mark_breaches(self, actor: Actor) -> list[int]:
        """Mark acknowledged items not dealt with by their deadline as breached; returns the entry ids.

        Items nobody acknowledged are breached too: they show as breached from their deadline on, and
        their acknowledgement, when it comes, keeps the fact.
        """
        now = self.ctx.now()
        with self.ctx.session_factory() as s:
            rows = s.execute(select(HandoverAcknowledgement.id, EdtEntry.period_end)
                             .join(EdtEntry, EdtEntry.id == HandoverAcknowledgement.entry_id)
                             .where(HandoverAcknowledgement.dealt_at.is_(None),
                                    HandoverAcknowledgement.breached.is_(False),
                                    EdtEntry.period_end <= now)).all()
        due = [ack_id for ack_id, end in rows if _past(self.calendar, self.calendar.edt_handover(end), now)]
        if not due:
            return []
        with self.write(actor, "handover.mark_breached", "handover item") as w:
            acks = list(w.session.scalars(select(HandoverAcknowledgement).where(
                HandoverAcknowledgement.id.in_(due), HandoverAcknowledgement.dealt_at.is_(None))))
            for ack in acks:
                ack.breached = True
                ack.updated_by_id = actor.user_id
            ids = sorted(a.entry_id for a in acks)
            w.audit("edt_entry", None, f"{len(ids)} EDT item{'s' if len(ids) != 1 else ''} not dealt with by "
                    "the handover deadline", entries=ids)
            return ids

    def sheet(self, actor: Actor, day: date) -> HandoverSheet:
        """The handover sheet (PDF) of the period ending on the morning of ``day``; printing is audited."""
        from mashdesk.documents.handover_sheet import build_handover_sheet

        period = self.period(actor, day)
        pdf = build_handover_sheet(period, actor)
        with self.write(actor, "handover.print", "handover sheet") as w:
            w.audit("edt_entry", None, f"printed the EDT handover sheet for {day:%d %b %Y}",
                    entries=[i.id for i in period.items], day=day.isoformat())
        return HandoverSheet(pdf=pdf, period=period)

    # -- helpers ---------------------------------------------------------------------------------------
    def _entries_for_update(self, w: WriteScope, ids: list[int]) -> list[EdtEntry]:
        entries = {e.id: e for e in w.session.scalars(
            select(EdtEntry).where(EdtEntry.id.in_(ids)).options(selectinload(EdtEntry.people)))}
        missing = [i for i in ids if i not in entries]
        if missing:
            raise InputError(f"entries: EDT entry {missing[0]} does not exist", "entries")
        return [entries[i] for i in ids]

    def _acknowledgement(self, w: WriteScope, entry: EdtEntry) -> HandoverAcknowledgement:
        ack = HandoverAcknowledgement(entry_id=entry.id, acknowledged_at=w.now, acknowledged_by_id=w.actor.user_id,
                                      outcome="pending", updated_by_id=w.actor.user_id,
                                      breached=_past(self.calendar, self.calendar.edt_handover(entry.period_end),
                                                     w.now))
        w.session.add(ack)
        entry.acknowledgement = ack
        return ack

    def _undealt(self, w: WriteScope, entry: EdtEntry) -> HandoverAcknowledgement:
        ack = entry.acknowledgement
        if ack is None:
            return self._acknowledgement(w, entry)
        if ack.outcome != "pending":
            who = w.session.get(User, ack.dealt_by_id) if ack.dealt_by_id else None
            raise AlreadyDealtWith(
                f"EDT item {entry.id} was already dealt with by {who.display_name if who else 'someone else'} "
                f"at {_local(ack.dealt_at)}: reload to see what it became")
        w.editing.append((HandoverAcknowledgement, ack.id))
        return ack

    def _dealt(self, w: WriteScope, entry: EdtEntry, ack: HandoverAcknowledgement) -> None:
        ack.dealt_at, ack.dealt_by_id, ack.updated_by_id = w.now, w.actor.user_id, w.actor.user_id
        if _past(self.calendar, self.calendar.edt_handover(entry.period_end), w.now):
            ack.breached = True

    @staticmethod
    def _flush(w: WriteScope) -> None:
        try:
            w.session.flush()
        except IntegrityError as exc:  # another manager acknowledged the same item a moment earlier
            raise AlreadyDealtWith("Someone else acknowledged one of these items a moment ago: reload") from exc

    @staticmethod
    def _children_of(entry: EdtEntry) -> tuple[list[ContactChildInput], list[int | None]]:
        """The children of the entry (linked known people, else those its text names) and their ages."""
        if entry.people:
            return [ContactChildInput(person_id=p.person_id) for p in entry.people], []
        if not entry.children_text.strip():
            raise InputError("children: the entry names no children; name them", "children")
        address = _address_parts(entry.address_text)
        parsed = parse_children(entry.children_text)
        return ([ContactChildInput(new_person=PersonInput(first_name=c.first_name, last_name=c.last_name,
                                                          **address))  # type: ignore[arg-type]
                 for c in parsed], [c.age for c in parsed])


# -- scheduled jobs -------------------------------------------------------------------------------------

def handover_reminder_notices(ctx: AppContext, actor: Actor, now: datetime) -> list[Notice]:
    """At 08:45 on working days: a notice if the period that ended this morning has unacknowledged items."""
    calendar = ctx.calendar
    local = calendar.localize(now)
    if not calendar.is_working_day(local.date()) or local.time() < REMINDER_AT:
        return []
    _, end = calendar.edt_period_ending(local.date())
    deadline = calendar.edt_handover(end)
    if _past(calendar, deadline, now):
        return []  # the breach job speaks from the deadline on
    with ctx.session_factory() as s:
        waiting = s.scalars(select(EdtEntry.urgency).outerjoin(HandoverAcknowledgement).where(
            EdtEntry.period_end == end, HandoverAcknowledgement.id.is_(None))).all()
    if not waiting:
        return []
    urgent = sum(u == "urgent" for u in waiting)
    return [Notice(key=f"handover:reminder:{local.date().isoformat()}", level="due_soon",
                   title="EDT handover waiting",
                   text=f"{len(waiting)} item{'s' if len(waiting) != 1 else ''} of the night's EDT log "
                        f"({urgent} urgent) not yet acknowledged; handover due {deadline:%H:%M}",
                   entity="handover")]


def handover_breach_job(ctx: AppContext, actor: Actor, now: datetime) -> list[Notice]:
    """At 10:00 (and at start): mark items not dealt with by the deadline as breached, and say so."""
    HandoverService(ctx).mark_breaches(actor)
    calendar = ctx.calendar
    since = now - timedelta(days=14)
    with ctx.session_factory() as s:
        rows = s.execute(select(EdtEntry.id, EdtEntry.period_end)
                         .outerjoin(HandoverAcknowledgement)
                         .where(EdtEntry.period_end <= now, EdtEntry.period_end >= since,
                                or_(HandoverAcknowledgement.id.is_(None),
                                    HandoverAcknowledgement.dealt_at.is_(None)))).all()
    late: dict[datetime, list[int]] = {}
    for entry_id, end in rows:
        if _past(calendar, calendar.edt_handover(end), now):
            late.setdefault(end, []).append(entry_id)
    return [Notice(key=f"handover:breached:{end.isoformat()}", level="breached",
                   title="EDT handover breached",
                   text=f"{len(ids)} item{'s' if len(ids) != 1 else ''} of the EDT period ending "
                        f"{_local(end)} not dealt with by {calendar.edt_handover(end):%H:%M}",
                   entity="handover")
            for end, ids in sorted(late.items())]


# -- reading helpers ----------------------------------------------------------------------------------

def _entries():  # type: ignore[no-untyped-def]
    return select(EdtEntry).options(selectinload(EdtEntry.people), selectinload(EdtEntry.notes),
                                    selectinload(EdtEntry.acknowledgement))


def _items(s: Session, entries: list[EdtEntry], calendar: WorkingCalendar, now: datetime) -> list[HandoverItem]:
    person_ids = {p.person_id for e in entries for p in e.people}
    people = {p.id: p.full_name for p in s.scalars(select(Person).where(Person.id.in_(person_ids)))} \
        if person_ids else {}
    user_ids = {e.recorded_by_id for e in entries} | {n.by_id for e in entries for n in e.notes}
    for e in entries:
        if e.acknowledgement is not None:
            user_ids |= {e.acknowledgement.acknowledged_by_id, e.acknowledgement.dealt_by_id}
    user_ids.discard(None)
    users = {u.id: u.display_name for u in s.scalars(select(User).where(User.id.in_(user_ids)))} \
        if user_ids else {}
    out = []
    for e in entries:
        ack = e.acknowledgement
        deadline = calendar.edt_handover(e.period_end)
        past = _past(calendar, deadline, now)
        dealt = ack is not None and ack.outcome in ("contact_created", "no_action")
        out.append(HandoverItem(
            id=e.id, version=e.version, call_at=e.call_at, caller_name=e.caller_name,
            caller_agency=e.caller_agency, phone=e.phone, children_text=e.children_text,
            address_text=e.address_text, reported=e.reported, emergency_services=e.emergency_services,
            action_taken=e.action_taken, outstanding=e.outstanding, urgency=e.urgency,
            recorded_by=users.get(e.recorded_by_id) if e.recorded_by_id else None,
            completed_at=e.completed_at, period_start=e.period_start, period_end=e.period_end,
            deadline=deadline, people=tuple((p.person_id, people.get(p.person_id, "")) for p in e.people),
            notes=tuple(NoteView(n.at, users.get(n.by_id, "") if n.by_id else "", n.text) for n in e.notes),
            acknowledged_at=ack.acknowledged_at if ack else None,
            acknowledged_by=users.get(ack.acknowledged_by_id) if ack else None,
            outcome=ack.outcome if ack else None, contact_id=ack.contact_id if ack else None,
            no_action_reason=ack.no_action_reason if ack else None, dealt_at=ack.dealt_at if ack else None,
            dealt_by=users.get(ack.dealt_by_id) if ack and ack.dealt_by_id else None,
            breached=bool(ack and ack.breached) or (past and not dealt),
            editable=ack is None and not past,
        ))
    return out


def _clean(entry: EdtEntry) -> None:
    """Trim the text fields; empty optional ones become None."""
    for name in ("caller_agency", "phone", "address_text"):
        value = getattr(entry, name)
        setattr(entry, name, value.strip() or None if isinstance(value, str) else value)
    for name in ("caller_name", "children_text", "reported", "action_taken", "outstanding"):
        setattr(entry, name, (getattr(entry, name) or "").strip())


def _local(moment: datetime | None) -> str:
    from mashdesk.clock import LONDON

    return f"{moment.astimezone(LONDON):%a %d %b %H:%M}" if moment else "an unknown time"


def entry_input_of(item: HandoverItem) -> EdtEntryInput:
    """The input that would save ``item`` as it is (to edit it during the shift)."""
    return EdtEntryInput(person_ids=[pid for pid, _ in item.people],
                         **{f.name: getattr(item, f.name) for f in fields(EdtEntryInput) if f.name != "person_ids"})


__all__ = ["AlreadyDealtWith", "ConversionInput", "EdtEntryInput", "HandedOver", "HandoverItem",
           "HandoverPeriod", "HandoverService", "HandoverSheet", "handover_breach_job", "handover_day",
           "handover_reminder_notices", "parse_children", "period_of_call", "shift_day", "suggest_source"]
