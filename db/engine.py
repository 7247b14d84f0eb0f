"""Engine and session set-up for SQLite (embedded) and PostgreSQL (shared)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from db.direct import apply_sqlite_settings


def normalise_url(url: str) -> str:
    """Use psycopg 3 for a plain ``postgresql://`` URL."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    apply_sqlite_settings(dbapi_connection)


#: Execution option a unit of work sets to begin an SQLite transaction as IMMEDIATE.
SQLITE_WRITE = {"sqlite_begin": "IMMEDIATE"}


def _sqlite_begin(conn: Any) -> None:
    # A write scope begins IMMEDIATE: it takes the write lock at the start, so two
    # writers queue on busy_timeout instead of one failing half-way ("database is
    # locked"). Reads begin DEFERRED and never block each other (WAL).
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the desk's connection settings.

    SQLite runs in WAL mode with foreign keys enforced and ``synchronous=FULL`` so a
    committed contact survives a power cut.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    from db.pgsettings import connect_args

    kwargs.setdefault("pool_pre_ping", True)
    kwargs["connect_args"] = {**connect_args(), **kwargs.get("connect_args", {})}
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine, clock: Callable[[], datetime] | None = None) -> sessionmaker[Session]:
    """Sessions on ``engine`` whose new and changed rows are stamped with ``clock`` (``db.base.stamp_times``)."""
    return sessionmaker(engine, expire_on_commit=False, info={"clock": clock} if clock else {})
