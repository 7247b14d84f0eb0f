"""Known-child search, the scoring step (pure): names, date of birth, postcode, sex and identifiers.

:func:`score` weighs each candidate found by blocking (:mod:`mashdesk.people.blocking`)
into a score from 0 to 100 with reasons a practitioner can read. A name alone, with a
clearly different date of birth, is never ``likely``: two children with the same name
are different children.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import JaroWinkler, Levenshtein

from mashdesk import validators
from mashdesk.people import names
from mashdesk.people.short_forms import short_forms

LIKELY = 85.0
POSSIBLE = 60.0

# Points: names 60 (first 25, surname 35), date of birth 40, postcode up to 8.
FIRST_POINTS = 25.0
LAST_POINTS = 35.0
DOB_POINTS = {"exact": 40.0, "swap": 34.0, "day": 34.0, "digit": 32.0, "expected": 30.0, "year": 30.0,
              "days": 28.0, "year_far": 18.0, "unknown": 20.0, "differs": 0.0}
POSTCODE_POINTS = 8.0
DISTRICT_POINTS = 2.0
SEX_PENALTY = 15.0
#: Ceilings: a clearly different date of birth, a different first name or surname, a
#: different NHS number keep a candidate out of ``likely``.
CAP_DOB_DIFFERS = 70.0
CAP_NAME_DIFFERS = 80.0
CAP_IDENTIFIER_DIFFERS = 70.0
#: The highest ``possible`` score: where the name and date of birth do not both agree and no
#: strong identifier does either.
CAP_NOT_LIKELY = 84.0
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
    forms = set(nn.nicknames_of(name)) | set(nn.canonicals_of(name)) | short_forms(name)
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


#: Date-of-birth differences that still agree: a candidate may be ``likely`` on them and the name.
DOB_AGREES = frozenset({"exact", "swap", "day", "digit", "expected"})
#: Differences a slip could explain but a different child could too: ``likely`` only when a strong
#: identifier (the same address) agrees as well.
DOB_SOFT = frozenset({"year", "days", "unknown"})


def compare_dob(query: date | None, record: CandidateRecord) -> tuple[str, str | None]:
    """The kind of agreement between dates of birth, and its reason.

    Kinds: ``exact``; ``swap`` (day and month swapped), ``day`` (one day out) and ``digit``
    (one typed digit in the day or month) still agree; ``year`` (the same day and month a
    year out) and ``days`` (2 or 3 days out) are soft; ``year_far`` (the same day and month,
    the year more than one apart) is a namesake's birthday unless an identifier agrees;
    ``differs``; ``unknown`` when either date is missing; ``expected`` for a baby born close
    to the expected date recorded.
    """
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
    if (r.month, r.day) == (query.month, query.day):
        years = abs(r.year - query.year)
        if years == 1:
            return "year", "date of birth a year out"
        return "year_far", f"date of birth year differs by {years} years"
    days = abs((r - query).days)
    if days == 1:
        return "day", "date of birth 1 day out"
    if r.year == query.year:
        a, b = r.strftime("%m%d"), query.strftime("%m%d")
        if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
            which = "month" if a[:2] != b[:2] else "day"
            return "digit", f"date of birth differs by one digit in the {which}"
    if days <= 3:
        return "days", f"date of birth {days} days out"
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
    elif kind == "year_far":
        caps.append(CAP_NOT_LIKELY)

    same_address = False
    qpc = _postcode_key(query.postcode)
    if qpc and record.postcodes:
        current = {key: cur for key, cur in record.postcodes}
        if qpc in current:
            same_address = True
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
    if kind in DOB_SOFT and not same_address:
        caps.append(CAP_NOT_LIKELY)
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


__all__ = ["DOB_AGREES", "DOB_SOFT", "LIKELY", "POSSIBLE",
           "CandidateRecord", "MatchQuery", "NameMatch", "Scored", "band",
           "compare_dob", "compare_first", "compare_last", "dob_variants", "nickname_forms", "rank", "score"]
