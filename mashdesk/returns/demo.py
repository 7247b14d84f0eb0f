"""Demo census data: what happened to the demo's referrals after the front door, in realistic proportions.

Every authorised referral (a single assessment, or a strategy discussion) opens a child in need episode
with a single assessment (factors identified at its end; about one in ten finds none). About four in ten
assessments close with no further action (RC8); most of the rest lead to a CIN plan. Section 47 enquiries
lead to an initial child protection conference within 15 working days in about 93 of 100 cases, some find
none is needed ("ICPC not required"), and about four in five conferences make a child protection plan
(neglect and emotional abuse the commonest categories). Plans end and episodes close (RC7 mostly) as time
passes. A later referral while a child's episode is still open adds no second episode. Deterministic from
the demo's seed; bulk statements so the 150,000-contact demo stays fast.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from db import models as m
from db.base import Base
from mashdesk.calendar import WorkingCalendar
from mashdesk.clock import LONDON
from mashdesk.codes import REFERRAL_OUTCOMES

FACTOR_WEIGHTS = [("3B", 24), ("4B", 20), ("3A", 10), ("16A", 14), ("17A", 12), ("2B", 8), ("1B", 7),
                  ("4A", 9), ("15A", 4), ("10A", 4), ("11A", 2), ("24A", 3), ("14A", 4), ("5A", 3), ("6A", 2),
                  ("7A", 2), ("18C", 4), ("19C", 2), ("13A", 1), ("20", 3), ("9A", 1), ("5B", 2), ("3C", 2)]
CATEGORY_WEIGHTS = [("NEG", 48), ("EMO", 35), ("PHY", 8), ("SAB", 4), ("MUL", 5)]


def weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


class Rows:
    """Rows per table with their ids given here, inserted parents first by :meth:`write`."""

    ORDER = ("cin_episodes", "cin_assessments", "cin_plans", "cp_plans")

    def __init__(self, first_ids: dict[str, int]) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {name: [] for name in self.ORDER}
        self.next = dict(first_ids)

    def add(self, table: str, row: dict[str, Any]) -> int:
        row["id"] = self.next[table]
        self.next[table] += 1
        self.tables[table].append(row)
        return int(row["id"])

    def get(self, table: str) -> list[dict[str, Any]]:
        return self.tables[table]

    def write(self, session: Session) -> None:
        postgres = session.get_bind().dialect.name == "postgresql"
        for name in self.ORDER:
            rows = self.tables[name]
            table = Base.metadata.tables[name]
            for start in range(0, len(rows), 10000):
                session.execute(insert(table), rows[start:start + 10000])
            if rows and postgres:
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"(SELECT MAX(id) FROM {name}))"))


def _local(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


class _Episodes:
    def __init__(self, rng: random.Random, today: date, calendar: WorkingCalendar, stamp: dict[str, Any],
                 recorder: int | None, first_ids: dict[str, int]) -> None:
        self.r, self.today, self.cal, self.stamp, self.recorder = rng, today, calendar, stamp, recorder
        self.rows = Rows(first_ids)
        self.s47_updates: list[dict[str, Any]] = []

    def _days(self, start: date, low: int, high: int) -> date:
        return self.cal.working_days_after(start, self.r.randint(low, high))

    def _factors(self) -> str:
        if self.r.random() < 0.1:
            return "21"
        picked: list[str] = []
        for _ in range(self.r.choice([1, 1, 2, 2, 3])):
            code = weighted(self.r, FACTOR_WEIGHTS)
            if code not in picked:
                picked.append(code)
        return " ".join(picked)

    def _close(self, episode: dict[str, Any], on: date, reason: str) -> None:
        if on <= self.today:
            episode.update(closed_on=on, closure_reason=reason, closed_by_id=self.recorder)

    def episode(self, d: Any, s47: Any | None) -> date | None:
        """Write one referral's episode; the day it closes (None while open)."""
        r = self.r
        referral_on = _local(d.received_at)
        started = max(referral_on, _local(d.authorised_at))
        episode = {"person_id": d.person_id, "contact_id": d.contact_id, "decision_id": d.id,
                   "referral_on": referral_on, "closed_on": None, "closure_reason": None,
                   "closed_by_id": None, "is_demo": True, **self.stamp}
        eid = self.rows.add("cin_episodes", episode)
        late = r.random() < 0.12
        authorised = self._days(started, 46, 60) if late else self._days(started, 10, 45)
        factors = self._factors() if authorised <= self.today else ""
        self.rows.add("cin_assessments", {
            "episode_id": eid, "started_on": started,
            "authorised_on": authorised if authorised <= self.today else None,
            "factors": factors, "recorded_by_id": self.recorder, **self.stamp})
        plan_from = authorised
        if s47 is not None and s47.s47_started_on is not None:
            plan_from = self._section47(eid, s47, authorised, factors) or authorised
        if (factors == "21" or r.random() < 0.38) and not episode["closed_on"] and plan_from == authorised:
            self._close(episode, authorised, "RC7" if s47 is not None else "RC8")
            return episode["closed_on"]
        if plan_from > self.today:
            return None
        if not episode["closed_on"] and r.random() < 0.85:
            end = plan_from + timedelta(days=r.randint(60, 300))
            self.rows.add("cin_plans", {"episode_id": eid, "started_on": plan_from,
                                        "ended_on": end if end <= self.today else None, **self.stamp})
            if end <= self.today:
                self._close(episode, end, weighted(r, [("RC7", 86), ("RC5", 8), ("RC3", 3), ("RC4", 3)]))
        else:
            self._close(episode, plan_from + timedelta(days=r.randint(5, 40)), "RC7")
        return episode["closed_on"]

    def _section47(self, eid: int, s47: Any, authorised: date, factors: str) -> date | None:
        """The conference and any plan; the day a CIN plan could follow (None: as after the assessment)."""
        r = self.r
        if s47.icpc_due is None or s47.icpc_due > self.today:
            return None
        if factors == "21" or r.random() < 0.15:
            self.s47_updates.append({"sid": s47.id, "held": None, "not_required": True})
            return None
        held = s47.icpc_due - timedelta(days=r.randint(0, 4)) if r.random() < 0.93 else \
            s47.icpc_due + timedelta(days=r.randint(1, 10))
        held = max(held, s47.s47_started_on + timedelta(days=1))
        if not self.cal.is_working_day(held):
            held = self.cal.next_working_day(held)
        if held > self.today:
            return None
        self.s47_updates.append({"sid": s47.id, "held": held, "not_required": False})
        if r.random() >= 0.8:
            return max(held, authorised)
        category = weighted(r, CATEGORY_WEIGHTS)
        end = held + timedelta(days=r.randint(90, 540))
        self.rows.add("cp_plans", {
            "episode_id": eid, "strategy_child_id": s47.id, "started_on": held,
            "ended_on": end if end <= self.today else None, "initial_category": category,
            "latest_category": category if r.random() < 0.85 else weighted(r, CATEGORY_WEIGHTS),
            **self.stamp})
        return max(end, authorised)


def seed_demo(session: Session, *, rng: random.Random, now: datetime, calendar: WorkingCalendar,
              user_ids: dict[str, int]) -> int:
    """Write the census data of every authorised referral in the demo; the number of episodes."""
    today = _local(now)
    stamp = {"version": 1, "created_at": now, "updated_at": now, "updated_by_id": None}
    first_ids = {name: (session.scalar(select(func.max(Base.metadata.tables[name].c.id))) or 0) + 1
                 for name in Rows.ORDER}
    work = _Episodes(rng, today, calendar, stamp, user_ids.get("demo.practitioner"), first_ids)
    d, c, p = m.Decision, m.Contact, m.Person
    decisions = session.execute(
        select(d.id, d.person_id, d.contact_id, d.authorised_at, c.received_at, p.date_of_birth,
               p.expected_date_of_birth)
        .join(c, c.id == d.contact_id).join(p, p.id == d.person_id)
        .where(d.status == "authorised", d.outcome.in_(sorted(REFERRAL_OUTCOMES)))
        .order_by(d.person_id, c.received_at, d.id)).all()
    sc, sd = m.StrategyChild, m.StrategyDiscussion
    s47s = {(row.contact_id, row.person_id): row for row in session.execute(
        select(sc.id, sc.person_id, sc.s47_started_on, sc.icpc_due, sd.contact_id)
        .join(sd, sd.id == sc.discussion_id)
        .where(sc.decision.in_(["s47_single", "s47_joint"]), sc.icpc_held_on.is_(None)))}
    open_until: dict[int, date | None] = {}
    for row in decisions:
        born = row.date_of_birth or row.expected_date_of_birth
        if born is not None and born > _local(row.received_at) + timedelta(weeks=40):
            continue  # a worry about a baby not yet conceived is not a referral to children's social care
        if row.person_id in open_until:
            closed = open_until[row.person_id]
            if closed is None or closed >= _local(row.received_at):
                continue  # the case is still open: the new referral goes to the allocated worker
        open_until[row.person_id] = work.episode(row, s47s.get((row.contact_id, row.person_id)))
    work.rows.write(session)
    if work.s47_updates:
        table = sc.__table__
        session.execute(update(table).where(table.c.id == bindparam("sid"))
                        .values(icpc_held_on=bindparam("held"), icpc_not_required=bindparam("not_required")),
                        work.s47_updates)
    return len(work.rows.get("cin_episodes"))
