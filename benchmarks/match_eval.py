"""Evaluate the known-child search on labelled synthetic data.

Builds 20,000 synthetic people (seeded) in a temporary SQLite database, then asks
1,800 labelled queries through the people service: every kind of error callers make
(misspelt, transliterated, nicknamed, swapped and half-double-barrelled names, a former
surname, dates of birth with day and month swapped, a year or a few days out, no date of
birth at all, and two mistakes at once), people
who are not there at all, and namesakes (someone there has the same name, with a
clearly different date of birth, or was born on the same day in another year). The
people include 300 pairs of twins (same surname, date of birth and address), 300 pairs
of siblings and 300 namesakes born on the same day two to ten years apart; queries for
one of a pair must not call the other ``likely``. Prints JSON: ``recall_at_3`` (the
true person in the top 3, over queries for people who are there),
``namesake_false_likely_rate`` (queries about namesakes, twins and siblings, or a
namesake who is not there, that called someone else ``likely``), ``wrong_likely_rate``
(queries for people who are not there that got a ``likely`` answer), and recall per kind.

Run: ``.venv/bin/python benchmarks/match_eval.py [--people N] [--queries-per-kind K]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from people_synthetic import (  # noqa: E402
    VARIANTS,
    Families,
    PeopleGenerator,
    SyntheticPerson,
    add_families,
    load_people,
    new_database,
)

from mashdesk.people import names  # noqa: E402
from mashdesk.people.scoring import MatchQuery, nickname_forms  # noqa: E402
from mashdesk.people.service import PeopleService  # noqa: E402

SEED = 4
PEOPLE = 20_000
PER_KIND = 100
ABSENT = 150
NAMESAKES = 150
#: Twin pairs, sibling pairs and namesakes born on the same day in another year, added to the people.
FAMILIES = 300
#: Kinds whose queries measure false ``likely`` answers on namesakes, twins and siblings.
NAMESAKE_KINDS = ("namesake", "namesake_birthday_absent", "namesake_birthday", "twin", "sibling")
KEYBOARD_NEIGHBOURS = {
    "a": "sqz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj", "i": "uo", "j": "hk",
    "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o", "q": "wa", "r": "et", "s": "ad", "t": "ry",
    "u": "yi", "v": "cb", "w": "qe", "x": "zc", "y": "tu", "z": "xa",
}


@dataclass
class LabelledQuery:
    kind: str
    query: MatchQuery
    #: The person the query is about, or None for someone who is not there.
    person_id: int | None
    #: Namesakes, twins and siblings of the person asked about: any of them ``likely`` is a false match.
    others: tuple[int, ...] = ()


def misspell(word: str, rng: random.Random) -> str:
    """One realistic slip: a neighbouring key, a dropped, doubled or swapped letter."""
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    if len(letters) < 3:
        return word + word[-1]
    i = rng.choice(letters[1:])
    c = word[i].lower()
    how = rng.choice(("neighbour", "drop", "double", "swap"))
    if how == "neighbour" and c in KEYBOARD_NEIGHBOURS:
        return word[:i] + rng.choice(KEYBOARD_NEIGHBOURS[c]) + word[i + 1:]
    if how == "drop":
        return word[:i] + word[i + 1:]
    if how == "swap" and i + 1 < len(word) and word[i + 1].isalpha() and word[i + 1] != word[i]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i] + word[i:]


def _swap(d: date) -> date:
    return date(d.year, d.day, d.month)


def _year_out(d: date, rng: random.Random) -> date:
    try:
        return d.replace(year=d.year + rng.choice((-1, 1)))
    except ValueError:
        return d + timedelta(days=365)


def _clearly_different(d: date, rng: random.Random) -> date:
    while True:
        other = d + timedelta(days=rng.choice((-1, 1)) * rng.randint(400, 3000))
        if other.day != d.day and other.month != d.month:
            return other


def _query(p: SyntheticPerson, rng: random.Random, *, first: str | None = None, last: str | None = None,
           dob: date | None = None, postcode: bool | None = None) -> MatchQuery:
    with_postcode = rng.random() < 0.4 if postcode is None else postcode
    return MatchQuery(first_name=first if first is not None else p.first_name,
                      last_name=last if last is not None else p.last_name,
                      date_of_birth=dob if dob is not None else p.date_of_birth,
                      postcode=p.postcode if with_postcode else None)


def build_queries(people: list[SyntheticPerson], generator: PeopleGenerator, rng: random.Random,
                  per_kind: int) -> list[LabelledQuery]:
    variant_of = {names.normalise(v): group for group in VARIANTS for v in group}

    def nickname(p: SyntheticPerson) -> str | None:
        forms = sorted(nickname_forms(names.normalise(p.first_name)))
        return rng.choice(forms).title() if forms else None

    def transliterated(p: SyntheticPerson) -> str | None:
        group = variant_of.get(names.normalise(p.first_name))
        if not group:
            return None
        return rng.choice([v for v in group if v != p.first_name])

    def misspelt(p: SyntheticPerson) -> MatchQuery:
        if rng.random() < 0.5:
            return _query(p, rng, first=misspell(p.first_name, rng))
        return _query(p, rng, last=misspell(p.last_name, rng))

    def misspelt_person(p: SyntheticPerson) -> SyntheticPerson:
        q = misspelt(p)
        return SyntheticPerson(q.first_name, q.last_name, p.date_of_birth, p.sex, p.postcode, p.nhs_number)

    kinds: dict[str, tuple[Callable[[SyntheticPerson], bool], Callable[[SyntheticPerson], MatchQuery]]] = {
        "exact": (lambda p: True, lambda p: _query(p, rng)),
        "misspelt": (lambda p: True, misspelt),
        "transliteration": (lambda p: transliterated(p) is not None,
                            lambda p: _query(p, rng, first=transliterated(p))),
        "nickname": (lambda p: nickname(p) is not None, lambda p: _query(p, rng, first=nickname(p))),
        "swapped_names": (lambda p: True, lambda p: _query(p, rng, first=p.last_name, last=p.first_name)),
        "double_barrelled_half": (lambda p: "-" in p.last_name,
                                  lambda p: _query(p, rng, last=rng.choice(p.last_name.split("-")))),
        "former_surname": (lambda p: bool(p.former_names),
                           lambda p: _query(p, rng, last=p.former_names[0][1])),
        "dob_day_month_swapped": (lambda p: p.date_of_birth.day <= 12 and p.date_of_birth.day != p.date_of_birth.month,
                                  lambda p: _query(p, rng, dob=_swap(p.date_of_birth))),
        "dob_year_out": (lambda p: True, lambda p: _query(p, rng, dob=_year_out(p.date_of_birth, rng))),
        "dob_days_out": (lambda p: True, lambda p: _query(
            p, rng, dob=p.date_of_birth + timedelta(days=rng.choice((-3, -2, -1, 1, 2, 3))))),
        "misspelt_and_dob_swapped": (
            lambda p: p.date_of_birth.day <= 12 and p.date_of_birth.day != p.date_of_birth.month,
            lambda p: MatchQuery(misspelt(p).first_name, misspelt(p).last_name, _swap(p.date_of_birth))),
        "name_and_postcode_only": (lambda p: True, lambda p: MatchQuery(p.first_name, p.last_name, None,
                                                                         p.postcode)),
        "misspelt_name_only": (lambda p: True, lambda p: MatchQuery(misspelt(p).first_name,
                                                                     misspelt(p).last_name)),
        "misspelt_and_dob_year_out": (lambda p: True, lambda p: _query(
            misspelt_person(p), rng, dob=_year_out(p.date_of_birth, rng))),
        "nickname_and_former_surname": (
            lambda p: bool(p.former_names) and nickname(p) is not None,
            lambda p: _query(p, rng, first=nickname(p), last=p.former_names[0][1])),
    }
    out: list[LabelledQuery] = []
    for kind, (eligible, make) in kinds.items():
        pool = [p for p in people if eligible(p)]
        for p in rng.sample(pool, min(per_kind, len(pool))):
            out.append(LabelledQuery(kind, make(p), p.person_id))
    for _ in range(ABSENT):
        stranger = generator.person()
        out.append(LabelledQuery("absent", _query(stranger, rng), None))
    for p in rng.sample(people, NAMESAKES):
        stranger = generator.person()
        out.append(LabelledQuery("namesake", MatchQuery(p.first_name, p.last_name,
                                                       _clearly_different(p.date_of_birth, rng),
                                                       stranger.postcode if rng.random() < 0.4 else None),
                                 None))
    for p in rng.sample(people, NAMESAKES):
        years = rng.choice((-1, 1)) * rng.randint(2, 10)
        try:
            born = p.date_of_birth.replace(year=p.date_of_birth.year + years)
        except ValueError:
            continue
        out.append(LabelledQuery("namesake_birthday_absent", _query(p, rng, dob=born), None))
    return out


def family_queries(families: Families, rng: random.Random, per_kind: int) -> list[LabelledQuery]:
    """Queries for one of two people easy to confuse: the other must not be ``likely``."""
    out: list[LabelledQuery] = []
    for kind, pairs in (("twin", families.twins), ("sibling", families.siblings),
                        ("namesake_birthday", families.namesakes)):
        for a, b in rng.sample(pairs, min(per_kind, len(pairs))):
            asked, other = (a, b) if rng.random() < 0.5 else (b, a)
            out.append(LabelledQuery(kind, _query(asked, rng), asked.person_id, (other.person_id,)))
    return out


def evaluate(people_count: int = PEOPLE, per_kind: int = PER_KIND, seed: int = SEED) -> dict[str, object]:
    rng = random.Random(seed)
    generator = PeopleGenerator(seed)
    people = [generator.person() for _ in range(people_count)]
    families = add_families(people, generator, FAMILIES)
    ctx, actor, path = new_database()
    load_people(ctx, people)
    queries = build_queries(people, generator, rng, per_kind) + family_queries(families, rng, per_kind * 2)
    service = PeopleService(ctx)
    hits: dict[str, list[bool]] = defaultdict(list)
    top1: list[bool] = []
    wrong_likely: list[bool] = []
    namesake_likely: list[bool] = []
    started = time.perf_counter()
    for q in queries:
        found = service.search(actor, q.query, limit=10)
        if q.kind in NAMESAKE_KINDS:
            namesake_likely.append(any(m.band == "likely" and m.person_id != q.person_id for m in found))
        if q.kind in ("twin", "sibling", "namesake_birthday"):
            hits[q.kind + "_not_likely"].append(
                not any(m.band == "likely" and m.person_id in q.others for m in found))
        if q.person_id is None:
            wrong_likely.append(any(m.band == "likely" for m in found))
            hits[q.kind].append(not any(m.band == "likely" for m in found))
            continue
        ids = [m.person_id for m in found]
        hits[q.kind].append(q.person_id in ids[:3])
        top1.append(bool(ids) and ids[0] == q.person_id)
    elapsed = time.perf_counter() - started
    not_likely_kinds = {"absent", "namesake", "namesake_birthday_absent", "twin_not_likely",
                        "sibling_not_likely", "namesake_birthday_not_likely"}
    present = [h for kind, hs in hits.items() if kind not in not_likely_kinds for h in hs]
    ctx.engine.dispose()
    path.unlink(missing_ok=True)
    return {
        "recall_at_3": round(sum(present) / len(present), 4),
        "namesake_false_likely_rate": round(sum(namesake_likely) / len(namesake_likely), 4),
        "namesake_queries": len(namesake_likely),
        "wrong_likely_rate": round(sum(wrong_likely) / len(wrong_likely), 4),
        "top_1": round(sum(top1) / len(top1), 4),
        "queries": len(queries),
        "people": people_count,
        "mean_query_ms": round(elapsed * 1000 / len(queries), 2),
        "by_kind": {kind: {"queries": len(hs), "recall_at_3" if kind not in not_likely_kinds
                           else "not_likely": round(sum(hs) / len(hs), 4)} for kind, hs in hits.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--queries-per-kind", type=int, default=PER_KIND)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    print(json.dumps(evaluate(args.people, args.queries_per_kind, args.seed), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
