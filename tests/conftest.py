"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL gets one scratch database per test process (migrated once, emptied
between tests); SQLite gets a fresh copy of a migrated template file per test.
Settings and data folders point at temporary folders; the clock is fixed.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_ADMIN_URL = os.environ.get("MASHDESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
LONDON = ZoneInfo("Europe/London")
#: Monday 23 November 2026, 10:00 in London: a working day, inside office hours.
DEFAULT_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON).astimezone(UTC)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set_local(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=LONDON).astimezone(UTC)  # type: ignore[misc]


@pytest.fixture(scope="session")
def audit_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One audit key for the test run (databases built once are shared between tests)."""
    return tmp_path_factory.mktemp("audit-key") / "audit-key.json"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                   audit_key_file: Path) -> None:
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("MASHDESK_DATA_DIR", str(data))
    monkeypatch.setenv("MASHDESK_AUDIT_KEY", str(audit_key_file))
    monkeypatch.delenv("MASHDESK_AUDIT_CHECKPOINTS", raising=False)
    monkeypatch.delenv("MASHDESK_DB", raising=False)
    monkeypatch.delenv("MASHDESK_PASSWORD", raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from db.engine import make_engine
    from db.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A scratch PostgreSQL database for this test process, migrated to head."""
    from db.engine import make_engine
    from db.migrate import upgrade

    name = f"mashdesk_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - the CI script checks the server first
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    from db.base import Base
    import db.models  # noqa: F401

    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated, empty database: each test using it runs once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "desk.sqlite3"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    _truncate_all(url)
    return url


@pytest.fixture
def ctx(db_url: str, clock: FakeClock) -> Iterator:
    """The application context on a fresh database, with reference data and a fixed clock."""
    from mashdesk.app import open_database

    context, _ = open_database(db_url, clock=clock)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="session")
def password_hash() -> str:
    from mashdesk.services.auth import hash_password

    return hash_password("secret")


@pytest.fixture
def actors(ctx, password_hash: str) -> dict:  # type: ignore[no-untyped-def]
    """One signed-in user per role (password "secret"), keyed by role."""
    from sqlalchemy import select

    from db.models import Agency, User
    from mashdesk.permissions import ROLES
    from mashdesk.services.auth import ROLE_AGENCY, actor_for

    out = {}
    with ctx.session_factory.begin() as s:
        agencies = {code: ident for code, ident in s.execute(select(Agency.code, Agency.id))}
        for role in ROLES:
            user = User(username=f"test.{role}", display_name=f"Test {role.title()}", role_code=role,
                        agency_id=agencies.get(ROLE_AGENCY.get(role, "")), password_hash=password_hash)
            s.add(user)
            s.flush()
            out[role] = user.id
    with ctx.session_factory() as s:
        return {role: actor_for(s.get(User, uid)) for role, uid in out.items()}
