"""``mashdesk connect postgresql://USER@HOST/DB``: remember a team database, its password in the keyring."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from mashdesk import team_db
from mashdesk.cli.common import add_command
from mashdesk.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = add_command(sub, "connect", help="remember a team database on PostgreSQL; its password is asked for "
                    "once and kept in the system keyring, never in the URL or the settings")
    p.add_argument("url", metavar="postgresql://USER@HOST/DB", help="the team database, without a password")
    p.add_argument("--sslmode", choices=team_db.SSLMODES, help="TLS to the server (libpq's sslmode; "
                   "verify-full checks the server's certificate and name)")
    p.add_argument("--sslrootcert", metavar="FILE",
                   help="the certificate authority that signed the server's certificate")
    p.set_defaults(func=cmd_connect)


def _password(db: team_db.TeamDatabase) -> str:
    if os.environ.get("PGPASSWORD"):
        return os.environ["PGPASSWORD"]
    if not sys.stdin.isatty():
        raise InputError("password: none given; run on a terminal to be asked, or set PGPASSWORD", "password")
    return getpass.getpass(f"Password for {db.user} on {db.label}: ")


def cmd_connect(args: argparse.Namespace) -> int:
    if args.db is not None:
        raise InputError("--db: connect takes the team database as its URL", "db")
    db = team_db.parse(args.url, sslmode=args.sslmode, sslrootcert=args.sslrootcert)
    done = team_db.connect(db.url, _password(db))
    print(json.dumps({"database": done.database.url, "password": done.password_note,
                      "tls": team_db.tls_label(done.database.url)}))
    if not done.in_keyring:
        print("mashdesk: this computer has no system keyring: the password will be asked for each time",
              file=sys.stderr)
    return 0
