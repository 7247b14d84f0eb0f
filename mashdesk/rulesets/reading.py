"""Plain reads of what a replay and the consistency report need: stored assessments and decisions.

Over a DB-API connection (statements in ``db/fastsql.py``), in batches, so a year of the demo is read in a
few seconds without building ORM objects. Assessments stored before child facts were (``child_facts`` is
null) get their facts from the person's record and their contacts as a child in the 12 months before.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from db import fastsql
from db.direct import Direct, placeholders
from db.timestamps import utc
from mashdesk.clock import LONDON
from mashdesk.codes import CIN_REFERRAL_SOURCES, REFERRAL_OUTCOMES
from mashdesk.rulesets.workflow import DecisionRow
from rules.engine import ChildInput
from rules.replay import StoredCase

BATCH = 5000


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


class _Lists:
    """JSON lists read as tuples, decoded once per distinct text (most rows repeat a few hundred lists)."""

    def __init__(self, *, sort: bool = False) -> None:
        self.seen: dict[Any, tuple[str, ...]] = {}
        self.sort = sort

    def __call__(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, str | bytes):  # PostgreSQL's driver decodes JSONB already
            return tuple(sorted(value or ()) if self.sort else value or ())
        found = self.seen.get(value)
        if found is None:
            items = json.loads(value) or ()
            found = self.seen[value] = tuple(sorted(items) if self.sort else items)
        return found


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _params(conn: Direct, start: datetime, end: datetime) -> dict[str, Any]:
    return {"start": conn.timestamp(start), "end": conn.timestamp(end)}


def count_cases(conn: Direct, start: datetime, end: datetime) -> int:
    return int(conn.scalar(fastsql.REPLAY_COUNT, _params(conn, start, end)) or 0)


def decisions_by_assessment(conn: Direct, start: datetime, end: datetime) -> dict[int, tuple[Any, Any]]:
    """The latest decision (level, outcome) that followed each assessment of the period."""
    found: dict[int, tuple[int, int, str]] = {}
    for assessment_id, decision_id, level, outcome in conn.all(fastsql.REPLAY_DECISIONS, _params(conn, start, end)):
        if assessment_id not in found or found[assessment_id][0] < decision_id:
            found[assessment_id] = (decision_id, level, outcome)
    return {a: (level, outcome) for a, (_, level, outcome) in found.items()}


def stored_cases(conn: Direct, start: datetime, end: datetime,
                 decisions: dict[int, tuple[Any, Any]]) -> Iterator[list[StoredCase]]:
    """Every latest assessment of a child of a contact received in ``[start, end)``, in batches."""
    cursor = conn.execute(fastsql.REPLAY_ASSESSMENTS, _params(conn, start, end))
    lists, sorted_lists, days, local_day = _Lists(), _Lists(sort=True), _Days(), _LocalDays()
    # The four JSON lists of a row, decoded together once per distinct combination (SQLite gives text).
    decoded: dict[tuple[Any, ...], tuple[tuple[str, ...], ...]] = {}
    no_decision = (None, None)
    try:
        while rows := cursor.fetchmany(BATCH):
            legacy = _legacy_facts(conn, [r for r in rows if r[13] is None])
            batch = []
            for (aid, contact_id, person_id, received, indicators, household, level, outcome, rag, flags, rules,
                 dob, edob, disabled, cp_plan, contacts, referrals) in rows:
                texts = (indicators, household, flags, rules)
                found = decoded.get(texts) if isinstance(indicators, str) else None
                if found is None:
                    found = (lists(indicators), lists(household), sorted_lists(flags), lists(rules))
                    if isinstance(indicators, str):
                        decoded[texts] = found
                own, shared, flag_list, rule_list = found
                decided_level, decided_outcome = decisions.get(aid, no_decision)
                if disabled is None:  # stored before the child facts were
                    batch.append(StoredCase.of(
                        aid, contact_id, person_id, local_day(received), legacy(person_id, contact_id, utc(received),
                                                                                own), shared, level, outcome, rag,
                        flag_list, rule_list, decided_level, decided_outcome))
                    continue
                batch.append(StoredCase(
                    aid, contact_id, person_id, local_day(received), days(dob), days(edob), bool(disabled),
                    bool(cp_plan), contacts, referrals, own, shared, level, outcome, rag, flag_list, rule_list,
                    decided_level, decided_outcome))
            yield batch
    finally:
        cursor.close()


class _LocalDays:
    """The London date of a stored UTC timestamp, worked out once per hour of UTC (offsets change on the hour)."""

    def __init__(self) -> None:
        self.seen: dict[Any, date] = {}

    def __call__(self, value: Any) -> date:
        hour = value[:13] if isinstance(value, str) else value.replace(minute=0, second=0, microsecond=0)
        found = self.seen.get(hour)
        if found is None:
            stamp = utc(value)
            assert stamp is not None
            found = self.seen[hour] = stamp.astimezone(LONDON).date()
        return found


class _Days:
    """Date columns as dates (SQLite gives text), parsed once per distinct value."""

    def __init__(self) -> None:
        self.seen: dict[Any, date | None] = {None: None}

    def __call__(self, value: Any) -> date | None:
        found = self.seen.get(value, False)
        if found is False:
            found = self.seen[value] = _date(value)
        return found  # type: ignore[return-value]


def _legacy_facts(conn: Direct, rows: list[Any]) -> Any:
    """A function giving the child facts of assessments stored without them, read for ``rows`` at once."""
    people: dict[int, tuple[Any, ...]] = {}
    history: dict[int, list[tuple[int, datetime, str | None]]] = defaultdict(list)
    ids = sorted({r[2] for r in rows})
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        marks, params = placeholders("p", chunk)
        for row in conn.all(fastsql.REPLAY_PEOPLE.format(marks=marks), params):
            people[row[0]] = row
        for person_id, contact_id, received, outcome in conn.all(fastsql.REPLAY_HISTORY.format(marks=marks), params):
            history[person_id].append((contact_id, utc(received), outcome))  # type: ignore[arg-type]

    def facts(person_id: int, contact_id: int, received_at: datetime, indicators: tuple[str, ...]) -> ChildInput:
        _, dob, edob, disabled, cp_previous, cp_current = people[person_id]
        dob, edob = _date(dob), _date(edob)
        on = received_at.astimezone(LONDON).date()
        if dob is not None and dob > on:
            dob, edob = None, dob
        since = received_at - timedelta(days=365)
        earlier = [o for c, at, o in history[person_id] if c != contact_id and since <= at < received_at]
        return ChildInput(str(person_id), dob, None if dob else edob, bool(disabled), bool(cp_previous or cp_current),
                          len(earlier), sum(o in REFERRAL_OUTCOMES for o in earlier), indicators)
    return facts


def decision_rows(conn: Direct, start: datetime, end: datetime) -> list[DecisionRow]:
    names = dict(conn.all(fastsql.USER_NAMES))
    out = []
    for (did, contact_id, person_id, level, outcome, reason, decided_by, authorised_by, s_level, s_outcome,
         indicators, household, source) in conn.all(fastsql.CONSISTENCY_DECISIONS, _params(conn, start, end)):
        out.append(DecisionRow(
            did, contact_id, person_id, level, outcome, s_level, s_outcome, reason,
            names.get(decided_by, "unknown"),
            names.get(authorised_by, "not yet authorised") if authorised_by else "not yet authorised",
            f"{source} {CIN_REFERRAL_SOURCES.get(source, '')}".strip(),
            tuple(_json(indicators) or ()) + tuple(_json(household) or ())))
    return out
