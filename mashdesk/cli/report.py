"""``mashdesk report digest --from D --to D --as USERNAME [--out FILE.pdf|FILE.xlsx]``: the performance digest."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mashdesk.cli.common import add_command, open_context, parse_date, sign_in
from mashdesk.errors import InputError

if TYPE_CHECKING:
    from mashdesk.digest.views import Count


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="performance reports")
    kinds = p.add_subparsers(dest="report_kind", metavar="WHAT", required=True)
    s = add_command(kinds, "digest", acts_as_user=True, help="the performance digest for a period",
                    description="Print (JSON) the performance digest for the days FROM to TO (London time, "
                    "inclusive) beside the period of the same length before: contacts by source and outcome, "
                    "decisions within timescale by RAG, conversion to referrals and re-referrals, step-downs "
                    "and step-ups, ICPCs within 15 working days, EDT items dealt with by 10:00, threshold "
                    "overrides by ruleset version, missing children and consultations. --out also saves it "
                    "as a PDF (OFFICIAL-SENSITIVE) or an Excel workbook.")
    s.add_argument("--from", dest="start", required=True, type=parse_date, metavar="YYYY-MM-DD")
    s.add_argument("--to", dest="end", required=True, type=parse_date, metavar="YYYY-MM-DD")
    s.add_argument("--out", metavar="FILE.pdf|FILE.xlsx", help="also save the digest to this file")
    s.set_defaults(func=cmd_digest)


def out_file(value: str | None, suffixes: tuple[str, ...]) -> Path | None:
    """The ``--out`` file, refused (exit 2 naming ``--out``) unless it ends in one of ``suffixes`` in a folder
    that exists."""
    if value is None:
        return None
    out = Path(value)
    if out.suffix.lower() not in suffixes:
        raise InputError(f"--out: {out.name} must end in {' or '.join(suffixes)}", "out")
    if not out.parent.is_dir():
        raise InputError(f"--out: the folder {str(out.parent)!r} does not exist", "out")
    return out


def check_period(args: argparse.Namespace) -> None:
    if args.end < args.start:
        raise InputError(f"--to: {args.end} is before --from ({args.start})", "to")


def cmd_digest(args: argparse.Namespace) -> int:
    from mashdesk.digest.service import FORMATS, DigestService

    check_period(args)
    out = out_file(args.out, FORMATS)
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        service = DigestService(ctx)
        digest = service.digest(actor, args.start, args.end)
        saved = service.save(actor, digest, out) if out is not None else None
    result: dict[str, Any] = {
        "from": digest.period.first.isoformat(), "to": digest.period.last.isoformat(),
        "previous": {"from": digest.previous.first.isoformat(), "to": digest.previous.last.isoformat()},
        "figures": [{"key": f.key, "section": f.section, "label": f.label, **_count(f.current),
                     "previous": _count(f.previous)} for f in digest.lines],
        "override_reasons": [{"ruleset": r.ruleset, "reason": r.reason, "times": r.times} for r in digest.reasons],
    }
    if saved is not None:
        result["out"] = str(saved)
    print(json.dumps(result))
    return 0


def _count(count: Count) -> dict[str, Any]:
    return {"value": count.value, "of": count.of, "share": count.share}
