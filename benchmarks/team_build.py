"""A large PostgreSQL team database for ``benchmarks/team_load.py``: N contacts, one child each.

Built in SQL (``INSERT … SELECT`` over ``generate_series``) from a few hundred Faker en_GB names,
so a million contacts take minutes, not the hours the ORM would. Synthetic only. Most contacts are
closed history; the newest are open: a pool of screened, unallocated contacts for "take next" and
a set of contacts in progress that every desk edits (the lost-update check).
"""

from __future__ import annotations

import sys
import time

import psycopg

#: How many of the newest contacts are screened and waiting, and how many are in progress.
WAITING, IN_PROGRESS = 20_000, 2_000
MARKER = "team-load"

_PEOPLE = """
INSERT INTO people (id, first_name, last_name, key_first, key_last, phon_first, phon_last, date_of_birth, sex,
  disabled, open_case, cp_plan_current, cp_plan_previous, is_demo, version, created_at, updated_at)
SELECT g, (%(first)s::text[])[i], (%(last)s::text[])[j], (%(kfirst)s::text[])[i], (%(klast)s::text[])[j],
  (%(pfirst)s::text[])[i], (%(plast)s::text[])[j], DATE '2009-01-01' + (g * 7919 %% 6000)::int,
  CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END, false, false, false, false, true, 1, now(), now()
FROM (SELECT g, 1 + (g * 7919) %% %(nfirst)s AS i, 1 + (g * 104729) %% %(nlast)s AS j
      FROM generate_series(1::bigint, %(n)s) g) s
"""
_CONTACTS = """
INSERT INTO contacts (id, received_at, channel, cin_source, concern, immediate_protection, consent,
  consent_reason, consent_decided_by, status, rag,
  rag_rank, decision_due_at, outcome, closed_at, decided_late, is_re_referral, children_display,
  source_display, is_demo, version, created_at, updated_at)
SELECT g, received, 'police_notification', '6', 'Synthetic contact for the team load run.', 'unknown',
  'not_sought', 'Could prejudice a police investigation.', 'MASH manager', status, rag,
  CASE rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 ELSE 2 END,
  received + interval '1 day', CASE WHEN status = 'closed' THEN 'nfa' END,
  CASE WHEN status = 'closed' THEN received + interval '20 hours' END,
  CASE WHEN status = 'closed' THEN false END, false, p.first_name || ' ' || p.last_name, 'Police', true, 1,
  received, received
FROM (SELECT g, now() - (%(n)s - g) * interval '40 seconds' AS received,
        CASE WHEN g > %(n)s - %(waiting)s THEN 'screened' WHEN g > %(n)s - %(open)s THEN 'in_progress'
             ELSE 'closed' END AS status,
        (ARRAY['red', 'amber', 'green', 'green'])[1 + g %% 4] AS rag
      FROM generate_series(1, %(n)s) g) s JOIN people p ON p.id = s.g
"""
_CHILDREN = ("INSERT INTO contact_people (contact_id, person_id, role, parental_responsibility)"
             " SELECT g, g, 'child', false FROM generate_series(1, %(n)s) g")


def _names() -> dict[str, list[str]]:
    from faker import Faker

    from mashdesk.people import names

    fake = Faker("en_GB")
    fake.seed_instance(19)
    first = sorted({fake.first_name() for _ in range(3000)})
    last = sorted({fake.last_name() for _ in range(6000)})
    return {"first": first, "last": last, "kfirst": [names.normalise(f) for f in first],
            "klast": [names.normalise(s) for s in last], "pfirst": [names.phonetic(f) for f in first],
            "plast": [names.phonetic(s) for s in last]}


def contact_count(url: str) -> int:
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM contacts WHERE is_demo").fetchone()
            return int(row[0]) if row else 0
    except psycopg.Error:
        return 0


def build(admin_url: str, url: str, n: int) -> None:
    """Make the database at ``url`` afresh (migrated, reference data) and fill it with ``n`` contacts."""
    from mashdesk.app import open_database

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    ctx, _ = open_database(url)
    ctx.engine.dispose()
    started = time.perf_counter()
    words = _names()
    waiting, in_progress = min(WAITING, n // 10), min(IN_PROGRESS, n // 50)
    params = {**words, "n": n, "nfirst": len(words["first"]), "nlast": len(words["last"]),
              "waiting": waiting, "open": waiting + in_progress}
    with psycopg.connect(url) as conn:
        conn.execute("SET statement_timeout = 0")
        for label, sql in (("people", _PEOPLE), ("contacts", _CONTACTS), ("children", _CHILDREN)):
            t = time.perf_counter()
            conn.execute(sql, params)
            print(f"  {label}: {time.perf_counter() - t:.0f} s", file=sys.stderr)
        for table in ("people", "contacts", "contact_people"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                         f" (SELECT max(id) FROM {table}))")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    print(f"built {n:,} contacts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
