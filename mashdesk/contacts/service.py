"""Recording contacts and reading them back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import Agency, AuditEvent, Consultation, Contact, ContactPerson, Person, Referrer, User
from mashdesk import codes, permissions
from mashdesk.errors import InputError, NotFound
from mashdesk.atlas.reading import labels_of
from mashdesk.context import Actor, AppContext, Service, WriteScope
from mashdesk.contacts.views import CheckView, ContactDetail, PersonView
from mashdesk.people.history import previous_contacts
from mashdesk.people.service import PersonInput, add_person

#: Outcomes that make a contact a referral to children's social care (for re-referrals).
EDITABLE_FIELDS = ("concern", "child_location", "immediate_protection", "interpreter_needs",
                   "consent", "consent_reason", "consent_decided_by", "cin_source", "channel")


@dataclass
class ReferrerInput:
    name: str = ""
    agency_code: str | None = None
    organisation: str | None = None
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    relationship_to_family: str | None = None
    professional: bool = True


@dataclass
class ContactChildInput:
    """A child of a contact: a known person by id, or a new person."""

    person_id: int | None = None
    new_person: PersonInput | None = None


#: Roles of the other people a contact records, with their labels.
OTHER_ROLES = {
    "household_member": "Household member",
    "regular_visitor": "Regular visitor",
    "alleged_perpetrator": "Alleged perpetrator",
}


@dataclass
class ContactOtherInput:
    """Someone else in the contact: a household member, a regular visitor, an alleged perpetrator."""

    role: str
    person_id: int | None = None
    new_person: PersonInput | None = None
    relationship_to_child: str | None = None
    parental_responsibility: bool = False


@dataclass
class ContactInput:
    received_at: datetime
    channel: str
    cin_source: str
    concern: str
    referrer: ReferrerInput
    children: list[ContactChildInput]
    immediate_protection: str = "unknown"
    child_location: str | None = None
    interpreter_needs: str | None = None
    consent: str = "not_sought"
    consent_reason: str | None = None
    consent_decided_by: str | None = None
    others: list[ContactOtherInput] = field(default_factory=list)
    #: The consultation-line call this contact came from, if any.
    consultation_id: int | None = None


def _validate_fields(
    *, received_at: datetime, channel: str, cin_source: str, concern: str, immediate_protection: str,
    consent: str, consent_reason: str | None, consent_decided_by: str | None, now: datetime,
) -> None:
    if received_at.tzinfo is None:
        raise InputError("received: give a time zone", "received_at")
    if received_at > now + timedelta(minutes=5):
        raise InputError("received: cannot be in the future", "received_at")
    if channel not in codes.CHANNELS:
        raise InputError(f"channel: {channel!r} is not a known channel", "channel")
    if cin_source not in codes.CIN_REFERRAL_SOURCES:
        raise InputError(f"referral source: {cin_source!r} is not a CIN referral source code", "cin_source")
    if not concern.strip():
        raise InputError("concern: record the concern in the referrer's words", "concern")
    if immediate_protection not in ("yes", "no", "unknown"):
        raise InputError("immediate protection: answer yes, no or unknown", "immediate_protection")
    if consent not in codes.CONSENT:
        raise InputError("consent: given, refused or not sought", "consent")
    if consent == "not_sought":
        if not (consent_reason or "").strip():
            raise InputError("consent reason: say why consent was not sought", "consent_reason")
        if not (consent_decided_by or "").strip():
            raise InputError("consent decided by: name who decided not to seek consent", "consent_decided_by")


def validate_contact(data: ContactInput, now: datetime) -> None:
    """Raise :class:`InputError` naming the first field that is wrong."""
    _validate_fields(
        received_at=data.received_at, channel=data.channel, cin_source=data.cin_source,
        concern=data.concern, immediate_protection=data.immediate_protection, consent=data.consent,
        consent_reason=data.consent_reason, consent_decided_by=data.consent_decided_by, now=now,
    )
    if data.cin_source != "9" and not data.referrer.name.strip():
        raise InputError("referrer name: required unless the contact is anonymous (source 9)", "referrer.name")
    if not data.children:
        raise InputError("children: a contact is about at least one child", "children")
    for i, child in enumerate(data.children, start=1):
        if (child.person_id is None) == (child.new_person is None):
            raise InputError(f"child {i}: choose a known person or enter a new one", f"children[{i}]")
    for i, other in enumerate(data.others, start=1):
        if other.role not in OTHER_ROLES:
            raise InputError(f"person {i}: role {other.role!r} is not one of {', '.join(OTHER_ROLES)}",
                             f"others[{i}].role")
        if (other.person_id is None) == (other.new_person is None):
            raise InputError(f"person {i}: choose a known person or enter a new one", f"others[{i}]")


def children_display(names: list[str]) -> str:
    text = ", ".join(names)
    return text if len(text) <= 300 else text[:297] + "..."


class AgencyCodes:
    """Agency code → (id, name), read once and kept: agencies are reference data, only ever added.

    A code not yet known is looked up again before it is refused, so an agency added
    since the map was read is still found.
    """

    def __init__(self) -> None:
        self._by_code: dict[str, tuple[int, str]] | None = None

    def get(self, session: Session, code: str) -> tuple[int, str] | None:
        if self._by_code is None or code not in self._by_code:
            rows = session.execute(select(Agency.code, Agency.id, Agency.name))
            self._by_code = {code_: (id_, name) for code_, id_, name in rows}
        return self._by_code.get(code)


class ContactService(Service):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self._agencies = AgencyCodes()

    def create_contact(self, actor: Actor, data: ContactInput) -> int:
        """Record a new contact in the team queue; returns its id."""
        with self.write(actor, "contact.create", "contact") as w:
            contact = record_contact(w, data, agencies=self._agencies)
            w.audit("contact", contact.id, f"recorded contact {contact.reference}",
                    children=len(data.children), channel=data.channel)
            return contact.id

    def update_contact(self, actor: Actor, contact_id: int, expected_version: int, **changes: object) -> int:
        """Change fields of a contact opened at ``expected_version``; returns the new version."""
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise InputError(f"{sorted(unknown)[0]}: this field cannot be edited here", sorted(unknown)[0])
        with self.write(actor, "contact.update", "contact") as w:
            contact = w.get_for_edit(Contact, contact_id, expected_version, "contact")
            for name, value in changes.items():
                setattr(contact, name, value)
            _validate_fields(
                received_at=contact.received_at, channel=contact.channel, cin_source=contact.cin_source,
                concern=contact.concern, immediate_protection=contact.immediate_protection,
                consent=contact.consent, consent_reason=contact.consent_reason,
                consent_decided_by=contact.consent_decided_by, now=w.now,
            )
            w.session.flush()
            w.audit("contact", contact.id, f"edited contact {contact.reference}", fields=sorted(changes))
            return contact.version

    def newest_id(self, actor: Actor) -> int | None:
        """The most recently received contact's id (``None`` on an empty desk)."""
        with self.read(actor, "contact.read") as s:
            return s.scalar(select(Contact.id).order_by(Contact.received_at.desc(), Contact.id.desc()).limit(1))

    def get(self, actor: Actor, contact_id: int) -> ContactDetail:
        with self.read(actor, "contact.read") as s:
            contact = s.scalar(
                select(Contact).where(Contact.id == contact_id).options(
                    selectinload(Contact.people), selectinload(Contact.checks), selectinload(Contact.referrer)
                )
            )
            if contact is None:
                raise NotFound(f"contact {contact_id} does not exist")
            allocated = s.get(User, contact.allocated_to_id) if contact.allocated_to_id else None
            responders = {u.id: u.display_name for u in s.scalars(select(User).where(
                User.id.in_([c.responder_id for c in contact.checks if c.responder_id])))}
            atlas = labels_of(s, [cp.person_id for cp in contact.people], actor.role)
            return _detail(contact, allocated, actor, responders, atlas)

    def last_change(self, actor: Actor, contact_id: int) -> tuple[str, datetime] | None:
        """Who last changed the contact, and when (from its audit entries); None if nobody has."""
        with self.read(actor, "contact.read") as s:
            row = s.execute(
                select(User.display_name, AuditEvent.username, AuditEvent.at)
                .select_from(AuditEvent).outerjoin(User, User.id == AuditEvent.user_id)
                .where(AuditEvent.entity == "contact", AuditEvent.entity_id == contact_id)
                .order_by(AuditEvent.id.desc()).limit(1)).first()
        return None if row is None else (row[0] or row[1], row[2])


def record_contact(w: WriteScope, data: ContactInput, *, agencies: AgencyCodes | None = None) -> Contact:
    """Validate and add a contact inside ``w``'s unit of work (the caller audits it).

    Other capabilities that turn something into a contact — an EDT log entry at the
    handover, a step-up from Early Help — call this inside their own unit of work and
    then link what the contact came from (``edt_entry_id``, ``step_down_id``).

    Everything is written in one flush at the end. ``agencies`` is a kept map of the
    agency codes; without it the referrer's agency is looked up here.
    """
    validate_contact(data, w.now)
    s = w.session
    agency: tuple[int, str] | None = None
    if code := data.referrer.agency_code:
        if agencies is not None:
            agency = agencies.get(s, code)
        else:
            row = s.execute(select(Agency.id, Agency.name).where(Agency.code == code)).first()
            agency = (row[0], row[1]) if row is not None else None
        if agency is None:
            raise InputError(f"referrer agency: {data.referrer.agency_code!r} is not known", "referrer.agency")
    r = data.referrer
    referrer = Referrer(name=r.name.strip(), agency_id=agency[0] if agency else None,
                        organisation=r.organisation, role=r.role, phone=r.phone, email=r.email,
                        relationship_to_family=r.relationship_to_family,
                        professional=r.professional, updated_by_id=w.actor.user_id)
    s.add(referrer)

    def person(person_id: int | None, new: PersonInput | None) -> Person:
        if person_id is not None:
            return w.get(Person, person_id, "person")
        assert new is not None
        return add_person(s, new, w.actor.user_id, w.now)

    # Nothing read here depends on what is being added, so it all waits for the one flush below.
    with s.no_autoflush:
        people = [person(c.person_id, c.new_person) for c in data.children]
        others = [(o, person(o.person_id, o.new_person)) for o in data.others]
        # A person added by this contact has no earlier contacts: only known children are looked up.
        known = [c.person_id for c in data.children if c.person_id is not None]
        history = previous_contacts(s, known, data.received_at) if known else {}
    contact = Contact(
        received_at=data.received_at, channel=data.channel, referrer=referrer,
        cin_source=data.cin_source, concern=data.concern.strip(),
        child_location=data.child_location, immediate_protection=data.immediate_protection,
        interpreter_needs=data.interpreter_needs, consent=data.consent,
        consent_reason=data.consent_reason, consent_decided_by=data.consent_decided_by,
        status="new", is_re_referral=any(referrals > 0 for _, referrals in history.values()),
        children_display=children_display([p.full_name for p in people]),
        consultation_id=data.consultation_id,
        source_display=_source_display(data.cin_source, referrer, agency[1] if agency else None),
        updated_by_id=w.actor.user_id,
    )
    contact.people = [ContactPerson(person=p, role="child") for p in people] + [
        ContactPerson(person=p, role=o.role, relationship_to_child=o.relationship_to_child,
                      parental_responsibility=o.parental_responsibility) for o, p in others]
    if data.consultation_id is not None:  # a call to the consultation line that became this contact
        w.get(Consultation, data.consultation_id, "consultation").became_contact = True
    s.add(contact)
    s.flush()
    return contact


def _source_display(source: str, referrer: Referrer, agency_name: str | None) -> str:
    label = codes.CIN_REFERRAL_SOURCES.get(source, source)
    who = referrer.organisation or (agency_name or "") or referrer.name
    text = f"{label} — {who}" if who and source != "9" else label
    return text[:160]


def _detail(contact: Contact, allocated: User | None, actor: Actor, responders: dict[int, str],
            atlas: dict[int, tuple[str, ...]]) -> ContactDetail:
    r = contact.referrer
    referrer_details: list[tuple[str, str]] = []
    if r is not None:
        for label, value in (("Name", r.name), ("Organisation", r.organisation),
                             ("Agency", r.agency.name if r.agency else None), ("Role", r.role),
                             ("Phone", r.phone), ("Email", r.email),
                             ("Relationship to family", r.relationship_to_family)):
            if value:
                referrer_details.append((label, value))
    checks = []
    for c in contact.checks:
        withheld = c.restricted and not permissions.may_read_restricted(actor.agency_code, c.agency.code)
        checks.append(CheckView(
            id=c.id, agency=c.agency.name, agency_code=c.agency.code, requested_at=c.requested_at,
            due_at=c.due_at, status=c.status, response=None if withheld else c.response,
            restricted=c.restricted, withheld=withheld,
            responder=responders.get(c.responder_id) if c.responder_id else None,
            responded_at=c.responded_at))
    people = [PersonView(
        person_id=cp.person.id, role=cp.role, name=cp.person.full_name,
        date_of_birth=cp.person.date_of_birth, expected_date_of_birth=cp.person.expected_date_of_birth,
        sex=cp.person.sex, relationship_to_child=cp.relationship_to_child,
        parental_responsibility=cp.parental_responsibility, warning=cp.person.warning,
        atlas=atlas.get(cp.person.id, ()),
    ) for cp in contact.people]
    return ContactDetail(
        id=contact.id, reference=contact.reference, version=contact.version, received_at=contact.received_at,
        channel=contact.channel, cin_source=contact.cin_source, concern=contact.concern,
        status=contact.status, rag=contact.rag, decision_due_at=contact.decision_due_at,
        allocated_to=allocated.display_name if allocated else None,
        immediate_protection=contact.immediate_protection, child_location=contact.child_location,
        interpreter_needs=contact.interpreter_needs, consent=contact.consent,
        consent_reason=contact.consent_reason, consent_decided_by=contact.consent_decided_by,
        is_re_referral=contact.is_re_referral, outcome=contact.outcome,
        referrer=(r.name or "Anonymous") if r else "Anonymous", referrer_details=referrer_details,
        people=people, checks=checks,
    )


__all__ = ["ContactChildInput", "ContactDetail", "ContactInput", "ContactService",
           "ReferrerInput"]
