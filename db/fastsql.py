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
    "SELECT u.id, u.username, u.display_name, u.role_code, u.active, u.password_hash, a.code,"
    " u.must_change_password FROM users u LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.username = :username")
#: The account's wrong passwords and lock, read again inside the transaction that records an attempt.
SIGN_IN_LOCKOUT = "SELECT u.failed_sign_ins, u.locked_until FROM users u WHERE u.id = :id"
SIGN_IN_FAILED = "UPDATE users SET failed_sign_ins = :failures, locked_until = :until WHERE id = :id"
SIGNED_IN = "UPDATE users SET last_sign_in_at = :now, failed_sign_ins = 0, locked_until = NULL WHERE id = :id"
PASSWORD_CHANGED = (
    "UPDATE users SET password_hash = :hash, must_change_password = :must, last_sign_in_at = :now,"
    " failed_sign_ins = 0, locked_until = NULL, version = version + 1, updated_at = :now, updated_by_id = :id"
    " WHERE id = :id")

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
#: The count up to ``:cap`` only: counting a million contacts on every refresh of every desk costs the server.
QUEUE_COUNT_CAPPED = "SELECT count(*) FROM (SELECT 1 FROM contacts c{where} LIMIT :cap) AS c"
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

# -- ruleset replay and consistency (plain reads of stored assessments and decisions) --------------------
#: The latest assessment of each child of each contact received in ``[:start, :end)``.
_LATEST_IN_PERIOD = (
    " FROM threshold_assessments a JOIN contacts c ON c.id = a.contact_id"
    " WHERE c.received_at >= :start AND c.received_at < :end AND NOT EXISTS (SELECT 1 FROM"
    " threshold_assessments n WHERE n.contact_id = a.contact_id AND n.person_id = a.person_id AND n.id > a.id)")
#: An upper bound of the assessments a replay reads (for its progress bar: every assessment, not only the latest).
REPLAY_COUNT = (
    "SELECT count(*) FROM threshold_assessments a JOIN contacts c ON c.id = a.contact_id"
    " WHERE c.received_at >= :start AND c.received_at < :end")
REPLAY_ASSESSMENTS = (
    "SELECT a.id, a.contact_id, a.person_id, c.received_at, a.indicators, a.household_indicators,"
    " a.suggested_level, a.suggested_outcome, a.suggested_rag, a.flags, a.rules_fired, a.facts_date_of_birth,"
    " a.facts_expected_date_of_birth, a.facts_disabled, a.facts_previous_cp_plan, a.facts_previous_contacts_12m,"
    " a.facts_previous_referrals_12m"
    + _LATEST_IN_PERIOD + " ORDER BY a.id")
#: Decisions (not superseded) on contacts received in the period, by the assessment they followed.
REPLAY_DECISIONS = (
    "SELECT d.assessment_id, d.id, d.level, d.outcome FROM decisions d JOIN contacts c ON c.id = d.contact_id"
    " WHERE c.received_at >= :start AND c.received_at < :end AND d.status <> 'superseded'"
    " AND d.assessment_id IS NOT NULL")
#: For assessments stored before child facts were: the people's facts and their contacts as a child.
REPLAY_PEOPLE = (
    "SELECT p.id, p.date_of_birth, p.expected_date_of_birth, p.disabled, p.cp_plan_previous, p.cp_plan_current"
    " FROM people p WHERE p.id IN {marks}")
REPLAY_HISTORY = (
    "SELECT cp.person_id, c.id, c.received_at, c.outcome FROM contact_people cp"
    " JOIN contacts c ON c.id = cp.contact_id WHERE cp.role = 'child' AND cp.person_id IN {marks}")
CONSISTENCY_DECISIONS = (
    "SELECT d.id, d.contact_id, d.person_id, d.level, d.outcome, d.override_reason, d.decided_by_id,"
    " d.authorised_by_id, a.suggested_level, a.suggested_outcome, a.indicators, a.household_indicators,"
    " c.cin_source FROM decisions d JOIN threshold_assessments a ON a.id = d.assessment_id"
    " JOIN contacts c ON c.id = d.contact_id"
    " WHERE c.received_at >= :start AND c.received_at < :end AND d.status <> 'superseded' ORDER BY d.id")
USER_NAMES = "SELECT u.id, u.display_name FROM users u"
