"""``mashdesk export annex-a --as USERNAME --from D --to D --out FILE.xlsx``: Ofsted's Annex A, Lists 1-3."""

from __future__ import annotations

import argparse
import json

from mashdesk.cli.common import add_command, open_context, parse_date, sign_in
from mashdesk.cli.report import check_period, out_file


def register(kinds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = add_command(kinds, "annex-a", acts_as_user=True, help="Ofsted's Annex A (ILACS) Lists 1, 2 and 3",
                    description="Write Ofsted's Annex A workbook for the days FROM to TO (London time, "
                    "inclusive): List 1 contacts, List 2 Early Help assessments, List 3 referrals, one row a "
                    "child and record, with the template's headings and letter-prefixed values. Prints (JSON) "
                    "the file and the rows of each list; the export is audited with the file's SHA-256.")
    s.add_argument("--from", dest="start", required=True, type=parse_date, metavar="YYYY-MM-DD")
    s.add_argument("--to", dest="end", required=True, type=parse_date, metavar="YYYY-MM-DD")
    s.add_argument("--out", required=True, metavar="FILE.xlsx", help="where to write the workbook")
    s.set_defaults(func=cmd_annex_a)


def cmd_annex_a(args: argparse.Namespace) -> int:
    from mashdesk.returns.annex_a import AnnexAService, counts

    check_period(args)
    out = out_file(args.out, (".xlsx",))
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        service = AnnexAService(ctx)
        annex = service.build(actor, args.start, args.end)
        saved = service.save(actor, annex, out)
    print(json.dumps({"out": str(saved), "from": annex.first.isoformat(), "to": annex.last.isoformat(),
                      "rows": counts(annex)}))
    return 0
