"""``mashdesk pack strategy --discussion ID --as USERNAME --out FILE.pdf`` (interfaces.md)."""

from __future__ import annotations

import argparse
import json

from mashdesk.cli.common import add_command, id_option, open_context, sign_in
from mashdesk.errors import InputError, NotFound


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("pack", help="build a document pack")
    kinds = p.add_subparsers(dest="pack_kind", metavar="KIND", required=True)
    s = add_command(
        kinds,
        "strategy",
        acts_as_user=True,
        help="the strategy meeting pack, as the user may see it",
        description="Build the strategy meeting pack of a discussion as USERNAME may see it: "
        "answers restricted to another agency are left out and marked as withheld.",
    )
    s.add_argument("--discussion", required=True, metavar="ID", help="the strategy discussion's id")
    s.add_argument("--out", required=True, metavar="FILE.pdf", help="where to save the PDF")
    s.set_defaults(func=cmd_pack_strategy)


def cmd_pack_strategy(args: argparse.Namespace) -> int:
    from mashdesk.documents.delivery import DocumentDelivery
    from mashdesk.strategy.service import StrategyService, pack_of

    discussion = id_option(args.discussion, "--discussion", "discussion")
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        service = StrategyService(ctx)
        try:
            pdf = service.build_pack(actor, discussion)
        except NotFound as exc:
            raise InputError(f"--discussion: {exc}", "discussion") from exc
        path = DocumentDelivery(ctx).save(actor, pack_of(discussion), pdf, args.out)
    print(json.dumps({"discussion": discussion, "out": str(path), "bytes": len(pdf)}))
    return 0
