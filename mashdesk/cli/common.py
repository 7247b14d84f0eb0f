"""Options and helpers shared by the sub-commands: ``--db``, ``--as`` and signing in."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from mashdesk.errors import AuthenticationError, MashDeskError
from mashdesk.paths import default_db_url

if TYPE_CHECKING:  # the database stack is imported only by commands that use it
    from mashdesk.services.base import Actor, AppContext


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", default=None,
                        help="SQLAlchemy URL (default: $MASHDESK_DB or the embedded SQLite database)")


def add_actor_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", metavar="USERNAME", required=True,
                        help="act as this user (password from $MASHDESK_PASSWORD or asked for)")


@contextmanager
def open_context(args: argparse.Namespace) -> Iterator[AppContext]:
    """The database named by ``--db`` (migrated), closed again when the command ends."""
    from db.migrate import DatabaseTooNew
    from mashdesk.app import open_database

    try:
        ctx, _ = open_database(args.db or default_db_url())
    except DatabaseTooNew as exc:
        raise MashDeskError(str(exc)) from exc
    try:
        yield ctx
    finally:
        ctx.engine.dispose()


def password_from_env_or_prompt(prompt: str) -> str:
    env = os.environ.get("MASHDESK_PASSWORD")
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise AuthenticationError("no password: set MASHDESK_PASSWORD or run on a terminal")
    return getpass.getpass(prompt)


def sign_in(ctx: AppContext, username: str) -> Actor:
    """Sign the command in as ``username``; the sign-in is audited like the window's."""
    from mashdesk.services.auth import AuthService

    password = password_from_env_or_prompt(f"Password for {username}: ")
    return AuthService(ctx).sign_in(username, password)
