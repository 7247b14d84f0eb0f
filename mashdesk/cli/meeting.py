"""``mashdesk meeting agenda --date D --as USER`` and ``mashdesk meeting minutes --date D --as USER --out F.pdf``
(interfaces.md): the daily meeting's agenda as JSON, and its minutes, each as that user may see them."""

from __future__ import annotations

import argparse
import json

from mashdesk.cli.common import add_command, day_option, open_context, sign_in


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("meeting", help="the daily MASH meeting: its agenda and minutes")
    kinds = p.add_subparsers(dest="meeting_command", metavar="COMMAND", required=True)
    a = add_command(kinds, "agenda", acts_as_user=True, help="the agenda as JSON, as the user may see it",
                    description="Print the daily meeting's agenda for a date as JSON: each item's kind, record "
                    "reference, reason and the agency that brings it (the user's share only).")
    a.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the meeting's date")
    a.set_defaults(func=cmd_agenda)
    m = add_command(kinds, "minutes", acts_as_user=True, help="the minutes as a PDF, redacted for the user",
                    description="Save the minutes of the daily meeting of a date as the user may read them.")
    m.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the meeting's date")
    m.add_argument("--out", required=True, metavar="FILE.pdf", help="where to save the PDF")
    m.set_defaults(func=cmd_minutes)


def cmd_agenda(args: argparse.Namespace) -> int:
    from mashdesk.meeting.service import MeetingService

    day = day_option(args.date, "--date")
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        d = MeetingService(ctx).agenda(actor, day)
    print(json.dumps({
        "date": d.day.isoformat(), "status": d.status,
        "items": [{"kind": it.kind, "record": it.reference, "reason": it.reason, "agency": it.brought_by,
                   "section": it.section, "title": it.title, "atlas": list(it.atlas),
                   "decision": it.decision} for it in d.items],
    }, indent=2))
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    from mashdesk.meeting.service import MeetingService

    day = day_option(args.date, "--date")
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        service = MeetingService(ctx)
        detail = service.agenda(actor, day)
        pdf = service.minutes_pdf(actor, day)
        path = service.save_minutes(actor, day, detail.meeting_id, pdf, args.out)
    print(json.dumps({"date": day.isoformat(), "out": str(path), "bytes": len(pdf), "items": len(detail.items)}))
    return 0
