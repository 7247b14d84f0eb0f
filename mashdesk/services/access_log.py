"""A child's access log: who looked at their record, and when, from the audit trail.

Every opening of a record, every search that found the child, every document built and every refused
attempt is an audit entry (``Service.audit_read``, ``Service.require``). The log gathers those about
one person: their own record, the contacts, strategy discussions, step-downs, EDT entries and missing
episodes they are in, the searches that listed them and the EDT logs read with one of their entries.
Only managers and administrators read it (``audit.read``), and each reading is itself audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from db.references import person_reference
from mashdesk.context import Actor, Service
from mashdesk.errors import InputError, NotFound

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

#: The newest entries shown (the CLI may ask for more).
DEFAULT_LIMIT = 500


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    username: str
    who: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    refused: bool

    @property
    def kind(self) -> str:
        """"refused", "changed" or "looked" (an opening, a search, a document, a log read)."""
        if self.refused:
            return "refused"
        return "looked" if self.action.endswith((".read", ".match", ".search")) or self.action.startswith(
            "pack.") else "changed"


@dataclass(frozen=True)
class AccessLog:
    person_id: int
    reference: str
    name: str
    entries: tuple[AccessEntry, ...]


def _about(person_id: int, dialect: str) -> ColumnElement[bool]:
    """Audit entries about ``person_id``: their record and the records they are in."""
    from sqlalchemy import and_, or_, select, text

    from db.models import (
        AuditEvent,
        ContactPerson,
        EdtEntryPerson,
        MissingEpisode,
        StepDown,
        StrategyChild,
    )

    e = AuditEvent
    linked = {
        "contact": select(ContactPerson.contact_id).where(ContactPerson.person_id == person_id),
        "strategy_discussion": select(StrategyChild.discussion_id)
                                  .where(StrategyChild.person_id == person_id),
        "step_down": select(StepDown.id).join(ContactPerson, ContactPerson.contact_id == StepDown.contact_id)
                                        .where(ContactPerson.person_id == person_id),
        "edt_entry": select(EdtEntryPerson.entry_id).where(EdtEntryPerson.person_id == person_id),
        "missing_episode": select(MissingEpisode.id).where(MissingEpisode.person_id == person_id),
    }
    records = [and_(e.entity == "person", e.entity_id == person_id)]
    records += [and_(e.entity == kind, e.entity_id.in_(ids)) for kind, ids in linked.items()]
    # Searches and lists that showed the child, and EDT logs read with one of their entries (ids kept in
    # the entry: a search's "found", a list's "people", an EDT log's "entries").
    if dialect == "postgresql":
        found = text("((audit_events.detail -> 'found') @> to_jsonb(CAST(:pid AS integer))"
                     " OR (audit_events.detail -> 'people') @> to_jsonb(CAST(:pid AS integer)))")
        logs = text("EXISTS (SELECT 1 FROM jsonb_array_elements_text(audit_events.detail -> 'entries')"
                    " AS j(v) JOIN edt_entry_people ep ON ep.entry_id = CAST(j.v AS integer)"
                    " WHERE ep.person_id = :pid)")
    else:
        found = text("(EXISTS (SELECT 1 FROM json_each(audit_events.detail, '$.found') j"
                     " WHERE j.value = :pid)"
                     " OR EXISTS (SELECT 1 FROM json_each(audit_events.detail, '$.people') j"
                     " WHERE j.value = :pid))")
        logs = text("EXISTS (SELECT 1 FROM json_each(audit_events.detail, '$.entries') j"
                    " JOIN edt_entry_people ep ON ep.entry_id = j.value WHERE ep.person_id = :pid)")
    shown = and_(e.entity.in_(("person_search", "missing_list_view")), found.bindparams(pid=person_id))
    return or_(*records, shown,
               and_(e.entity == "edt_period", logs.bindparams(pid=person_id)))


class AccessLogService(Service):
    def for_person(self, actor: Actor, person_id: int, limit: int = DEFAULT_LIMIT) -> AccessLog:
        """Who looked at (or changed, or was refused) ``person_id``'s record, newest first."""
        from sqlalchemy import select

        from db.models import AuditEvent, Person, User

        if limit < 1:
            raise InputError("limit: at least 1", "limit")
        with self.read(actor, "audit.read") as s:
            person = s.get(Person, person_id)
            if person is None:
                raise NotFound(f"person: no person with reference {person_id} is known")
            name = f"{person.first_name} {person.last_name}"
            rows = s.execute(select(AuditEvent, User.display_name)
                             .outerjoin(User, User.id == AuditEvent.user_id)
                             .where(_about(person_id, self.ctx.dialect))
                             .order_by(AuditEvent.id.desc()).limit(limit)).all()
            entries = tuple(_entry(ev, shown) for ev, shown in rows)
        self.audit_read(actor, "audit.read", "person", person_id, f"read the access log of {name}",
                        access_log=True)
        return AccessLog(person_id, person_reference(person_id), name, entries)


def _entry(ev: Any, shown: str | None) -> AccessEntry:
    detail = ev.detail or {}
    refused = bool(detail.get("refused")) or detail.get("allowed") is False
    who = f"{shown} ({ev.username})" if shown else ev.username
    return AccessEntry(at=ev.at, username=ev.username, who=who, action=ev.action, entity=ev.entity,
                       entity_id=ev.entity_id, summary=ev.summary, refused=refused)


__all__ = ["AccessEntry", "AccessLog", "AccessLogService"]
