"""MASH Desk benchmarks: ``python benchmarks/run.py --contacts N --json``.

Builds (or reuses, under benchmarks/.cache/) a demo database of N contacts and prints
medians as one JSON object. Every figure has its baseline measured in the same run
where the issue asks for one. Nothing here is a test: tests never assert timings.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

CACHE = ROOT / "benchmarks" / ".cache"

BARE_WINDOW = r"""
import time
started = time.perf_counter()
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QTableWidget(30, 8))
window.resize(1400, 820)
window.show()
def grab():
    window.grab()
    print(json.dumps({"painted_ms": (time.perf_counter() - started) * 1000}), file=sys.stderr)
    app.quit()
QTimer.singleShot(0, grab)
app.exec()
"""


def demo_database(contacts: int, seed: int = 1) -> Path:
    """A demo database of ``contacts`` contacts, built once and kept in the cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"demo-{contacts}-seed{seed}.sqlite3"
    if path.exists():
        with sqlite3.connect(path) as conn:
            try:
                if conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == contacts:
                    return path
            except sqlite3.Error:
                pass
        path.unlink()
    from mashdesk.app import open_database
    from mashdesk.demo import build_demo

    ctx, _ = open_database(f"sqlite:///{path}")
    print(f"building a demo database of {contacts:,} contacts…", file=sys.stderr)
    summary = build_demo(ctx, contacts, seed)
    ctx.engine.dispose()
    print(f"  built in {summary.seconds:.0f} s", file=sys.stderr)
    return path


def _child_timing(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed: {done.stderr}")
    for line in reversed(done.stderr.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no timing from {argv}: {done.stderr}")


def window_timings(db: Path, runs: int) -> dict[str, float]:
    import compileall

    # Start as an installed desk does: with its bytecode compiled (PYTHONDONTWRITEBYTECODE may be set).
    for package in ("db", "mashdesk", "rules", "ui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MASHDESK_TIMING="1", MASHDESK_PASSWORD="demo",
               MASHDESK_DATA_DIR=tempfile.mkdtemp(prefix="mashdesk-bench-"))
    desk, bare, rss = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            t = _child_timing([sys.executable, str(ROOT / "main.py"), "--db", f"sqlite:///{db}", "--as",
                               "demo.manager", "--screenshot", str(Path(tmp) / "q.png"), "--view", "queue"], env)
            desk.append(t["painted_ms"])
            rss.append(t["rss_mb"])
            bare.append(_child_timing([sys.executable, "-c", BARE_WINDOW], env)["painted_ms"])
    return {"startup_to_queue_painted_ms": statistics.median(desk), "bare_qt_window_ms": statistics.median(bare),
            "rss_mb_queue_open": statistics.median(rss)}


def _median_ms(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def queue_timings(db: Path, repeat: int = 30) -> dict[str, float]:
    from db.engine import make_engine, make_session_factory
    from mashdesk.services.auth import AuthService
    from mashdesk.context import AppContext
    from mashdesk.contacts.queue import QueueService
    from mashdesk.contacts.views import QueueQuery

    engine = make_engine(f"sqlite:///{db}")
    ctx = AppContext(engine, make_session_factory(engine))
    actor = AuthService(ctx).actor("demo.manager")
    service = QueueService(ctx)
    open_statuses = ("new", "screened", "in_progress", "awaiting_authorisation", "returned")
    query = QueueQuery(statuses=open_statuses)
    first_page = _median_ms(lambda: service.page(actor, query, 0, 200), repeat)
    search = _median_ms(lambda: service.page(actor, QueueQuery(search="jack"), 0, 200), repeat)
    engine.dispose()

    marks = ",".join("?" for _ in open_statuses)
    sql = (f"SELECT c.id, c.children_display, c.received_at, c.source_display, c.rag, c.status, "
           f"c.decision_due_at, u.display_name, c.is_re_referral, c.version, c.decided_late FROM contacts c "
           f"LEFT JOIN users u ON u.id = c.allocated_to_id WHERE c.status IN ({marks}) "
           f"ORDER BY c.received_at DESC, c.id DESC LIMIT 200 OFFSET 0")
    conn = sqlite3.connect(db)
    raw = _median_ms(lambda: conn.execute(sql, open_statuses).fetchall(), repeat)
    conn.close()
    return {"queue_first_page_ms": first_page, "raw_sql_first_page_ms": raw, "queue_search_ms": search}


def save_contact_p95_ms(db: Path, saves: int = 200) -> float:
    from datetime import date, timedelta

    from mashdesk.app import open_database
    from mashdesk.services.auth import AuthService
    from mashdesk.contacts.service import ContactChildInput, ContactInput, ContactService, ReferrerInput
    from mashdesk.people.service import PersonInput

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "save.sqlite3"
        shutil.copyfile(db, copy)
        ctx, _ = open_database(f"sqlite:///{copy}")
        actor = AuthService(ctx).actor("demo.practitioner")
        service = ContactService(ctx)
        times = []
        for i in range(saves):
            data = ContactInput(
                received_at=ctx.now() - timedelta(minutes=5), channel="police_notification", cin_source="6",
                concern="Police attended a domestic incident; two children present.",
                referrer=ReferrerInput(name="PC Bench", agency_code="police", role="Police constable"),
                children=[ContactChildInput(new_person=PersonInput(first_name=f"Child{i}", last_name="Bench",
                                                                   date_of_birth=date(2018, 3, 1), sex="F")),
                          ContactChildInput(new_person=PersonInput(first_name=f"Sibling{i}", last_name="Bench",
                                                                   date_of_birth=date(2021, 7, 9), sex="M"))],
                consent="given")
            t = time.perf_counter()
            service.create_contact(actor, data)
            times.append((time.perf_counter() - t) * 1000)
        ctx.engine.dispose()
    return statistics.quantiles(times, n=20)[-1]


def take_next_per_s(contacts: int = 600, pg_admin: str = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres") -> float:
    """Two workers pressing "take next" together on PostgreSQL: contacts handed out per second."""
    import threading
    import uuid

    from sqlalchemy import create_engine, text, update

    from db.models import Contact
    from mashdesk.app import open_database
    from mashdesk.demo import build_demo
    from mashdesk.services.auth import AuthService
    from mashdesk.triage.service import TriageService

    name = f"mashdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        ctx, _ = open_database(pg_admin.rsplit("/", 1)[0] + f"/{name}")
        build_demo(ctx, contacts, seed=3)
        with ctx.session_factory.begin() as s:  # every contact waiting, screened and unallocated
            s.execute(update(Contact).values(status="screened", rag="amber", rag_rank=1, allocated_to_id=None,
                                             decision_due_at=Contact.received_at))
        workers = [AuthService(ctx).actor(u) for u in ("demo.practitioner", "demo.manager")]
        taken: list[int] = []
        lock = threading.Lock()

        def work(actor) -> None:  # type: ignore[no-untyped-def]
            service = TriageService(ctx)
            while (got := service.take_next(actor)) is not None:
                with lock:
                    taken.append(got)

        threads = [threading.Thread(target=work, args=(a,)) for a in workers]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        assert len(taken) == len(set(taken)) == contacts, "a contact was handed out twice or not at all"
        ctx.engine.dispose()
        return len(taken) / elapsed
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def team_load(contacts: int, desks: int) -> dict[str, float]:
    """``benchmarks/team_load.py``'s figures (desks on PostgreSQL), prefixed ``team_``."""
    argv = [sys.executable, str(ROOT / "benchmarks" / "team_load.py"), "--contacts", str(contacts),
            "--desks", str(desks), "--json"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"team_load failed: {done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    numbers = {k: v for k, v in figures.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return {f"team_{k}": v for k, v in numbers.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=5, help="window start-ups to take the median of")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument("--skip-matching", action="store_true", help="leave out the 100,000-person matching run")
    parser.add_argument("--team-contacts", type=int, default=0, metavar="N",
                        help="also run benchmarks/team_load.py on PostgreSQL with N contacts (team_* keys)")
    parser.add_argument("--team-desks", type=int, default=30, metavar="D")
    args = parser.parse_args()

    db = demo_database(args.contacts)
    results: dict[str, float] = {"contacts": args.contacts}
    results.update(window_timings(db, args.runs))
    results.update(queue_timings(db))
    results["save_contact_p95_ms"] = save_contact_p95_ms(db)
    from access_bench import open_contact_timings

    results.update(open_contact_timings(db))
    from meeting_bench import meeting_agenda_ms

    results["meeting_agenda_ms"] = meeting_agenda_ms(db)

    from missing_bench import missing_timings

    results.update(missing_timings(db, _median_ms))
    from digest_bench import digest_timings

    results.update(digest_timings(db, _median_ms))
    results["take_next_per_s"] = take_next_per_s()

    from triage_bench import triage_children_per_s

    results["triage_children_per_s"] = triage_children_per_s()
    from strategy_bench import bare_platypus_20p_ms, strategy_pack_20p_ms

    results["strategy_pack_20p_ms"] = strategy_pack_20p_ms()
    from rules_bench import replay_12m_s

    results.update(replay_12m_s(db))
    results["bare_platypus_20p_ms"] = bare_platypus_20p_ms()
    from census_bench import cin_census_s

    results.update(cin_census_s(db))
    if not args.skip_matching:
        from match_bench import import_persons_s, match_p95_ms

        results["match_p95_ms"] = match_p95_ms()
        results["import_persons_s"] = import_persons_s()
    if args.team_contacts:
        results.update(team_load(args.team_contacts, args.team_desks))
    results = {k: round(v, 2) if isinstance(v, float) else v for k, v in results.items()}
    if args.json:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
