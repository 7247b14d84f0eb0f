"""Options and helpers shared by the sub-commands: ``--db``, ``--as`` and signing in."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from mashdesk import team_db
from mashdesk.errors import AuthenticationError, InputError, MashDeskError

if TYPE_CHECKING:  # the database stack is imported only by commands that use it
    from mashdesk.context import Actor, AppContext


_DB_HELP = "SQLAlchemy URL (default: $MASHDESK_DB or the embedded SQLite database)"
_AS_HELP = "act as this user (password from $MASHDESK_PASSWORD or asked for)"
#: ``--as`` in the top parser's help: it is taken only by the commands that act as a user.
TOP_AS_HELP = f"for a command that acts as a user: {_AS_HELP}"


class OneLineParser(argparse.ArgumentParser):
    """argparse, with bad arguments reported in one line (no usage block) quoting at most 80 characters."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message)}\n")


def one_line(message: str) -> str:
    """A message on one line, each quoted value cut to 80 characters (interfaces.md: one line on stderr)."""
    text = _QUOTED.sub(lambda m: f"{m[1]}{m[2][:80]}…{m[1]}", " ".join(message.split()))
    return text if len(text) <= _LONGEST else text[:_LONGEST] + "…"


#: A quoted value longer than 80 characters (argparse and ``repr`` quote with ' or ").
_QUOTED = re.compile(r"""(['"])([^'"]{81,})\1""")
#: No message is longer than this, whatever it quotes (a path, a server's answer).
_LONGEST = 600


def common_options(*, after_command: bool, as_help: str = argparse.SUPPRESS) -> argparse.ArgumentParser:
    """``--db`` and ``--as``, to pass as ``parents=`` to the top parser and to each command's parser.

    Both may come before or after the command name. Before it they default to ``None``; after it
    they default to nothing at all (``SUPPRESS``), so a command's parser never overwrites a value
    given before its name. Every command accepts ``--as``: :func:`check_actor` then refuses it for a
    command that does not act as a user, and requires it for one that does, wherever it was given.
    """
    default = argparse.SUPPRESS if after_command else None
    parser = OneLineParser(add_help=False)
    parser.add_argument("--db", metavar="URL", default=default, help=_DB_HELP)
    parser.add_argument("--as", dest="as_user", metavar="USERNAME", default=default, help=as_help)
    return parser


def add_command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    *,
    acts_as_user: bool = False,
    **kwargs: str,
) -> argparse.ArgumentParser:
    """A command's parser, taking the common options after its name as well as before it."""
    as_help = f"required: {_AS_HELP}" if acts_as_user else argparse.SUPPRESS
    parser: argparse.ArgumentParser = sub.add_parser(
        name, parents=[common_options(after_command=True, as_help=as_help)], **kwargs)
    parser.set_defaults(acts_as_user=acts_as_user, command_parser=parser)
    return parser


def check_actor(args: argparse.Namespace) -> None:
    """``--as`` is required by a command that acts as a user and refused by any other (exit 2)."""
    parser: argparse.ArgumentParser = args.command_parser
    if args.acts_as_user and args.as_user is None:
        parser.error("the following arguments are required: --as")
    if not args.acts_as_user and args.as_user is not None:
        parser.error("--as: this command does not act as a user")


@contextmanager
def open_context(args: argparse.Namespace) -> Iterator[AppContext]:
    """The database named by ``--db`` (migrated), closed again when the command ends."""
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from db.migrate import SchemaRefused

    url = team_db.connect_url(args.db or team_db.default_url())
    try:
        ctx = _open_asking_password(url)
    except SchemaRefused as exc:  # too new for this version, or desks are connected during an upgrade
        raise MashDeskError(str(exc)) from exc
    except ArgumentError as exc:  # not a URL, or a dialect SQLAlchemy does not know
        raise InputError(f"--db: not a database URL the desk can use: {exc}", "db") from None
    except DBAPIError as exc:  # the server is down, refuses us, or the file cannot be opened
        raise MashDeskError(f"cannot open the database {_shown(url)}: {_first_line(exc.orig)}") from None
    try:
        yield ctx
    finally:
        ctx.engine.dispose()


def _open_asking_password(url: str) -> AppContext:
    """Open (and migrate) the database; a team database that refuses us for want of a password (no
    keyring, or a changed password) is asked for it on a terminal, each time."""
    from sqlalchemy.exc import DBAPIError

    from mashdesk.app import open_database

    try:
        return open_database(url)[0]
    except DBAPIError as exc:
        if not (team_db.password_refused(exc.orig) and sys.stdin.isatty() and team_db.is_team_url(url)):
            raise
    db = team_db.parse(team_db.strip_password(url))
    return open_database(db.with_password(getpass.getpass(f"Password for {db.user} on {db.label}: ")))[0]


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _first_line(error: BaseException | None) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def password_from_env_or_prompt(prompt: str) -> str:
    env = os.environ.get("MASHDESK_PASSWORD")
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise AuthenticationError("no password: set MASHDESK_PASSWORD or run on a terminal")
    return getpass.getpass(prompt)


def sign_in(ctx: AppContext, username: str) -> Actor:
    """Sign the command in as ``username``; the sign-in is audited like the window's."""
    from mashdesk.errors import PasswordChangeRequired
    from mashdesk.services.auth import AuthService

    password = password_from_env_or_prompt(f"Password for {username}: ")
    try:
        return AuthService(ctx).sign_in(username, password)
    except PasswordChangeRequired:
        raise AuthenticationError(
            f"{username}: an administrator reset this password; sign in to the desk's window to choose a new "
            "one (commands are refused until then)") from None


def parse_date(value: str) -> date:
    """An argparse type: a date as YYYY-MM-DD between 1900 and 2100 (argparse names the option)."""
    from mashdesk import validators

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{validators.shown(value)} is not a date (YYYY-MM-DD)") from None
    try:
        return validators.in_years(day)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{validators.shown(value)}: {exc}") from None


def day_option(text: str, option: str) -> date:
    """``--OPTION YYYY-MM-DD``: a date in 1900-2100, else :class:`InputError` naming the option."""
    from mashdesk import validators

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: {validators.shown(text)} is not a date written YYYY-MM-DD",
                         option.lstrip("-")) from None
    try:
        return validators.in_years(day)
    except ValueError as exc:
        raise InputError(f"{option}: {validators.shown(text)}: {exc}", option.lstrip("-")) from None


#: The largest record id a command accepts (the databases' INTEGER).
LARGEST_ID = 2**31 - 1


def id_option(text: str, option: str, what: str) -> int:
    """``--OPTION ID``: a record id (1 or more), else :class:`InputError` naming the option."""
    from mashdesk import validators

    try:
        ident = int(text)
    except ValueError:
        ident = 0
    if not 1 <= ident <= LARGEST_ID:
        raise InputError(f"{option}: {validators.shown(text)} is not a {what} id", option.lstrip("-"))
    return ident


def file_option(text: str, option: str) -> Path:
    """``--OPTION FILE``: a file that exists, else :class:`InputError` naming the option."""
    from mashdesk import validators

    path = Path(text)
    try:
        found = path.is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL, is no file either
        found = False
    if not found:
        raise InputError(f"{option}: no file {validators.shown(text)}", option.lstrip("-"))
    return path
