"""digest: indexes that cover the performance digest's figures

The contact figures read a period's contacts from one covering index on the day received; the threshold
overrides read a period's decisions (and what was decided) from an index on the decision's time.

Revision ID: 0015
Revises: 0012
Create Date: 2026-11-29
"""
from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_contacts_digest", "contacts",
                    ["received_at", "cin_source", "rag", "outcome", "decided_late", "is_re_referral"])
    op.create_index("ix_decisions_decided", "decisions", ["decided_at", "assessment_id", "level", "outcome"])


def downgrade() -> None:
    op.drop_index("ix_decisions_decided", table_name="decisions")
    op.drop_index("ix_contacts_digest", table_name="contacts")
