"""accounts: lockout and forced password change

Each user counts the wrong passwords since the last good one (``failed_sign_ins``), is locked until a
time after the fifth (``locked_until``), and may have to choose a new password at the next sign-in after
an administrator reset it (``must_change_password``).

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base


revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: SQLite adds a column with a constant default in place, where a
    # batch copy would have to drop the users table that every record refers to.
    op.add_column('users', sa.Column('failed_sign_ins', sa.Integer(), server_default='0', nullable=False))
    op.add_column('users', sa.Column('locked_until', db.base.UTCDateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                     nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_sign_ins')
