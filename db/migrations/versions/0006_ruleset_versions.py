"""ruleset versions

The Threshold of Need ruleset versions an administrator loaded (their file text, its SHA-256 and when each
takes effect), and the child facts each threshold assessment was evaluated with, so a replay can use them
exactly as they were.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FACTS = [
    ("facts_date_of_birth", sa.Date()),
    ("facts_expected_date_of_birth", sa.Date()),
    ("facts_disabled", sa.Boolean()),
    ("facts_previous_cp_plan", sa.Boolean()),
    ("facts_previous_contacts_12m", sa.Integer()),
    ("facts_previous_referrals_12m", sa.Integer()),
]


def upgrade() -> None:
    op.create_table(
        "ruleset_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ruleset_id", sa.String(length=60), nullable=False),
        sa.Column("ruleset_version", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("loaded_by_id", sa.Integer(), nullable=True),
        sa.Column("effective_from", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("activated_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("activated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["loaded_by_id"], ["users.id"], name=op.f("fk_ruleset_versions_loaded_by_id_users")),
        sa.ForeignKeyConstraint(["activated_by_id"], ["users.id"],
                                name=op.f("fk_ruleset_versions_activated_by_id_users")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_ruleset_versions_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ruleset_versions")),
        sa.UniqueConstraint("ruleset_id", "ruleset_version", name="uq_ruleset_versions_ruleset_version"),
    )
    with op.batch_alter_table("ruleset_versions", schema=None) as batch_op:
        batch_op.create_index("ix_ruleset_versions_effective", ["effective_from"], unique=False)
    with op.batch_alter_table("threshold_assessments", schema=None) as batch_op:
        for name, kind in FACTS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("threshold_assessments", schema=None) as batch_op:
        for name, _ in reversed(FACTS):
            batch_op.drop_column(name)
    with op.batch_alter_table("ruleset_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_ruleset_versions_effective")
    op.drop_table("ruleset_versions")
