"""person matching indexes

Composite indexes for the known-child search's blocking look-ups: phonetic surname
with phonetic first name, normalised surname with normalised first name (on people
and on their other names), the expected date of birth, and merged records.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES = [
    ("people", "ix_people_phon_last_first", ["phon_last", "phon_first"]),
    ("people", "ix_people_key_last_first", ["key_last", "key_first"]),
    ("people", "ix_people_edob", ["expected_date_of_birth"]),
    ("people", "ix_people_merged_into", ["merged_into_id"]),
    ("person_names", "ix_person_names_phon_last_first", ["phon_last", "phon_first"]),
    ("person_names", "ix_person_names_key_last_first", ["key_last", "key_first"]),
]


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
