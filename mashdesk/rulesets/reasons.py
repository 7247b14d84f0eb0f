"""Override reasons as practitioners write them, for the demo's decisions (invented, no real case)."""

from __future__ import annotations

#: A decision a level below the suggestion.
LOWER: tuple[str, ...] = (
    "Protective factors: parents engaging and the child is safe with family support.",
    "Mother has left the relationship and is engaging with the IDVA; the perpetrator has no access.",
    "The school reports good attendance and a trusted adult; family support is already in place.",
    "Single historical incident; agency checks show no current concerns and parents accept help.",
    "Grandparents now provide daily care and supervision; needs can be met by Early Help.",
    "Substance misuse is historic: father has been abstinent for 18 months, confirmed by his GP.",
    "The injury has a consistent explanation confirmed by the paediatrician; no safeguarding concerns.",
    "Parent's mental health is stable with CMHT support; the health visitor sees the baby weekly.",
    "The young person has a stable placement with an aunt and attends college; risk has reduced.",
    "Police confirm no further offences since the incident; the youth worker remains involved.",
)
#: A decision at the suggested level with another outcome (the family already has a worker).
OTHER_OUTCOME: tuple[str, ...] = (
    "The family is open to a social worker in the Assessment team: passed to the allocated worker.",
    "An assessment started last month is still open; the new information goes to the allocated worker.",
    "The children are subject of a child in need plan; the allocated worker will review it this week.",
)
#: A decision a level above the suggestion.
HIGHER: tuple[str, ...] = (
    "Third contact in six months from different agencies: the pattern shows cumulative harm.",
    "The child's own account at school raises concern beyond the recorded indicators.",
    "Father has a history of violence to a former partner (police check): risk is higher than recorded.",
)


def override_reason(key: int, suggested_level: int, decided_level: int) -> str:
    """A reason for deciding ``decided_level`` against ``suggested_level``, chosen by ``key`` (stable)."""
    if decided_level < suggested_level:
        choices = LOWER
    elif decided_level > suggested_level:
        choices = HIGHER
    else:
        choices = OTHER_OUTCOME
    return choices[key % len(choices)]
