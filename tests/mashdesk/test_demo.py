"""Demo data: deterministic per seed, every status, RAG and outcome, the users of interfaces.md."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from db.models import AgencyCheck, Agency, Contact, EdtEntry, StrategyDiscussion, User
from mashdesk.demo import DEMO_USERS, build_demo


def _digest(ctx) -> str:
    with ctx.session_factory() as s:
        rows = s.execute(select(Contact.id, Contact.received_at, Contact.children_display, Contact.status,
                                Contact.rag, Contact.outcome).order_by(Contact.id)).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_same_seed_same_data_and_a_rebuild_replaces_it(ctx):
    build_demo(ctx, 150, seed=9)
    first = _digest(ctx)
    build_demo(ctx, 150, seed=9)
    assert _digest(ctx) == first
    build_demo(ctx, 150, seed=10)
    assert _digest(ctx) != first


def test_demo_has_every_role_status_rag_and_outcome(ctx):
    build_demo(ctx, 1500, seed=2)
    with ctx.session_factory() as s:
        users = set(s.scalars(select(User.username)))
        statuses = set(s.scalars(select(Contact.status).distinct()))
        rags = set(s.scalars(select(Contact.rag).distinct()))
        outcomes = set(s.scalars(select(Contact.outcome).distinct()))
        channels = set(s.scalars(select(Contact.channel).distinct()))
        assert s.scalar(select(EdtEntry.id).limit(1)) is not None
    assert set(DEMO_USERS) <= users
    assert statuses == {"new", "screened", "in_progress", "awaiting_authorisation", "returned", "closed"}
    assert rags == {"red", "amber", "green", None}
    assert {"nfa_advice", "early_help", "assessment", "strategy_discussion"} <= outcomes
    assert {"police_notification", "edt", "phone", "email"} <= channels


def test_strategy_discussion_1_has_a_police_restricted_answer(ctx):
    build_demo(ctx, 80, seed=1)
    with ctx.session_factory() as s:
        discussion = s.get(StrategyDiscussion, 1)
        assert discussion is not None
        restricted = s.scalars(select(AgencyCheck).join(Agency).where(
            AgencyCheck.contact_id == discussion.contact_id, AgencyCheck.restricted.is_(True),
            Agency.code == "police")).all()
    assert restricted and all(c.response for c in restricted)
