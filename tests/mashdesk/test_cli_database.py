"""``mashdesk init``, ``demo`` and ``audit verify`` as interfaces.md says."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, update

from db.models import AuditEvent, User
from tests.helpers import guard_lifted
from mashdesk.cli import run


def test_init_is_idempotent_and_creates_the_first_admin_once(db_url, capsys, monkeypatch):
    assert run(["init", "--db", db_url]) == 0
    monkeypatch.setenv("MASHDESK_PASSWORD", "correct horse battery")
    assert run(["init", "--db", db_url, "--admin", "first.admin"]) == 0
    assert "administrator first.admin created" in capsys.readouterr().err
    assert run(["init", "--db", db_url, "--admin", "second.admin"]) == 0
    assert "already has users" in capsys.readouterr().err
    from mashdesk.app import open_database

    ctx, _ = open_database(db_url)
    with ctx.session_factory() as s:
        assert list(s.scalars(select(User.username))) == ["first.admin"]
    ctx.engine.dispose()


def test_demo_fills_the_database_and_audit_verifies(db_url, capsys, monkeypatch):
    assert run(["demo", "--db", db_url, "--contacts", "60", "--seed", "4"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["contacts"] == 60
    monkeypatch.setenv("MASHDESK_PASSWORD", "demo")
    assert run(["audit", "verify", "--db", db_url, "--as", "demo.admin"]) == 0
    assert capsys.readouterr().out.startswith("audit trail intact")


def test_audit_verify_names_the_broken_entry(db_url, capsys, monkeypatch):
    run(["demo", "--db", db_url, "--contacts", "20"])
    from mashdesk.app import open_database

    ctx, _ = open_database(db_url)
    with guard_lifted(ctx), ctx.session_factory.begin() as s:
        first = s.scalar(select(func.min(AuditEvent.id)))
        s.execute(update(AuditEvent).where(AuditEvent.id == first).values(username="someone.else"))
    ctx.engine.dispose()
    monkeypatch.setenv("MASHDESK_PASSWORD", "demo")
    capsys.readouterr()
    assert run(["audit", "verify", "--db", db_url, "--as", "demo.admin"]) == 1
    assert f"broken at entry {first}" in capsys.readouterr().err


def test_demo_refuses_a_database_with_real_data(db_url, capsys, monkeypatch):
    monkeypatch.setenv("MASHDESK_PASSWORD", "correct horse battery")
    run(["init", "--db", db_url, "--admin", "real.admin"])
    capsys.readouterr()
    assert run(["demo", "--db", db_url, "--contacts", "10"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mashdesk: database:") and "real users" in err


def test_wrong_password_is_refused(db_url, capsys, monkeypatch):
    run(["demo", "--db", db_url, "--contacts", "5"])
    monkeypatch.setenv("MASHDESK_PASSWORD", "not-the-password")
    capsys.readouterr()
    assert run(["audit", "verify", "--db", db_url, "--as", "demo.admin"]) == 1
    assert "Wrong user name or password" in capsys.readouterr().err


def test_demo_needs_a_positive_count(db_url, capsys):
    assert run(["demo", "--db", db_url, "--contacts", "0"]) == 2
    assert "contacts" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["triage", "x.json"], ["due", "icpc", "2026-12-22"], ["init"], ["demo"]])
def test_every_command_is_known_to_the_window_entry_point(argv):
    import main

    assert main.command_in(argv)
    assert not main.command_in(["--as", "demo", "--view", "queue"])
