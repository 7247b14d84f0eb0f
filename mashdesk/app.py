"""Open a database for the desk: engine, migrations, reference data, the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mashdesk.services.auth import seed_reference_data
from mashdesk.clock import Clock, system_clock
from mashdesk.context import AppContext

if TYPE_CHECKING:
    from db.migrate import UpgradeResult


def open_database(url: str, *, clock: Clock = system_clock) -> tuple[AppContext, UpgradeResult]:
    """Connect, run pending migrations (backing SQLite up first) and seed the reference data.

    Raises ``db.migrate.DatabaseTooNew`` for a database written by a newer desk.
    """
    from db.engine import make_engine, make_session_factory
    from db.migrate import upgrade

    engine = make_engine(url)
    try:
        result = upgrade(engine, clock())
    except BaseException:
        engine.dispose()  # a refused database keeps no connection open
        raise
    factory = make_session_factory(engine, clock)
    with factory.begin() as session:
        seed_reference_data(session)
    return AppContext(engine=engine, session_factory=factory, clock=clock), result


def open_at_head(url: str, *, clock: Clock = system_clock) -> AppContext | None:
    """The database, if it is already at this version's schema; ``None`` if it needs :func:`open_database`.

    Only the schema revision is read, over a plain connection, so the desk can sign in and
    paint its queue while SQLAlchemy loads (:func:`load_orm`). A database that cannot be
    reached, is new, needs migrating or is too new gets ``None``: the full path then
    migrates it or says plainly what is wrong.
    """
    from db.direct import connect, schema_revision
    from db.migrate import head_revision

    try:
        conn = connect(url)
    except Exception:  # noqa: BLE001 - any failure here is reported by the full path
        return None
    try:
        revision = schema_revision(conn)
    except Exception:  # noqa: BLE001
        return None
    finally:
        conn.close()
    if revision != head_revision():
        return None
    return AppContext(url=url, clock=clock)


def load_orm(ctx: AppContext) -> None:
    """Load SQLAlchemy, make the engine and check the reference data, as :func:`open_database` does.

    For a context from :func:`open_at_head`; safe to call from a worker thread.
    """
    with ctx.session_factory.begin() as session:
        seed_reference_data(session)
