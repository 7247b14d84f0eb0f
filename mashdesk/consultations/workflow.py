"""The consultation line's rules: outcomes, what a call must say, and who sees which calls (no database)."""

from __future__ import annotations

from datetime import datetime, timedelta

from mashdesk.errors import InputError

OUTCOMES: dict[str, str] = {
    "advice_only": "Advice only",
    "signposted": "Signposted to a service",
    "referral_asked": "Asked to make a referral",
    "contact_now": "Social worker makes a contact now",
}
#: A call that became a contact within this long counts as "became a contact" in the figures.
BECAME_CONTACT_WITHIN = timedelta(days=7)
#: The longest call the log accepts (minutes).
LONGEST_CALL = 240


def sees_only_schools(role: str) -> bool:
    """The education safeguarding lead sees the schools' calls, and no others."""
    return role == "education"


def check_call(*, at: datetime, caller_name: str, question: str, advice: str, outcome: str,
               signposted_to: str, minutes: int, now: datetime) -> None:
    """Refuse a call that cannot be right, naming the field."""
    if at.tzinfo is None:
        raise InputError("at: give a time with its zone", "at")
    if at > now + timedelta(minutes=5):
        raise InputError("at: the call cannot be in the future", "at")
    if not caller_name.strip():
        raise InputError("caller_name: name the caller", "caller_name")
    if not question.strip():
        raise InputError("question: record what the caller asked", "question")
    if outcome not in OUTCOMES:
        raise InputError(f"outcome: choose one of {', '.join(OUTCOMES)}", "outcome")
    if not advice.strip() and outcome != "contact_now":
        raise InputError("advice: record the advice given", "advice")
    if outcome == "signposted" and not signposted_to.strip():
        raise InputError("signposted_to: name the service the caller was signposted to", "signposted_to")
    if not 0 < minutes <= LONGEST_CALL:
        raise InputError(f"minutes: time spent is 1 to {LONGEST_CALL} minutes", "minutes")
