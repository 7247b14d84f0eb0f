"""Opening the desk without the ORM: a current database opens directly, anything else takes the full path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import AuditEvent, User
from mashdesk import audit
from mashdesk.app import load_orm, open_at_head
from mashdesk.errors import AuthenticationError
from mashdesk.services.auth import AuthService
from mashdesk.contacts.queue import QueueService
from mashdesk.contacts.views import QueueQuery

SAMPLES = Path(__file__).resolve().parents[1] / "db" / "samples"


def test_a_database_at_this_version_opens_directly_and_signs_in_and_pages(db_url, actors, clock):
    ctx = open_at_head(db_url, clock=clock)
    assert ctx is not None and not ctx.orm_ready
    actor = AuthService(ctx).begin_sign_in("test.manager", "secret").result()
    assert (actor.role, actor.display_name) == ("manager", "Test Manager")
    assert QueueService(ctx).page(actor, QueueQuery()) == []
    assert not ctx.orm_ready
    load_orm(ctx)
    assert ctx.orm_ready
    with ctx.session_factory() as s:
        user = s.scalars(select(User).where(User.username == "test.manager")).one()
        assert user.last_sign_in_at == clock.now
        assert user.version == 1  # signing in is not an edit of the account
        assert [e.action for e in s.scalars(select(AuditEvent))] == ["auth.sign_in"]
        assert audit.verify(s, ctx.audit_keys).ok
    ctx.engine.dispose()


def test_a_wrong_password_or_unknown_name_is_refused_and_recorded(ctx, actors):
    auth = AuthService(ctx)
    pending = auth.begin_sign_in("test.manager", "not-secret")
    with pytest.raises(AuthenticationError, match="Wrong user name or password"):
        pending.result()
    with pytest.raises(AuthenticationError):
        auth.sign_in("nobody.here", "secret")
    with ctx.session_factory() as s:
        events = list(s.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        assert [(e.action, e.username, e.user_id) for e in events] == [
            ("auth.sign_in_failed", "test.manager", None), ("auth.sign_in_failed", "nobody.here", None)]
        assert audit.verify(s, ctx.audit_keys).ok


def test_an_inactive_account_cannot_sign_in(ctx, actors):
    with ctx.session_factory.begin() as s:
        s.scalars(select(User).where(User.username == "test.practitioner")).one().active = False
    with pytest.raises(AuthenticationError):
        AuthService(ctx).sign_in("test.practitioner", "secret")


def test_a_database_that_needs_migrating_takes_the_full_path(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(SAMPLES / "schema-0001.sqlite3", path)
    assert open_at_head(f"sqlite:///{path}") is None


def test_a_new_database_takes_the_full_path(tmp_path):
    assert open_at_head(f"sqlite:///{tmp_path / 'new.sqlite3'}") is None


def test_an_unreachable_or_in_memory_database_takes_the_full_path(tmp_path):
    assert open_at_head("sqlite://") is None
    assert open_at_head(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.sqlite3'}") is None
    assert open_at_head("postgresql+psycopg://postgres@127.0.0.1:1/nothing") is None
