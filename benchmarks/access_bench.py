"""Opening a contact with and without its audit entry (``open_contact_ms``), on a copy of the demo database.

The baseline is measured in the same run and the same loop: the same contacts opened by the same
reader, alternately with the read's audit entry (what the desk does) and without it (``audit_open=False``).
A partner officer's opening adds the record rule's check (``mashdesk.access``); it is measured too.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def open_contact_timings(db: Path, opens: int = 600) -> dict[str, float]:
    from sqlalchemy import select

    from db.models import Contact
    from mashdesk.app import open_database
    from mashdesk.contacts.queue import QueueService
    from mashdesk.contacts.service import ContactService
    from mashdesk.contacts.views import QueueQuery
    from mashdesk.services.auth import AuthService

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "open.sqlite3"
        shutil.copyfile(db, copy)
        ctx, _ = open_database(f"sqlite:///{copy}")
        auth, service = AuthService(ctx), ContactService(ctx)
        manager, education = auth.actor("demo.manager"), auth.actor("demo.education")
        with ctx.session_factory() as s:
            ids = list(s.scalars(select(Contact.id)))
        school = [r.id for r in QueueService(ctx).page(education, QueueQuery(), 0, 200)]
        rng = random.Random(7)
        chosen = [rng.choice(ids) for _ in range(opens)]
        times: dict[str, list[float]] = {"with": [], "without": [], "partner": [], "entry": []}
        service.get(manager, chosen[0])  # warm: the ORM, the audit key
        for i, contact_id in enumerate(chosen):
            for kind, audited in (("without", False), ("with", True)) if i % 2 else (("with", True),
                                                                                     ("without", False)):
                t = time.perf_counter()
                service.get(manager, contact_id, audit_open=audited)
                times[kind].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            service.audit_read(manager, "contact.read", "contact", contact_id, "benchmark: the entry alone")
            times["entry"].append((time.perf_counter() - t) * 1000)
            if school:
                t = time.perf_counter()
                service.get(education, school[i % len(school)])
                times["partner"].append((time.perf_counter() - t) * 1000)
        ctx.engine.dispose()
    with_p95, without_p95 = _p95(times["with"]), _p95(times["without"])
    out = {"open_contact_ms": with_p95, "open_contact_unaudited_ms": without_p95,
           "open_contact_audit_added_ms": with_p95 - without_p95,
           "open_contact_median_added_ms": (statistics.median(times["with"])
                                            - statistics.median(times["without"])),
           "read_audit_entry_p95_ms": _p95(times["entry"])}
    if times["partner"]:
        out["open_contact_partner_ms"] = _p95(times["partner"])
    return out
