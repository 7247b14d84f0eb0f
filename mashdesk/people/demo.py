"""Demo people in full: a pass over the people the demo wrote, filling every detail in realistic proportions.

Religion (with ethnicity in mind), interpreters, CIN disability codes, immigration status,
valid UPNs (check letter) or the reason a young child has none, former UPNs, middle names,
address histories with dates, former names from when; and the people a MASH must keep apart:
namesakes born on the same day in another year, twins, and a few restricted records.
Deterministic for the demo's seed; bulk statements, so the 150,000-contact demo stays fast.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from db.models import Address, HouseholdMember, Person, PersonAddress, Relationship
from mashdesk import validators
from mashdesk.calendar import WorkingCalendar
from mashdesk.people import names
from mashdesk.people.details import load_codes

MIDDLE = ["Rose", "Mae", "Grace", "Louise", "Jane", "Marie", "James", "John", "Thomas", "Lee", "Ali", "Oliver",
          "Elizabeth", "Ann", "David", "Michael", "Olivia", "Hope", "Joy", "Kwame", "Nasrin", "Amara"]
TWIN_NAMES = {"M": ["Oscar", "Leo", "Harry", "Finley", "Reuben", "Ibrahim", "Toby", "Kai"],
              "F": ["Ruby", "Ivy", "Esme", "Maya", "Nadia", "Isla", "Phoebe", "Zara"]}
RESTRICTED_REASONS = ["Parent's partner works in children's social care",
                      "Grandparent is a manager in the local authority",
                      "Family member works in the MASH police team",
                      "Aunt is a school safeguarding lead in the borough"]
#: Religion by ethnicity group (CIN code's first letter), as weights over the configured list.
RELIGION_WEIGHTS = {
    "W": {"Christian": 48, "No religion": 42, "Jewish": 1, "Buddhist": 1, "Any other religion": 1, "Not known": 7},
    "M": {"Christian": 38, "No religion": 42, "Muslim": 8, "Any other religion": 2, "Not known": 10},
    "A": {"Muslim": 45, "Hindu": 25, "Sikh": 12, "Christian": 6, "No religion": 5, "Not known": 7},
    "B": {"Christian": 66, "Muslim": 18, "No religion": 9, "Not known": 7},
    "C": {"No religion": 55, "Christian": 20, "Buddhist": 15, "Not known": 10},
    "O": {"Muslim": 35, "Christian": 25, "No religion": 20, "Any other religion": 8, "Not known": 12},
    "R": {"Refused": 60, "Not known": 40}, "N": {"Not known": 100},
}
IMMIGRATION_WEIGHTS = {"Settled status (EUSS)": 25, "Pre-settled status (EUSS)": 15, "British citizen": 20,
                       "Indefinite leave to remain": 10, "Limited leave to remain": 10, "Refugee status": 8,
                       "Asylum seeker": 5, "No recourse to public funds": 3, "Not known": 4}
_CUMULATIVE: dict[int, tuple[list[str], list[int]]] = {}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    table = _CUMULATIVE.get(id(weights))
    if table is None:
        values, total, cumulative = list(weights), 0, []
        for w in weights.values():
            total += w
            cumulative.append(total)
        table = _CUMULATIVE[id(weights)] = (values, cumulative)
    return rng.choices(table[0], cum_weights=table[1])[0]


def _upn(rng: random.Random) -> str:
    body = f"305{rng.randrange(10 ** 9):09d}"
    return validators.upn_check_letter(body) + body


def _update(session: Session, rows: list[dict[str, Any]], columns: list[str]) -> None:
    if not rows:
        return
    table = Person.__table__
    stmt = update(table).where(table.c.id == bindparam("pid")).values(**{c: bindparam(c) for c in columns})
    for start in range(0, len(rows), 5000):
        session.execute(stmt, rows[start:start + 5000])


def _details(rng: random.Random, p: Any, today: date) -> dict[str, Any]:
    """Religion, interpreter, disability, immigration, UPNs and a middle name for one person."""
    codes = load_codes()
    age = (today - p.date_of_birth).days / 365.25 if p.date_of_birth else None
    child = age is not None and age < 18
    english = (p.first_language or "English") == "English"
    religion = _weighted(rng, RELIGION_WEIGHTS.get((p.ethnicity or "N")[0], RELIGION_WEIGHTS["N"]))
    disability = " ".join(rng.sample(sorted(codes.disability), rng.choice((1, 1, 2)))) if p.disabled else None
    if english:
        immigration = "British citizen" if rng.random() < 0.75 else None
    else:
        immigration = _weighted(rng, IMMIGRATION_WEIGHTS)
    upn = former = unknown = None
    if child and age is not None and age >= 4.5:
        upn = _upn(rng)
        former = _upn(rng) if rng.random() < 0.03 else None
        if rng.random() < 0.02:
            upn, unknown = None, rng.choice(("UN2", "UN3", "UN4"))
    elif child:
        unknown = "UN1"
    return {"pid": p.id, "religion": religion, "interpreter_needed": (not english) and rng.random() < 0.45,
            "disability_codes": disability, "immigration_status": immigration, "upn": upn, "former_upn": former,
            "upn_unknown": unknown, "middle_names": rng.choice(MIDDLE) if rng.random() < 0.3 else None}


def seed_demo(session: Session, *, rng: random.Random, now: datetime, calendar: WorkingCalendar,
              user_ids: dict[str, int], **_: Any) -> dict[str, int]:
    """Fill every demo person's details, then add namesakes, twins and restricted records."""
    today = now.date()
    moves = _address_histories(session, rng, today)
    children = [p for p in _people(session) if p.date_of_birth and (today - p.date_of_birth).days < 16 * 365]
    twins = _twins(session, rng, children, now)
    namesakes = _namesakes(session, rng, children, now, today)
    people = _people(session)
    columns = ["religion", "interpreter_needed", "disability_codes", "immigration_status", "upn", "former_upn",
               "upn_unknown", "middle_names"]
    _update(session, [_details(rng, p, today) for p in people], columns)
    restricted = rng.sample(children, min(len(children), max(3, len(children) // 800)))
    _update(session, [{"pid": p.id, "restricted": True, "restricted_reason": rng.choice(RESTRICTED_REASONS)}
                      for p in restricted], ["restricted", "restricted_reason"])
    return {"people": len(people), "moves": moves, "twins": twins, "namesakes": namesakes,
            "restricted": len(restricted)}


def _people(session: Session) -> list[Any]:
    return list(session.execute(select(
        Person.id, Person.first_name, Person.last_name, Person.date_of_birth, Person.sex, Person.ethnicity,
        Person.first_language, Person.disabled).where(Person.is_demo.is_(True)).order_by(Person.id)))


def _address_histories(session: Session, rng: random.Random, today: date) -> int:
    """One in five people moved: their current address gets a date, and a former one ends then."""
    links = list(session.execute(select(PersonAddress.id, PersonAddress.person_id, Person.date_of_birth)
                                 .join(Person, Person.id == PersonAddress.person_id)
                                 .where(PersonAddress.current.is_(True), Person.is_demo.is_(True))))
    movers = [row for row in links if rng.random() < 0.2]
    if not movers:
        return 0
    start = (session.scalar(select(Address.id).order_by(Address.id.desc()).limit(1)) or 0) + 1
    addresses, former, dated = [], [], []
    for i, (link_id, person_id, born) in enumerate(movers):
        earliest = born or today - timedelta(days=20 * 365)
        span = max(1, (today - earliest).days - 30)
        moved = earliest + timedelta(days=rng.randint(1, span))
        outward = rng.choice(["BR1", "BR2", "BR3", "BR5", "BR6", "SE6", "SE9", "SE20", "CR0"])
        postcode = f"{outward} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFHJLNPRSTUWXY')}"
        addresses.append({"id": start + i, "line1": f"{rng.randint(1, 180)} {rng.choice(STREETS)}", "line2": None,
                          "town": "Bromley", "postcode": postcode, "postcode_key": validators.postcode_key(postcode)})
        former.append({"person_id": person_id, "address_id": start + i, "current": False,
                       "from_date": earliest, "to_date": moved})
        dated.append({"lid": link_id, "from_date": moved})
    for rows, model in ((addresses, Address), (former, PersonAddress)):
        for begin in range(0, len(rows), 5000):
            session.execute(insert(model.__table__), rows[begin:begin + 5000])
    table = PersonAddress.__table__
    for begin in range(0, len(dated), 5000):
        session.execute(update(table).where(table.c.id == bindparam("lid"))
                        .values(from_date=bindparam("from_date")), dated[begin:begin + 5000])
    _postgres_sequence(session, "addresses")
    return len(movers)


STREETS = ["Station Road", "Church Lane", "Mead Way", "Westmoreland Road", "Cromwell Avenue", "Lodge Crescent",
           "Hayes Lane", "Ringers Road", "Tweedy Road", "Elmfield Road", "Homesdale Road", "Park Avenue"]


def _new_person(source: Any, first: str, born: date, sex: str, now: datetime) -> dict[str, Any]:
    return {"external_id": None, "first_name": first, "middle_names": None, "last_name": source.last_name,
            "date_of_birth": born, "expected_date_of_birth": None, "sex": sex, "ethnicity": source.ethnicity,
            "first_language": source.first_language, "religion": None, "disabled": False,
            "interpreter_needed": False, "restricted": False, "open_case": False, "cp_plan_current": False,
            "cp_plan_previous": False, "merged_into_id": None, "is_demo": True, "version": 1, "created_at": now,
            "updated_at": now, "updated_by_id": None, **names.keys(first, source.last_name)}


def _added_ids(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    first = (session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1)) or 0) + 1
    for i, row in enumerate(rows):
        row["id"] = first + i
    session.execute(insert(Person.__table__), rows)
    _postgres_sequence(session, "people")
    return [row["id"] for row in rows]


def _twins(session: Session, rng: random.Random, children: list[Any], now: datetime) -> int:
    """About one child in 70 has a twin: same surname, date of birth, home and parents."""
    chosen = rng.sample(children, min(len(children), max(2, len(children) // 70)))
    rows = []
    for c in chosen:
        sex = rng.choice("MF")
        options = [n for n in TWIN_NAMES[sex] if n != c.first_name]
        rows.append(_new_person(c, rng.choice(options), c.date_of_birth, sex, now))
    ids = _added_ids(session, rows)
    households = defaultdict(list)
    for m in session.execute(select(HouseholdMember.person_id, HouseholdMember.household_id, HouseholdMember.role)
                             .where(HouseholdMember.person_id.in_([c.id for c in chosen]))) if chosen else []:
        households[m.person_id].append(m)
    members, links, rels = [], [], []
    for c, twin in zip(chosen, ids, strict=True):
        members += [{"household_id": m.household_id, "person_id": twin, "role": m.role, "from_date": None,
                     "to_date": None} for m in households[c.id]]
        links += [{"person_id": twin, "address_id": a, "current": True, "from_date": None, "to_date": None}
                  for a in session.scalars(select(PersonAddress.address_id).where(PersonAddress.person_id == c.id,
                                                                                  PersonAddress.current.is_(True)))]
        rels += [{"person_id": r.person_id, "related_person_id": twin, "kind": r.kind,
                  "parental_responsibility": r.parental_responsibility}
                 for r in session.scalars(select(Relationship).where(Relationship.related_person_id == c.id))]
        rels.append({"person_id": twin, "related_person_id": c.id, "kind": "sibling",
                     "parental_responsibility": False})
    for model, batch in ((HouseholdMember, members), (PersonAddress, links), (Relationship, rels)):
        if batch:
            session.execute(insert(model.__table__), batch)
    return len(ids)


def _namesakes(session: Session, rng: random.Random, children: list[Any], now: datetime, today: date) -> int:
    """About one child in 250 shares a name and birthday with another child born years apart."""
    rows = []
    for c in rng.sample(children, min(len(children), max(3, len(children) // 250))):
        years = rng.randint(2, 9)
        try:
            born = c.date_of_birth.replace(year=c.date_of_birth.year - years)
        except ValueError:
            continue
        rows.append(_new_person(c, c.first_name, born, c.sex, now))
    _added_ids(session, rows)
    return len(rows)


def _postgres_sequence(session: Session, table: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))


__all__ = ["seed_demo"]
