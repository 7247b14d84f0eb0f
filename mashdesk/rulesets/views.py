"""What the ruleset service hands the window and the command line: immutable display objects, no ORM.

The replay report, the ruleset diff and the consistency report are the pure objects of ``rules.replay``,
``rules.diff`` and this package's ``workflow``; they are named here so the window imports them from one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mashdesk.rulesets.workflow import CaseRef, ConsistencyReport, RateLine
from rules.diff import Change, IndicatorEntry, IndicatorMove, RulesetDiff
from rules.replay import ChangedCase, ReplayReport, WorkloadLine

__all__ = [
    "CaseRef", "Change", "ChangedCase", "ConsistencyReport", "IndicatorEntry", "IndicatorMove", "RateLine",
    "ReplayReport", "RulesetDiff", "VersionView", "WorkloadLine",
]


@dataclass(frozen=True)
class VersionView:
    """One ruleset version as the Ruleset view lists it; ``id`` is ``None`` for the shipped default not
    yet stored in the database."""

    id: int | None
    row_version: int
    ruleset_id: str
    version: str
    title: str
    file_name: str
    sha256: str
    status: str
    loaded_at: datetime | None
    loaded_by: str
    effective_from: datetime | None
    activated_by: str
    draft: bool

    @property
    def label(self) -> str:
        return f"{self.ruleset_id} {self.version}"
