"""Recording what the census reports, where the work happens: the single assessment and its factors and the
CIN plan on the referral's contact, the conference and any child protection plan from the strategy
discussion, and the episode's closure, which a manager authorises. Each is one audited unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.models import CinAssessment, CinEpisode, CinPlan, CpPlan, Person, StrategyChild, StrategyDiscussion
from mashdesk.context import Actor, Service, WriteScope
from mashdesk.errors import InputError, NotFound
from mashdesk.returns.workflow import check_assessment, check_closure, check_cp_plan, check_factors


@dataclass(frozen=True)
class EpisodeView:
    """A child's episode as the census record dialog shows it."""

    episode_id: int
    version: int
    person_id: int
    name: str
    referral_on: date
    assessment_started: date | None
    assessment_authorised: date | None
    factors: str
    plan_started: date | None
    plan_ended: date | None
    closed_on: date | None
    closure_reason: str | None


@dataclass(frozen=True)
class ConferenceView:
    child_id: int
    version: int
    person_id: int
    name: str
    s47_started_on: date | None
    icpc_due: date | None
    icpc_held_on: date | None
    icpc_not_required: bool
    plan_category: str | None
    plan_started: date | None


class CensusRecordService(Service):
    def episodes(self, actor: Actor, contact_id: int) -> list[EpisodeView]:
        """The episodes the contact's referral opened, one per child referred."""
        with self.read(actor, "returns.read") as s:
            rows = s.scalars(select(CinEpisode).where(CinEpisode.contact_id == contact_id)
                             .order_by(CinEpisode.id)).all()
            out = []
            for e in rows:
                person = s.get(Person, e.person_id)
                a = e.assessments[-1] if e.assessments else None
                p = e.plans[-1] if e.plans else None
                out.append(EpisodeView(
                    e.id, e.version, e.person_id, person.full_name if person else "", e.referral_on,
                    a.started_on if a else None, a.authorised_on if a else None, a.factors if a else "",
                    p.started_on if p else None, p.ended_on if p else None, e.closed_on, e.closure_reason))
            return out

    def _episode(self, w: WriteScope, episode_id: int, version: int) -> CinEpisode:
        e = w.get_for_edit(CinEpisode, episode_id, version, "child in need episode")
        if e.closed_on is not None:
            raise InputError(f"episode: closed on {e.closed_on:%d/%m/%Y}; a new referral opens another",
                             "episode")
        return e

    def record_assessment(self, actor: Actor, episode_id: int, version: int, started_on: date,
                          authorised_on: date | None, factors: str) -> int:
        """The single assessment: its start and, once authorised, the factors identified at its end."""
        codes = check_factors(factors) if authorised_on is not None else []
        today = self.ctx.now().date()
        with self.write(actor, "returns.record", "child in need episode") as w:
            e = self._episode(w, episode_id, version)
            check_assessment(e.referral_on, started_on, authorised_on, today)
            a = e.assessments[-1] if e.assessments else None
            if a is None:
                a = CinAssessment(started_on=started_on, recorded_by_id=actor.user_id)
                e.assessments.append(a)
            a.started_on, a.authorised_on, a.factors = started_on, authorised_on, " ".join(codes)
            e.updated_by_id = actor.user_id
            w.session.flush()
            w.audit("cin_episode", e.id, f"single assessment recorded for person {e.person_id}",
                    started_on=started_on.isoformat(),
                    authorised_on=authorised_on.isoformat() if authorised_on else None, factors=codes)
            return e.version

    def record_plan(self, actor: Actor, episode_id: int, version: int, started_on: date,
                    ended_on: date | None) -> int:
        """The child in need plan's start and, when it ends, its end."""
        today = self.ctx.now().date()
        with self.write(actor, "returns.record", "child in need episode") as w:
            e = self._episode(w, episode_id, version)
            if started_on < e.referral_on or started_on > today:
                raise InputError("plan start: between the referral and today", "plan_started")
            if ended_on is not None and not started_on <= ended_on <= today:
                raise InputError("plan end: between the plan's start and today", "plan_ended")
            p = e.plans[-1] if e.plans else None
            if p is None:
                p = CinPlan(started_on=started_on)
                e.plans.append(p)
            p.started_on, p.ended_on = started_on, ended_on
            e.updated_by_id = actor.user_id
            w.session.flush()
            w.audit("cin_episode", e.id, f"CIN plan recorded for person {e.person_id}",
                    started_on=started_on.isoformat(), ended_on=ended_on.isoformat() if ended_on else None)
            return e.version

    def close(self, actor: Actor, episode_id: int, version: int, closed_on: date, reason: str) -> int:
        """A manager authorises the case's closure, with the census's reason (RC1-RC8)."""
        with self.write(actor, "returns.close", "child in need episode") as w:
            e = self._episode(w, episode_id, version)
            check_closure(reason, closed_on, e.referral_on, self.ctx.now().date())
            e.closed_on, e.closure_reason, e.closed_by_id = closed_on, reason, actor.user_id
            w.session.flush()
            w.audit("cin_episode", e.id, f"case closed for person {e.person_id}: {reason}",
                    closed_on=closed_on.isoformat(), reason=reason)
            return e.version

    # -- the conference, from the strategy discussion ------------------------------------------------
    def conferences(self, actor: Actor, discussion_id: int) -> list[ConferenceView]:
        with self.read(actor, "returns.read") as s:
            out = []
            for c in s.scalars(select(StrategyChild).where(StrategyChild.discussion_id == discussion_id)
                               .order_by(StrategyChild.id)):
                person = s.get(Person, c.person_id)
                plan = s.scalars(select(CpPlan).where(CpPlan.strategy_child_id == c.id)).first()
                out.append(ConferenceView(c.id, c.version, c.person_id, person.full_name if person else "",
                                          c.s47_started_on, c.icpc_due, c.icpc_held_on, c.icpc_not_required,
                                          plan.initial_category if plan else None,
                                          plan.started_on if plan else None))
            return out

    def record_conference(self, actor: Actor, child_id: int, version: int, *, held_on: date | None,
                          not_required: bool, plan_category: str | None = None) -> int:
        """The initial child protection conference (or that none is needed), and the plan it made."""
        today = self.ctx.now().date()
        with self.write(actor, "returns.record", "child's section 47") as w:
            c = w.get_for_edit(StrategyChild, child_id, version, "child's section 47")
            if c.s47_started_on is None:
                raise InputError("conference: no section 47 enquiries were started for this child",
                                 "icpc_held_on")
            if not_required == (held_on is not None):
                raise InputError("conference: give the day it was held, or that none is required",
                                 "icpc_held_on")
            if held_on is not None and not c.s47_started_on <= held_on <= today:
                raise InputError("conference date: between the start of the enquiries and today",
                                 "icpc_held_on")
            if plan_category is not None:
                if held_on is None:
                    raise InputError("plan: only a conference makes a child protection plan", "plan_category")
                check_cp_plan(plan_category, held_on, c.s47_started_on, today)
            c.icpc_held_on, c.icpc_not_required = held_on, not_required
            plan = w.session.scalars(select(CpPlan).where(CpPlan.strategy_child_id == c.id)).first()
            if plan_category is not None:
                self._plan(w, c, plan, held_on, plan_category)  # type: ignore[arg-type]
            elif plan is not None:  # the outcome now says no plan was made
                w.session.delete(plan)
            w.session.flush()
            w.audit("strategy_child", c.id, f"conference outcome recorded for person {c.person_id}",
                    held_on=held_on.isoformat() if held_on else None, not_required=not_required,
                    plan_category=plan_category)
            return c.version

    @staticmethod
    def _plan(w: WriteScope, c: StrategyChild, plan: CpPlan | None, held_on: date, category: str) -> None:
        contact_id = w.session.scalar(select(StrategyDiscussion.contact_id)
                                      .where(StrategyDiscussion.id == c.discussion_id))
        episode = w.session.scalars(select(CinEpisode).where(
            CinEpisode.person_id == c.person_id, CinEpisode.contact_id == contact_id)).first()
        if episode is None:
            raise NotFound("the child has no child in need episode from this referral")
        if plan is None:
            episode.cp_plans.append(CpPlan(strategy_child_id=c.id, started_on=held_on,
                                           initial_category=category, latest_category=category))
        else:
            plan.started_on, plan.initial_category, plan.latest_category = held_on, category, category
            if plan.ended_on is not None and plan.ended_on < held_on:
                plan.ended_on = None
