"""The contact's workflow: its statuses, what may be done in each, and the permission each needs.

Pure: no database, no Qt. The triage service refuses an action this table does not allow,
and the contact view offers exactly the actions :func:`allowed` returns, with their shortcuts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mashdesk import codes
from mashdesk.clock import LONDON
from mashdesk.errors import InputError

#: Statuses a contact passes through, in order.
STATUSES = ("new", "screened", "in_progress", "awaiting_authorisation", "returned", "closed")
#: Open statuses in which the work on a decision goes on.
WORKING = frozenset({"screened", "in_progress", "returned"})
OPEN = frozenset(STATUSES) - {"closed"}


@dataclass(frozen=True)
class ContactAction:
    """One thing that can be done to a contact."""

    key: str
    #: The button's text, with its mnemonic.
    label: str
    shortcut: str
    #: The permission it needs (``mashdesk.permissions``).
    permission: str
    #: The statuses in which it is allowed.
    statuses: frozenset[str]
    #: The status it leaves the contact in (``None``: unchanged).
    to: str | None = None
    #: Allowed only to someone whose agency has a check on the contact still to answer.
    own_check: bool = False
    #: A step inside another action's dialog, not offered on its own.
    offered: bool = True

    @property
    def name(self) -> str:
        return self.label.replace("&", "").rstrip("…")


#: The transition table, in the order the view offers the actions.
ACTIONS: tuple[ContactAction, ...] = (
    ContactAction("screen", "&Screen…", "Ctrl+R", "contact.screen", frozenset({"new", "screened"}), "screened"),
    ContactAction("allocate", "A&llocate…", "Ctrl+L", "contact.allocate", OPEN),
    ContactAction("checks", "Agency &checks…", "Ctrl+K", "check.request", WORKING, "in_progress"),
    ContactAction("answer", "&Answer check…", "Ctrl+Shift+K", "check.answer", frozenset(STATUSES) - {"new"},
                  own_check=True),
    ContactAction("threshold", "&Threshold and decision…", "Ctrl+T", "decision.propose", WORKING | {"new"}),
    ContactAction("decide", "Propose the decision", "", "decision.propose", WORKING, "awaiting_authorisation",
                  offered=False),
    ContactAction("authorise", "A&uthorise", "Ctrl+Shift+A", "decision.authorise",
                  frozenset({"awaiting_authorisation"}), "closed"),
    ContactAction("return", "&Return…", "Ctrl+Shift+R", "decision.authorise", frozenset({"awaiting_authorisation"}),
                  "returned"),
    ContactAction("letter", "&Print feedback letter…", "Ctrl+P", "feedback.send", frozenset({"closed"})),
    ContactAction("save_letter", "Sa&ve feedback letter…", "Ctrl+Shift+S", "feedback.send", frozenset({"closed"})),
    ContactAction("sent", "Feedback s&ent", "Ctrl+Shift+E", "feedback.send", frozenset({"closed"})),
)
BY_KEY = {a.key: a for a in ACTIONS}


def allowed(status: str, may: Callable[[str], bool], *, own_check: bool = False) -> tuple[ContactAction, ...]:
    """The offered actions someone with permissions ``may`` can take on a contact in ``status``."""
    return tuple(a for a in ACTIONS if a.offered and permits(a, status, may, own_check=own_check))


def permits(action: ContactAction, status: str, may: Callable[[str], bool], *, own_check: bool = False) -> bool:
    return status in action.statuses and may(action.permission) and (own_check or not action.own_check)


def require(key: str, status: str, reference: str) -> ContactAction:
    """The action ``key``, refused (naming the status) when a contact in ``status`` does not allow it."""
    action = BY_KEY[key]
    if status not in action.statuses:
        shown = status.replace("_", " ")
        raise InputError(f"{action.name.lower()}: contact {reference} is {shown}; that is not possible now", "status")
    return action


def after(key: str, status: str) -> str:
    """The status a contact in ``status`` has once ``key`` is done."""
    return BY_KEY[key].to or status


def lead_rank(level: int, outcome: str) -> tuple[int, bool]:
    """Which child's decision leads the contact's outcome: the highest level, a strategy discussion first."""
    return (level, outcome == "strategy_discussion")


def decided_late(due: datetime | None, decided_at: datetime) -> bool:
    """Whether the lead decision came after the contact's decision deadline."""
    return bool(due and decided_at > due)


def feedback_text(children_display: str, received_at: datetime, outcome: str, rationale: str) -> str:
    """What the referrer is told once the decision is authorised."""
    return (f"Thank you for your contact about {children_display} on "
            f"{received_at.astimezone(LONDON):%d %B %Y}. The MASH has considered it. "
            f"Outcome: {codes.OUTCOMES[outcome]}. {rationale}").strip()
