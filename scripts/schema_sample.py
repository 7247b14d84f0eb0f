"""Write the sample database of a released schema for the upgrade test.

    .venv/bin/python scripts/schema_sample.py 0002

creates ``tests/db/samples/schema-0002.sqlite3``: an SQLite database migrated only to that revision and
filled with a small synthetic demo, so ``tests/db/test_migrations.py`` can prove that every later migration
upgrades it with its data. Run it when a release ships a new migration, before the next one is written.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(revision: str) -> Path:
    from alembic import command
    from sqlalchemy.orm import sessionmaker

    from db.engine import make_engine
    from db.migrate import alembic_config, current_revision
    from mashdesk.demo import build_demo
    from mashdesk.context import AppContext

    target = ROOT / "tests" / "db" / "samples" / f"schema-{revision}.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{target}")
    command.upgrade(alembic_config(engine), revision)
    build_demo(AppContext(engine, sessionmaker(engine, expire_on_commit=False)), contacts=120, seed=7)
    assert current_revision(engine) == revision
    engine.dispose()
    with sqlite3.connect(target) as conn:  # one self-contained file, no WAL beside it
        conn.execute("PRAGMA journal_mode=DELETE")
    conn = sqlite3.connect(target)
    conn.execute("VACUUM")
    conn.close()
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: schema_sample.py REVISION")
    print(main(sys.argv[1]))
