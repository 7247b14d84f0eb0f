"""The life of a missing episode: its states, who may act, its three clocks and its checks (no database).

::

    missing ──found or returned──▶ returned ──interview done, or declined──▶ closed
      │  sightings, police updates, notes (stamped, any time while open)
      │  24 h: a strategy discussion for a child missing from care (convened from the episode)
      │  72 h: escalation to a senior manager (who was told, and when)
      └──────────────────────────▶ returned: a return home interview offered within 72 h of return,
                                   accepted or declined, then done with its findings

Which action may start from which status is :data:`TRANSITIONS`, the one table both the service and the
window read. Deadlines come from the calendar (``missing_from_care_strategy``, ``missing_escalation``,
``missing_return_interview``); a clock's breach is stored by the scheduled sweep when it happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mashdesk import permissions
from mashdesk.calendar import WorkingCalendar
from mashdesk.errors import InputError

STATUSES: dict[str, str] = {"missing": "Missing", "returned": "Returned", "closed": "Closed"}
OPEN_STATUSES = ("missing", "returned")
MISSING_FROM: dict[str, str] = {
    "home": "Home", "care_placement": "Care placement", "school": "School", "other": "Other"}
RISKS: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}
RISK_RANK = {"high": 0, "medium": 1, "low": 2}
HARMED: dict[str, str] = {"no": "No", "yes": "Yes", "unknown": "Not known"}
UPDATE_KINDS: dict[str, str] = {
    "sighting": "Sighting", "police": "Police update", "note": "Note", "returned": "Found / returned",
    "escalated": "Escalated", "strategy": "Strategy discussion", "rhi_offered": "Interview offered",
    "rhi_answer": "Interview answer", "rhi_done": "Interview done", "contact": "Contact made",
    "atlas_review": "Atlas review",
}
#: Updates only those who may see police detail read (others see that one exists).
POLICE_KINDS = frozenset({"police"})
RHI_ANSWERS: dict[str, str] = {"accepted": "Accepted", "declined": "Declined"}

#: The third episode within 90 days raises an Atlas review on the child.
REPEAT_EPISODES = 3
REPEAT_WINDOW = timedelta(days=90)
#: How long after the return a child stays on the daily list without a return home interview.
RETURNED_ON_LIST = timedelta(hours=72)

#: action → (statuses it may start from, permission it needs, what it is called in a refusal).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "add_update": (OPEN_STATUSES, "missing.record", "have an update added"),
    "returned": (("missing",), "missing.record", "be marked found or returned"),
    "escalate": (("missing",), "missing.record", "be escalated"),
    "convene": (OPEN_STATUSES, "missing.convene", "have a strategy discussion convened"),
    "make_contact": (("missing", "returned", "closed"), "missing.make_contact", "become a contact"),
    "rhi_offer": (("returned",), "missing.record", "have a return home interview offered"),
    "rhi_answer": (("returned",), "missing.record", "have the interview's answer recorded"),
    "rhi_done": (("returned",), "missing.record", "have the interview recorded as done"),
}


def may_see_police_detail(role: str) -> bool:
    """The police reference and police updates: the MASH, the police and the Atlas team read them."""
    return role in permissions.MASH or role in ("police", "atlas")


@dataclass(frozen=True)
class EpisodeFacts:
    """What decides which actions an episode offers, beside its status."""

    status: str
    escalated: bool
    has_discussion: bool
    has_contact: bool
    rhi_offered: bool
    rhi_response: str | None
    rhi_done: bool


def offered_actions(facts: EpisodeFacts, role: str) -> tuple[str, ...]:
    """The actions a person of ``role`` may take on an episode now."""
    done = {
        "escalate": facts.escalated,
        "convene": facts.has_discussion,
        "make_contact": facts.has_contact,
        "rhi_offer": facts.rhi_offered,
        "rhi_answer": not facts.rhi_offered or facts.rhi_response is not None,
        "rhi_done": facts.rhi_response != "accepted" or facts.rhi_done,
    }
    return tuple(
        action for action, (starts, permission, _) in TRANSITIONS.items()
        if facts.status in starts and permissions.allowed(role, permission) and not done.get(action, False)
    )


def require_state(status: str, action: str) -> None:
    starts, _, verb = TRANSITIONS[action]
    if status not in starts:
        raise InputError(f"status: an episode that is {STATUSES.get(status, status).lower()} cannot {verb}",
                         "status")


# -- checks ------------------------------------------------------------------------------------------


def check_report(last_seen: datetime, reported: datetime, missing_from: str, risk: str, now: datetime) -> None:
    """Refuse a report whose times or codes cannot be right, naming the field."""
    if missing_from not in MISSING_FROM:
        raise InputError(f"missing_from: choose one of {', '.join(MISSING_FROM)}", "missing_from")
    if risk not in RISKS:
        raise InputError(f"risk: choose one of {', '.join(RISKS)}", "risk")
    for name, value in (("last_seen_at", last_seen), ("reported_at", reported)):
        if value.tzinfo is None:
            raise InputError(f"{name}: give a time with its zone", name)
        if value > now:
            raise InputError(f"{name}: {name.replace('_at', '').replace('_', ' ')} cannot be in the future", name)
    if last_seen > reported:
        raise InputError("last_seen_at: last seen cannot be after the child was reported missing", "last_seen_at")


def check_moment(name: str, value: datetime, last_seen: datetime, now: datetime, what: str) -> None:
    """A time in an episode's life: not in the future and not before the child was last seen."""
    if value.tzinfo is None:
        raise InputError(f"{name}: give a time with its zone", name)
    if value > now:
        raise InputError(f"{name}: {what} cannot be in the future", name)
    if value < last_seen:
        raise InputError(f"{name}: {what} cannot be before the child went missing", name)


def is_repeat(earlier_reports: list[datetime], reported: datetime) -> bool:
    """Whether this report is the third (or later) episode of the child within 90 days."""
    recent = [r for r in earlier_reports if reported - REPEAT_WINDOW <= r <= reported]
    return len(recent) + 1 >= REPEAT_EPISODES


# -- clocks ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockTimes:
    """What an episode's clocks are computed from (the stored columns)."""

    reported_at: datetime
    looked_after: bool
    returned_at: datetime | None
    strategy_due_at: datetime | None
    strategy_at: datetime | None
    strategy_breached: bool
    escalation_due_at: datetime
    escalated_at: datetime | None
    escalation_breached: bool
    rhi_due_at: datetime | None
    rhi_offered_at: datetime | None
    rhi_breached: bool


@dataclass(frozen=True)
class MissingClock:
    """One of an episode's three clocks as a person sees it."""

    kind: str
    #: Short name: "Strategy 24h", "Escalation 72h", "RHI 72h".
    name: str
    due_at: datetime | None
    #: ok / due_soon / breached (running); met / met_late (done); stopped (returned first); None (no clock).
    state: str | None
    label: str

    @property
    def pressing(self) -> bool:
        return self.state in ("due_soon", "breached")


def due_times(calendar: WorkingCalendar, reported: datetime, looked_after: bool) -> tuple[datetime | None, datetime]:
    """The strategy deadline (looked-after children only) and the escalation deadline of a report."""
    strategy = calendar.due_datetime("missing_from_care_strategy", reported) if looked_after else None
    return strategy, calendar.due_datetime("missing_escalation", reported)


def rhi_due(calendar: WorkingCalendar, returned: datetime) -> datetime:
    return calendar.due_datetime("missing_return_interview", returned)


def _clock(calendar: WorkingCalendar, kind: str, name: str, start: datetime, due: datetime,
           done: datetime | None, breached: bool, stopped_at: datetime | None, now: datetime) -> MissingClock:
    local_due = calendar.localize(due)
    if done is not None and done <= now:
        late = breached or done > due
        when = calendar.localize(done)
        return MissingClock(kind, name, due, "met_late" if late else "met",
                            f"{name}: done {'LATE ' if late else ''}{when:%a %H:%M}")
    if stopped_at is not None and stopped_at <= now and stopped_at <= due:
        return MissingClock(kind, name, due, "stopped", f"{name}: not needed, returned")
    state = calendar.status(due, start, now, kind)
    if breached and state != "breached":
        state = "breached"
    if state == "breached":
        return MissingClock(kind, name, due, state, f"{name}: OVERDUE {span(now - due)}")
    left = span(due - now)
    return MissingClock(kind, name, due, state, f"{name}: {left} left (due {local_due:%a %H:%M})")


def clocks_for(calendar: WorkingCalendar, t: ClockTimes, now: datetime) -> tuple[MissingClock, ...]:
    """The clocks of an episode at ``now``: strategy (looked after only), escalation, and RHI once returned."""
    clocks = []
    if t.looked_after and t.strategy_due_at is not None:
        clocks.append(_clock(calendar, "missing_from_care_strategy", "Strategy 24h", t.reported_at,
                             t.strategy_due_at, t.strategy_at, t.strategy_breached, t.returned_at, now))
    clocks.append(_clock(calendar, "missing_escalation", "Escalation 72h", t.reported_at, t.escalation_due_at,
                         t.escalated_at, t.escalation_breached, t.returned_at, now))
    if t.returned_at is not None and t.returned_at <= now and t.rhi_due_at is not None:
        clocks.append(_clock(calendar, "missing_return_interview", "RHI 72h", t.returned_at, t.rhi_due_at,
                             t.rhi_offered_at, t.rhi_breached, None, now))
    return tuple(clocks)


def breaches_due(t: ClockTimes, now: datetime) -> dict[str, bool]:
    """Which stored breach flags should now be set: a clock still running whose deadline has passed."""
    def passed(due: datetime | None, done: datetime | None, stopped: datetime | None) -> bool:
        return (due is not None and due < now and (done is None or done > due)
                and (stopped is None or stopped > due))

    return {
        "strategy_breached": t.looked_after and not t.strategy_breached
        and passed(t.strategy_due_at, t.strategy_at, t.returned_at),
        "escalation_breached": not t.escalation_breached
        and passed(t.escalation_due_at, t.escalated_at, t.returned_at),
        "rhi_breached": not t.rhi_breached and t.returned_at is not None
        and passed(t.rhi_due_at, t.rhi_offered_at, None),
    }


def span(td: timedelta) -> str:
    minutes = max(0, int(td.total_seconds() // 60))
    hours, mins = divmod(minutes, 60)
    if hours >= 48:
        return f"{hours // 24}d {hours % 24}h"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"


def hours_between(start: datetime, end: datetime) -> int:
    """Whole hours elapsed (real time: a clock change does not add or lose one)."""
    return max(0, int((end - start).total_seconds() // 3600))
