"""What a marker is and what a reader may see of it (pure: no database).

A marker has a kind, a level of concern, a source, the date, a review date, and may be restricted to the
Atlas team and police. Everyone else who may read a person sees a restricted marker's kind only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mashdesk.errors import InputError

#: code → (short label, full name)
KINDS: dict[str, tuple[str, str]] = {
    "cse": ("CSE", "Child sexual exploitation"),
    "cce": ("CCE", "Child criminal exploitation"),
    "county_lines": ("County lines", "County lines"),
    "gang": ("Gang", "Gang affiliation"),
    "syv": ("SYV", "Serious youth violence"),
    "trafficking": ("Trafficking", "Trafficking"),
    "missing": ("Missing", "Going missing"),
}
LEVELS: dict[str, str] = {"low": "low", "medium": "medium", "high": "high"}
LEVEL_RANK = {"high": 0, "medium": 1, "low": 2}
#: Roles that read a restricted marker's level and source.
RESTRICTED_READERS = frozenset({"atlas", "police"})


@dataclass(frozen=True)
class MarkerView:
    """A marker as one reader may see it (``withheld``: its level and source are not for this reader)."""

    id: int
    person_id: int
    kind: str
    level: str | None
    source: str | None
    noted_on: date
    review_on: date | None
    restricted: bool
    withheld: bool
    version: int

    @property
    def label(self) -> str:
        """"Atlas: CCE, high", or the kind only where the reader may not see the rest."""
        short = KINDS.get(self.kind, (self.kind, self.kind))[0]
        if self.withheld:
            return f"Atlas: {short} (restricted)"
        return f"Atlas: {short}, {self.level}"

    @property
    def line(self) -> str:
        """The marker in a sentence, for the person's record: what, how worrying, from whom, since, review."""
        name = KINDS.get(self.kind, (self.kind, self.kind))[1]
        if self.withheld:
            return f"{name}: detail restricted to the Atlas team and police (noted {self.noted_on:%d %b %Y})"
        review = f", review by {self.review_on:%d %b %Y}" if self.review_on else ""
        shared = " (restricted to the Atlas team and police)" if self.restricted else ""
        return f"{name}: {self.level} concern, from {self.source}, noted {self.noted_on:%d %b %Y}{review}{shared}"

    def review_due(self, today: date) -> bool:
        return self.review_on is not None and self.review_on <= today


def may_read_detail(role: str, restricted: bool) -> bool:
    return not restricted or role in RESTRICTED_READERS


def validate(kind: str, level: str, noted_on: date, review_on: date, today: date) -> None:
    """Refuse an unknown kind or level, a date in the future, or a review before the date noted."""
    if kind not in KINDS:
        raise InputError(f"kind: {kind!r} is not one of {', '.join(KINDS)}", "kind")
    if level not in LEVELS:
        raise InputError(f"level: {level!r} is not one of {', '.join(LEVELS)}", "level")
    if noted_on > today:
        raise InputError("date: a marker cannot be noted in the future", "noted_on")
    if review_on <= noted_on:
        raise InputError("review date: must be after the date noted", "review_on")
