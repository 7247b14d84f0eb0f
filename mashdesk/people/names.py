"""Normalised and phonetic keys of names, stored with every person for indexed search."""

from __future__ import annotations

import re

import jellyfish
from anyascii import anyascii

_NON_LETTERS = re.compile(r"[^a-z ]+")


def normalise(name: str) -> str:
    """Lower-case ASCII letters and single spaces: "Zoë O'Brien-Smith" → "zoe obrien smith"."""
    text = anyascii(name or "").lower().replace("-", " ")
    return " ".join(_NON_LETTERS.sub("", text).split())


def phonetic(name: str) -> str:
    """Metaphone of the first word of the normalised name ("" for no name)."""
    norm = normalise(name)
    if not norm:
        return ""
    return jellyfish.metaphone(norm.split()[0])[:16]


def keys(first: str, last: str) -> dict[str, str]:
    """The four key columns of a person or alias row."""
    return {
        "key_first": normalise(first)[:80],
        "key_last": normalise(last)[:80],
        "phon_first": phonetic(first),
        "phon_last": phonetic(last),
    }
