"""audit trail keyed and guarded

Entries get a ``scheme``: 1 for those already written (plain SHA-256), 2 for entries chained with
the audit key's HMAC from now on. On SQLite ids are never reused (AUTOINCREMENT). Triggers refuse UPDATE and DELETE on ``audit_events``; on
PostgreSQL the privilege is also revoked from PUBLIC.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.audit_guard import create_statements, drop_statements

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # On SQLite the table is rebuilt with AUTOINCREMENT, so an id is never given again.
    with op.batch_alter_table("audit_events", recreate="always" if sqlite else "auto",
                              table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(sa.Column("scheme", sa.SmallInteger(), nullable=False, server_default="1"))
    for statement in create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("scheme")
