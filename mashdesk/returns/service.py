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
from mashdesk.returns.census_data import load_census
from mashdesk.returns.census_xml import render
from mashdesk.returns.workflow import CensusYear, census_year

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


def check_out(out: Path, suffix: str) -> Path:
    """Where to write an export: its folder must exist and the name must end ``suffix``."""
    if out.suffix.lower() != suffix:
        raise InputError(f"out: the file name must end {suffix} (not {out.name!r})", "out")
    if not out.parent.is_dir():
        raise InputError(f"out: the folder {str(out.parent)!r} does not exist", "out")
    return out


class CensusService(Service):
    def write_census(self, actor: Actor, year: int, out: Path,
                     progress: Progress | None = None) -> CensusExport:
        """Write the CIN census for the collection year ending 31 March ``year`` to ``out`` (XML)."""
        report = progress or (lambda done, total: None)
        census = census_year(year, self.ctx.now().date())
        out = check_out(Path(out), ".xml")
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
        return CensusExport(out, census, digest, len(children), episodes)
