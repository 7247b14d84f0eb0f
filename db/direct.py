"""Plain DB-API access for the desk's hot paths: start-up, signing in and the queue.

Importing SQLAlchemy with the ORM and the models takes several times as long as
opening a bare Qt window, so the paths that stand between starting the desk and
seeing the queue speak SQL to the driver directly: :mod:`sqlite3` for the embedded
database, psycopg 3 for PostgreSQL. Nothing here imports SQLAlchemy.

SQL is written with ``:name`` parameters on both databases. Values go in and come out
in the same forms the models' column types use, so rows written here and rows written
through the ORM are indistinguishable: timestamps through the one encoder,
:mod:`db.timestamps` (``utc`` reads them back), JSON as text on SQLite and JSONB on
PostgreSQL.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from db.timestamps import to_db_timestamp, utc
from db import fastsql

_NAMED = re.compile(r"(?<![:\w]):(\w+)")
Params = Mapping[str, Any]


def dialect_of(url: str) -> str:
    """``sqlite`` or ``postgresql`` for a SQLAlchemy-style database URL."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme in ("postgresql", "postgres"):
        return "postgresql"
    if scheme == "sqlite":
        return "sqlite"
    raise ValueError(f"unsupported database URL {url.split(':', 1)[0]!r}: use sqlite:/// or postgresql://")


def sqlite_file(url: str) -> str | None:
    """The file of an SQLite URL (``sqlite:///relative``, ``sqlite:////absolute``); None for in-memory."""
    rest = url.split(":", 1)[1]
    if not rest.startswith("///"):
        return None
    path = unquote(rest[3:].split("?", 1)[0])
    return path if path and path != ":memory:" else None


def _postgres_conninfo(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest


class Direct:
    """One DB-API connection of either database, with ``:name`` parameters on both."""

    def __init__(self, dbapi_connection: Any, dialect: str, close: Callable[[], None] | None = None) -> None:
        self.raw = dbapi_connection
        self.dialect = dialect
        self._close = close or dbapi_connection.close

    # -- statements ---------------------------------------------------------------------------------
    def sql(self, statement: str) -> str:
        """The statement in the driver's parameter style."""
        if self.dialect == "sqlite":
            return statement
        return _NAMED.sub(r"%(\1)s", statement.replace("%", "%%"))

    def execute(self, statement: str, params: Params | None = None) -> Any:
        cursor = self.raw.cursor()
        cursor.execute(self.sql(statement), dict(params or {}))
        return cursor

    def all(self, statement: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        cursor = self.execute(statement, params)
        try:
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def one(self, statement: str, params: Params | None = None) -> tuple[Any, ...] | None:
        cursor = self.execute(statement, params)
        try:
            row = cursor.fetchone()
            return None if row is None else tuple(row)
        finally:
            cursor.close()

    def scalar(self, statement: str, params: Params | None = None) -> Any:
        row = self.one(statement, params)
        return None if row is None else row[0]

    # -- transactions -------------------------------------------------------------------------------
    @contextmanager
    def writing(self, durable: bool = True) -> Iterator[Direct]:
        """One write transaction: SQLite takes its write lock at the start (as the ORM's writes do).

        ``durable=False`` (a read's audit entry) commits without waiting for the disk: SQLite's WAL is
        synced at the next durable commit or checkpoint, PostgreSQL's ``synchronous_commit`` is off for
        this transaction. A power cut may lose such an entry, never half of one, and never a change.
        """
        relaxed = not durable and self.dialect == "sqlite"
        if relaxed:
            self.execute("PRAGMA synchronous=NORMAL").close()
        try:
            if self.dialect == "sqlite":
                self.execute("BEGIN IMMEDIATE").close()
            elif not durable:
                self.execute("SET LOCAL synchronous_commit TO OFF").close()
            try:
                yield self
            except BaseException:
                self.raw.rollback()
                raise
            else:
                self.raw.commit()
        finally:
            if relaxed:
                self.execute("PRAGMA synchronous=FULL").close()

    def finish_read(self) -> None:
        """End the read transaction PostgreSQL opened (SQLite reads run in autocommit)."""
        if self.dialect == "postgresql":
            self.raw.rollback()

    def close(self) -> None:
        self._close()

    # -- values -------------------------------------------------------------------------------------
    def timestamp(self, value: datetime | None) -> Any:
        """A parameter for a timestamp column (aware values only, stored as UTC)."""
        return to_db_timestamp(value, self.dialect)

    def json(self, value: Any) -> Any:
        if self.dialect == "sqlite":
            return json.dumps(value)
        from psycopg.types.json import Jsonb

        return Jsonb(value)


def placeholders(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """``(:s0, :s1, …)`` and its parameters, for ``IN`` lists."""
    params = {f"{prefix}{i}": v for i, v in enumerate(values)}
    return "(" + ", ".join(f":{k}" for k in params) + ")", params


def connect(url: str) -> Direct:
    """A new connection with the desk's settings (the same as :func:`db.engine.make_engine`'s)."""
    dialect = dialect_of(url)
    if dialect == "sqlite":
        path = sqlite_file(url)
        if path is None:
            raise ValueError("an in-memory SQLite database has no second connection; use the engine's")
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        apply_sqlite_settings(conn)
        return Direct(conn, "sqlite")
    import psycopg

    from db.pgsettings import connect_args

    return Direct(psycopg.connect(_postgres_conninfo(url), **connect_args()), "postgresql")


def apply_sqlite_settings(conn: Any) -> None:
    """WAL, foreign keys, ``synchronous=FULL`` (a committed contact survives a power cut), a busy wait."""
    cursor = conn.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def schema_revision(conn: Direct) -> str | None:
    """The Alembic revision the database is at; None for a database with no schema yet."""
    if conn.dialect == "sqlite":
        exists = conn.scalar(fastsql.REVISION_TABLE_SQLITE)
    else:
        exists = conn.scalar(fastsql.REVISION_TABLE_POSTGRESQL)
    revision = conn.scalar(fastsql.REVISION) if exists else None
    conn.finish_read()
    return revision


#: ``utc`` is here too for the plain-SQL readers: it reads back what :func:`to_db_timestamp` wrote.
__all__ = ["Direct", "Params", "apply_sqlite_settings", "connect", "dialect_of", "placeholders", "schema_revision",
           "sqlite_file", "to_db_timestamp", "utc"]
