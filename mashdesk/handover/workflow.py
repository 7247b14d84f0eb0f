"""The EDT's periods and the handover deadline: which period a call falls in, whose morning it is (no database).

The EDT logs each call of the night (or weekend, or bank holiday) in the period the
calendar says the call falls in. At the next opening the MASH takes the period over:
every item is acknowledged by a named manager and then either turned into a contact or
recorded as needing "no action for the day service", with a reason. Items are never
deleted; once handed over an entry is read-only except for notes appended to it.
Anything not dealt with by the ``edt_handover`` deadline (10:00) is breached and stays
on screen.
"""

from __future__ import annotations

from datetime import date, datetime, time

from mashdesk.calendar import WorkingCalendar
from mashdesk.errors import InputError, MashDeskError

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


def past(calendar: WorkingCalendar, deadline: datetime, now: datetime) -> bool:
    """Whether ``deadline`` has passed at ``now`` (the calendar's rule: breached once passed)."""
    return calendar.localize(now) > calendar.localize(deadline)
