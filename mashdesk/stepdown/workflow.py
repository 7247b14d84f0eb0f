"""The life of a step-down to Early Help: its states, who may move it on, and its clocks (no database).

The life of a step-down (domain.md, "Early Help step-down and step-up")::

    draft ──consent given──▶ (draft, ready) ──send──▶ sent ──accept──▶ accepted ──allocate──▶ allocated
      │                                                 │                                        │
      └─consent refused─▶ consent_refused               └─decline─▶ declined (send elsewhere)    first contact
            (the manager closes it, or asks again)                                              ▼
                                                                             engaged ──review every 12 weeks
    any open step-down ──step up──▶ stepped_up (a new contact in the MASH queue)
    open step-downs ──close──▶ closed (outcomes met / family declined or disengaged / no further action)

Which action may start from which status is :data:`TRANSITIONS`, the one table both the service
and the window read. Every action is one audited unit of work and stamps a :class:`StepDownEvent`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mashdesk import permissions
from mashdesk.calendar import WorkingCalendar
from mashdesk.errors import InputError

STATUSES: dict[str, str] = {
    "draft": "Draft — consent to record",
    "consent_refused": "Consent refused — manager to decide",
    "sent": "Sent — to accept or decline",
    "declined": "Declined by the centre",
    "accepted": "Accepted — to allocate",
    "allocated": "Allocated — first contact due",
    "engaged": "Family engaged",
    "closed": "Closed",
    "stepped_up": "Stepped up to the MASH",
}
OPEN_STATUSES = ("draft", "consent_refused", "sent", "declined", "accepted", "allocated", "engaged")
#: Statuses whose first-contact clock runs, and whose review clock runs.
FIRST_CONTACT_RUNNING = ("accepted", "allocated")
REVIEW_RUNNING = ("engaged",)
CLOSURE_REASONS: dict[str, str] = {
    "outcomes_met": "Outcomes met",
    "family_declined": "Family declined or disengaged",
    "no_further_action": "No further action",
}
CONSENT_ANSWERS: dict[str, str] = {"given": "Given", "refused": "Refused", "not_asked": "Not asked yet"}

#: action → (statuses it may start from, permission it needs, what it is called in a refusal).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "record_consent": (("draft",), "stepdown.manage", "have consent recorded"),
    "send": (("draft", "declined"), "stepdown.manage", "be sent"),
    "accept": (("sent",), "stepdown.manage", "be accepted"),
    "decline": (("sent",), "stepdown.manage", "be declined"),
    "allocate": (("accepted", "allocated", "engaged"), "stepdown.manage", "be allocated"),
    "first_contact": (("allocated",), "stepdown.manage", "have a first contact recorded"),
    "review": (("engaged",), "stepdown.manage", "be reviewed"),
    "close": (
        ("draft", "sent", "declined", "accepted", "allocated", "engaged"),
        "stepdown.manage",
        "be closed",
    ),
    "decide_refusal": (("consent_refused",), "stepdown.decide_refusal", "have a consent refusal decided"),
    "step_up": (OPEN_STATUSES, "stepdown.step_up", "be stepped up"),
}


def available_actions(status: str, role: str) -> tuple[str, ...]:
    """The actions a person of ``role`` may take on a step-down in ``status``."""
    return tuple(
        action
        for action, (starts, permission, _) in TRANSITIONS.items()
        if status in starts and permissions.allowed(role, permission)
    )


def consented(step_down: str, info_sharing: str) -> bool:
    """Whether the family consented to the step-down and to information sharing: only then is it sent."""
    return step_down == "given" and info_sharing == "given"


def offered_actions(status: str, role: str, *, consent_given: bool) -> tuple[str, ...]:
    """What the window offers now: the allowed transitions, sending only with consent."""
    return tuple(a for a in available_actions(status, role) if a != "send" or consent_given)


def require_state(status: str, action: str) -> None:
    """Refuse ``action`` on a step-down in ``status`` (an :class:`InputError` on ``status``)."""
    starts, _, verb = TRANSITIONS[action]
    if status not in starts:
        raise InputError(
            f"status: a step-down that is {STATUSES.get(status, status).lower()} cannot {verb}",
            "status",
        )



#: The status each transition leaves a step-down in, where it does not depend on the answer.
_LANDS_IN: dict[str, str] = {
    "send": "sent", "accept": "accepted", "decline": "declined", "first_contact": "engaged",
    "close": "closed", "step_up": "stepped_up",
}


def after(action: str, status: str, *, refused: bool = False, ask_again: bool = False) -> str:
    """The status of a step-down in ``status`` once ``action`` is done (refused if the table forbids it).

    ``refused``: the family refused consent (``record_consent``); ``ask_again``: the manager asks the
    family again after a refusal instead of closing (``decide_refusal``).
    """
    require_state(status, action)
    if action == "record_consent":
        return "consent_refused" if refused else status
    if action == "decide_refusal":
        return "draft" if ask_again else "closed"
    if action == "allocate":
        return "allocated" if status == "accepted" else status
    return _LANDS_IN.get(action, status)


# -- what the history says ----------------------------------------------------------------------------
def opened_note(contact_reference: str, *, by_hand: bool) -> str:
    if by_hand:
        return f"Opened by hand from contact {contact_reference}"
    return f"Opened when the MASH decision on {contact_reference} was authorised"


def consent_note(step_down: str, info_sharing: str, note: str = "") -> str:
    return f"Step-down: {step_down}; information sharing: {info_sharing}" + (f". {note.strip()}" if note.strip() else "")


def sent_note(centre_name: str) -> str:
    return f"Sent to {centre_name}"


def accepted_note(centre_name: str) -> str:
    return f"Accepted by {centre_name}"



# -- clocks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepDownClock:
    """The deadline running on a step-down now: first contact or the next review."""

    kind: str | None
    due_at: datetime | None
    #: ok / due_soon / breached while running; None when no clock runs.
    state: str | None
    label: str


def clock_for(
    calendar: WorkingCalendar,
    status: str,
    accepted_at: datetime | None,
    first_contact_due: datetime | None,
    next_review_due: datetime | None,
    sent_at: datetime | None,
    now: datetime,
) -> StepDownClock:
    """The clock a person sees for a step-down (the list, the detail, the notices)."""
    if status in FIRST_CONTACT_RUNNING and first_contact_due is not None and accepted_at is not None:
        kind, due, start, what = "early_help_first_contact", first_contact_due, accepted_at, "First contact"
    elif status in REVIEW_RUNNING and next_review_due is not None:
        weeks = int(calendar.timescale("early_help_review").amount)
        kind, due, start, what = (
            "early_help_review",
            next_review_due,
            next_review_due - timedelta(weeks=weeks),
            "Review",
        )
    elif status == "sent" and sent_at is not None:
        return StepDownClock(None, None, None, f"Waiting {_span(now - sent_at)} for an answer")
    else:
        return StepDownClock(None, None, None, "")
    state = calendar.status(due, start, now, kind)
    local = calendar.localize(due)
    if state == "breached":
        label = f"{what} overdue {_span(now - due)}"
    else:
        label = f"{what} due {local:%a %d %b}" + (" (soon)" if state == "due_soon" else "")
    return StepDownClock(kind, due, state, label)


def _span(td: timedelta) -> str:
    hours = int(td.total_seconds() // 3600)
    if hours >= 48:
        return f"{hours // 24} days"
    if hours >= 1:
        return f"{hours}h"
    return f"{max(0, int(td.total_seconds() // 60))}m"
