"""The CIN census's code lists (domain.md, "Statutory returns"; DfE CIN census guide)."""

from __future__ import annotations

_FACTOR_GROUPS = {
    "1": "alcohol misuse", "2": "drug misuse", "3": "domestic violence", "4": "mental health",
    "5": "learning disability", "6": "physical disability or illness",
}
_WHO = {"A": "child", "B": "parent/carer", "C": "other household member"}

#: Factor code → what it means ("3B": "domestic violence (parent/carer)").
ASSESSMENT_FACTORS: dict[str, str] = {
    **{f"{n}{w}": f"{what} ({who})" for n, what in _FACTOR_GROUPS.items() for w, who in _WHO.items()},
    "7A": "young carer",
    **{f"8{w}": "privately fostered" for w in "BCDEF"},
    "9A": "unaccompanied asylum-seeking child", "10A": "going/being missing",
    "11A": "child sexual exploitation",
    "12A": "trafficking", "13A": "gangs", "14A": "socially unacceptable behaviour", "15A": "self-harm",
    "16A": "neglect", "17A": "emotional abuse", "18B": "physical abuse (child on child)",
    "18C": "physical abuse (adult on child)", "19B": "sexual abuse (child on child)",
    "19C": "sexual abuse (adult on child)", "20": "other", "21": "no factors identified",
    "22A": "female genital mutilation", "23A": "abuse linked to faith or belief",
    "24A": "child criminal exploitation",
}
NO_FACTORS = "21"

CLOSURE_REASONS: dict[str, str] = {
    "RC1": "Adopted", "RC2": "Died", "RC3": "Child arrangements order", "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority", "RC6": "Transferred to adult social care",
    "RC7": "Services ceased for any other reason, including child no longer in need",
    "RC8": "Case closed after assessment, no further action",
}

CP_CATEGORIES: dict[str, str] = {
    "NEG": "Neglect", "PHY": "Physical abuse", "EMO": "Emotional abuse", "SAB": "Sexual abuse",
    "MUL": "Multiple categories",
}

DISABILITY_CODES: dict[str, str] = {
    "NONE": "No disability", "MOB": "Mobility", "HAND": "Hand function", "PC": "Personal care",
    "INC": "Incontinence", "COMM": "Communication", "LD": "Learning", "HEAR": "Hearing", "VIS": "Vision",
    "BEH": "Behaviour", "CON": "Consciousness", "AUT": "Autism/Asperger syndrome", "DDA": "Other DDA",
}

#: Bromley's local authority code in the census header.
BROMLEY_LEA = "305"


def parse_factors(text: str) -> list[str]:
    """Factor codes as typed ("3b, 4B 21") → ["3B", "4B", "21"], upper-cased, in order, without repeats."""
    out: list[str] = []
    for part in text.replace(",", " ").split():
        code = part.strip().upper()
        if code and code not in out:
            out.append(code)
    return out
