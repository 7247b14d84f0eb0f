"""The one timestamp encoder: what every writer hands the driver, and what comes back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select
from sqlalchemy.dialects import sqlite

from db.base import UTCDateTime
from db.timestamps import to_db_timestamp, utc

_offsets = st.builds(timezone, st.timedeltas(min_value=timedelta(hours=-23, minutes=-59),
                                             max_value=timedelta(hours=23, minutes=59)))
aware = st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2199, 12, 30),
                     timezones=st.one_of(st.just(UTC), _offsets, st.timezones()))

_metadata = MetaData()
_stamps = Table("stamps", _metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime()))
_engine = create_engine("sqlite://")
_metadata.create_all(_engine)
#: SQLAlchemy's own SQLite encoding of a naive (UTC wall) time, the text its reader parses.
_sqlalchemy_text = sqlite.DATETIME().bind_processor(sqlite.dialect())


@given(aware)
def test_an_aware_time_round_trips_through_sqlite_text(moment):
    text = to_db_timestamp(moment, "sqlite")
    assert isinstance(text, str)
    assert utc(text) == moment.astimezone(UTC)
    assert text == _sqlalchemy_text(moment.astimezone(UTC).replace(tzinfo=None))


@given(aware)
def test_the_models_column_type_stores_exactly_what_the_encoder_gives(moment):
    with _engine.begin() as conn:
        conn.execute(_stamps.delete())
        conn.execute(insert(_stamps).values(id=1, at=moment))
        raw = conn.exec_driver_sql("SELECT at FROM stamps").scalar_one()
        read = conn.execute(select(_stamps.c.at)).scalar_one()
    assert raw == to_db_timestamp(moment, "sqlite")
    assert read == moment.astimezone(UTC) and read.tzinfo is UTC


@given(aware)
def test_postgresql_is_handed_the_same_instant_in_utc(moment):
    value = to_db_timestamp(moment, "postgresql")
    assert value == moment.astimezone(UTC) and value.tzinfo is UTC


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_naive_time_is_refused(dialect):
    with pytest.raises(ValueError, match="naive datetime"):
        to_db_timestamp(datetime(2026, 1, 5, 9, 0), dialect)
    assert to_db_timestamp(None, dialect) is None
