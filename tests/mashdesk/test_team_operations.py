"""Running a team database: pg_dump backup and restore, schema upgrades, desks of another version."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from db.direct import connect
from db.engine import make_engine
from db.migrate import alembic_config, current_revision, head_revision
from mashdesk import audit
from mashdesk.cli import run
from mashdesk.contacts.service import ContactService
from tests.conftest import PG_ADMIN_URL
from tests.helpers import police_notification

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _tool(name: str) -> str:
    found = shutil.which(name) or (str(PG_BIN / name) if (PG_BIN / name).exists() else None)
    if found is None:
        pytest.fail(f"{name} is not installed (postgresql-client)")
    return found


def _libpq(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


@pytest.fixture
def new_pg_database():
    """A database of its own for a test that creates, restores or upgrades one; dropped after."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"mashdesk_ops_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_pg_dump_backup_restores_a_working_team_database(ctx, actors, clock, tmp_path, new_pg_database):
    if ctx.dialect != "postgresql":
        pytest.skip("pg_dump backs up the PostgreSQL team database; an SQLite desk is one file")
    contact = ContactService(ctx).create_contact(actors["practitioner"], police_notification(clock()))
    backup = tmp_path / "team.dump"
    subprocess.run([_tool("pg_dump"), "--format=custom", "--file", str(backup), _libpq(ctx.url)], check=True)
    subprocess.run([_tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", _libpq(new_pg_database),
                    str(backup)], check=True)

    from mashdesk.app import open_database

    restored, result = open_database(new_pg_database, clock=clock)
    try:
        assert not result.changed
        assert ContactService(restored).get(actors["manager"], contact).concern.startswith("Police attended")
        with restored.session_factory() as s:
            chain = audit.verify(s, restored.audit_keys)
        assert chain.ok and chain.checked >= 1, chain.summary()
        ContactService(restored).create_contact(actors["practitioner"], police_notification(clock()))
        with restored.session_factory() as s:
            assert audit.verify(s, restored.audit_keys).ok
    finally:
        restored.engine.dispose()


def _at_revision(url: str, revision: str) -> None:
    from alembic import command

    engine = make_engine(url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


def test_init_upgrades_the_schema_only_while_no_desk_is_connected(new_pg_database, capsys):
    _at_revision(new_pg_database, "0007")
    desk = connect(new_pg_database)  # a desk left open somewhere in the office
    try:
        assert run(["init", "--db", new_pg_database]) == 1
        err = capsys.readouterr().err
        assert "1 other desk connection is open" in err and "Nothing was changed" in err
        assert len(err.strip().splitlines()) == 1
    finally:
        desk.close()
    engine = make_engine(new_pg_database)
    assert current_revision(engine) == "0007"
    engine.dispose()
    assert run(["init", "--db", new_pg_database]) == 0
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_desk_of_an_older_version_refuses_a_newer_schema(db_url, capsys):
    from mashdesk.errors import MashDeskError
    from ui.app import _open_fully

    run(["init", "--db", db_url])
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    try:
        capsys.readouterr()
        assert run(["init", "--db", db_url]) == 1
        err = capsys.readouterr().err
        assert "written by a newer version" in err and len(err.strip().splitlines()) == 1
        with pytest.raises(MashDeskError, match="written by a newer version"):
            _open_fully(db_url)
        assert current_revision(engine) == "9999_future"
    finally:  # the PostgreSQL test database is shared by the tests that follow
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head_revision()})
        engine.dispose()
