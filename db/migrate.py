"""Alembic, run from the desk: upgrade at start, back up SQLite first, refuse newer databases."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Alembic is imported only when there is migrating to do (it is slow to import)
    from alembic.config import Config
    from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaRefused(RuntimeError):
    """The schema was left as it was, for the reason the message gives."""


class DatabaseTooNew(SchemaRefused):
    """The database was written by a newer MASH Desk than this one."""


class DatabaseInUse(SchemaRefused):
    """Desks are connected to the team database: its schema is upgraded only while none is."""


#: Other desks' sessions on this database (``db.pgsettings`` names every connection "mashdesk").
_OTHER_DESKS = ("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = 'mashdesk' AND pid <> pg_backend_pid()")


@dataclass(frozen=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision: the one no other migration file names as its ``down_revision``.

    Read from the migration files' text so start-up need not import Alembic;
    ``tests/db/test_migrations.py`` checks it agrees with Alembic's own answer.
    """
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if match := _REVISION.search(source):
            revisions.add(match.group(1))
        if match := _DOWN.search(source):
            parents.add(match.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _sqlite_file(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def _backup_sqlite(path: Path, revision: str | None, now: datetime | None) -> Path:
    """Copy the database aside with SQLite's online backup (safe with WAL), named by ``now``."""
    stamp = f"-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}" if now is not None else ""
    target = path.with_name(f"{path.stem}.before-{revision or 'empty'}{stamp}{path.suffix}.bak")
    copy = 1
    while target.exists():  # never overwrite an earlier copy
        copy += 1
        target = path.with_name(f"{path.stem}.before-{revision or 'empty'}{stamp}-{copy}{path.suffix}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def upgrade(engine: Engine, now: datetime | None = None) -> UpgradeResult:
    """Bring the schema to the current version.

    A new database is created by running every migration. A database with pending
    migrations is upgraded after an SQLite file has been copied aside. A database
    whose revision this version does not know (written by a newer desk) is refused.
    ``now`` (the desk's clock) names the copy.
    """
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return UpgradeResult(current, head, None)
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:  # alembic raises several kinds for an unknown revision
            raise DatabaseTooNew(
                f"This database is at schema revision {current}, which this version of MASH Desk "
                "does not know: it was written by a newer version. Use that version, or ask your "
                "administrator to upgrade this installation. Nothing was changed."
            ) from exc
    if current is not None and engine.dialect.name == "postgresql":
        _refuse_while_desks_connected(engine, current, head)
    backup = None
    path = _sqlite_file(engine)
    if path is not None and current is not None and path.exists():
        backup = _backup_sqlite(path, current, now)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # building an index over a large table takes longer than a save
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return UpgradeResult(current, head, backup)


def _refuse_while_desks_connected(engine: Engine, current: str, head: str) -> None:
    from sqlalchemy import text

    with engine.connect() as conn:
        others = int(conn.execute(text(_OTHER_DESKS)).scalar() or 0)
    if others:
        raise DatabaseInUse(
            f"The team database needs its schema upgraded ({current} to {head}), but {others} other desk "
            f"connection{'s are' if others != 1 else ' is'} open. Ask everyone to close MASH Desk, then run "
            "'mashdesk init' again. Nothing was changed.")
