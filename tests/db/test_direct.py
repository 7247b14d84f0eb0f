"""Plain DB-API connections: the same SQL, parameters and values on SQLite and PostgreSQL as the ORM's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from db.direct import connect, sqlite_file, utc
from db.models import AuditEvent, User
from mashdesk import audit
from mashdesk.audit_keys import load_or_create


def test_named_parameters_and_percent_signs_mean_the_same_on_both_databases(db_url):
    conn = connect(db_url)
    try:
        assert conn.one("SELECT :word || '%', CAST(:n AS INTEGER) + 1", {"word": "50", "n": 2}) == ("50%", 3)
        assert conn.scalar("SELECT count(*) FROM users WHERE username = :name", {"name": "nobody"}) == 0
    finally:
        conn.close()


def test_a_write_that_fails_half_way_leaves_nothing(db_url):
    conn = connect(db_url)
    try:
        with pytest.raises(RuntimeError), conn.writing():
            audit.write(conn, keys=load_or_create(datetime.now(UTC)), at=datetime.now(UTC), user_id=None,
                        username="someone", action="test.half",
                        entity="test", entity_id=None, summary="never kept")
            raise RuntimeError("the rest of the action failed")
        assert conn.scalar("SELECT count(*) FROM audit_events WHERE action = 'test.half'") == 0
    finally:
        conn.close()


def test_values_written_directly_read_back_the_same_through_the_orm_and_back(ctx):
    moment = datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=timezone(timedelta(hours=-5)))
    with ctx.direct() as conn, conn.writing():
        audit.write(conn, keys=ctx.audit_keys, at=moment, user_id=None, username="someone", action="test.direct",
                    entity="test",
                    entity_id=7, summary="written without the ORM", detail={"when": "now", "n": 3})
    with ctx.session_factory() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "test.direct")).one()
        assert event.at == moment and event.at.tzinfo is not None
        assert event.detail == {"when": "now", "n": 3}
        assert audit.verify(s, ctx.audit_keys).ok
    with ctx.direct() as conn:
        raw = conn.scalar("SELECT at FROM audit_events WHERE action = 'test.direct'")
        assert utc(raw) == moment


def test_timestamps_written_by_the_orm_read_the_same_directly(ctx):
    moment = datetime(2026, 10, 25, 1, 30, 0, 654321, tzinfo=UTC)
    with ctx.session_factory.begin() as s:
        s.add(User(username="orm.written", display_name="Written by the ORM", role_code="practitioner",
                   password_hash="-", created_at=moment, updated_at=moment))
    with ctx.direct() as conn:
        raw = conn.scalar("SELECT created_at FROM users WHERE username = 'orm.written'")
        conn.finish_read()
    assert utc(raw) == moment


@pytest.mark.parametrize(("url", "path"), [
    ("sqlite:///desk.sqlite3", "desk.sqlite3"),
    ("sqlite:////var/lib/mash/desk.sqlite3", "/var/lib/mash/desk.sqlite3"),
    ("sqlite:///C:/Users/mash/desk.sqlite3", "C:/Users/mash/desk.sqlite3"),
    ("sqlite:///my%20desk.sqlite3", "my desk.sqlite3"),
    ("sqlite://", None),
    ("sqlite:///:memory:", None),
])
def test_sqlite_urls_name_their_file(url, path):
    assert sqlite_file(url) == path


def test_an_in_memory_database_has_no_second_connection():
    with pytest.raises(ValueError, match="in-memory"):
        connect("sqlite://")


def test_an_unknown_kind_of_database_is_named():
    with pytest.raises(ValueError, match="mysql"):
        connect("mysql://localhost/desk")
