"""Known-child search benchmarks: ``match_p95_ms`` at 100,000 people, ``import_persons_s`` for 20,000 rows.

Both run in-process on a temporary SQLite database and are deterministic for their seed.
Run alone: ``.venv/bin/python benchmarks/match_bench.py`` prints JSON.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from people_synthetic import PeopleGenerator, add_user, load_people, new_database  # noqa: E402

from mashdesk.people.service import PeopleService  # noqa: E402

SEED = 7
QUERIES = 400


def match_p95_ms(people: int = 100_000, queries: int = QUERIES) -> float:
    """95th percentile of one search (blocking, scoring, history at a glance) at ``people`` people."""
    from match_eval import build_queries

    generator = PeopleGenerator(SEED)
    population = [generator.person() for _ in range(people)]
    ctx, actor, path = new_database()
    try:
        load_people(ctx, population)
        labelled = build_queries(population, generator, random.Random(SEED), max(1, queries // 18))
        service = PeopleService(ctx)
        service.search(actor, labelled[0].query)  # warm the distinct-name cache and the statement cache
        times = []
        for q in labelled[:queries]:
            started = time.perf_counter()
            service.search(actor, q.query)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return round(times[min(len(times) - 1, int(len(times) * 0.95))], 2)
    finally:
        ctx.engine.dispose()
        shutil.rmtree(path.parent, ignore_errors=True)


def import_persons_s(rows: int = 20_000) -> float:
    """Seconds to import a ``rows``-row people CSV (checked, all or nothing) into an empty database."""
    generator = PeopleGenerator(SEED + 1)
    ctx, _, path = new_database()
    try:
        actor = add_user(ctx, "bench.manager", "manager")
        csv_path = path.parent / "people.csv"
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(["external_id", "first_name", "last_name", "date_of_birth", "sex", "postcode",
                          "nhs_number", "aliases"])
            for i in range(rows):
                p = generator.person()
                out.writerow([f"X{i:07d}", p.first_name, p.last_name, p.date_of_birth.isoformat(), p.sex,
                              p.postcode, p.nhs_number or "", ";".join(f"{a} {b}" for a, b in p.former_names)])
        started = time.perf_counter()
        result = PeopleService(ctx).import_persons(actor, csv_path)
        elapsed = time.perf_counter() - started
        assert result.created == rows, result
        return round(elapsed, 2)
    finally:
        ctx.engine.dispose()
        shutil.rmtree(path.parent, ignore_errors=True)


def main() -> int:
    print(json.dumps({"match_p95_ms": match_p95_ms(), "import_persons_s": import_persons_s()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
