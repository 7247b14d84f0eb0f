"""``mashdesk export cin-census --as USER --year YYYY --out FILE.xml`` (interfaces.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mashdesk.cli.common import add_command, open_context, sign_in
from mashdesk.errors import InputError


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a year (YYYY)")
    return int(text)


def register(kinds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = add_command(kinds, "cin-census", acts_as_user=True, help="the CIN census XML for a collection year",
                    description="Write the CIN census (XML) for the collection year ending 31 March YYYY: "
                    "every child in need in the year with their referrals, assessments, plans, section 47 "
                    "enquiries, child protection plans and closures. Checked by the DfE rules where the "
                    "validator is installed.")
    p.add_argument("--year", required=True, type=_year, metavar="YYYY", help="the year the collection ends")
    p.add_argument("--out", required=True, metavar="FILE.xml", help="where to write the census")
    p.set_defaults(func=cmd_cin_census)


def cmd_cin_census(args: argparse.Namespace) -> int:
    from mashdesk.returns.service import CensusService, check_out
    from mashdesk.returns.workflow import census_year

    try:
        out = check_out(Path(args.out), ".xml")
    except InputError as exc:
        raise InputError(f"--{exc}", exc.field) from None
    with open_context(args) as ctx:
        try:
            census_year(args.year, ctx.now().date())
        except InputError as exc:
            raise InputError(f"--{exc}", exc.field) from None
        actor = sign_in(ctx, args.as_user)
        done = CensusService(ctx).write_census(actor, args.year, out)
    print(json.dumps({"out": str(done.path), "year": done.year.year,
                      "reference_date": done.year.reference_date.isoformat(), "children": done.children,
                      "episodes": done.episodes, "sha256": done.sha256}))
    return 0
