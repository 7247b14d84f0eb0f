"""The database going away: clear refusals, drafts kept on the desk, reconnection by itself."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from db.models import Contact
from mashdesk import audit
from mashdesk.cli import run
from mashdesk.contacts.service import ContactService
from mashdesk.drafts import DraftService
from mashdesk.errors import DatabaseUnavailable
from mashdesk.health import DatabaseHealth
from tests.helpers import police_notification


def _version(ctx, contact_id):
    with ctx.session_factory() as s:
        return s.scalar(select(Contact.version).where(Contact.id == contact_id))


class _Switch:
    """A probe the test turns off and on, standing for the server."""

    def __init__(self) -> None:
        self.up = True

    def __call__(self) -> None:
        if not self.up:
            raise OSError("connection refused")


def test_while_unreachable_writes_are_refused_and_drafts_kept_on_the_desk(qtbot, ctx, actors, clock):
    server, now = _Switch(), [0.0]
    ctx.health = DatabaseHealth(server, monotonic=lambda: now[0])
    ctx.health.start()
    drafts, contacts = DraftService(ctx), ContactService(ctx)
    me = actors["practitioner"]
    try:
        server.up = False
        now[0] += 10  # no good check for ten seconds: the status bar says so
        assert not ctx.health.reachable
        qtbot.waitUntil(lambda: ctx.health.failed, timeout=5000)  # once a check has failed, saves are refused
        with pytest.raises(DatabaseUnavailable, match="unreachable.*Nothing was saved"):
            contacts.create_contact(me, police_notification(clock()))
        assert drafts.save(me, "contact", "new", {"concern": "Typed during the outage"})
        assert drafts.load(me, "contact", "new").payload == {"concern": "Typed during the outage"}
        server.up = True
        now[0] += 1
        ctx.health._last_ok = now[0]  # the worker's next good check, without waiting for it
        assert ctx.health.reachable
        assert drafts.load(me, "contact", "new").payload == {"concern": "Typed during the outage"}
        assert drafts.save(me, "contact", "new", {"concern": "Typed during the outage, and after"})
        assert drafts.load(me, "contact", "new").payload == {"concern": "Typed during the outage, and after"}
        contacts.create_contact(me, police_notification(clock()))
    finally:
        ctx.health.stop()
        ctx.health = None


def test_a_save_cut_off_by_a_killed_connection_loses_nothing_and_the_desk_reconnects(ctx, actors, clock):
    if ctx.dialect != "postgresql":
        pytest.skip("pg_terminate_backend ends PostgreSQL server connections")
    contacts = ContactService(ctx)
    me = actors["practitioner"]
    a = contacts.create_contact(me, police_notification(clock()))
    inside, outcome = threading.Event(), []

    def save() -> None:
        try:
            with contacts.write(me, "contact.update", "contact") as w:
                contact = w.get_for_edit(Contact, a, _version(ctx, a), "contact")
                contact.concern = "Edited when the connection was cut."
                w.session.flush()
                w.audit("contact", a, "edited contact")
                pid = w.session.execute(text("SELECT pg_backend_pid()")).scalar()
                outcome.append(pid)
                inside.set()
                threading.Event().wait(2)  # the connection is killed meanwhile
        except Exception as exc:  # noqa: BLE001 - checked below
            outcome.append(exc)

    worker = threading.Thread(target=save)
    worker.start()
    assert inside.wait(10)
    with ctx.engine.connect() as admin:
        killed = admin.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                                    "datname = current_database() AND pid <> pg_backend_pid()")).all()
    worker.join(20)
    assert killed and isinstance(outcome[-1], DatabaseUnavailable)
    assert "Nothing was saved" in str(outcome[-1])
    assert contacts.get(me, a).concern.startswith("Police attended")  # nothing half-written
    contacts.update_contact(me, a, _version(ctx, a), concern="Saved again after reconnecting.")
    assert contacts.get(me, a).concern == "Saved again after reconnecting."
    with ctx.session_factory() as s:
        assert audit.verify(s, ctx.audit_keys).ok


def test_the_cli_says_one_line_when_the_server_is_down(capsys):
    url = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1
    assert run(["init", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mashdesk: cannot open the database") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_check_hanging_in_a_frozen_link_makes_the_database_unreachable_without_waiting_for_it():
    now, entered, release = [0.0], threading.Event(), threading.Event()
    calls = []

    def frozen() -> None:
        calls.append(1)
        if len(calls) > 1:  # the first check answers; the next one never does
            entered.set()
            release.wait(30)

    health = DatabaseHealth(frozen, monotonic=lambda: now[0])
    health.start()
    try:
        assert entered.wait(10)
        assert health.reachable
        now[0] += 5  # five seconds with the check stuck in the dead link
        state = health.health
        assert not state.reachable and state.outages == 1 and "no answer" in state.problem
    finally:
        release.set()
        health.stop()
