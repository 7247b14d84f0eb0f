"""The one timestamp encoding: every timestamp column holds UTC, whoever writes it.

The models' :class:`db.base.UTCDateTime`, the plain-SQL paths (:mod:`db.direct`) and the
demo data's bulk load all hand timestamps to the driver through :func:`to_db_timestamp`,
and read them back with :func:`utc`. PostgreSQL keeps ``timestamptz``; SQLite keeps the
UTC wall time as ``YYYY-MM-DD HH:MM:SS.ffffff`` text, the format SQLAlchemy reads. A naive
value is refused, so a local time is never stored by mistake. Nothing here imports
SQLAlchemy.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def aware_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive value is refused so a local time is never stored by mistake."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r} cannot be stored; give it a time zone")
    return value.astimezone(UTC)


def to_db_timestamp(value: datetime | None, dialect: str) -> Any:
    """A timestamp as the driver of ``dialect`` takes it: UTC text on SQLite, an aware UTC datetime otherwise."""
    if value is None:
        return None
    value = aware_utc(value)
    if dialect == "sqlite":
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value


def utc(value: Any) -> datetime | None:
    """A timestamp column's value as an aware UTC datetime (SQLite gives text, PostgreSQL datetimes)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


__all__ = ["aware_utc", "to_db_timestamp", "utc"]
