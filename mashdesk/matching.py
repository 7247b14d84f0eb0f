"""Known-child search: blocking that finds candidates cheaply, scoring that explains itself.

Matching runs in two steps.

*Blocking* (:func:`find_candidates`, the one database-facing function) collects the
people worth scoring with index look-ups only: the phonetic keys of the names (both
ways round, aliases and former names included), the date of birth and its likely
mistakes (day and month swapped, a year out, a few days out), surnames and first
names that a fuzzy match over the *distinct* names finds close to the ones typed
(held in a small per-database cache), the postcode, and the NHS number or UPN.
Merged records are never candidates.

*Scoring* (:func:`score`, pure) weighs each candidate's names, date of birth,
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
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler, Levenshtein
from sqlalchemy import BindParameter, Date, Engine, Select, String, bindparam, func, select, union
from sqlalchemy.orm import Session

from db.models import Address, Person, PersonAddress, PersonName
from mashdesk import names, validators

LIKELY = 85.0
POSSIBLE = 60.0
#: Most candidates scored for one search (blocking keeps far fewer in practice).
MAX_CANDIDATES = 2000
#: Fuzzy matching over the distinct names: how close, and how many names at most.
FUZZY_CUTOFF = 0.86
FUZZY_LIMIT = 25
#: How far the fuzzy-surname block looks either side of the date of birth given.
DOB_WINDOW = timedelta(days=400)

# Points: names 60 (first 25, surname 35), date of birth 40, postcode up to 8.
FIRST_POINTS = 25.0
LAST_POINTS = 35.0
DOB_POINTS = {"exact": 40.0, "swap": 34.0, "year": 30.0, "days": 30.0, "digit": 28.0, "expected": 30.0,
              "unknown": 20.0, "differs": 0.0}
POSTCODE_POINTS = 8.0
DISTRICT_POINTS = 2.0
SEX_PENALTY = 15.0
#: Ceilings: a clearly different date of birth, a different first name or surname, a
#: different NHS number keep a candidate out of ``likely``.
CAP_DOB_DIFFERS = 70.0
CAP_NAME_DIFFERS = 80.0
CAP_IDENTIFIER_DIFFERS = 70.0
SWAP_PENALTY = 0.04
OTHER_NAME_PENALTY = 0.02


@dataclass(frozen=True)
class MatchQuery:
    """What is known about the person being looked for."""

    first_name: str
    last_name: str
    date_of_birth: date | None = None
    postcode: str | None = None
    sex: str | None = None
    nhs_number: str | None = None
    upn: str | None = None


@dataclass(frozen=True)
class CandidateRecord:
    """A person as the scoring sees them."""

    person_id: int
    external_id: str | None
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = "U"
    nhs_number: str | None = None
    upn: str | None = None
    #: (kind, first name, last name) of aliases, former and merged names.
    other_names: tuple[tuple[str, str, str], ...] = ()
    #: Postcode keys of the person's addresses: (key, current).
    postcodes: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class Scored:
    person_id: int
    score: float
    band: str | None
    reasons: tuple[str, ...]


def band(score: float) -> str | None:
    """``likely`` (≥ 85), ``possible`` (60-85) or ``None`` (not worth showing)."""
    if score >= LIKELY:
        return "likely"
    if score >= POSSIBLE:
        return "possible"
    return None


# -- names -----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _nicknamer():  # type: ignore[no-untyped-def]
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=4096)
def nickname_forms(name: str) -> frozenset[str]:
    """Names ``name`` is a short or long form of ("bill" → william, billy…), normalised."""
    if len(name) < 2:
        return frozenset()
    nn = _nicknamer()
    forms = set(nn.nicknames_of(name)) | set(nn.canonicals_of(name))
    return frozenset(names.normalise(f) for f in forms) - {name}


@lru_cache(maxsize=16384)
def _sounds(token: str) -> tuple[str, str]:
    return jellyfish.metaphone(token), jellyfish.nysiis(token)


def _sound_alike(a: str, b: str) -> bool:
    sa, sb = _sounds(a), _sounds(b)
    return bool(sa[0]) and (sa[0] == sb[0] or sa[1] == sb[1])


def _spelt_alike(a: str, b: str) -> float:
    """Similarity of two spellings (0 when they are different names)."""
    jw = JaroWinkler.normalized_similarity(a, b)
    shorter = min(len(a), len(b))
    edits = Levenshtein.distance(a, b, weights=(1, 1, 1))
    if jw >= 0.9 or (shorter >= 4 and edits <= 1) or (shorter >= 7 and edits <= 2):
        return max(jw, 0.86)
    return 0.0


@dataclass(frozen=True)
class NameMatch:
    sim: float
    reason: str | None


NO_MATCH = NameMatch(0.0, None)


@lru_cache(maxsize=65536)
def _norm(name: str) -> str:
    return names.normalise(name)


@lru_cache(maxsize=65536)
def compare_first(query: str, record: str) -> NameMatch:
    """How well a typed first name fits a recorded one (normalised forms)."""
    if not query or not record:
        return NO_MATCH
    if query == record:
        return NameMatch(1.0, "first name matches")
    q, r = query.split(), record.split()
    if q[0] == r[0]:
        return NameMatch(0.96, "first name matches (other middle names)")
    if len(q[0]) == 1 or len(r[0]) == 1:
        return NameMatch(0.5, "first initial matches") if q[0][0] == r[0][0] else NO_MATCH
    if r[0] in nickname_forms(q[0]) or q[0] in nickname_forms(r[0]):
        return NameMatch(0.9, f"first name is a short or long form ({query.title()} / {record.title()})")
    if _sound_alike(q[0], r[0]):
        return NameMatch(0.9, "first name sounds alike")
    spelt = _spelt_alike(q[0], r[0])
    if spelt:
        return NameMatch(0.95 * spelt, "first name spelt differently")
    return NO_MATCH


@lru_cache(maxsize=65536)
def compare_last(query: str, record: str) -> NameMatch:
    """How well a typed surname fits a recorded one, double-barrelled halves included."""
    if not query or not record:
        return NO_MATCH
    if query == record:
        return NameMatch(1.0, "surname matches")
    q, r = query.split(), record.split()
    if "".join(q) == "".join(r):
        return NameMatch(1.0, "surname matches")
    if len(q) != len(r) and (set(q) <= set(r) or set(r) <= set(q)):
        return NameMatch(0.92, "one half of a double-barrelled surname")
    best = NO_MATCH
    for qt in q:
        for rt in r:
            if qt == rt:
                found = NameMatch(1.0, "surname matches")
            elif _sound_alike(qt, rt):
                found = NameMatch(0.9, "surname sounds alike")
            else:
                spelt = _spelt_alike(qt, rt)
                found = NameMatch(0.95 * spelt, "surname spelt differently") if spelt else NO_MATCH
            if found.sim > best.sim:
                best = found
    if best.sim and (len(q) > 1 or len(r) > 1):
        if best.sim == 1.0:
            return NameMatch(0.92, "one half of a double-barrelled surname")
        return NameMatch(best.sim * 0.9, f"{best.reason} (one half of a double-barrelled surname)")
    return best


@dataclass(frozen=True)
class _NameFit:
    points: float
    first: NameMatch
    last: NameMatch
    reasons: tuple[str, ...]


_NAME_KINDS = {"former": "former name", "merged": "name on a merged record"}


def _fit_names(qf: str, ql: str, record: CandidateRecord) -> _NameFit:
    """The record's name (or other name), either way round, that best fits the typed names."""
    best: tuple[float, NameMatch, NameMatch, bool, str | None, str, str] | None = None
    variants: list[tuple[str | None, str, str]] = [(None, record.first_name, record.last_name)]
    variants += record.other_names
    for kind, vf_raw, vl_raw in variants:
        vf, vl = _norm(vf_raw), _norm(vl_raw)
        factor = 1 - OTHER_NAME_PENALTY if kind is not None else 1.0
        for swapped in (False, True):
            f = compare_first(ql if swapped else qf, vf)
            last = compare_last(qf if swapped else ql, vl)
            points = (FIRST_POINTS * f.sim + LAST_POINTS * last.sim) * factor * (1 - SWAP_PENALTY * swapped)
            if best is None or points > best[0]:
                best = (points, f, last, swapped, kind, vf_raw, vl_raw)
    assert best is not None
    points, f, last, swapped, kind, vf_raw, vl_raw = best
    reasons = [r for r in (f.reason, last.reason) if r]
    if swapped:
        reasons.append("first and last names swapped")
    if kind is not None:
        reasons.append(f"matches the {_NAME_KINDS.get(kind, kind)} {vf_raw} {vl_raw}")
    return _NameFit(points, f, last, tuple(reasons))


# -- dates of birth --------------------------------------------------------------------------------

def _shift_years(d: date, years: int) -> date | None:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return None


def _swap(d: date) -> date | None:
    if d.day == d.month or d.day > 12:
        return None
    return date(d.year, d.day, d.month)


def dob_variants(d: date) -> list[date]:
    """The dates a mistyped ``d`` may really be: day and month swapped, a year out, a few days out."""
    out = {d}
    swapped = _swap(d)
    for base in (d, swapped):
        if base is None:
            continue
        out.add(base)
        for years in (-1, 1):
            shifted = _shift_years(base, years)
            if shifted:
                out.add(shifted)
    out.update(d + timedelta(days=n) for n in (-3, -2, -1, 1, 2, 3))
    return sorted(out)


def compare_dob(query: date | None, record: CandidateRecord) -> tuple[str, str | None]:
    """The kind of agreement between dates of birth, and its reason."""
    if query is None:
        return "unknown", None
    if record.date_of_birth is None:
        edob = record.expected_date_of_birth
        if edob is not None and abs((edob - query).days) <= 45:
            return "expected", "born close to the expected date of birth"
        return "unknown", "no date of birth recorded"
    r = record.date_of_birth
    if r == query:
        return "exact", "date of birth matches"
    if _swap(query) == r:
        return "swap", "date of birth with day and month swapped"
    if (r.month, r.day) == (query.month, query.day) and abs(r.year - query.year) == 1:
        return "year", "date of birth a year out"
    days = abs((r - query).days)
    if days <= 3:
        return "days", f"date of birth {days} day{'s' if days > 1 else ''} out"
    a, b = r.strftime("%Y%m%d"), query.strftime("%Y%m%d")
    if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        return "digit", "date of birth differs by one digit"
    return "differs", "date of birth differs"


# -- scoring ---------------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def _postcode_key(postcode: str | None) -> str | None:
    return validators.postcode_key(postcode)


def score(query: MatchQuery, record: CandidateRecord) -> Scored:
    """Score one candidate from 0 to 100, with the reasons, best evidence first."""
    fit = _fit_names(_norm(query.first_name), _norm(query.last_name), record)
    reasons = list(fit.reasons)
    total = fit.points
    caps: list[float] = []
    if fit.first.sim == 0 or fit.last.sim == 0:
        caps.append(CAP_NAME_DIFFERS)
        if fit.first.sim == 0:
            reasons.append("first name differs")
        if fit.last.sim == 0:
            reasons.append("surname differs")

    kind, dob_reason = compare_dob(query.date_of_birth, record)
    total += DOB_POINTS[kind]
    if dob_reason:
        reasons.append(dob_reason)
    if kind == "differs":
        caps.append(CAP_DOB_DIFFERS)

    qpc = _postcode_key(query.postcode)
    if qpc and record.postcodes:
        current = {key: cur for key, cur in record.postcodes}
        if qpc in current:
            total += POSTCODE_POINTS
            reasons.append("postcode matches" if current[qpc] else "postcode of a former address")
        elif any(key[:-3] == qpc[:-3] for key in current) and len(qpc) > 4:
            total += DISTRICT_POINTS
            reasons.append("same postcode district")

    if query.sex in ("M", "F") and record.sex in ("M", "F") and query.sex != record.sex:
        total -= SEX_PENALTY
        reasons.append("sex differs")

    decisive = []
    if query.nhs_number and record.nhs_number:
        if query.nhs_number == record.nhs_number:
            decisive.append("NHS number matches")
        else:
            caps.append(CAP_IDENTIFIER_DIFFERS)
            reasons.append("NHS number differs")
    if query.upn and record.upn:
        if query.upn.upper() == record.upn.upper():
            decisive.append("UPN matches")
        else:
            caps.append(CAP_IDENTIFIER_DIFFERS)
            reasons.append("UPN differs")
    if decisive:
        total = 100.0
        reasons = decisive + reasons
    else:
        total = min([total, 100.0, *caps])
    total = max(0.0, round(total, 1))
    return Scored(record.person_id, total, band(total), tuple(reasons))


def rank(query: MatchQuery, records: Iterable[CandidateRecord], limit: int = 10) -> list[Scored]:
    """Score the candidates and keep those worth showing, best first."""
    scored = [s for s in (score(query, r) for r in records) if s.band is not None]
    scored.sort(key=lambda s: (-s.score, s.person_id))
    return scored[:limit]


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


__all__ = ["LIKELY", "POSSIBLE", "CandidateRecord", "MatchQuery", "NameMatch", "Scored", "band",
           "CANDIDATES", "candidate_params", "compare_dob", "compare_first", "compare_last", "dob_variants",
           "find_candidates", "forget_names", "load_records", "match", "rank", "score"]
