"""person details

A person's full record: disability codes, interpreter, immigration status, former UPN and
the reason a UPN is not known, restricted records, and from when another name was used.

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None

PEOPLE_COLUMNS = [
    sa.Column("disability_codes", sa.String(60), nullable=True),
    sa.Column("interpreter_needed", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("immigration_status", sa.String(60), nullable=True),
    sa.Column("former_upn", sa.String(13), nullable=True),
    sa.Column("upn_unknown", sa.String(3), nullable=True),
    sa.Column("restricted", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("restricted_reason", sa.Text(), nullable=True),
]


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild, which SQLite's foreign keys would refuse).
    for column in PEOPLE_COLUMNS:
        op.add_column("people", column)
    op.add_column("person_names", sa.Column("from_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person_names") as batch:
        batch.drop_column("from_date")
    with op.batch_alter_table("people") as batch:
        for column in reversed(PEOPLE_COLUMNS):
            batch.drop_column(column.name)
