"""missing episodes and the consultation line

Missing episodes with their stamped updates (the three clocks and their stored breaches), and the
consultation line's columns: the caller's role, whether the call came from a school, the outcome,
where the caller was signposted, the minutes spent, and the children named (``consultation_people``);
contacts are indexed by the call they came from.

Revision ID: 0004
Revises: 0007
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base


revision = '0004'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consultation_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_people_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_consultation_people_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_people'))
    )
    with op.batch_alter_table('consultation_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_people_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index('ix_consultation_people_person', ['person_id'], unique=False)

    op.create_table('missing_episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('last_seen_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reported_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('missing_from', sa.String(length=16), nullable=False),
    sa.Column('looked_after', sa.Boolean(), nullable=False),
    sa.Column('police_reference', sa.String(length=40), nullable=True),
    sa.Column('risk', sa.String(length=8), nullable=False),
    sa.Column('circumstances', sa.Text(), nullable=False),
    sa.Column('associates', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('returned_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_where', sa.String(length=200), nullable=True),
    sa.Column('returned_by', sa.String(length=120), nullable=True),
    sa.Column('harmed', sa.String(length=8), nullable=True),
    sa.Column('harm_notes', sa.Text(), nullable=True),
    sa.Column('strategy_due_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('strategy_discussion_id', sa.Integer(), nullable=True),
    sa.Column('strategy_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('strategy_breached', sa.Boolean(), nullable=False),
    sa.Column('escalation_due_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('escalated_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('escalated_to', sa.String(length=120), nullable=True),
    sa.Column('escalated_by_id', sa.Integer(), nullable=True),
    sa.Column('escalation_breached', sa.Boolean(), nullable=False),
    sa.Column('rhi_due_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rhi_offered_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rhi_response', sa.String(length=8), nullable=True),
    sa.Column('rhi_response_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rhi_done_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rhi_done_by', sa.String(length=120), nullable=True),
    sa.Column('rhi_findings', sa.Text(), nullable=True),
    sa.Column('rhi_breached', sa.Boolean(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('atlas_review', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_missing_episodes_contact_id_contacts')),
    sa.ForeignKeyConstraint(['escalated_by_id'], ['users.id'], name=op.f('fk_missing_episodes_escalated_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_missing_episodes_person_id_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_missing_episodes_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['strategy_discussion_id'], ['strategy_discussions.id'], name=op.f('fk_missing_episodes_strategy_discussion_id_strategy_discussions')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_missing_episodes_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_missing_episodes'))
    )
    with op.batch_alter_table('missing_episodes', schema=None) as batch_op:
        batch_op.create_index('ix_missing_episodes_person_reported', ['person_id', 'reported_at'], unique=False)
        batch_op.create_index('ix_missing_episodes_status_reported', ['status', 'reported_at'], unique=False)

    op.create_table('missing_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('at', db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('happened_at', db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_missing_updates_by_id_users')),
    sa.ForeignKeyConstraint(['episode_id'], ['missing_episodes.id'], name=op.f('fk_missing_updates_episode_id_missing_episodes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_missing_updates'))
    )
    with op.batch_alter_table('missing_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_missing_updates_episode_id'), ['episode_id'], unique=False)

    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caller_role', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('from_school', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('outcome', sa.String(length=16), nullable=False, server_default='advice_only'))
        batch_op.add_column(sa.Column('signposted_to', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('minutes', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('is_demo', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index('ix_consultations_at', ['at'], unique=False)

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_consultation', ['consultation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_consultation')

    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_at')
        batch_op.drop_column('is_demo')
        batch_op.drop_column('minutes')
        batch_op.drop_column('signposted_to')
        batch_op.drop_column('outcome')
        batch_op.drop_column('from_school')
        batch_op.drop_column('caller_role')

    with op.batch_alter_table('missing_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_missing_updates_episode_id'))

    op.drop_table('missing_updates')
    with op.batch_alter_table('missing_episodes', schema=None) as batch_op:
        batch_op.drop_index('ix_missing_episodes_status_reported')
        batch_op.drop_index('ix_missing_episodes_person_reported')

    op.drop_table('missing_episodes')
    with op.batch_alter_table('consultation_people', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_people_person')
        batch_op.drop_index(batch_op.f('ix_consultation_people_consultation_id'))

    op.drop_table('consultation_people')
