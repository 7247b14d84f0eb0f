"""``replay_12m_s``: replaying the 2027.1 draft over the last 12 months of stored assessments of a demo."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from pathlib import Path


def replay_12m_s(db: Path, repeat: int = 3) -> dict[str, float]:
    from sqlalchemy import func, select

    from db.models import Contact
    from mashdesk.app import open_database
    from mashdesk.clock import LONDON
    from mashdesk.rulesets.service import RulesetService
    from mashdesk.services.auth import AuthService
    from rules import DATA_DIR

    ctx, _ = open_database(f"sqlite:///{db}")
    actor = AuthService(ctx).actor("demo.admin")
    with ctx.session_factory() as s:
        end = s.scalar(select(func.max(Contact.received_at))).astimezone(LONDON).date()
    start = end - timedelta(days=364)
    service = RulesetService(ctx)
    times, children = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        report = service.replay_file(actor, DATA_DIR / "bromley-ton-2027.1.toml", start, end)
        times.append(time.perf_counter() - started)
        children = report.children
    ctx.engine.dispose()
    return {"replay_12m_s": statistics.median(times), "replay_12m_children": children}
