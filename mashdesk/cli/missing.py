"""``mashdesk missing list --as USERNAME [--date D] [--out FILE.pdf|FILE.csv]``: the daily list of missing children."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from mashdesk import validators
from mashdesk.cli.common import add_command, day_option, open_context, sign_in
from mashdesk.errors import InputError

if TYPE_CHECKING:
    from mashdesk.missing.views import MissingRow


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("missing", help="missing children")
    kinds = p.add_subparsers(dest="missing_kind", metavar="WHAT", required=True)
    s = add_command(kinds, "list", acts_as_user=True, help="the director's daily list of missing children",
                    description="Print (JSON) every child missing at the day's moment (now for today, the "
                    "end of an earlier day), and those returned in the 72 hours before it without a return "
                    "home interview, with hours missing, each clock's state, looked-after status, risk and "
                    "the last update. --out also saves it as a PDF (OFFICIAL-SENSITIVE) or CSV file.")
    s.add_argument("--date", metavar="YYYY-MM-DD", help="the day of the list (default today)")
    s.add_argument("--out", metavar="FILE.pdf|FILE.csv", help="also save the list to this file")
    s.set_defaults(func=cmd_missing_list)


def cmd_missing_list(args: argparse.Namespace) -> int:
    from mashdesk.missing.service import MissingService

    day = None
    if args.date:
        day = day_option(args.date, "--date")
    out = Path(args.out) if args.out else None
    if out is not None:
        if out.suffix.lower() not in (".pdf", ".csv"):
            raise InputError(f"--out: {validators.cut(out.name)} must end in .pdf or .csv", "out")
        if not out.parent.is_dir():
            raise InputError(f"--out: the folder {validators.cut(str(out.parent))!r} does not exist", "out")
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        service = MissingService(ctx)
        if day is not None and day > ctx.calendar.localize(ctx.now()).date():
            raise InputError(f"--date: {day} is in the future", "date")
        lst = service.daily_list(actor, day)
        saved = service.save_list(actor, lst, out) if out is not None else None

    result: dict[str, object] = {"date": lst.day.isoformat(), "as_at": lst.as_at.isoformat(),
                                 "missing": [_row(r) for r in lst.missing], "returned": [_row(r) for r in lst.returned]}
    if saved is not None:
        result["out"] = str(saved)
    print(json.dumps(result))
    return 0


def _row(r: MissingRow) -> dict[str, object]:
    return {"reference": r.reference, "child": r.child, "age": r.age, "status": r.status,
            "looked_after": r.looked_after, "risk": r.risk, "missing_from": r.missing_from,
            "last_seen": r.last_seen_at.isoformat(), "returned": r.returned_at.isoformat() if r.returned_at
            else None, "hours_missing": r.hours_missing,
            "clocks": [{"clock": c.kind, "state": c.state, "due": c.due_at.isoformat() if c.due_at else None,
                        "label": c.label} for c in r.clocks],
            "police_reference": r.police_reference, "last_update": r.last_update,
            "atlas_review": r.atlas_review}
