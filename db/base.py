"""Declarative base, column types and mixins shared by every model."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, MetaData, TypeDecorator, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

from db.timestamps import to_db_timestamp, utc

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored as UTC.

    Values are encoded by :func:`db.timestamps.to_db_timestamp`, the same as every
    other writer's: PostgreSQL keeps ``timestamptz``; SQLite keeps the UTC wall time as
    text. Either way the value read back is an aware ``datetime`` in UTC, and a naive
    value is refused on write so local times can never be stored by mistake.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def bind_processor(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":  # the one encoder writes SQLite's text itself
            return lambda value: to_db_timestamp(value, "sqlite")
        return super().bind_processor(dialect)

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return to_db_timestamp(value, dialect.name)  # type: ignore[no-any-return]

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return utc(value)


#: JSON that is JSONB on PostgreSQL.
JSONType = JSON().with_variant(JSONB(), "postgresql")


#: Column ``info`` marking a timestamp the unit of work's clock fills when a row is added...
STAMP_INSERT = {"stamp": "insert"}
#: ...or also each time the row is changed.
STAMP_UPDATE = {"stamp": "update"}


class NoClock(RuntimeError):
    """A session tried to stamp a time but was given no clock."""


def _stamped_attributes(cls: type) -> tuple[list[str], list[str]]:
    cached = _STAMPED.get(cls)
    if cached is None:
        mapper = sa_inspect(cls)
        on_insert = [a.key for a in mapper.column_attrs if a.columns[0].info.get("stamp") in ("insert", "update")]
        on_update = [a.key for a in mapper.column_attrs if a.columns[0].info.get("stamp") == "update"]
        cached = _STAMPED[cls] = (on_insert, on_update)
    return cached


_STAMPED: dict[type, tuple[list[str], list[str]]] = {}


def stamp_times(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Fill the stamped timestamps of new and changed rows from the session's clock.

    The clock is ``session.info["clock"]``, set by the application context, so the
    database never holds a time the desk's one clock did not give.
    """
    now: datetime | None = None

    def clock_now() -> datetime:
        nonlocal now
        if now is None:
            clock = session.info.get("clock")
            if clock is None:
                raise NoClock("This session has no clock to stamp times with (session.info['clock'])")
            now = clock()
        return now

    for obj in session.new:
        for key in _stamped_attributes(type(obj))[0]:
            if getattr(obj, key) is None:
                setattr(obj, key, clock_now())
    for obj in session.dirty:
        on_update = _stamped_attributes(type(obj))[1]
        if not on_update or not session.is_modified(obj, include_collections=False):
            continue
        state = sa_inspect(obj)
        for key in on_update:
            if not state.attrs[key].history.has_changes():
                setattr(obj, key, clock_now())


event.listen(Session, "before_flush", stamp_times)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType, list[Any]: JSONType}


class Versioned:
    """Optimistic locking plus who last changed the row and when.

    ``version`` is SQLAlchemy's ``version_id_col``: an UPDATE made from a stale copy
    matches no row and raises ``StaleDataError``; the services turn that into a
    "changed by X at T" message using ``updated_by_id`` and ``updated_at``.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(info=STAMP_INSERT)
    updated_at: Mapped[datetime] = mapped_column(info=STAMP_UPDATE)

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("users.id"), nullable=True)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}
