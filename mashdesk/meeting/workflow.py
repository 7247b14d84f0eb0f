"""The meeting's states, decisions, and what each reader may see (pure: no database).

::

    (no meeting yet: the agenda is live) ──open──▶ open ──close──▶ closed (minutes locked)
      open:   attendance, items added by hand, a note and decision per item, actions
      closed: addenda only (stamped with who and when); actions are still marked done

Which action may start from which state is :data:`TRANSITIONS`, the one table the service and the
window read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from mashdesk import permissions
from mashdesk.agenda import AgendaItem
from mashdesk.calendar import WorkingCalendar
from mashdesk.clock import LONDON
from mashdesk.errors import InputError

STATUSES = {"not_opened": "Not opened yet: the agenda is live", "open": "Open",
            "closed": "Closed: the minutes are locked"}

#: Sections in agenda order, with their headings. A section a new capability offers and that is not
#: listed here goes after the listed ones, in the order its source comes in ``sources.SOURCES``.
SECTIONS: dict[str, str] = {
    "edt": "The night's EDT handover",
    "new_contacts": "New red and amber contacts",
    "checks_overdue": "Waiting on agency checks",
    "strategy": "Strategy discussions to convene or due",
    "missing": "Missing children",
    "atlas": "Children flagged by the Atlas team",
    "step_downs": "Step-downs refused or overdue",
    "actions": "Actions from earlier meetings",
    "other": "Added by hand",
}

DECISIONS: dict[str, str] = {
    "nfa": "No further action",
    "agency_check": "Agency check",
    "strategy": "Strategy discussion",
    "step_down": "Step-down to Early Help",
    "assessment": "Refer for assessment",
    "monitor": "Monitor",
}
#: Decisions that change a contact, and the permission each needs besides holding the meeting.
CONTACT_DECISIONS: dict[str, str] = {
    "agency_check": "check.request",
    "strategy": "strategy.convene",
    "step_down": "stepdown.create",
}

#: Agencies at the table, in the order attendance is taken.
TABLE = ("mash", "police", "health", "education", "atlas", "edt", "early_help")

#: action → (states it may start from, permission, what it is called in a refusal).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "open": (("not_opened",), "meeting.hold", "be opened"),
    "attendance": (("open",), "meeting.hold", "have its attendance changed"),
    "add_item": (("open",), "meeting.hold", "have an item added"),
    "record": (("open",), "meeting.hold", "have an item recorded"),
    "add_action": (("open", "closed"), "meeting.hold", "have an action added"),
    "close": (("open",), "meeting.hold", "be closed"),
    "addendum": (("closed",), "meeting.addendum", "have an addendum"),
}

#: Roles a hand-added item restricted to police may show its detail to.
POLICE_RESTRICTED = frozenset({"police"})


def require_state(status: str, action: str) -> None:
    states, _, words = TRANSITIONS[action]
    if status not in states:
        if status == "closed":
            raise InputError(f"meeting: the minutes are locked; the meeting cannot {words} (add an addendum)",
                             "meeting")
        raise InputError(f"meeting: a meeting that is {STATUSES[status].split(':')[0].lower()} cannot {words}",
                         "meeting")


def available_actions(status: str, role: str) -> tuple[str, ...]:
    return tuple(a for a, (states, perm, _) in TRANSITIONS.items()
                 if status in states and permissions.allowed(role, perm))


def meeting_starts(calendar: WorkingCalendar, day: date) -> datetime:
    """When the meeting of ``day`` starts (the configured ``meeting`` time, 09:30 by default)."""
    return calendar.due_datetime("meeting", datetime.combine(day, time.min, tzinfo=LONDON))


def agenda_ready_at(calendar: WorkingCalendar, day: date) -> datetime:
    return calendar.due_datetime("meeting_agenda_ready", datetime.combine(day, time.min, tzinfo=LONDON))


def section_rank(section: str, extra: list[str]) -> int:
    order = list(SECTIONS)
    if section in order:
        return order.index(section)
    if section not in extra:
        extra.append(section)
    return len(order) + extra.index(section)


def ordered(items: list[AgendaItem]) -> list[AgendaItem]:
    """Sections in agenda order, each most urgent first (a stable sort keeps each source's own order)."""
    extra: list[str] = []
    ranks = {it.section: section_rank(it.section, extra) for it in items}
    return sorted(items, key=lambda it: (ranks[it.section], it.urgency))


# -- who sees what ---------------------------------------------------------------------------------------
def sees_item(role: str, involves_school: bool) -> bool:
    """The education safeguarding lead sees the items that involve a school, a pupil or an education check."""
    return role != "education" or involves_school


def sees_detail(role: str, restricted_to: frozenset[str] | tuple[str, ...] | list[str]) -> bool:
    return not restricted_to or role in restricted_to


def share(items: list[AgendaItem], role: str) -> list[AgendaItem]:
    """What ``role`` may see of an agenda: its items, with restricted detail withheld."""
    out = []
    for it in items:
        if not sees_item(role, it.involves_school):
            continue
        if not sees_detail(role, it.restricted_to):
            it = replace(it, title="Restricted", reason=withheld_text(it.restricted_to), person_ids=())
        out.append(it)
    return out


def withheld_text(restricted_to: frozenset[str] | tuple[str, ...] | list[str]) -> str:
    names = " and ".join(sorted(permissions.ROLES.get(r, r).split(" (")[0] for r in restricted_to))
    return f"Detail withheld: restricted to {names}"


@dataclass(frozen=True)
class Owner:
    """Who an action is for: a user, or an agency (perhaps a named school)."""

    user_id: int | None = None
    agency: str | None = None


def may_complete(role: str, user_id: int, agency: str | None, owner_user_id: int | None,
                 owner_agency: str | None) -> bool:
    """An action is marked done by its owner (a person), or by any of the owning agency's people when no one
    person owns it, or by a manager."""
    if role == "manager":
        return True
    if owner_user_id is not None:
        return owner_user_id == user_id
    return owner_agency is not None and owner_agency == agency


def validate_due(calendar: WorkingCalendar, meeting_day: date, due: date) -> None:
    """An action falls due on a working day, not before the meeting that agreed it."""
    if due < meeting_day:
        raise InputError("due: an action cannot fall due before the meeting that agreed it", "due")
    if not calendar.is_working_day(due):
        raise InputError(f"due: {due.strftime('%a %d %b %Y')} is not a working day", "due")
