"""Alembic owns the schema: new databases, upgrades with a backup, newer databases refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from db.base import Base
from db.engine import make_engine
from db.migrate import DatabaseTooNew, current_revision, head_revision, upgrade
from db.models import Contact

SAMPLES = Path(__file__).with_name("samples")


def test_a_new_database_is_migrated_to_head_and_matches_the_models(db_url):
    engine = make_engine(db_url)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_head_read_from_the_files_is_alembics_head():
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_upgrade_is_idempotent(db_url):
    engine = make_engine(db_url)
    result = upgrade(engine)
    engine.dispose()
    assert not result.changed and result.backup is None


def test_a_database_from_a_newer_version_is_refused_and_left_alone(db_url):
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    try:
        with pytest.raises(DatabaseTooNew, match="newer version"):
            upgrade(engine)
        assert current_revision(engine) == "9999_future"
    finally:  # the PostgreSQL test database is shared by the tests that follow
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head_revision()})
        engine.dispose()


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("schema-*.sqlite3")))
def test_each_released_schema_upgrades_with_its_data_and_a_backup(tmp_path, sample):
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(SAMPLES / sample, path)
    engine = make_engine(f"sqlite:///{path}")
    before = current_revision(engine)
    with engine.connect() as conn:
        contacts = conn.scalar(select(func.count()).select_from(Contact.__table__))
    result = upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Contact.__table__)) == contacts > 0
    if before != head_revision():
        assert result.backup is not None and result.backup.exists()
        assert before in result.backup.name
    engine.dispose()
