"""Common English short forms of first names that the ``nicknames`` library lacks.

The ``nicknames`` library is built from American usage; children in England are often
known by forms it does not list (Katie for Katherine, Alfie for Alfred, Maddie for
Madison). Each row is a full name and the short forms a caller may give instead. The
search uses them both ways: a short form finds the full name and the full name finds the
short form.
"""

from __future__ import annotations

from functools import lru_cache

SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "katherine": ("katie", "kate", "kat", "kitty"),
    "catherine": ("katie", "cathy", "kate", "cat", "kitty"),
    "kathryn": ("katie", "kate"),
    "caitlin": ("katie", "cait"),
    "alfred": ("alfie", "alf"),
    "john": ("jack", "johnny"),
    "madison": ("maddie", "maddy"),
    "madeleine": ("maddie", "maddy"),
    "madeline": ("maddie", "maddy"),
    "matilda": ("tilly", "tilda", "maddie"),
    "evelyn": ("evie", "eve"),
    "eve": ("evie",),
    "grace": ("gracie",),
    "margaret": ("maisie", "maggie", "peggy", "meg"),
    "mildred": ("millie",),
    "emily": ("millie", "em", "emmy"),
    "amelia": ("millie", "mia"),
    "isabella": ("izzy", "bella", "issy"),
    "isabelle": ("izzy", "bella", "issy"),
    "isobel": ("izzy", "issy"),
    "elizabeth": ("lizzie", "ellie", "libby", "beth"),
    "eleanor": ("ellie", "nell", "nellie"),
    "ellen": ("ellie", "nell"),
    "harriet": ("hattie", "harry"),
    "charlotte": ("charlie", "lottie"),
    "alexandra": ("lexi", "alex", "sasha"),
    "alexander": ("alex", "sandy", "xander"),
    "oliver": ("ollie", "olly"),
    "olivia": ("liv", "livvy", "ollie"),
    "archibald": ("archie",),
    "frederick": ("freddie", "freddy", "fred"),
    "alfredo": ("alfie",),
    "theodore": ("theo", "teddy", "ted"),
    "thomas": ("tom", "tommy"),
    "joseph": ("joe", "joey"),
    "joshua": ("josh",),
    "samuel": ("sam", "sammy"),
    "samantha": ("sam", "sammie"),
    "benjamin": ("ben", "benji"),
    "daniel": ("dan", "danny"),
    "william": ("will", "billy", "liam"),
    "james": ("jamie", "jim", "jimmy"),
    "edward": ("eddie", "ted", "teddy", "ned"),
    "henry": ("harry", "hal"),
    "louis": ("louie",),
    "lewis": ("louie",),
    "reginald": ("reggie",),
    "ronald": ("ronnie",),
    "florence": ("flo", "florrie"),
    "rosemary": ("rosie",),
    "rose": ("rosie",),
    "georgina": ("georgie", "gina"),
    "georgia": ("georgie",),
    "victoria": ("tori", "vicky"),
    "jessica": ("jess", "jessie"),
    "rebecca": ("becky", "becca"),
    "abigail": ("abbie", "abby"),
    "gabriella": ("gabby", "ella"),
    "mohammed": ("mo",),
    "muhammad": ("mo",),
}


@lru_cache(maxsize=1)
def _both_ways() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for full, shorts in SHORT_FORMS.items():
        for short in shorts:
            out.setdefault(full, set()).add(short)
            out.setdefault(short, set()).add(full)
    return {name: frozenset(forms) for name, forms in out.items()}


def short_forms(name: str) -> frozenset[str]:
    """The table's long and short forms of the normalised ``name`` ("katie" → katherine, catherine…)."""
    return _both_ways().get(name, frozenset())


__all__ = ["SHORT_FORMS", "short_forms"]
