"""The EDT log and the morning handover: the units of work.

The EDT logs each call in the period the calendar says it falls in (``workflow``); the MASH
acknowledges every item and turns it into a contact or records "no action for the day service".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from db.models import (
    EdtEntry,
    EdtEntryNote,
    EdtEntryPerson,
    HandoverAcknowledgement,
    Person,
    User,
)
from db.references import edt_entry_reference
from mashdesk import access
from mashdesk.calendar import WorkingCalendar
from mashdesk.contacts.service import ContactChildInput, ContactInput, ReferrerInput, record_contact
from mashdesk.context import Actor, Service, WriteScope
from mashdesk.documents.delivery import DocumentDelivery, DocumentOf
from mashdesk.errors import InputError
from mashdesk.handover.parsing import INDIVIDUAL_SOURCES, address_parts, parse_children, suggest_source
from mashdesk.handover.reading import entries_query, items_of
from mashdesk.handover.views import EdtEntryInput, HandoverItem, HandoverPeriod, HandoverSheet, local_moment
from mashdesk.handover.workflow import (
    ENTRY_FIELDS,
    URGENCIES,
    AlreadyDealtWith,
    HandedOver,
    handover_day,
    past,
    period_of_call,
    shift_day,
)
from mashdesk.people.service import PersonInput


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
            entries = list(s.scalars(entries_query().where(
                EdtEntry.period_end == end, access.clause(actor, "edt_entry", EdtEntry.id))))
            items = items_of(s, entries, self.calendar, now)
        self.audit_read(actor, "handover.read", "edt_period", None, f"read the EDT log ending {end:%d %b %Y %H:%M}",
                        entries=[e.id for e in entries])
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
        """One EDT entry, refused (audited) outside the reader's access rules; each opening audited."""
        self.require_record(actor, "handover.read", "edt_entry", entry_id, edt_entry_reference(entry_id))
        with self.read(actor, "handover.read") as s:
            entry = s.scalar(entries_query().where(EdtEntry.id == entry_id))
            if entry is None:
                raise InputError(f"entry: EDT entry {entry_id} does not exist", "entry")
            item = items_of(s, [entry], self.calendar, self.ctx.now())[0]
        self.audit_read(actor, "handover.read", "edt_entry", entry_id, f"opened {edt_entry_reference(entry_id)}")
        return item

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
        if past(self.calendar, handover, now):
            raise HandedOver(f"The period ending {local_moment(end)} was handed over at {local_moment(handover)}: "
                             "add a note to one of its entries instead")
        return start, end

    def _check_editable(self, w: WriteScope, entry: EdtEntry) -> None:
        ack = entry.acknowledgement
        if ack is not None:
            who = w.session.get(User, ack.acknowledged_by_id)
            raise HandedOver(f"This entry was handed over to {who.display_name if who else 'the MASH'} at "
                             f"{local_moment(ack.acknowledged_at)}: it is read-only; add a note instead")
        handover = self.calendar.edt_handover(entry.period_end)
        if past(self.calendar, handover, w.now):
            raise HandedOver(f"This entry's period was handed over at {local_moment(handover)}: it is read-only; "
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
            individual = source in INDIVIDUAL_SOURCES
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
        due = [ack_id for ack_id, end in rows if past(self.calendar, self.calendar.edt_handover(end), now)]
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
        """The handover sheet (PDF) of the period ending on the morning of ``day``, built outside any write.

        Saving and printing it are recorded by :meth:`save_sheet` and :meth:`record_sheet_printed`.
        """
        from mashdesk.handover.documents import build_handover_sheet  # ReportLab loads when a sheet is built

        period = self.period(actor, day)
        pdf = build_handover_sheet(period, f"{actor.display_name} ({actor.role_name})")
        return HandoverSheet(pdf=pdf, period=period)

    @staticmethod
    def sheet_of(sheet: HandoverSheet) -> DocumentOf:
        """The sheet as the audit trail names it, with the items it showed."""
        day = sheet.period.day
        return DocumentOf("handover", None, f"the EDT handover sheet for {day:%d %b %Y}",
                          save_action="handover.save", print_action="handover.print",
                          detail={"entries": [i.id for i in sheet.period.items], "day": day.isoformat()})

    def save_sheet(self, actor: Actor, sheet: HandoverSheet, path: str | Path) -> Path:
        """Save a built sheet to ``path`` (checked, written, audited "saved to file" with its SHA-256)."""
        return DocumentDelivery(self.ctx).save(actor, self.sheet_of(sheet), sheet.pdf, path)

    def record_sheet_printed(self, actor: Actor, sheet: HandoverSheet, printer: str) -> None:
        """Record that a built sheet was printed on ``printer``, with its SHA-256 and the items it showed."""
        DocumentDelivery(self.ctx).printed(actor, self.sheet_of(sheet), sheet.pdf, printer)

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
                                      breached=past(self.calendar, self.calendar.edt_handover(entry.period_end),
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
                f"at {local_moment(ack.dealt_at)}: reload to see what it became")
        w.editing.append((HandoverAcknowledgement, ack.id))
        return ack

    def _dealt(self, w: WriteScope, entry: EdtEntry, ack: HandoverAcknowledgement) -> None:
        ack.dealt_at, ack.dealt_by_id, ack.updated_by_id = w.now, w.actor.user_id, w.actor.user_id
        if past(self.calendar, self.calendar.edt_handover(entry.period_end), w.now):
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
        address = address_parts(entry.address_text)
        parsed = parse_children(entry.children_text)
        return ([ContactChildInput(new_person=PersonInput(first_name=c.first_name, last_name=c.last_name,
                                                          **address))  # type: ignore[arg-type]
                 for c in parsed], [c.age for c in parsed])


def _clean(entry: EdtEntry) -> None:
    """Trim the text fields; empty optional ones become None."""
    for name in ("caller_agency", "phone", "address_text"):
        value = getattr(entry, name)
        setattr(entry, name, value.strip() or None if isinstance(value, str) else value)
    for name in ("caller_name", "children_text", "reported", "action_taken", "outstanding"):
        setattr(entry, name, (getattr(entry, name) or "").strip())
