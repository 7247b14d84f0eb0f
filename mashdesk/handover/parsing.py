"""What the desk reads from the EDT log's free text: the children, the address, the referral source."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mashdesk import validators
from mashdesk.errors import InputError

_SPLIT = re.compile(r"\s*(?:[;\n]|,(?!\s*aged?\b)|\band\b|&)\s*", re.IGNORECASE)
_CHILD = re.compile(
    r"^(?P<name>[^\W\d_][^\d()]*?)\s*(?:\(\s*(?:aged?\s*)?(?P<age1>\d{1,2})\s*(?:y(?:ea)?rs?)?\s*\)"
    r"|,?\s*aged?\s*(?P<age2>\d{1,2}))?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedChild:
    first_name: str
    last_name: str
    age: int | None


def parse_children(text: str) -> list[ParsedChild]:
    """Children written as the EDT types them: "Amelia Smith (7), Jack Smith aged 12; Baby Smith".

    Raises :class:`InputError` (field ``children``) when a part is not a first and last name.
    """
    out = []
    for part in (p for p in _SPLIT.split(text or "") if p and p.strip()):
        m = _CHILD.match(part.strip())
        words = m["name"].split() if m else []
        if len(words) < 2 or not (words[0][0].isupper() and words[-1][0].isupper()):
            raise InputError(f"children: cannot read {part.strip()!r} as a child's first and last name; "
                             "name each child", "children")
        age = m["age1"] or m["age2"]  # type: ignore[index]
        out.append(ParsedChild(" ".join(words[:-1]), words[-1], int(age) if age else None))
    return out


_POSTCODE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\s*$", re.IGNORECASE)


def address_parts(address: str | None) -> dict[str, str | None]:
    """Line 1, town and postcode of an address typed as "12 High Street, Bromley BR1 2AB"."""
    text = (address or "").strip()
    if not text:
        return {}
    postcode = None
    m = _POSTCODE.search(text)
    if m:
        try:
            postcode = validators.postcode(m[1])
            text = text[:m.start()].strip().rstrip(",")
        except ValueError:
            postcode = None
    line1, _, town = text.partition(",")
    return {"address_line1": line1.strip() or None, "town": town.strip() or None, "postcode": postcode}


#: Words in the caller's agency → (CIN referral source, agency code). First match wins.
SOURCE_WORDS: list[tuple[tuple[str, ...], str, str | None]] = [
    (("police", "officer", "pc ", "ds ", "dc "), "6", "police"),
    (("a&e", "emergency department", "hospital"), "3E", "health"),
    (("health visitor",), "3B", "health"),
    (("school nurse",), "3C", "health"),
    (("gp", "surgery", "doctor", "medical centre"), "3A", "health"),
    (("nhs", "health", "ambulance", "paramedic", "midwife", "111", "nurse"), "3F", "health"),
    (("school", "academy", "college"), "2A", "education"),
    (("education",), "2B", "education"),
    (("housing",), "4", "housing"),
    (("probation", "prison", "court"), "7", "probation"),
    (("foster", "children's home", "residential", "social care", "social worker"), "5A", None),
    (("other local authority", "another local authority", "council"), "5C", "other_la"),
    (("youth offending",), "5B", "youth_offending"),
    (("early help", "family centre"), "5D", "early_help"),
    (("anonymous",), "9", None),
    (("self", "young person", "the child"), "1C", None),
    (("parent", "mother", "father", "mum", "dad", "grand", "aunt", "uncle", "relative", "family",
      "carer", "sibling", "brother", "sister"), "1A", None),
    (("neighbour", "friend", "acquaintance"), "1B", None),
    (("public", "passer", "member of"), "1D", None),
    (("charity", "voluntary", "refuge", "church"), "8", "voluntary"),
]
#: Sources whose referrers are family or the public rather than professionals.
INDIVIDUAL_SOURCES = frozenset({"1A", "1B", "1C", "1D", "9", "10"})


def suggest_source(caller_agency: str | None, caller_name: str = "") -> tuple[str, str | None]:
    """The CIN referral source (and agency, if it is one of the MASH's) suggested by the caller's agency."""
    text = f" {(caller_agency or '').lower()} "
    if not caller_name.strip():
        return "9", None  # a caller who gave no name is anonymous, whoever they said they were
    if not text.strip():
        return "10", None
    for words, source, agency in SOURCE_WORDS:
        if any(w in text for w in words):
            return source, agency
    return "8", None
