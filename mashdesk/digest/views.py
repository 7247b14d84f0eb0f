"""What the digest shows: figures for a period beside the period before, and the records behind each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from mashdesk.digest.workflow import SECTIONS, Period, share


@dataclass(frozen=True)
class Count:
    """A figure's value, and what it is a share of when it is one (``of``)."""

    value: int
    of: int | None = None

    @property
    def share(self) -> float | None:
        return share(self.value, self.of) if self.of is not None else None

    def text(self) -> str:
        if self.of is None:
            return f"{self.value:,}"
        pct = self.share
        return f"{self.value:,} of {self.of:,}" + (f" ({pct:.1f}%)" if pct is not None else "")


@dataclass(frozen=True)
class FigureLine:
    """One figure of the digest: this period beside the one before."""

    key: str
    section: str
    label: str
    current: Count
    previous: Count
    #: The figure's name under its bar in a chart, and whether it has a bar (a section's total has none).
    short: str = ""
    charted: bool = True

    @property
    def section_title(self) -> str:
        return SECTIONS[self.section]

    @property
    def change(self) -> str:
        """The change from the period before, in points for a share and in records otherwise."""
        now, then = self.current, self.previous
        if now.of is not None:
            if now.share is None or then.share is None:
                return "—"
            return f"{now.share - then.share:+.1f} pts"
        return f"{now.value - then.value:+,}"


@dataclass(frozen=True)
class OverrideReason:
    """A reason practitioners gave for deciding otherwise than the ruleset suggested, and how often."""

    ruleset: str
    reason: str
    times: int


@dataclass(frozen=True)
class Digest:
    period: Period
    previous: Period
    lines: tuple[FigureLine, ...]
    #: The commonest override reasons in the period, by ruleset version.
    reasons: tuple[OverrideReason, ...]
    as_at: datetime
    prepared_for: str

    def section(self, key: str) -> tuple[FigureLine, ...]:
        return tuple(line for line in self.lines if line.section == key)

    def line(self, key: str) -> FigureLine:
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)


@dataclass(frozen=True)
class DrillRecord:
    """A record behind a figure, with what opens it in the window."""

    #: contact, step_down, strategy, edt_entry, decision, missing, consultation
    kind: str
    record_id: int
    #: The contact the record belongs to, when it has one (Enter opens it).
    contact_id: int | None
    reference: str
    at: datetime | date
    detail: str
    #: For a share: whether the record counts towards the figure (``None`` for a plain count).
    counted: bool | None


@dataclass(frozen=True)
class Drill:
    line: FigureLine
    period: Period
    records: tuple[DrillRecord, ...]
    #: How many records are behind the figure (``records`` holds at most the first few thousand).
    total: int
