"""Known-child search: blocking that finds candidates cheaply, then scoring (:mod:`mashdesk.people.scoring`).

Matching runs in two steps.

*Blocking* (:func:`find_candidates`, the one database-facing function) collects the
people worth scoring with index look-ups only: the phonetic keys of the names (both
ways round, aliases and former names included), the date of birth and its likely
mistakes (day and month swapped, a year out, a few days out), surnames and first
names that a fuzzy match over the *distinct* names finds close to the ones typed
(held in a small per-database cache), the postcode, and the NHS number or UPN.
Merged records are never candidates.

*Scoring* (:func:`mashdesk.people.scoring.score`, pure) weighs each candidate's names, date of birth,
postcode, sex and identifiers into a score from 0 to 100 with reasons a
practitioner can read. A name alone, with a clearly different date of birth, is
never ``likely``: two children with the same name are different children.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler
from sqlalchemy import BindParameter, Date, Engine, Select, String, bindparam, func, select, union
from sqlalchemy.orm import Session

from db.models import Address, Person, PersonAddress, PersonName
from mashdesk import validators
from mashdesk.people import names
from mashdesk.people.scoring import CandidateRecord, MatchQuery, Scored, dob_variants, nickname_forms, rank

#: Most candidates scored for one search (blocking keeps far fewer in practice).
MAX_CANDIDATES = 2000
#: Fuzzy matching over the distinct names: how close, and how many names at most.
FUZZY_CUTOFF = 0.86
FUZZY_LIMIT = 25
#: How far the fuzzy-surname block looks either side of the date of birth given.
DOB_WINDOW = timedelta(days=400)


# -- blocking: the distinct names ------------------------------------------------------------------

@dataclass
class _DistinctNames:
    """Each distinct name token, and the stored key values it appears in."""

    last: dict[str, set[str]] = field(default_factory=dict)
    first: dict[str, set[str]] = field(default_factory=dict)
    max_person: int = 0
    max_name: int = 0
    loaded_at: float = 0.0

    def add(self, first: str, last: str) -> None:
        for key, index in ((last, self.last), (first, self.first)):
            for token in key.split():
                index.setdefault(token, set()).add(key)


_MAX_PERSON = select(func.max(Person.id))
_MAX_NAME = select(func.max(PersonName.id))
_CACHE: weakref.WeakKeyDictionary[Engine, _DistinctNames] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()
#: A full reload now and then picks up names that were changed rather than added.
RELOAD_SECONDS = 600.0


def forget_names(engine: Engine) -> None:
    """Drop the cached distinct names (after names were changed, not only added)."""
    with _CACHE_LOCK:
        _CACHE.pop(engine, None)


def _distinct_names(session: Session) -> _DistinctNames:
    """The distinct names, loaded once per database and topped up with people added since."""
    engine = session.get_bind()
    assert isinstance(engine, Engine) or hasattr(engine, "engine")
    engine = engine if isinstance(engine, Engine) else engine.engine
    with _CACHE_LOCK:
        cached = _CACHE.get(engine)
        if cached is not None and time.monotonic() - cached.loaded_at > RELOAD_SECONDS:
            cached = None
        if cached is None:
            cached = _DistinctNames(loaded_at=time.monotonic())
            since_person = since_name = 0
        else:
            since_person, since_name = cached.max_person, cached.max_name
        conn = session.connection()
        latest_person = conn.scalar(_MAX_PERSON) or 0
        latest_name = conn.scalar(_MAX_NAME) or 0
        if latest_person > since_person:
            for first, last in conn.execute(
                    select(Person.key_first, Person.key_last).distinct()
                    .where(Person.id > since_person, Person.id <= latest_person)):
                cached.add(first, last)
        if latest_name > since_name:
            for first, last in conn.execute(
                    select(PersonName.key_first, PersonName.key_last).distinct()
                    .where(PersonName.id > since_name, PersonName.id <= latest_name)):
                cached.add(first, last)
        cached.max_person, cached.max_name = latest_person, latest_name
        _CACHE[engine] = cached
        return cached


def _fuzzy(tokens: Sequence[str], index: dict[str, set[str]], extra: Iterable[str] = ()) -> set[str]:
    """Stored key values holding a token close to one of ``tokens`` (or equal to one of ``extra``)."""
    found: set[str] = set()
    choices = list(index)
    for token in tokens:
        if len(token) < 2:
            continue
        for match, _, _ in process.extract(token, choices, scorer=JaroWinkler.normalized_similarity,
                                           score_cutoff=FUZZY_CUTOFF, limit=FUZZY_LIMIT):
            found |= index[match]
    for token in extra:
        found |= index.get(token, set())
    return found


# -- blocking: the candidate query -----------------------------------------------------------------

def _phonetics(tokens: Iterable[str]) -> set[str]:
    return {p for p in (names.phonetic(t) for t in tokens) if p}


def _first_forms(first: str) -> set[str]:
    tokens = first.split()
    forms = set(tokens)
    if tokens:
        forms |= nickname_forms(tokens[0])
    return forms


def _blocks() -> list[Select[tuple[int]]]:
    """The blocking look-ups, each on an index; their parameters are filled per search."""
    def p(name: str) -> BindParameter[Any]:
        return bindparam(name, expanding=True)

    blocks: list[Select[tuple[int]]] = []
    for way in ("", "_swapped"):
        blocks += [
            select(Person.id).where(Person.phon_last.in_(p("phon_last" + way)),
                                    Person.phon_first.in_(p("phon_first" + way))),
            select(PersonName.person_id).where(PersonName.phon_last.in_(p("phon_last" + way)),
                                               PersonName.phon_first.in_(p("phon_first" + way))),
            select(Person.id).where(Person.key_last.in_(p("key_last" + way)),
                                    Person.key_first.in_(p("key_first" + way))),
            select(PersonName.person_id).where(PersonName.key_last.in_(p("key_last" + way)),
                                               PersonName.key_first.in_(p("key_first" + way))),
            select(Person.id).where(Person.key_last.in_(p("key_last" + way)),
                                    Person.date_of_birth.between(bindparam("dob_from", type_=Date),
                                                                 bindparam("dob_to", type_=Date))),
        ]
    blocks += [
        select(Person.id).where(Person.date_of_birth.in_(p("dobs"))),
        select(Person.id).where(Person.expected_date_of_birth.between(bindparam("edob_from", type_=Date),
                                                                      bindparam("edob_to", type_=Date))),
        select(Person.id).where(Person.nhs_number == bindparam("nhs", type_=String)),
        select(Person.id).where(Person.upn == bindparam("upn", type_=String)),
        select(PersonAddress.person_id).join(Address, Address.id == PersonAddress.address_id)
        .where(Address.postcode_key == bindparam("postcode", type_=String)),
    ]
    return blocks


#: One statement for every search (compiled once): the people the blocks find, merged ones left out.
_CANDIDATE_IDS = union(*_blocks()).subquery()
CANDIDATES = (
    select(Person.id, Person.external_id, Person.first_name, Person.last_name, Person.date_of_birth,
           Person.expected_date_of_birth, Person.sex, Person.nhs_number, Person.upn)
    .where(Person.id.in_(select(_CANDIDATE_IDS.c[0])), Person.merged_into_id.is_(None))
    .limit(MAX_CANDIDATES)
)


def candidate_params(session: Session, query: MatchQuery) -> dict[str, Any]:
    """The parameters of :data:`CANDIDATES` for ``query``."""
    qf, ql = names.normalise(query.first_name), names.normalise(query.last_name)
    distinct = _distinct_names(session)
    params: dict[str, Any] = {}
    for way, first, last in (("", qf, ql), ("_swapped", ql, qf)):
        forms = _first_forms(first) if first else set()
        has_both = bool(first and last)
        params["phon_first" + way] = sorted(_phonetics(forms)) if has_both else []
        params["phon_last" + way] = sorted(_phonetics(last.split())) if has_both else []
        params["key_last" + way] = sorted(_fuzzy(last.split(), distinct.last, [last])) if last else []
        params["key_first" + way] = sorted(_fuzzy(first.split()[:1], distinct.first, forms)) if first else []
    d = query.date_of_birth
    params["dob_from"] = d - DOB_WINDOW if d else None
    params["dob_to"] = d + DOB_WINDOW if d else None
    params["dobs"] = dob_variants(d) if d else []
    params["edob_from"] = d - timedelta(days=45) if d else None
    params["edob_to"] = d + timedelta(days=45) if d else None
    params["nhs"] = query.nhs_number or None
    params["upn"] = query.upn.upper() if query.upn else None
    params["postcode"] = validators.postcode_key(query.postcode)
    return params


def find_candidates(session: Session, query: MatchQuery) -> list[CandidateRecord]:
    """The people worth scoring for ``query``, with their other names and postcodes."""
    rows = session.connection().execute(CANDIDATES, candidate_params(session, query)).all()
    return _records(session, rows)


def load_records(session: Session, ids: Sequence[int]) -> list[CandidateRecord]:
    """Candidate records for these people, with their other names and postcodes."""
    rows = []
    for start in range(0, len(ids), 500):
        rows += session.connection().execute(_PEOPLE, {"ids": list(ids[start:start + 500])}).all()
    return _records(session, rows)


def _records(session: Session, rows: Sequence[Any]) -> list[CandidateRecord]:
    if not rows:
        return []
    ids = [r.id for r in rows]
    other: dict[int, list[tuple[str, str, str]]] = {}
    postcodes: dict[int, list[tuple[str, bool]]] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        conn = session.connection()
        for pid, kind, first, last in conn.execute(_OTHER_NAMES, {"ids": chunk}):
            other.setdefault(pid, []).append((kind, first, last))
        for pid, key, current in conn.execute(_POSTCODES, {"ids": chunk}):
            postcodes.setdefault(pid, []).append((key, bool(current)))
    return [CandidateRecord(
        person_id=r.id, external_id=r.external_id, first_name=r.first_name, last_name=r.last_name,
        date_of_birth=r.date_of_birth, expected_date_of_birth=r.expected_date_of_birth, sex=r.sex,
        nhs_number=r.nhs_number, upn=r.upn, other_names=tuple(other.get(r.id, ())),
        postcodes=tuple(postcodes.get(r.id, ())),
    ) for r in rows]


_PEOPLE = select(*CANDIDATES.selected_columns).where(Person.id.in_(bindparam("ids", expanding=True)))
_OTHER_NAMES = (select(PersonName.person_id, PersonName.kind, PersonName.first_name, PersonName.last_name)
                .where(PersonName.person_id.in_(bindparam("ids", expanding=True))).order_by(PersonName.id))
_POSTCODES = (select(PersonAddress.person_id, Address.postcode_key, PersonAddress.current)
              .join(Address, Address.id == PersonAddress.address_id)
              .where(PersonAddress.person_id.in_(bindparam("ids", expanding=True)),
                     Address.postcode_key.is_not(None)))


def match(session: Session, query: MatchQuery, limit: int = 10) -> list[tuple[Scored, CandidateRecord]]:
    """Find, score and rank: the candidates worth showing, best first, with their records."""
    records = {r.person_id: r for r in find_candidates(session, query)}
    return [(s, records[s.person_id]) for s in rank(query, records.values(), limit)]


__all__ = ["CANDIDATES", "candidate_params", "find_candidates", "forget_names", "load_records", "match"]
