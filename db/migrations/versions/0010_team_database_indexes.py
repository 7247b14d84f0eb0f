"""team database indexes

Partial indexes for what many desks do at once on a large database: "take next" reads the first
screened, unallocated contact in urgency order straight off an index (and locks it with
SKIP LOCKED), and the queue's name search finds the contacts of the matching children in an
index-only scan. docs/team-database.md has the EXPLAIN plans at a million contacts.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

_WAITING = "status = 'screened' AND allocated_to_id IS NULL"
_CHILD = "role = 'child'"


def upgrade() -> None:
    op.create_index("ix_contacts_take_next", "contacts", ["rag_rank", "decision_due_at", "id"],
                    postgresql_where=sa.text(_WAITING), sqlite_where=sa.text(_WAITING))
    op.create_index("ix_contact_people_child", "contact_people", ["person_id", "contact_id"],
                    postgresql_where=sa.text(_CHILD), sqlite_where=sa.text(_CHILD))


def downgrade() -> None:
    op.drop_index("ix_contact_people_child", table_name="contact_people")
    op.drop_index("ix_contacts_take_next", table_name="contacts")
