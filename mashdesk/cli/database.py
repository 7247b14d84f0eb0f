"""``mashdesk init``, ``mashdesk demo`` and ``mashdesk audit verify|checkpoint|export|access``."""

from __future__ import annotations

import argparse
import json
import sys

from mashdesk.cli.common import add_command, open_context, parse_date, password_from_env_or_prompt, sign_in
from mashdesk.permissions import require


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = add_command(sub, "init", help="create or upgrade the database schema")
    p.add_argument("--admin", metavar="USERNAME", help="create this first administrator on a database with no users")
    p.set_defaults(func=cmd_init)

    p = add_command(sub, "demo", help="fill a demo database with synthetic data")
    p.add_argument("--contacts", type=int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("audit", help="audit trail")
    audit_sub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = add_command(audit_sub, "verify", acts_as_user=True,
                    help="check the audit trail is complete and untampered")
    v.set_defaults(func=cmd_audit_verify)
    c = add_command(audit_sub, "checkpoint", acts_as_user=True,
                    help="write a signed checkpoint of the trail outside the database")
    c.set_defaults(func=cmd_audit_checkpoint)
    e = add_command(audit_sub, "export", acts_as_user=True, help="write a signed extract of the trail")
    e.add_argument("--from", dest="start", required=True, type=parse_date, metavar="YYYY-MM-DD")
    e.add_argument("--to", dest="end", required=True, type=parse_date, metavar="YYYY-MM-DD")
    e.add_argument("--out", required=True, metavar="FILE")
    e.set_defaults(func=cmd_audit_export)
    a = add_command(audit_sub, "access", acts_as_user=True,
                    help="who looked at a child's record, and when (managers and administrators)")
    a.add_argument("--person", required=True, metavar="ID", help="the person's id or reference (P-000042)")
    a.add_argument("--limit", type=int, default=500, metavar="N", help="the newest N entries (500)")
    a.set_defaults(func=cmd_audit_access)


def cmd_init(args: argparse.Namespace) -> int:
    from mashdesk.services.auth import AuthService

    with open_context(args) as ctx:
        if args.admin:
            password = password_from_env_or_prompt(f"Password for the new administrator {args.admin}: ")
            created = AuthService(ctx).bootstrap_admin(args.admin, password)
            print(f"administrator {args.admin} created" if created else
                  "the database already has users: no administrator created", file=sys.stderr)
        print(json.dumps({"database": ctx.engine.url.render_as_string(hide_password=True),
                          "schema": "current"}))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from mashdesk.demo import build_demo

    with open_context(args) as ctx:
        summary = build_demo(ctx, args.contacts, args.seed)
    print(json.dumps({"contacts": summary.contacts, "people": summary.people, "edt_entries": summary.edt_entries,
                      "step_downs": summary.step_downs, "strategy_discussions": summary.strategy_discussions,
                      "seconds": round(summary.seconds, 1)}))
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from mashdesk.services.audit_trail import AuditTrailService

    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        result = AuditTrailService(ctx).verify(actor)
    print(result.summary(), file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    from mashdesk.services.audit_trail import AuditTrailService

    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        require(actor.role, "audit.read", actor.username)
        checkpoint = AuditTrailService(ctx).checkpoint("by hand")
    print(json.dumps({"entries": checkpoint.count, "head": checkpoint.head, "at": checkpoint.at}))
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    from mashdesk.services.audit_trail import AuditTrailService

    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        print(json.dumps(AuditTrailService(ctx).export(actor, args.start, args.end, args.out)))
    return 0


def cmd_audit_access(args: argparse.Namespace) -> int:
    from mashdesk.errors import InputError
    from mashdesk.services.access_log import AccessLogService

    text = args.person.strip().upper().removeprefix("P-")
    if not text.isdigit() or len(text) > 12:
        raise InputError(f"--person: {args.person[:80]!r} is not a person's id or reference", "person")
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        log = AccessLogService(ctx).for_person(actor, int(text), args.limit)
    print(json.dumps({"person": log.reference, "name": log.name, "entries": [
        {"at": e.at.isoformat(), "who": e.who, "username": e.username, "kind": e.kind, "action": e.action,
         "record": e.entity, "record_id": e.entity_id, "summary": e.summary} for e in log.entries]}, indent=1))
    return 0
