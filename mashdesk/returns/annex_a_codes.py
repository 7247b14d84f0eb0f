"""Ofsted's Annex A (ILACS) template: its sheets, column headings and letter-prefixed values (domain.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

LIST_1 = "List 1"
LIST_2 = "List 2"
LIST_3 = "List 3"
CHILD = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)")
HEADINGS: dict[str, tuple[str, ...]] = {
    LIST_1: (*CHILD, "Date of Contact", "Contact Source"),
    LIST_2: (*CHILD, "Assessment start date", "Assessment completion date", "Organisation completing assessment"),
    LIST_3: (*CHILD, "Date of Referral", "Referral Source", "Referral NFA?", "Number of Referrals in Last 12 Months",
             "Allocated Team", "Allocated Worker"),
}
#: The title above each list's table, as the template words it.
TITLES = {
    LIST_1: "List 1: Contacts",
    LIST_2: "List 2: Early Help assessments",
    LIST_3: "List 3: Referrals",
}

GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
ETHNICITY = {code: f"{letter}) {code}" for letter, code in zip(
    "abcdefghijklmnopqr", ("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
                           "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH"), strict=True)}
ETHNICITY |= {"REFU": "s) REFU", "NOBT": "s) NOBT"}
SOURCE = {
    "1A": "a) 1A: Individual", "1B": "b) 1B: Individual", "1C": "c) 1C: Individual", "1D": "d) 1D: Individual",
    "2A": "e) 2A: Schools", "2B": "f) 2B: Education services", "3A": "g) 3A: Health services",
    "3B": "h) 3B: Health services", "3C": "i) 3C: Health services", "3D": "j) 3D: Health services",
    "3E": "k) 3E: Health services", "3F": "l) 3F: Health services", "4": "m) 4: Housing",
    "5A": "n) 5A: LA services", "5B": "o) 5B: LA services", "5C": "p) 5C: LA services",
    "5D": "p1) 5D: LA services", "6": "q) 6: Police", "7": "r) 7: Other legal agency", "8": "s) 8: Other",
    "9": "t) 9: Anonymous", "10": "u) 10: Unknown",
}
YES_NO = {True: "a) Yes", False: "b) No"}


@dataclass(frozen=True)
class AnnexA:
    """The return for the days ``first``..``last``: each list's rows, cell values in the template's order."""

    first: date
    last: date
    lists: dict[str, list[tuple[Any, ...]]]


def child_id(person_id: int) -> str:
    """The child's unique ID in the return: alphanumeric, the same in every list and year."""
    return f"P{person_id:06d}"


def gender(sex: str | None) -> str:
    return GENDER.get(sex or "U", GENDER["U"])


def ethnicity(code: str | None) -> str:
    return ETHNICITY.get(code or "NOBT", ETHNICITY["NOBT"])


def source(code: str) -> str:
    return SOURCE.get(code, SOURCE["10"])


def age_on(born: date | None, on: date) -> int | None:
    """Whole years from ``born`` to ``on`` (``None`` for a child not yet born)."""
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
