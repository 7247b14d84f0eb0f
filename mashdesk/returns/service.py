"""The CIN census export: read the year in scope, write the file, then audit it with its SHA-256.

Only the roles that may export returns (``export.returns``: performance/admin and managers) write it. The
file holds codes and dates only: no free text of any record, so nothing restricted to the police leaves.
The audit entry is written after the file is complete, naming the file and its hash.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mashdesk.context import Actor, Service
from mashdesk.errors import InputError
from mashdesk.paths import data_dir
from mashdesk.returns.census_data import load_census
from mashdesk.returns.census_xml import render
from mashdesk.returns.validation import ValidatorMissing, validate
from mashdesk.returns.views import CHILD_TABLES, CensusCheck, IssueRow
from mashdesk.returns.workflow import CensusYear, census_year, last_collection_year

Progress = Callable[[int, int], None]
#: The progress bar's steps: reading the year, writing each child, saving the file.
STEPS = 100


@dataclass(frozen=True)
class CensusExport:
    path: Path
    year: CensusYear
    sha256: str
    children: int
    episodes: int
    #: (person id, the child's n-th CINdetails from 1) → the contact of that referral.
    episode_contacts: dict[tuple[int, int], int]


def check_out(out: Path, suffix: str) -> Path:
    """Where to write an export: its folder must exist and the name must end ``suffix``."""
    if out.suffix.lower() != suffix:
        raise InputError(f"out: the file name must end {suffix} (not {out.name!r})", "out")
    if not out.parent.is_dir():
        raise InputError(f"out: the folder {str(out.parent)!r} does not exist", "out")
    return out


class CensusService(Service):
    def suggested_file(self, year: int) -> Path:
        """Where the window offers to write a year's census: ``returns/`` in the desk's data folder."""
        return data_dir() / "returns" / f"cin-census-{year}.xml"

    def default_year(self) -> int:
        return last_collection_year(self.ctx.now().date())

    def write_census(self, actor: Actor, year: int, out: Path,
                     progress: Progress | None = None) -> CensusExport:
        """Write the CIN census for the collection year ending 31 March ``year`` to ``out`` (XML)."""
        report = progress or (lambda done, total: None)
        census = census_year(year, self.ctx.now().date())
        out = Path(out)
        if out.suffix.lower() == ".xml" and out.parent == data_dir() / "returns":
            out.parent.mkdir(parents=True, exist_ok=True)
        out = check_out(out, ".xml")
        report(0, STEPS)
        with self.read(actor, "export.returns") as session:
            children = load_census(session, census)
        report(30, STEPS)
        data = render(children, census, self.ctx.now(),
                      progress=lambda n, total: report(30 + 60 * n // max(total, 1), STEPS))
        partial = out.with_name(out.name + ".part")
        partial.write_bytes(data)
        os.replace(partial, out)
        digest = hashlib.sha256(data).hexdigest()
        episodes = sum(len(c.episodes) for c in children)
        with self.write(actor, "export.returns", "CIN census") as w:
            w.audit("cin_census", None, f"CIN census {year} written to {out.name}: {len(children)} children",
                    file=out.name, sha256=digest, year=year, children=len(children), episodes=episodes)
        report(STEPS, STEPS)
        contacts = {(c.person_id, n): e.contact_id for c in children for n, e in enumerate(c.episodes, 1)}
        return CensusExport(out, census, digest, len(children), episodes, contacts)

    def write_and_check(self, actor: Actor, year: int, out: Path,
                        progress: Progress | None = None) -> CensusCheck:
        """Write the census, then run the DfE rules on it: each error and query with the record to fix."""
        report = progress or (lambda done, total: None)
        done = self.write_census(actor, year, out, lambda n, total: report(n * 9 // 10, total))
        report(0, 0)  # the rules' run: no steps to count
        try:
            checked = validate(done.path, done.year)
        except ValidatorMissing as exc:
            return CensusCheck(year, done.path, done.sha256, done.children, done.episodes, None, (), str(exc))
        rows = tuple(IssueRow("query" if i.is_query else "error", i.rule, i.child, i.person_id,
                              None if i.table in CHILD_TABLES or i.person_id is None or i.episode is None
                              else done.episode_contacts.get((i.person_id, i.episode)),
                              i.table, i.field, i.value, i.message)
                     for i in sorted(checked.issues, key=lambda i: (i.is_query, i.rule, i.child)))
        report(STEPS, STEPS)
        return CensusCheck(year, done.path, done.sha256, done.children, done.episodes, checked.ruleset, rows)
