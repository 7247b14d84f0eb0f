"""Every statement of the plain-SQL fast path, in one place: the schema revision, signing in, the audit
append and the queue.

These run over plain DB-API connections (``db.direct``) before SQLAlchemy has loaded, so this module
imports nothing. Tables and columns are named here only; ``tests/db/test_fastsql.py`` parses every
statement and checks each table and column against the models. Columns are always written with
their table's alias; ``{…}`` marks a part filled in from a fixed fragment below, never from input.
"""

from __future__ import annotations

# -- the schema revision ------------------------------------------------------------------------------
REVISION_TABLE_SQLITE = "SELECT 1 FROM sqlite_master m WHERE m.type = 'table' AND m.name = 'alembic_version'"
REVISION_TABLE_POSTGRESQL = "SELECT to_regclass('alembic_version') IS NOT NULL"
REVISION = "SELECT v.version_num FROM alembic_version v"

# -- signing in ---------------------------------------------------------------------------------------
SIGN_IN_ACCOUNT = (
    "SELECT u.id, u.username, u.display_name, u.role_code, u.active, u.password_hash, a.code"
    " FROM users u LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.username = :username")
SIGNED_IN = "UPDATE users SET last_sign_in_at = :now WHERE id = :id"

# -- the audit trail ----------------------------------------------------------------------------------
AUDIT_LOCK_POSTGRESQL = "SELECT pg_advisory_xact_lock(:k)"
AUDIT_LAST_HASH = "SELECT e.hash FROM audit_events e ORDER BY e.id DESC LIMIT 1"
AUDIT_APPEND = (
    "INSERT INTO audit_events (at, user_id, username, action, entity, entity_id, summary, detail, prev_hash, hash,"
    " scheme) VALUES (:at, :user_id, :username, :action, :entity, :entity_id, :summary, :detail, :prev_hash, :hash,"
    " :scheme)")
#: The trail's length and its last entry, for a checkpoint.
AUDIT_COUNT = "SELECT count(*) FROM audit_events"
AUDIT_LAST = "SELECT e.id, e.hash FROM audit_events e ORDER BY e.id DESC LIMIT 1"

# -- the queue ----------------------------------------------------------------------------------------
#: Sortable columns: key → SQL expression. The indexes on ``contacts`` cover these.
QUEUE_SORT: dict[str, str] = {
    "reference": "c.id",
    "children": "c.children_display",
    "received": "c.received_at",
    "source": "c.source_display",
    "rag": "c.rag_rank",
    "status": "c.status",
    "due": "c.decision_due_at",
    "allocated": "u.display_name",
}
QUEUE_PAGE = (
    "SELECT c.id, c.children_display, c.received_at, c.source_display, c.rag, c.status,"
    " c.decision_due_at, u.display_name, c.is_re_referral, c.version, c.decided_late"
    " FROM contacts c LEFT JOIN users u ON u.id = c.allocated_to_id"
    "{where} ORDER BY {column} {direction}, c.id {direction} LIMIT :limit OFFSET :offset")
QUEUE_COUNT = "SELECT count(*) FROM contacts c{where}"
#: The queue's filters (over ``contacts c``); ``{marks}`` is a list of bound parameters.
QUEUE_STATUS_IN = "c.status IN {marks}"
QUEUE_RAG_IN = "c.rag IN {marks}"
QUEUE_ID_IN = "c.id IN {marks}"
QUEUE_MINE = "c.allocated_to_id = :me"
QUEUE_REFERENCE = "c.id = :ref"
QUEUE_NOTHING = "1 = 0"
QUEUE_AWAITING_CHECKS = "c.id IN (SELECT k.contact_id FROM agency_checks k WHERE k.status = 'requested')"
#: Contacts with a child whose first or last name starts with each word (``{words}``, each one
#: :data:`NAME_WORD` joined with AND), searched as index ranges of ``people``.
CHILDREN_NAMED = (
    "c.id IN (SELECT cp.contact_id FROM contact_people cp WHERE cp.role = 'child' AND cp.person_id IN"
    " (SELECT p.id FROM people p WHERE {words}))")
NAME_WORD = ("((p.key_first >= :w{i} AND p.key_first < :w{i}_end)"
             " OR (p.key_last >= :w{i} AND p.key_last < :w{i}_end))")
#: Open contacts whose decision clock could be in its last quarter (``{mine}``: :data:`RUNNING_MINE` or "").
RUNNING_CLOCKS = (
    "SELECT c.id, c.rag, c.received_at, c.decision_due_at, c.children_display FROM contacts c"
    " WHERE c.status IN {marks} AND c.decision_due_at IS NOT NULL AND c.decision_due_at <= :horizon{mine}"
    " ORDER BY c.decision_due_at")
RUNNING_MINE = " AND c.allocated_to_id = :me"
