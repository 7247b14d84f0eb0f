"""``mashdesk user add|list|deactivate|reactivate|reset|role|unlock``: user administration (administrators).

A new or reset account gets a temporary password, printed once in the JSON for the administrator to
pass on; its owner must choose their own at the next sign-in in the window.
"""

from __future__ import annotations

import argparse
import json

from mashdesk.cli.common import add_command, open_context, sign_in
from mashdesk.errors import InputError, NotFound


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("user", help="user administration (administrators)")
    users = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    a = add_command(users, "add", acts_as_user=True, help="add a user (a temporary password is printed)")
    a.add_argument("username")
    a.add_argument("--name", required=True, metavar="FULL_NAME", help="the person's name as shown")
    a.add_argument("--role", required=True, metavar="ROLE")
    a.add_argument("--agency", metavar="CODE", help="the agency (default: the role's own)")
    a.add_argument("--team", metavar="TEAM")
    a.set_defaults(func=cmd_add)
    add_command(users, "list", acts_as_user=True, help="list every user").set_defaults(func=cmd_list)
    for name, text in (("deactivate", "stop a user signing in (nothing is deleted)"),
                       ("reactivate", "let a deactivated user sign in again"),
                       ("reset", "give a user a temporary password, to change at the next sign-in"),
                       ("unlock", "lift the lock wrong passwords put on an account")):
        c = add_command(users, name, acts_as_user=True, help=text)
        c.add_argument("username")
        c.set_defaults(func=cmd_change, change=name)
    r = add_command(users, "role", acts_as_user=True, help="give a user another role (and agency)")
    r.add_argument("username")
    r.add_argument("role")
    r.add_argument("--agency", metavar="CODE", help="the agency (default: the role's own)")
    r.set_defaults(func=cmd_change, change="role")


def cmd_add(args: argparse.Namespace) -> int:
    from mashdesk.accounts.service import UserService

    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        made = UserService(ctx).add(actor, username=args.username, display_name=args.name, role=args.role,
                                    team=args.team, agency=args.agency)
        row = UserService(ctx).user(actor, made.username)
    print(json.dumps({**row.as_json(), "temporary_password": made.password}))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from mashdesk.accounts.service import UserService

    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        rows = UserService(ctx).users(actor)
    print(json.dumps({"users": [r.as_json() for r in rows]}))
    return 0


def cmd_change(args: argparse.Namespace) -> int:
    from mashdesk.accounts.service import UserService

    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        service = UserService(ctx)
        try:
            row = service.user(actor, args.username)
        except NotFound as exc:
            raise InputError(str(exc), "user") from None
        out: dict[str, object] = {}
        if args.change == "role":
            service.set_role(actor, row.id, row.version, args.role, args.agency)
        elif args.change == "reset":
            out["temporary_password"] = service.reset(actor, row.id, row.version).password
        else:
            getattr(service, args.change)(actor, row.id, row.version)
        after = service.user(actor, args.username)
    print(json.dumps({**after.as_json(), **out}))
    return 0
