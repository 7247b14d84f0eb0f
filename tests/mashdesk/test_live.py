"""Announcing committed changes to other desks: what is said, when; a dropped listener comes back."""

from __future__ import annotations

import queue

import pytest
from sqlalchemy import create_engine, text

from mashdesk.contacts.service import ContactService
from mashdesk.drafts import DraftService
from mashdesk.live import EVERYTHING, Change, ChangeWatcher
from tests.conftest import PG_ADMIN_URL
from tests.helpers import police_notification


def _watch(url: str) -> tuple[ChangeWatcher, queue.Queue, queue.Queue]:
    heard: queue.Queue = queue.Queue()
    states: queue.Queue = queue.Queue()
    watcher = ChangeWatcher(url, lambda changes: [heard.put(c) for c in changes], states.put, interval=0.1)
    watcher.start()
    assert states.get(timeout=10) is True
    return watcher, heard, states


def _next(heard: queue.Queue, timeout: float = 10) -> Change:
    return heard.get(timeout=timeout)


def test_a_committed_write_is_heard_as_its_kind_and_id_only(ctx, actors, clock):
    watcher, heard, _ = _watch(ctx.url)
    try:
        contact = ContactService(ctx).create_contact(actors["manager"], police_notification(clock.now))
        assert _next(heard) == Change("contact", contact)
        # An autosaved draft changes nothing another desk shows: not announced.
        DraftService(ctx).save(actors["manager"], "contact.new", "x", {"concern": "Ava Testchild, 7"})
        contact2 = ContactService(ctx).create_contact(actors["manager"], police_notification(clock.now))
        assert _next(heard) == Change("contact", contact2)
    finally:
        watcher.stop()


def test_a_write_rolled_back_is_never_heard(ctx, actors, clock):
    from mashdesk.errors import InputError

    watcher, heard, _ = _watch(ctx.url)
    try:
        with pytest.raises(InputError):
            ContactService(ctx).create_contact(actors["manager"], police_notification(clock.now, children=[]))
        contact = ContactService(ctx).create_contact(actors["manager"], police_notification(clock.now))
        assert _next(heard) == Change("contact", contact)  # the first heard is the one that committed
    finally:
        watcher.stop()


def test_the_notification_carries_no_personal_data(ctx, actors, clock):
    if ctx.dialect != "postgresql":
        pytest.skip("SQLite desks read kinds and ids from the audit trail; nothing is sent")
    import psycopg

    from db.direct import _postgres_conninfo

    with psycopg.connect(_postgres_conninfo(ctx.url), autocommit=True) as conn:
        conn.execute("LISTEN mashdesk_changes")
        ContactService(ctx).create_contact(actors["manager"], police_notification(clock.now))
        payloads = [n.payload for n in conn.notifies(timeout=5, stop_after=1)]
    assert len(payloads) == 1
    assert "Testchild" not in payloads[0] and "Police" not in payloads[0]
    assert payloads[0].startswith('{"kind":"contact","id":')


def test_a_dropped_listener_reconnects_and_says_everything_may_have_changed(ctx, actors, clock):
    if ctx.dialect != "postgresql":
        pytest.skip("SQLite has no listening connection to drop")
    watcher, heard, states = _watch(ctx.url)
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        database = ctx.engine.url.database
        with admin.connect() as conn:
            killed = conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :db AND query LIKE 'LISTEN%'"), {"db": database}).scalars().all()
        assert killed == [True]
        assert states.get(timeout=10) is False
        assert states.get(timeout=15) is True
        assert _next(heard, 15) == EVERYTHING
        contact = ContactService(ctx).create_contact(actors["manager"], police_notification(clock.now))
        assert _next(heard) == Change("contact", contact)
    finally:
        watcher.stop()
        admin.dispose()


def test_stopping_the_watcher_ends_its_thread(ctx):
    watcher, _, _ = _watch(ctx.url)
    thread = watcher._thread
    assert thread is not None and thread.is_alive()
    watcher.stop()
    assert not thread.is_alive()
