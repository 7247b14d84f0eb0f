"""The database's own refusal to change the audit trail: triggers against UPDATE and DELETE.

Used by the migration that adds them and by the demo loader, which clears a demo database's trail
(only a demo database's) inside its one transaction.
"""

from __future__ import annotations

from collections.abc import Callable

REFUSAL = "the audit trail cannot be changed or deleted"

SQLITE_CREATE = [
    f"CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    f"CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_events_no_update", "DROP TRIGGER IF EXISTS audit_events_no_delete"]

POSTGRESQL_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_refuse()",
    # Only the owner (the administrator who runs `mashdesk init`) keeps the privilege; desks that
    # connect as another role cannot change the trail even with the trigger disabled.
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC",
]
POSTGRESQL_DROP = ["DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events",
                   "DROP FUNCTION IF EXISTS audit_events_refuse()"]


def create_statements(dialect: str) -> list[str]:
    return POSTGRESQL_CREATE if dialect == "postgresql" else SQLITE_CREATE


def drop_statements(dialect: str) -> list[str]:
    return POSTGRESQL_DROP if dialect == "postgresql" else SQLITE_DROP


def clear_trail(execute: Callable[[str], object], dialect: str) -> None:
    """Empty the trail inside the caller's transaction, the guard lifted only for that statement.

    For demo databases only: the caller has checked the database holds nothing but demo data.
    """
    if dialect == "postgresql":
        execute("ALTER TABLE audit_events DISABLE TRIGGER USER")
        execute("DELETE FROM audit_events")
        execute("ALTER TABLE audit_events ENABLE TRIGGER USER")
        return
    for statement in SQLITE_DROP:
        execute(statement)
    execute("DELETE FROM audit_events")
    for statement in SQLITE_CREATE:
        execute(statement)
