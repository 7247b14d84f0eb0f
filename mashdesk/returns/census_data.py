"""What goes into a year's CIN census, read in a handful of set-based queries (no row-by-row loading).

In scope is every child with a child in need episode open at any time in the collection year: referred on
or before the reference date (31 March) and not closed before 1 April. The census tells things as they
stood on the reference date, so anything dated after it (a closure, an authorisation, a plan's end, a
conference) is left out. Only codes and dates are read: no free text of any record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, aliased

from db import models as m
from mashdesk.returns.workflow import CensusYear


@dataclass
class Assessment:
    started_on: date
    authorised_on: date | None
    factors: list[str]


@dataclass
class Section47:
    started_on: date
    icpc_target: date | None
    icpc_on: date | None
    icpc_not_required: bool


@dataclass
class CpPlan:
    started_on: date
    ended_on: date | None
    initial_category: str
    latest_category: str
    previous: int


@dataclass
class Episode:
    episode_id: int
    contact_id: int
    referral_on: date
    source: str
    primary_need: str
    closed_on: date | None
    closure_reason: str | None
    assessments: list[Assessment] = field(default_factory=list)
    plans: list[tuple[date, date | None]] = field(default_factory=list)
    section47s: list[Section47] = field(default_factory=list)
    cp_plans: list[CpPlan] = field(default_factory=list)

    @property
    def icpc_on(self) -> date | None:
        """The conference of an episode without a section 47 (none is recorded that way yet)."""
        return None


@dataclass
class Child:
    person_id: int
    upn: str | None
    former_upn: str | None
    upn_unknown: str | None
    birth_date: date | None
    expected_birth_date: date | None
    sex: str
    death_date: date | None
    ethnicity: str | None
    disabilities: list[str]
    episodes: list[Episode] = field(default_factory=list)


def _upto(value: date | None, ref: date) -> date | None:
    return value if value is not None and value <= ref else None


def load_census(session: Session, year: CensusYear) -> list[Child]:
    """Every child in scope for ``year`` with their episodes, in child order."""
    ref, start = year.reference_date, year.start
    e, d, c, p = m.CinEpisode, m.Decision, m.Contact, m.Person
    in_scope = and_(e.referral_on <= ref, or_(e.closed_on.is_(None), e.closed_on >= start))
    scope_ids = select(e.id).where(in_scope)
    children: dict[int, Child] = {}
    episodes: dict[int, Episode] = {}
    keys: dict[tuple[int, int], Episode] = {}
    rows = session.execute(
        select(e.id, e.person_id, e.contact_id, e.referral_on, e.closed_on, e.closure_reason, c.cin_source,
               d.primary_need, p.upn, p.former_upn, p.upn_unknown, p.date_of_birth, p.expected_date_of_birth,
               p.sex, p.date_of_death, p.ethnicity, p.disability_codes)
        .join(d, d.id == e.decision_id).join(c, c.id == e.contact_id).join(p, p.id == e.person_id)
        .where(in_scope).order_by(e.person_id, e.referral_on, e.id))
    for r in rows:
        child = children.get(r.person_id)
        if child is None:
            child = children[r.person_id] = Child(
                r.person_id, r.upn, r.former_upn, r.upn_unknown, r.date_of_birth, r.expected_date_of_birth,
                r.sex or "U", r.date_of_death, r.ethnicity, (r.disability_codes or "").split())
        closed = _upto(r.closed_on, ref)
        ep = Episode(r.id, r.contact_id, r.referral_on, r.cin_source, r.primary_need or "N0", closed,
                     r.closure_reason if closed else None)
        child.episodes.append(ep)
        episodes[r.id] = ep
        keys[(r.contact_id, r.person_id)] = ep
    a = m.CinAssessment
    for r in session.execute(select(a.episode_id, a.started_on, a.authorised_on, a.factors)
                             .where(a.episode_id.in_(scope_ids), a.started_on <= ref)
                             .order_by(a.started_on, a.id)):
        authorised = _upto(r.authorised_on, ref)
        if authorised is not None and authorised < start:
            continue  # finished before the year: reported in an earlier census
        episodes[r.episode_id].assessments.append(
            Assessment(r.started_on, authorised, r.factors.split() if authorised else []))
    cp = m.CinPlan
    for r in session.execute(select(cp.episode_id, cp.started_on, cp.ended_on)
                             .where(cp.episode_id.in_(scope_ids), cp.started_on <= ref)
                             .order_by(cp.started_on)):
        if r.ended_on is not None and r.ended_on < start:
            continue
        episodes[r.episode_id].plans.append((r.started_on, _upto(r.ended_on, ref)))
    sc, sd = m.StrategyChild, m.StrategyDiscussion
    for r in session.execute(
            select(sd.contact_id, sc.person_id, sc.s47_started_on, sc.icpc_due, sc.icpc_held_on,
                   sc.icpc_not_required)
            .join(sd, sd.id == sc.discussion_id)
            .join(e, and_(e.contact_id == sd.contact_id, e.person_id == sc.person_id))
            .where(in_scope, sc.s47_started_on.is_not(None), sc.s47_started_on <= ref)
            .order_by(sc.s47_started_on, sc.id)):
        held = _upto(r.icpc_held_on, ref)
        if r.s47_started_on < start and (r.icpc_not_required or (held is not None and held < start)):
            continue
        keys[(r.contact_id, r.person_id)].section47s.append(
            Section47(r.s47_started_on, r.icpc_due, held, bool(r.icpc_not_required) and held is None))
    _cp_plans(session, episodes, year, in_scope)
    return list(children.values())


def _cp_plans(session: Session, episodes: dict[int, Episode], year: CensusYear,
              in_scope: ColumnElement[bool]) -> None:
    """Child protection plans of the episodes, each with the number of the child's plans before it."""
    ref = year.reference_date
    pl, e = m.CpPlan, aliased(m.CinEpisode)
    people = select(m.CinEpisode.person_id).where(in_scope)
    rows = session.execute(select(pl.episode_id, e.person_id, pl.started_on, pl.ended_on, pl.initial_category,
                                  pl.latest_category)
                           .join(e, e.id == pl.episode_id)
                           .where(e.person_id.in_(people), pl.started_on <= ref)
                           .order_by(e.person_id, pl.started_on, pl.id))
    seen: dict[int, int] = defaultdict(int)
    for r in rows:
        previous = seen[r.person_id]
        seen[r.person_id] += 1
        ep = episodes.get(r.episode_id)
        if ep is not None and (r.ended_on is None or r.ended_on >= year.start):
            ep.cp_plans.append(CpPlan(r.started_on, _upto(r.ended_on, ref), r.initial_category,
                                      r.latest_category,
                                      previous))
