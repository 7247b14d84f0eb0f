"""The missing list and the consultation line on a demo database: the daily list, its PDF, a week's calls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path


def missing_timings(db: Path, median_ms: Callable[..., float], repeat: int = 20) -> dict[str, float]:
    from db.engine import make_engine, make_session_factory
    from mashdesk.consultations.figures import consultation_figures
    from mashdesk.consultations.service import ConsultationService
    from mashdesk.consultations.views import ConsultationQuery
    from mashdesk.context import AppContext
    from mashdesk.missing.figures import missing_figures
    from mashdesk.missing.service import MissingService
    from mashdesk.services.auth import AuthService

    engine = make_engine(f"sqlite:///{db}")
    ctx = AppContext(engine, make_session_factory(engine))
    actor = AuthService(ctx).actor("demo.manager")
    missing, calls = MissingService(ctx), ConsultationService(ctx)
    today = ctx.calendar.localize(ctx.now()).date()
    now = ctx.now()

    def figures() -> None:
        with ctx.session_factory() as s:
            missing_figures(s, now - timedelta(days=365), now)
            consultation_figures(s, now - timedelta(days=365), now)

    results = {
        "missing_list_ms": median_ms(lambda: missing.daily_list(actor), repeat),
        "missing_list_pdf_ms": median_ms(lambda: missing.list_pdf(missing.daily_list(actor)), 5),
        "consultations_week_ms": median_ms(lambda: calls.calls(actor, ConsultationQuery(day=today, week=True)),
                                           repeat),
        "missing_and_consultation_figures_ms": median_ms(figures, 5),
    }
    engine.dispose()
    return results
