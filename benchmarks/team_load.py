"""Thirty desks on one PostgreSQL database of a million contacts: ``python benchmarks/team_load.py``.

Builds (or reuses) the database (``team_build``), then runs ``--desks`` processes for ``--seconds``.
Each desk signs in as its own practitioner and, in a loop with a pause of ``--think`` seconds on
average between actions: takes the next contact, saves it (with its audit entry), saves one of the
contacts every desk is working on (stale saves are refused and counted), opens a contact,
refreshes the queue (first page and count) and searches a child's name. It prints p50/p95 of each
action, the errors, contacts handed out twice and lost updates (both must be 0), and whether the
audit chain is intact. Nothing here is a test: tests never assert timings.

Run it under ``nice -n 10``: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import team_build  # noqa: E402

ADMIN_URL = os.environ.get("MASHDESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
ACTIONS = ("take_next", "save", "save_shared", "open", "queue_page", "queue_count", "search")
SEARCHES = ("smi", "jon", "wil", "tay", "bro", "dav", "eva", "oli", "har", "soph")


def _desk_users(url: str, desks: int) -> list[str]:
    from mashdesk.context import AppContext
    from mashdesk.services.auth import AuthService

    ctx = AppContext(url=url)
    auth = AuthService(ctx)
    admin = _ensure_admin(ctx)
    names = [f"load.desk{i:02d}" for i in range(desks)]
    from sqlalchemy import select

    from db.models import User

    with ctx.session_factory() as s:
        have = set(s.scalars(select(User.username)))
    for name in names:
        if name not in have:
            auth.create_user(admin, username=name, display_name=f"Load desk {name[-2:]}", role="practitioner",
                             password="load-pass")
    ctx.engine.dispose()
    return names


def _ensure_admin(ctx):  # type: ignore[no-untyped-def]
    from mashdesk.services.auth import AuthService

    auth = AuthService(ctx)
    auth.bootstrap_admin("load.admin", "load-pass")
    return auth.actor("load.admin")


def _shared_contacts(url: str) -> list[int]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT id FROM contacts WHERE status = 'in_progress' ORDER BY id LIMIT 60").fetchall()
    return [r[0] for r in rows]


def desk(url: str, username: str, seconds: float, think: float, shared: list[int], top: int,
         seed: int, start_at: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    try:
        out.put(_desk(url, username, seconds, think, shared, top, seed, start_at))
    except BaseException as exc:  # a desk that died is reported, never waited for
        out.put({"times": {a: [] for a in ACTIONS}, "errors": {f"desk died: {exc!r}"[:160]: 1}, "taken": [],
                 "shared_saves": [], "stale": 0})


def _desk(url: str, username: str, seconds: float, think: float, shared: list[int], top: int,
          seed: int, start_at: float) -> dict[str, object]:
    from mashdesk.app import load_orm
    from mashdesk.contacts.queue import QueueService
    from mashdesk.contacts.service import ContactService
    from mashdesk.contacts.views import QueueQuery
    from mashdesk.context import AppContext
    from mashdesk.errors import StaleEditError
    from mashdesk.services.auth import AuthService
    from mashdesk.triage.service import TriageService

    rng = random.Random(seed)
    ctx = AppContext(url=url)
    load_orm(ctx)
    actor = AuthService(ctx).sign_in(username, "load-pass")
    contacts, triage, queue = ContactService(ctx), TriageService(ctx), QueueService(ctx)
    times: dict[str, list[float]] = {a: [] for a in ACTIONS}
    errors: Counter[str] = Counter()
    taken: list[int] = []
    shared_saves: list[int] = []
    stale = 0

    def timed(action: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        except StaleEditError:
            raise
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors[f"{action}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"] += 1
            return None
        finally:
            times[action].append((time.perf_counter() - started) * 1000)
            time.sleep(rng.uniform(0, 2 * think))

    time.sleep(max(0.0, start_at - time.time()))  # every desk has started and signed in: measure together
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
        cid = timed("take_next", triage.take_next, actor)
        if cid is not None:
            taken.append(cid)
            timed("save", contacts.update_contact, actor, cid, contacts.get(actor, cid).version,
                  concern=f"{username} save {n} {uuid.uuid4().hex[:8]}")
        target = rng.choice(shared)
        try:
            version = contacts.get(actor, target).version
            if timed("save_shared", contacts.update_contact, actor, target, version,
                     concern=f"{username} shared {n} {uuid.uuid4().hex[:8]}") is not None:
                shared_saves.append(target)
        except StaleEditError:
            stale += 1
        timed("open", contacts.get, actor, rng.randint(1, top))
        timed("queue_page", queue.page, actor, QueueQuery(), 0, 200)
        timed("queue_count", queue.count, actor, QueueQuery(), cap=10_000)
        timed("search", queue.page, actor, QueueQuery(search=rng.choice(SEARCHES)), 0, 200)
    ctx.engine.dispose()
    return {"times": times, "errors": dict(errors), "taken": taken, "shared_saves": shared_saves,
            "stale": stale}


def _server_statements() -> dict[str, tuple[str, dict[str, object]]]:
    """The hot statements as the desk sends them, to time on the server during the run."""
    from db import fastsql

    page = fastsql.QUEUE_PAGE.format(where="", column="c.received_at", direction="DESC")
    named = " WHERE " + fastsql.CHILDREN_NAMED.format(words=fastsql.NAME_WORD.format(i=0))
    search = fastsql.QUEUE_PAGE.format(where=named, column="c.received_at", direction="DESC")
    first = {"limit": 200, "offset": 0}
    return {
        "queue_page": (page, first),
        "queue_count": (fastsql.QUEUE_COUNT_CAPPED.format(where=""), {"cap": 10_000}),
        "take_next": ("SELECT c.id FROM contacts c WHERE c.status = 'screened' AND c.allocated_to_id IS NULL"
                      " ORDER BY c.rag_rank, c.decision_due_at, c.id LIMIT 1", {}),
        "search": (search, {**first, "w0": "smi", "w0_end": "smi\uffff"}),
        "audit_head": (fastsql.AUDIT_LAST_HASH, {}),
    }


def _sample_server(url: str, start_at: float, seconds: float, into: dict[str, list[float]]) -> None:
    """Every half second of the run, each hot statement's execution time on the server (EXPLAIN ANALYZE)."""
    import re

    from db.direct import connect

    conn = connect(url)
    statements = _server_statements()
    time.sleep(max(0.0, start_at - time.time()))
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            for name, (sql, params) in statements.items():
                plan = conn.all("EXPLAIN (ANALYZE, TIMING OFF) " + sql, params)
                conn.finish_read()
                took = re.search(r"Execution Time: ([0-9.]+) ms", plan[-1][0])
                if took:
                    into.setdefault(name, []).append(float(took.group(1)))
            time.sleep(0.5)
    finally:
        conn.close()


def _pct(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _check(url: str, shared: list[int], saves: Counter[int]) -> dict[str, object]:
    """Lost updates: every successful save of a shared contact moved its version on by one."""
    import psycopg

    from mashdesk import audit
    from mashdesk.context import AppContext

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT id, version FROM contacts WHERE id = ANY(%s)", (shared,)).fetchall()
    versions = dict(rows)
    lost = sum(abs((versions[c] - 1) - saves[c]) for c in shared)
    ctx = AppContext(url=url)
    with ctx.session_factory() as s:
        chain = audit.verify(s, ctx.audit_keys)
    ctx.engine.dispose()
    return {"lost_updates": lost, "audit_chain_intact": chain.ok, "audit_entries": chain.checked}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--desks", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between a desk's actions (s)")
    parser.add_argument("--warmup", type=float, default=45,
                        help="seconds for the desks to start and sign in before measuring")
    parser.add_argument("--rebuild", action="store_true", help="build the database even if it exists")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    args = parser.parse_args()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/mashdesk_team_load_{args.contacts}"
    if args.rebuild or team_build.contact_count(url) != args.contacts:
        print(f"building a team database of {args.contacts:,} contacts…", file=sys.stderr)
        team_build.build(ADMIN_URL, url, args.contacts)
    _migrate(url)
    users = _desk_users(url, args.desks)
    shared = _shared_contacts(url)
    _reset_shared(url, shared)
    out: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    start_at = time.time() + args.warmup
    procs = [multiprocessing.Process(
        target=desk, args=(url, u, args.seconds, args.think, shared, args.contacts, i, start_at, out))
        for i, u in enumerate(users)]
    for p in procs:
        p.start()
    import threading

    server: dict[str, list[float]] = {}
    sampler = threading.Thread(target=_sample_server, args=(url, start_at, args.seconds, server), daemon=True)
    sampler.start()
    results = [out.get(timeout=args.seconds + 600) for _ in procs]
    for p in procs:
        p.join()
    sampler.join(60)
    report = _report(url, args, results, shared)
    for name, values in server.items():
        report[f"server_{name}_p50_ms"] = round(_pct(values, 50), 2)
        report[f"server_{name}_p95_ms"] = round(_pct(values, 95), 2)
    print(json.dumps(report, indent=None if args.json else 2))
    return 0


def _migrate(url: str) -> None:
    """Bring a kept database to this version's schema (new indexes), timing it."""
    from mashdesk.app import open_database

    started = time.perf_counter()
    ctx, result = open_database(url)
    ctx.engine.dispose()
    if result.from_revision != result.to_revision:
        took = time.perf_counter() - started
        print(f"upgraded {result.from_revision} → {result.to_revision} in {took:.0f} s", file=sys.stderr)


def _reset_shared(url: str, shared: list[int]) -> None:
    """Put the shared contacts back at version 1 so the lost-update count starts from nothing."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("UPDATE contacts SET version = 1 WHERE id = ANY(%s)", (shared,))
        conn.execute("UPDATE contacts SET allocated_to_id = NULL, allocated_at = NULL"
                     " WHERE status = 'screened'")


def _report(url: str, args: argparse.Namespace, results: list[dict], shared: list[int]) -> dict[str, object]:
    times: dict[str, list[float]] = {a: [] for a in ACTIONS}
    errors: Counter[str] = Counter()
    taken: Counter[int] = Counter()
    saves: Counter[int] = Counter()
    stale = 0
    for r in results:
        for a in ACTIONS:
            times[a].extend(r["times"][a])
        errors.update(r["errors"])
        taken.update(r["taken"])
        saves.update(r["shared_saves"])
        stale += r["stale"]
    report: dict[str, object] = {"contacts": args.contacts, "desks": args.desks, "seconds": args.seconds,
                                 "think_s": args.think}
    for a in ACTIONS:
        report[f"{a}_n"] = len(times[a])
        report[f"{a}_p50_ms"] = round(_pct(times[a], 50), 1)
        report[f"{a}_p95_ms"] = round(_pct(times[a], 95), 1)
    report["errors"] = sum(errors.values())
    report["error_kinds"] = dict(errors.most_common(5))
    report["handed_out"] = sum(taken.values())
    report["handed_out_twice"] = sum(1 for c in taken.values() if c > 1)
    report["shared_saves"] = sum(saves.values())
    report["stale_refused"] = stale
    report.update(_check(url, shared, saves))
    return report


if __name__ == "__main__":
    sys.exit(main())
