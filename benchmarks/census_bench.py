"""``cin_census_s``: writing a year's CIN census (XML) from the demo database as the export does (median).

The year is the collection year in progress (ending the next 31 March), the one holding most of the demo's
year of contacts. The DfE validator's own run time is not part of the figure.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def cin_census_s(db: Path, repeat: int = 3) -> dict[str, float]:
    from db.engine import make_engine, make_session_factory
    from mashdesk.context import AppContext
    from mashdesk.returns.service import CensusService
    from mashdesk.services.auth import AuthService

    engine = make_engine(f"sqlite:///{db}")
    ctx = AppContext(engine, make_session_factory(engine))
    actor = AuthService(ctx).actor("demo.manager")
    today = ctx.now().date()
    year = today.year + 1 if today.month > 3 else today.year
    times, children = [], 0
    with tempfile.TemporaryDirectory() as folder:
        for n in range(repeat):
            started = time.perf_counter()
            done = CensusService(ctx).write_census(actor, year, Path(folder) / f"census-{n}.xml")
            times.append(time.perf_counter() - started)
            children = done.children
    engine.dispose()
    return {"cin_census_s": statistics.median(times), "cin_census_children": children}
