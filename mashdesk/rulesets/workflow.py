"""The rules of ruleset versions and the consistency report, pure (no database).

A version's life: loaded (validated, not in force) → activated from a date (scheduled, then in force from
that day's midnight in London) → superseded by a later activation. A date in the past is refused: contacts
already received keep the version in force when they came in. The consistency report counts, from plain
decision rows, how often decisions differ from the suggestion, by who and where.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mashdesk.clock import LONDON
from mashdesk.errors import InputError

LOADED, SCHEDULED, IN_FORCE, SUPERSEDED, SHIPPED = "loaded", "scheduled", "in force", "superseded", "shipped"
#: Periods longer than this are refused (a replay reads every assessment in it).
MAX_PERIOD_DAYS = 3 * 366


def period(start: date, end: date) -> tuple[datetime, datetime]:
    """``[start 00:00, end+1 00:00)`` in London, as aware datetimes; refuses an empty or over-long period."""
    if end < start:
        raise InputError(f"to: {end.isoformat()} is before from {start.isoformat()}", "to")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InputError(f"to: a period of at most {MAX_PERIOD_DAYS} days", "to")
    return midnight(start), midnight(end + timedelta(days=1))


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON)


def check_activation(effective_on: date, today: date, *, effective_from: datetime | None) -> None:
    """A version takes effect from today or a later day, once."""
    if effective_from is not None and effective_from.astimezone(LONDON).date() <= today:
        raise InputError("effective from: this version is already in force; load a new version to change it",
                         "effective_from")
    if effective_on < today:
        raise InputError(f"effective from: {effective_on.isoformat()} is in the past; contacts already received "
                         "keep the version in force when they came in", "effective_from")


def status_of(effective_from: datetime | None, in_force_now: bool, now: datetime) -> str:
    if effective_from is None:
        return LOADED
    if effective_from > now:
        return SCHEDULED
    return IN_FORCE if in_force_now else SUPERSEDED


# -- consistency ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DecisionRow:
    decision_id: int
    contact_id: int
    person_id: int
    level: int
    outcome: str
    suggested_level: int
    suggested_outcome: str
    override_reason: str | None
    practitioner: str
    manager: str
    source: str
    indicators: tuple[str, ...]

    @property
    def overridden(self) -> bool:
        return (self.level, self.outcome) != (self.suggested_level, self.suggested_outcome)


@dataclass(frozen=True, slots=True)
class CaseRef:
    contact_id: int
    person_id: int
    level: int
    suggested_level: int
    outcome: str
    suggested_outcome: str
    reason: str


@dataclass(frozen=True, slots=True)
class RateLine:
    """Decisions and overrides in one group; ``cases`` are the overrides behind the figure."""

    key: str
    decisions: int
    overrides: int
    cases: tuple[CaseRef, ...]

    @property
    def rate(self) -> float:
        return self.overrides / self.decisions if self.decisions else 0.0


@dataclass(frozen=True, slots=True)
class ConsistencyReport:
    start: date
    end: date
    decisions: int
    overrides: int
    by_practitioner: tuple[RateLine, ...]
    by_manager: tuple[RateLine, ...]
    by_source: tuple[RateLine, ...]
    by_indicator: tuple[RateLine, ...]
    #: The most common override reasons, as rate lines whose ``decisions`` is the reason's count.
    reasons: tuple[RateLine, ...]
    #: (suggested level, decided level) with the decisions behind it (every decision, overridden or not).
    levels: tuple[RateLine, ...]

    @property
    def rate(self) -> float:
        return self.overrides / self.decisions if self.decisions else 0.0

    def groups(self) -> dict[str, tuple[RateLine, ...]]:
        return {"practitioner": self.by_practitioner, "team manager": self.by_manager,
                "referral source": self.by_source, "indicator": self.by_indicator,
                "override reason": self.reasons, "suggested → decided level": self.levels}

    def to_json(self) -> dict[str, object]:
        def lines(rows: Sequence[RateLine]) -> list[dict[str, object]]:
            return [{"key": r.key, "decisions": r.decisions, "overrides": r.overrides, "rate": round(r.rate, 4),
                     "cases": [[c.contact_id, c.person_id] for c in r.cases]} for r in rows]
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "decisions": self.decisions,
                "overrides": self.overrides, "override_rate": round(self.rate, 4),
                "by_practitioner": lines(self.by_practitioner), "by_team_manager": lines(self.by_manager),
                "by_referral_source": lines(self.by_source), "by_indicator": lines(self.by_indicator),
                "override_reasons": lines(self.reasons), "suggested_vs_decided": lines(self.levels)}


def consistency(rows: Iterable[DecisionRow], start: date, end: date, top_reasons: int = 10) -> ConsistencyReport:
    groups: dict[str, dict[str, list[DecisionRow]]] = {k: defaultdict(list) for k in
                                                       ("practitioner", "manager", "source", "indicator", "level")}
    reasons: Counter[str] = Counter()
    by_reason: dict[str, list[DecisionRow]] = defaultdict(list)
    total = overrides = 0
    for row in rows:
        total += 1
        groups["practitioner"][row.practitioner].append(row)
        groups["manager"][row.manager].append(row)
        groups["source"][row.source].append(row)
        groups["level"][f"{row.suggested_level} → {row.level}"].append(row)
        for indicator in dict.fromkeys(row.indicators):
            groups["indicator"][indicator].append(row)
        if row.overridden:
            overrides += 1
            reason = (row.override_reason or "(no reason recorded)").strip()
            reasons[reason] += 1
            by_reason[reason].append(row)

    def lines(kind: str, *, every_case: bool = False) -> tuple[RateLine, ...]:
        out = [RateLine(key, len(found), sum(r.overridden for r in found),
                        tuple(_ref(r) for r in found if every_case or r.overridden))
               for key, found in groups[kind].items()]
        if kind == "level":
            return tuple(sorted(out, key=lambda line: line.key))
        return tuple(sorted(out, key=lambda line: (-line.rate, -line.decisions, line.key)))

    return ConsistencyReport(
        start, end, total, overrides, lines("practitioner"), lines("manager"), lines("source"),
        lines("indicator"),
        tuple(RateLine(reason, n, n, tuple(_ref(r) for r in by_reason[reason]))
              for reason, n in reasons.most_common(top_reasons)),
        lines("level", every_case=True))


def _ref(row: DecisionRow) -> CaseRef:
    return CaseRef(row.contact_id, row.person_id, row.level, row.suggested_level, row.outcome,
                   row.suggested_outcome, row.override_reason or "")
