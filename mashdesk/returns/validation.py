"""The DfE's CIN census rules, run by ``csc-validator-be-cin`` in its own Python (``.venv-cin``).

The validator pins pandas 1.5 and needs numpy < 2, so ``scripts/setup-env.sh`` installs it beside the
desk's environment; the desk runs it as a separate process where it is present. Each issue is an error
(the file is wrong) or a query (a rule code ending Q: check, then amend or give a reason), with the child,
the table and field, and the value the rule flagged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mashdesk.errors import MashDeskError
from mashdesk.returns.census_xml import person_of
from mashdesk.returns.workflow import CensusYear

SCRIPT = Path(__file__).with_name("cin_validate_script.py")
ROOT = Path(__file__).resolve().parents[2]
#: Newest ruleset the installed validator knows, used for a year it does not know yet.
FALLBACK_RULESET = "cin2026_27"


class ValidatorMissing(MashDeskError):
    """The CIN validator is not installed on this machine."""


@dataclass(frozen=True)
class Issue:
    rule: str
    child: str
    person_id: int | None
    #: The child's CINdetails (1, 2, …, in file order) the issue is in, when it is in one.
    episode: int | None
    table: str
    field: str
    value: str
    message: str

    @property
    def is_query(self) -> bool:
        return self.rule.upper().endswith("Q")


@dataclass(frozen=True)
class ValidationReport:
    ruleset: str
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_query]

    @property
    def queries(self) -> list[Issue]:
        return [i for i in self.issues if i.is_query]


def validator_python() -> Path | None:
    """The Python that has ``cin_validator``: ``MASHDESK_CIN_PYTHON``, else the project's ``.venv-cin``."""
    configured = os.environ.get("MASHDESK_CIN_PYTHON")
    candidates = [Path(configured)] if configured else []
    folder = "Scripts" if sys.platform == "win32" else "bin"
    candidates.append(ROOT / ".venv-cin" / folder / ("python.exe" if sys.platform == "win32" else "python"))
    return next((c for c in candidates if c.is_file()), None)


def validate(path: Path, year: CensusYear, timeout: float = 1800) -> ValidationReport:
    """Run every rule of the year's ruleset on the census file at ``path``."""
    python = validator_python()
    if python is None:
        raise ValidatorMissing("the CIN validator (csc-validator-be-cin) is not installed: "
                               "run scripts/setup-env.sh")
    ruleset = year.ruleset
    for attempt in (ruleset, FALLBACK_RULESET):
        done = subprocess.run([str(python), str(SCRIPT), str(path), attempt], capture_output=True, text=True,
                              timeout=timeout, check=False)
        if done.returncode != 3:
            break
        ruleset = FALLBACK_RULESET
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise MashDeskError(f"the CIN validator failed: {tail}")
    issues = []
    for line in done.stdout.splitlines():
        row = json.loads(line)
        child = row["child"] if row["child"] not in ("nan", "None") else ""
        issues.append(Issue(row["rule"], child, person_of(child) if child else None, row.get("episode"),
                            row["table"], row["field"],
                            "" if row["value"] in ("nan", "NaT", "None") else row["value"], row["message"]))
    return ValidationReport(ruleset, tuple(issues))
