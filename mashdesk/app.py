"""Open a database for the desk: engine, migrations, reference data, the services."""

from __future__ import annotations

from db.engine import make_engine, make_session_factory
from db.migrate import UpgradeResult, upgrade
from mashdesk.services.auth import seed_reference_data
from mashdesk.services.base import AppContext, Clock, system_clock


def open_database(url: str, *, clock: Clock = system_clock) -> tuple[AppContext, UpgradeResult]:
    """Connect, run pending migrations (backing SQLite up first) and seed the reference data.

    Raises ``db.migrate.DatabaseTooNew`` for a database written by a newer desk.
    """
    engine = make_engine(url)
    result = upgrade(engine)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        seed_reference_data(session)
    return AppContext(engine=engine, session_factory=factory, clock=clock), result
