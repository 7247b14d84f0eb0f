"""Synthetic demo data: believable families, contacts and their whole journey, deterministic per seed.

Everything here is invented (Faker, en_GB). The journeys walk the same transition tables, reference
generators and text the services use (``mashdesk.triage.workflow``, ``mashdesk.stepdown.workflow``,
``mashdesk.strategy.workflow``, ``mashdesk.handover.workflow``, ``db.references``); the ruleset engine and
the working calendar make the suggestions and deadlines. Rows are prepared in memory and bulk-inserted,
so 150,000 contacts build in a few minutes on two cores.

The package: ``catalogue`` (users, sources, words), ``bulk`` (rows and the bulk insert), ``families``
(users and people), ``edt`` (the out-of-hours log), ``contacts`` (contact journeys), ``followups``
(step-downs and strategy discussions).
"""

from __future__ import annotations

import random
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from db import audit_guard
from db import models as m
from mashdesk import audit, audit_checkpoints
from mashdesk.consultations.demo import seed_demo as seed_consultations
from mashdesk.context import AppContext
from mashdesk.demo.catalogue import DEMO_PASSWORD, DEMO_USERS, SCHOOLS
from mashdesk.demo.contacts import ContactJourneys
from mashdesk.errors import InputError
from mashdesk.meeting.demo import seed_demo as seed_meetings
from mashdesk.missing.demo import seed_demo as seed_missing
from mashdesk.people import demo as people_demo
from mashdesk.returns.demo import seed_demo as seed_returns
from mashdesk.rulesets import demo as rulesets_demo
from mashdesk.services.auth import seed_reference_data

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoSummary", "assert_demo_only", "build_demo", "demo_is_fresh"]


@dataclass
class DemoSummary:
    contacts: int
    people: int
    edt_entries: int
    step_downs: int
    strategy_discussions: int
    seconds: float



def assert_demo_only(session: Session) -> None:
    """Refuse a database that holds anything but demo data (interfaces.md: exit 2)."""
    checks = [
        ("users", select(func.count()).select_from(m.User).where(m.User.is_demo.is_(False))),
        ("contacts", select(func.count()).select_from(m.Contact).where(m.Contact.is_demo.is_(False))),
        ("people", select(func.count()).select_from(m.Person).where(m.Person.is_demo.is_(False))),
        ("EDT log", select(func.count()).select_from(m.EdtEntry).where(m.EdtEntry.is_demo.is_(False))),
    ]
    for what, stmt in checks:
        if session.scalar(stmt):
            raise InputError(f"database: it holds real {what}; demo data goes only into an empty or demo "
                             "database", "db")


def _clear(session: Session) -> None:
    """Remove earlier demo data (children before parents), keeping roles and agencies; the demo's
    audit trail goes too, the database's guard lifted for that one statement."""
    for table in reversed(m.Role.metadata.sorted_tables):
        if table.name == "audit_events":
            audit_guard.clear_trail(lambda sql: session.execute(text(sql)), session.get_bind().dialect.name)
        elif table.name not in ("roles", "agencies"):
            if table.name == "contacts":
                session.execute(table.update().values(step_down_id=None))
            session.execute(delete(table))

#: The largest demo: well beyond the 150,000 contacts a borough's years of work come to.
MOST_CONTACTS = 1_000_000


def build_demo(ctx: AppContext, contacts: int, seed: int = 1,
               progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Fill the database with ``contacts`` synthetic contacts (replacing earlier demo data)."""
    if not 1 <= contacts <= MOST_CONTACTS:
        raise InputError(f"contacts: give a number of contacts from 1 to {MOST_CONTACTS:,}", "contacts")
    started = _time.perf_counter()
    now = ctx.now()
    with ctx.session_factory.begin() as session:
        seed_reference_data(session)
        assert_demo_only(session)
        _clear(session)
        audit_checkpoints.start_afresh(ctx.url, now)  # a demo loaded again starts a new trail
        builder = ContactJourneys(session, contacts, seed, now, progress, ctx.calendar)
        builder.build()
        builder.rows.write(session)
        seed_missing(session, rng=random.Random(seed * 7919 + 15), now=now, calendar=ctx.calendar,
                     user_ids=builder.user_ids)
        seed_consultations(session, rng=random.Random(seed * 7919 + 16), now=now, calendar=ctx.calendar,
                           user_ids=builder.user_ids, schools=SCHOOLS)
        people_demo.seed_demo(session, rng=random.Random(seed * 17 + 3), now=now, calendar=ctx.calendar,
                              user_ids=builder.user_ids)
        rulesets_demo.seed_demo(session, rng=builder.rng, now=now, calendar=ctx.calendar,
                                user_ids=builder.user_ids)
        seed_meetings(session, rng=random.Random(seed), now=now, calendar=ctx.calendar,
                      user_ids=builder.user_ids)
        seed_returns(session, rng=random.Random(seed * 7919 + 17), now=now, calendar=ctx.calendar,
                     user_ids=builder.user_ids)
        rows = builder.rows
        summary = DemoSummary(
            contacts=len(rows.get("contacts")), people=len(rows.get("people")),
            edt_entries=len(rows.get("edt_entries")), step_downs=len(rows.get("step_downs")),
            strategy_discussions=len(rows.get("strategy_discussions")), seconds=0.0)
        audit.write(session, keys=ctx.audit_keys, at=now, user_id=builder.user_ids["demo.admin"],
                    username="demo.admin",
                    action="demo.load", entity="database", entity_id=None,
                    summary=f"demo data loaded: {summary.contacts} contacts (seed {seed})",
                    detail={"contacts": summary.contacts, "seed": seed})
    summary.seconds = _time.perf_counter() - started
    if progress:
        progress(10, 10)
    return summary



def demo_is_fresh(ctx: AppContext, max_age: timedelta = timedelta(hours=12)) -> bool:
    """Whether demo data was loaded recently enough for its clocks to look like today's work."""
    with ctx.session_factory() as s:
        loaded = s.scalar(select(m.AuditEvent.at).where(m.AuditEvent.action == "demo.load")
                          .order_by(m.AuditEvent.id.desc()).limit(1))
    return loaded is not None and ctx.now() - loaded < max_age
