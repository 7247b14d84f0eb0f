"""Writing the demo's prepared rows: straight through the driver's executemany, table by table."""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import JSON, Date, text
from sqlalchemy.orm import Session

from db import models as m
from db.base import UTCDateTime
from db.timestamps import to_db_timestamp
from mashdesk.clock import LONDON


def weighted(rng: random.Random, items: list[tuple[Any, int]]) -> Any:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def local(d: date, t: time) -> datetime:
    """The moment ``t`` on ``d`` in London, as an aware UTC datetime."""
    return datetime.combine(d, t, LONDON).astimezone(UTC)


class Rows:
    """Rows per table, with ids given in order (the tables are empty when the demo loads)."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {}
        self._last: dict[str, int] = {}

    def next_id(self, table: str) -> int:
        self._last[table] = self._last.get(table, 0) + 1
        return self._last[table]

    def add(self, table: str, row: dict[str, Any]) -> int:
        if "id" not in row:
            row["id"] = self.next_id(table)
        self.tables.setdefault(table, []).append(row)
        return int(row["id"])

    def get(self, table: str) -> list[dict[str, Any]]:
        return self.tables.get(table, [])

    def write(self, session: Session) -> None:
        """Insert every table's rows, parents before children; on PostgreSQL move the id sequences on."""
        order = [t.name for t in m.Role.metadata.sorted_tables]
        for name in order:
            if self.tables.get(name):
                _insert(session, name, self.tables[name])
        if session.get_bind().dialect.name == "postgresql":
            for name in order:
                if self.tables.get(name):
                    session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                         f"(SELECT MAX(id) FROM {name}))"))


def _converter(column_type: Any, dialect: str) -> Callable[[Any], Any] | None:
    """How a Python value is handed to the driver (``None``: as it is); timestamps use the one encoder."""
    if isinstance(column_type, UTCDateTime):
        return functools.partial(to_db_timestamp, dialect=dialect)
    if isinstance(column_type, JSON):
        return lambda v: json.dumps(v)
    if dialect == "sqlite" and isinstance(column_type, Date):
        return lambda v: None if v is None else v.isoformat()
    return None


def _insert(session: Session, table_name: str, rows: list[dict[str, Any]]) -> None:
    """Bulk-insert prepared rows; the per-row type work SQLAlchemy would do is done once per column."""
    table = m.Role.metadata.tables[table_name]
    conn = session.connection()
    dialect = conn.dialect.name
    columns = list(rows[0])
    converters = [_converter(table.c[c].type, dialect) for c in columns]
    marker = "?" if dialect == "sqlite" else "%s"
    sql = (f"INSERT INTO {table_name} ({', '.join(columns)}) "
           f"VALUES ({', '.join(marker for _ in columns)})")
    data = [tuple(row[c] if f is None else f(row[c]) for c, f in zip(columns, converters, strict=True))
            for row in rows]
    for start in range(0, len(data), 20000):
        conn.exec_driver_sql(sql, data[start:start + 20000])
