"""daily meeting and atlas markers

The daily MASH meeting's state, attendance, items and addenda; meeting actions' owners, schools and
status; the Atlas team's intelligence markers on people.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('atlas_markers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=False),
    sa.Column('restricted', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_atlas_markers_created_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_atlas_markers_person_id_people')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_atlas_markers_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_atlas_markers'))
    )
    with op.batch_alter_table('atlas_markers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_atlas_markers_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_atlas_markers_review', ['ended_on', 'review_on'], unique=False)

    op.create_table('meeting_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('brought_by', sa.String(length=32), nullable=False),
    sa.Column('urgency', sa.Integer(), nullable=False),
    sa.Column('involves_school', sa.Boolean(), nullable=False),
    sa.Column('school', sa.String(length=120), nullable=True),
    sa.Column('restricted_to', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('person_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('by_hand', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decided_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_meeting_items_decided_by_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['daily_meetings.id'], name=op.f('fk_meeting_items_meeting_id_daily_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_meeting_items_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_items'))
    )
    with op.batch_alter_table('meeting_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_items_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_addenda',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('by_name', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_meeting_addenda_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['meeting_items.id'], name=op.f('fk_meeting_addenda_item_id_meeting_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['daily_meetings.id'], name=op.f('fk_meeting_addenda_meeting_id_daily_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_addenda'))
    )
    with op.batch_alter_table('meeting_addenda', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_addenda_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('daily_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=8), nullable=False, server_default='open'))
        batch_op.add_column(sa.Column('opened_at', db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attendance', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('is_demo', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_daily_meetings_closed_by_id_users'), 'users', ['closed_by_id'], ['id'])

    with op.batch_alter_table('meeting_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('owner_user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('owner_agency', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('school', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=8), nullable=False, server_default='open'))
        batch_op.add_column(sa.Column('done_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('done_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_at', db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('added_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('addendum', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index('ix_meeting_actions_status_due', ['status', 'due'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meeting_actions_added_by_id_users'), 'users', ['added_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_meeting_actions_done_by_id_users'), 'users', ['done_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_meeting_actions_item_id_meeting_items'), 'meeting_items', ['item_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_meeting_actions_owner_user_id_users'), 'users', ['owner_user_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('meeting_actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meeting_actions_owner_user_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_meeting_actions_item_id_meeting_items'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_meeting_actions_done_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_meeting_actions_added_by_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_meeting_actions_status_due')
        batch_op.drop_column('addendum')
        batch_op.drop_column('added_by_id')
        batch_op.drop_column('added_at')
        batch_op.drop_column('done_by_id')
        batch_op.drop_column('done_note')
        batch_op.drop_column('status')
        batch_op.drop_column('school')
        batch_op.drop_column('owner_agency')
        batch_op.drop_column('owner_user_id')
        batch_op.drop_column('item_id')

    with op.batch_alter_table('daily_meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_daily_meetings_closed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('is_demo')
        batch_op.drop_column('attendance')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('opened_at')
        batch_op.drop_column('status')

    with op.batch_alter_table('meeting_addenda', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_addenda_meeting_id'))

    op.drop_table('meeting_addenda')
    with op.batch_alter_table('meeting_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_items_meeting_id'))

    op.drop_table('meeting_items')
    with op.batch_alter_table('atlas_markers', schema=None) as batch_op:
        batch_op.drop_index('ix_atlas_markers_review')
        batch_op.drop_index(batch_op.f('ix_atlas_markers_person_id'))

    op.drop_table('atlas_markers')
