"""The performance digest's periods and measures: what each figure counts (no database).

A digest covers a period of whole days in London time, from ``first`` to ``last``
inclusive, and compares it with the period of the same length just before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mashdesk.clock import LONDON
from mashdesk.errors import InputError

#: A period longer than this is refused (the digest compares periods, it is not an archive query).
LONGEST_PERIOD = timedelta(days=3 * 366)
#: A contact about a child referred within this long before is a re-referral (the desk stores the flag).
RE_REFERRAL_WITHIN = timedelta(days=365)
#: A step-down "stepped up within 3 months" when the family came back within this long of it.
STEP_UP_WITHIN = timedelta(days=91)

#: The sections of the digest, in the order they are shown, with their titles.
SECTIONS: dict[str, str] = {
    "source": "Contacts by source",
    "outcome": "Contacts by outcome",
    "timescale": "Decisions within timescale, by RAG",
    "referrals": "Referrals and re-referrals",
    "stepdown": "Step-downs to Early Help",
    "icpc": "Initial child protection conferences",
    "edt": "EDT handover",
    "override": "Threshold overrides, by ruleset version",
    "missing": "Missing children",
    "consultation": "Consultation line",
}


@dataclass(frozen=True)
class Period:
    """Whole days ``first``..``last`` (inclusive) in London time."""

    first: date
    last: date

    @staticmethod
    def of(first: date, last: date) -> Period:
        """The period, refused (naming the field) if it ends before it starts or is over three years."""
        if last < first:
            raise InputError(f"to: {last} is before from ({first})", "to")
        if last - first > LONGEST_PERIOD:
            raise InputError("to: a digest covers at most three years", "to")
        return Period(first, last)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        """The first moment of the period (aware, London midnight)."""
        return datetime.combine(self.first, time(0), LONDON)

    @property
    def end(self) -> datetime:
        """The moment after the period (exclusive)."""
        return datetime.combine(self.last + timedelta(days=1), time(0), LONDON)

    def before(self) -> Period:
        """The period of the same length ending the day before this one starts."""
        last = self.first - timedelta(days=1)
        return Period(last - timedelta(days=self.days - 1), last)

    def label(self) -> str:
        return f"{self.first:%d %b %Y} – {self.last:%d %b %Y}"


def share(part: int, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole`` to one decimal place; ``None`` when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def default_period(today: date) -> Period:
    """The last full calendar month before ``today``: what the Dashboard opens on."""
    last = today.replace(day=1) - timedelta(days=1)
    return Period(last.replace(day=1), last)
