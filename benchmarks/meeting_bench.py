"""``meeting_agenda_ms``: assembling today's agenda from every source on the demo database (the median)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path


def meeting_agenda_ms(db: Path, repeat: int = 15) -> float:
    from db.engine import make_engine, make_session_factory
    from mashdesk.context import AppContext
    from mashdesk.meeting.service import MeetingService
    from mashdesk.services.auth import AuthService

    engine = make_engine(f"sqlite:///{db}")
    ctx = AppContext(engine, make_session_factory(engine))
    actor = AuthService(ctx).actor("demo.manager")
    service = MeetingService(ctx)
    day = service.meeting_day()
    service.agenda(actor, day)  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        service.agenda(actor, day)
        times.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return statistics.median(times)
