"""The performance digest and the Annex A return on a demo database."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path


def digest_timings(db: Path, median_ms: Callable[..., float], repeat: int = 5) -> dict[str, float]:
    """``digest_ms``: the digest of the last 12 months beside the 12 months before (every figure, both periods);
    ``digest_month_ms``: the last full month; beside them ``contacts_scan_ms``, one plain-SQL pass over every
    contact in the same run (the digest makes several such passes); ``annex_a_12m_s``: Lists 1-3 for 12 months,
    read and written."""
    from db.engine import make_engine, make_session_factory
    from mashdesk.context import AppContext
    from mashdesk.digest.service import DigestService
    from mashdesk.digest.workflow import default_period
    from mashdesk.returns.annex_a import AnnexAService
    from mashdesk.returns.annex_a_workbook import annex_a_workbook
    from mashdesk.services.auth import AuthService

    engine = make_engine(f"sqlite:///{db}")
    ctx = AppContext(engine, make_session_factory(engine))
    actor = AuthService(ctx).actor("demo.manager")
    digests, returns = DigestService(ctx), AnnexAService(ctx)
    today = ctx.calendar.localize(ctx.now()).date()
    first, last = today - timedelta(days=365), today - timedelta(days=1)
    month = default_period(today)
    def scan() -> None:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*), sum(CASE WHEN rag = 'red' THEN 1 ELSE 0 END) FROM contacts").all()

    results = {
        "contacts_scan_ms": median_ms(scan, repeat),
        "digest_ms": median_ms(lambda: digests.digest(actor, first, last), repeat),
        "digest_month_ms": median_ms(lambda: digests.digest(actor, month.first, month.last), repeat),
    }
    started = time.perf_counter()
    annex_a_workbook(returns.build(actor, first, last))
    results["annex_a_12m_s"] = time.perf_counter() - started
    engine.dispose()
    return results
