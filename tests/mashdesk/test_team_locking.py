"""Many desks on one database: no global lock, bounded waits, one intact audit chain."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from db.models import Contact
from mashdesk import audit
from mashdesk.contacts.service import ContactService
from mashdesk.errors import DatabaseBusy
from mashdesk.services.auth import AuthService
from tests.helpers import police_notification


def _version(ctx, contact_id):
    with ctx.session_factory() as s:
        return s.scalar(select(Contact.version).where(Contact.id == contact_id))


def test_concurrent_writers_make_one_intact_chain(ctx, actors, clock):
    contacts = ContactService(ctx)
    ids = [contacts.create_contact(actors["practitioner"], police_notification(clock())) for _ in range(6)]
    failures: list[BaseException] = []

    def desk(contact_id: int) -> None:
        try:
            for n in range(5):
                contacts.update_contact(actors["practitioner"], contact_id, _version(ctx, contact_id),
                                        concern=f"Update {n} from the desk working on {contact_id}.")
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=desk, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with ctx.session_factory() as s:
        result = audit.verify(s, ctx.audit_keys)
    assert result.ok, result.summary()
    assert result.checked == 6 + 6 * 5


@pytest.fixture
def stuck_desk(ctx, actors, clock):
    """A desk stopped half-way through saving contact A: its transaction is open and holds A's row."""
    contacts = ContactService(ctx)
    a = contacts.create_contact(actors["practitioner"], police_notification(clock()))
    started, release = threading.Event(), threading.Event()

    def stuck() -> None:
        with contacts.write(actors["practitioner"], "contact.update", "contact") as w:
            contact = w.get_for_edit(Contact, a, _version(ctx, a), "contact")
            contact.concern = "Half-way through an edit when the desk hung."
            w.session.flush()
            w.audit("contact", a, "edited contact")
            started.set()
            release.wait(30)

    thread = threading.Thread(target=stuck, daemon=True)
    thread.start()
    assert started.wait(10)
    yield a
    release.set()
    thread.join(10)


def test_a_stuck_desk_blocks_no_other_save_or_sign_in(ctx, actors, clock, stuck_desk):
    if ctx.dialect != "postgresql":
        pytest.skip("SQLite has one writer at a time by design; a shared team database is PostgreSQL")
    contacts = ContactService(ctx)
    b = contacts.create_contact(actors["manager"], police_notification(clock()))
    contacts.update_contact(actors["manager"], b, _version(ctx, b), concern="Saved while another desk hung.")
    assert AuthService(ctx).sign_in("test.manager", "secret").username == "test.manager"
    with pytest.raises(DatabaseBusy, match="another desk is holding the record.*Nothing was saved"):
        contacts.update_contact(actors["manager"], stuck_desk, _version(ctx, stuck_desk), concern="Blocked.")
    assert contacts.get(actors["manager"], b).concern == "Saved while another desk hung."


def test_every_postgresql_connection_has_the_team_timeouts(ctx):
    if ctx.dialect != "postgresql":
        pytest.skip("the timeouts are PostgreSQL server settings")
    from db.direct import connect
    from db.pgsettings import SESSION_SETTINGS

    with ctx.engine.connect() as orm:
        shown = {name: orm.exec_driver_sql(f"SHOW {name}").scalar() for name in SESSION_SETTINGS}
    plain = connect(ctx.url)
    try:
        shown_plain = {name: plain.scalar(f"SHOW {name}") for name in SESSION_SETTINGS}
        dsn = plain.raw.info.dsn
    finally:
        plain.close()
    assert shown == shown_plain == {"lock_timeout": "4s", "statement_timeout": "30s",
                                    "idle_in_transaction_session_timeout": "1min"}
    for setting in ("connect_timeout=5", "keepalives_idle=10", "keepalives_interval=5", "keepalives_count=3"):
        assert setting in dsn
