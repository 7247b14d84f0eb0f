"""Threshold of Need engine throughput: children triaged per second, in-process.

Inputs are random but seeded: 1-4 children a contact (about one in ten unborn), 0-5 indicators each that fit
the child, and household indicators on about a third of contacts.
"""

from __future__ import annotations

import json
import random
import time
from datetime import date, timedelta

from rules import ChildInput, ThresholdEngine, load_ruleset
from rules.engine import age_on

CONTACTS = 20_000
SEED = 20261224


def _contacts(
    engine: ThresholdEngine, count: int, seed: int
) -> list[tuple[date, list[ChildInput], list[str]]]:
    rng = random.Random(seed)
    indicators = list(engine.ruleset.indicators.values())
    household = [i for i in indicators if i.id in engine.ruleset.household_indicators]
    contacts = []
    for _ in range(count):
        received = date(2026, 1, 1) + timedelta(days=rng.randrange(730))
        children = []
        for n in range(rng.randint(1, 4)):
            unborn = rng.random() < 0.1
            born = None if unborn else received - timedelta(days=rng.randrange(18 * 365))
            age = None if born is None else age_on(born, received)
            fitting = [i.id for i in indicators if i.fits(age)]
            children.append(
                ChildInput(
                    ref=f"C{n}",
                    date_of_birth=born,
                    expected_date_of_birth=received + timedelta(days=rng.randrange(1, 200))
                    if unborn
                    else None,
                    disabled=rng.random() < 0.05,
                    previous_cp_plan=rng.random() < 0.05,
                    previous_contacts_12m=rng.choice((0, 0, 0, 1, 2, 3)),
                    previous_referrals_12m=rng.choice((0, 0, 0, 1)),
                    indicators=tuple(rng.sample(fitting, rng.randint(0, 5))),
                )
            )
        ages = [None if c.date_of_birth is None else age_on(c.date_of_birth, received) for c in children]
        shared = [i.id for i in household if any(i.fits(age) for age in ages)]
        chosen = rng.sample(shared, rng.randint(1, 2)) if rng.random() < 0.33 else []
        contacts.append((received, children, chosen))
    return contacts


def triage_children_per_s(contacts: int = CONTACTS, seed: int = SEED) -> float:
    """Children triaged per second over ``contacts`` generated contacts (generation is not timed)."""
    engine = ThresholdEngine(load_ruleset())
    work = _contacts(engine, contacts, seed)
    children = sum(len(kids) for _, kids, _ in work)
    started = time.perf_counter()
    for received, kids, household in work:
        engine.triage(received, kids, household)
    return children / (time.perf_counter() - started)


if __name__ == "__main__":
    print(json.dumps({"triage_children_per_s": round(triage_children_per_s())}))
