"""The rules of a strategy discussion: its states, what may happen in which, and its clocks.

Pure Python: no database, no Qt. A discussion is *convened* (to be held) until the meeting is recorded as
held; it is listed *to convene* until it has a date. When section 47 enquiries start for a child, the initial
child protection conference (ICPC) is due 15 working days after the day they start (``icpc`` in
``resources/config/calendar.toml``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from mashdesk.clock import LONDON
from mashdesk.errors import InputError

if TYPE_CHECKING:
    from mashdesk.calendar import WorkingCalendar

#: How a discussion is held, and how an attendee joined it.
MODES = {"in_person": "In person", "phone": "Phone", "video": "Video"}
#: The decision for one child.
DECISIONS = {
    "s47_single": "Section 47 enquiries — single agency",
    "s47_joint": "Section 47 enquiries — joint with police",
    "no_s47": "No section 47 enquiries",
}
#: The lists of the strategy screen: key → label.
GROUPS = {"to_convene": "To convene (no date yet)", "convened": "Convened (date set)", "held": "Held"}
#: The free-text parts of the meeting's record.
MEETING_FIELDS = ("immediate_actions", "further_information", "criminal_investigation", "legal_advice")
#: Statuses of a discussion that has taken place.
HELD = ("held", "closed")
#: How far a time may lie before the convening (clocks of two machines) or in the future.
SLACK = timedelta(minutes=1)
FUTURE_SLACK = timedelta(minutes=5)


def local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def group_of(status: str, scheduled_for: datetime | None) -> str:
    """Which list (``GROUPS``) a discussion is in."""
    if status in HELD:
        return "held"
    return "convened" if scheduled_for is not None else "to_convene"


def stage_of(status: str) -> str:
    """Which pack a discussion gets: "before" the meeting, or "after" it with the decisions and actions."""
    return "after" if status in HELD else "before"


def check_when_and_how(when: datetime, mode: str) -> None:
    """A planned date and time needs its time zone, and the way of holding it must be one of ``MODES``."""
    if when.tzinfo is None:
        raise InputError("date and time: give a time zone", "scheduled_for")
    if mode not in MODES:
        raise InputError(f"how: {mode!r} is not one of {', '.join(MODES)}", "mode")


def check_schedule(status: str, convened_at: datetime, when: datetime) -> None:
    """A date and time may be set until the discussion has been held, and not before it was convened."""
    if status != "convened":
        raise InputError("date and time: the discussion has already been held", "scheduled_for")
    if when < convened_at - SLACK:
        raise InputError("date and time: before the discussion was convened", "scheduled_for")


def check_held(convened_at: datetime, held_at: datetime, now: datetime) -> None:
    """When a discussion was held: with a time zone, not in the future, not before it was convened."""
    if held_at.tzinfo is None:
        raise InputError("held: give a time zone", "held_at")
    if held_at > now + FUTURE_SLACK:
        raise InputError("held: cannot be in the future", "held_at")
    if held_at < convened_at - SLACK:
        raise InputError("held: before the discussion was convened", "held_at")


def status_when_held(status: str) -> str:
    return "held" if status == "convened" else status


def check_decision(decision: str, no_s47_reason: str | None) -> None:
    if decision not in DECISIONS:
        raise InputError(f"decision: choose one of {', '.join(DECISIONS)}", "decision")
    if decision == "no_s47" and not (no_s47_reason or "").strip():
        raise InputError("reason: say why section 47 enquiries are not starting", "no_s47_reason")


def check_attendance(attended: bool, joined_by: str | None) -> None:
    if attended and joined_by not in MODES:
        raise InputError(f"joined by: choose one of {', '.join(MODES)}", "joined_by")


def s47_start(convened_at: datetime, meeting: datetime, started_on: date | None = None) -> date:
    """The day section 47 enquiries start: ``started_on``, else the day of the meeting (held, else planned,
    else now); never before the discussion was convened."""
    start = started_on or local_date(meeting)
    if start < local_date(convened_at):
        raise InputError("section 47 from: before the discussion was convened", "s47_started_on")
    return start


def icpc_due(calendar: WorkingCalendar, s47_started_on: date) -> date:
    """The initial child protection conference is due 15 working days after section 47 enquiries start."""
    return calendar.due("icpc", s47_started_on)  # type: ignore[return-value]


def icpc_status(calendar: WorkingCalendar, due: date | None, started: date | None, held_on: date | None,
                now: datetime) -> str | None:
    """ok / due_soon / breached for an ICPC not yet held; None without one."""
    if due is None or started is None or held_on is not None:
        return None
    return calendar.status(due, started, now, "icpc")
