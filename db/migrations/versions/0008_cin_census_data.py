"""cin census data

What the CIN census needs beyond the front door: the child in need episode a referral opens (closed
with a date and reason RC1-RC8), its single assessments with their factor codes, CIN plans, child
protection plans (start, end, initial and latest category), and "ICPC not required" on a section 47.

Revision ID: 0008
Revises: 0004
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base

revision = '0008'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cin_episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('referral_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closure_reason', sa.String(length=3), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_cin_episodes_closed_by_id_users')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_cin_episodes_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_cin_episodes_decision_id_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_cin_episodes_person_id_people')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_cin_episodes_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cin_episodes')),
    sa.UniqueConstraint('decision_id', name=op.f('uq_cin_episodes_decision_id'))
    )
    with op.batch_alter_table('cin_episodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cin_episodes_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_cin_episodes_person', ['person_id'], unique=False)
        batch_op.create_index('ix_cin_episodes_referral', ['referral_on'], unique=False)

    op.create_table('cin_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('authorised_on', sa.Date(), nullable=True),
    sa.Column('factors', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['episode_id'], ['cin_episodes.id'], name=op.f('fk_cin_assessments_episode_id_cin_episodes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_cin_assessments_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_cin_assessments_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cin_assessments'))
    )
    with op.batch_alter_table('cin_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cin_assessments_episode_id'), ['episode_id'], unique=False)

    op.create_table('cin_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['episode_id'], ['cin_episodes.id'], name=op.f('fk_cin_plans_episode_id_cin_episodes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_cin_plans_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cin_plans'))
    )
    with op.batch_alter_table('cin_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cin_plans_episode_id'), ['episode_id'], unique=False)

    op.create_table('cp_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('strategy_child_id', sa.Integer(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('initial_category', sa.String(length=3), nullable=False),
    sa.Column('latest_category', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['episode_id'], ['cin_episodes.id'], name=op.f('fk_cp_plans_episode_id_cin_episodes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['strategy_child_id'], ['strategy_children.id'], name=op.f('fk_cp_plans_strategy_child_id_strategy_children')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_cp_plans_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cp_plans'))
    )
    with op.batch_alter_table('cp_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cp_plans_episode_id'), ['episode_id'], unique=False)

    with op.batch_alter_table('strategy_children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('icpc_not_required', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('strategy_children', schema=None) as batch_op:
        batch_op.drop_column('icpc_not_required')

    with op.batch_alter_table('cp_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cp_plans_episode_id'))

    op.drop_table('cp_plans')
    with op.batch_alter_table('cin_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cin_plans_episode_id'))

    op.drop_table('cin_plans')
    with op.batch_alter_table('cin_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cin_assessments_episode_id'))

    op.drop_table('cin_assessments')
    with op.batch_alter_table('cin_episodes', schema=None) as batch_op:
        batch_op.drop_index('ix_cin_episodes_referral')
        batch_op.drop_index('ix_cin_episodes_person')
        batch_op.drop_index(batch_op.f('ix_cin_episodes_contact_id'))

    op.drop_table('cin_episodes')
