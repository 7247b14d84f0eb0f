"""``mashdesk handover --as USER --date YYYY-MM-DD --out FILE.pdf``: the EDT handover sheet (interfaces.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mashdesk import validators
from mashdesk.cli.common import add_command, day_option, open_context, sign_in
from mashdesk.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = add_command(sub, "handover", acts_as_user=True,
                    help="save the EDT handover sheet for the period ending one morning",
                    description="Write the EDT handover sheet (PDF) for the out-of-hours period ending on "
                    "the morning of DATE: every item, what was done, what is outstanding, who "
                    "acknowledged it and what it became.")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the working day whose morning ends the period")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the sheet")
    p.set_defaults(func=cmd_handover)


def cmd_handover(args: argparse.Namespace) -> int:
    from mashdesk.handover.service import HandoverService

    day = day_option(args.date, "--date")
    out = Path(args.out)
    if not out.parent.is_dir():
        raise InputError(f"--out: the folder {validators.cut(str(out.parent))!r} does not exist", "out")
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        service = HandoverService(ctx)
        sheet = service.sheet(actor, day)
        out = service.save_sheet(actor, sheet, out)
    period = sheet.period
    print(json.dumps({"out": str(out), "period_start": period.start.isoformat(),
                      "period_end": period.end.isoformat(), "items": len(period.items),
                      "unacknowledged": len(period.unacknowledged), "breached": sum(i.breached for i in period.items)}))
    return 0
