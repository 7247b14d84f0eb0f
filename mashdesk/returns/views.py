"""What the Returns view shows: the census written, and the DfE rules' errors and queries, each with the
record to open to put it right."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Tables of the census about the child (the person's record) rather than one referral (the contact).
CHILD_TABLES = frozenset({"ChildIdentifiers", "ChildCharacteristics", "Disabilities"})
QUERY_PREFIX = "Please check and either amend data or provide a reason: "


@dataclass(frozen=True)
class IssueRow:
    kind: str  # error / query
    rule: str
    child: str
    person_id: int | None
    #: The contact whose referral opened the episode the issue is in (None: the child's own details).
    contact_id: int | None
    table: str
    field: str
    value: str
    message: str

    @property
    def rule_says(self) -> str:
        """The rule's message without the words every query begins with."""
        return self.message.removeprefix(QUERY_PREFIX)

    @property
    def where(self) -> str:
        return f"{self.table} · {self.field}" if self.field else self.table


@dataclass(frozen=True)
class CensusCheck:
    year: int
    path: Path
    sha256: str
    children: int
    episodes: int
    #: None when the validator is not installed here (``unchecked`` says why).
    ruleset: str | None
    issues: tuple[IssueRow, ...]
    unchecked: str = ""

    @property
    def errors(self) -> int:
        return sum(i.kind == "error" for i in self.issues)

    @property
    def queries(self) -> int:
        return sum(i.kind == "query" for i in self.issues)
