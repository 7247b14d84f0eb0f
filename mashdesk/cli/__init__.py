"""The ``mashdesk`` command: scripted access to the same services as the window.

Each sub-command lives in its own module exposing ``register(subparsers)``, which makes
its parser with :func:`mashdesk.cli.common.add_command`; the handler it sets as ``func``
takes the parsed arguments and returns an exit code. The common options ``--db`` and
``--as`` go before or after the command name. Exit codes (interfaces.md): 0 success,
2 bad input, 1 any other failure.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence

from mashdesk.errors import InputError, MashDeskError

#: Modules that contribute sub-commands, in help order.
COMMAND_MODULES = (
    "mashdesk.cli.database",
    "mashdesk.cli.triage",
    "mashdesk.cli.people",
    "mashdesk.cli.handover",
    "mashdesk.cli.pack",
    "mashdesk.cli.rules",
    "mashdesk.cli.meeting",
    "mashdesk.cli.missing",
    "mashdesk.cli.connect",
    "mashdesk.cli.users",
    "mashdesk.cli.export",
    "mashdesk.cli.report",
)


#: Every sub-command name (the window's entry point uses it to tell a command from window options).
COMMAND_NAMES = ("init", "demo", "audit", "triage", "due", "import", "match", "pack", "handover", "rules",
                 "meeting", "missing", "connect", "user", "export", "report")


def build_parser() -> argparse.ArgumentParser:
    import importlib

    from mashdesk.cli.common import TOP_AS_HELP, OneLineParser, common_options

    parser = OneLineParser(
        prog="mashdesk", description="MASH Desk command line",
        epilog="--db and --as go before or after the command: "
        "'mashdesk --db URL init' is 'mashdesk init --db URL'.",
        parents=[common_options(after_command=False, as_help=TOP_AS_HELP)])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


@functools.cache
def _parser() -> argparse.ArgumentParser:
    """The parser, made once a process (parsing never changes it)."""
    return build_parser()


def run(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code (argparse exits 2 itself on a bad argument).

    Whatever happens, the person sees one line: bad input (exit 2) names its field; any other
    failure (exit 1) says what failed, never a traceback.
    """
    from mashdesk.cli.common import check_actor, one_line

    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    check_actor(args)
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        _say(one_line(str(exc)))
        return 2
    except MashDeskError as exc:
        _say(one_line(str(exc)))
        return 1
    except Exception as exc:  # noqa: BLE001 - the contract: one line, exit 1, whatever failed
        from mashdesk.dberrors import explain

        plain = explain(exc)  # a database that cannot be reached, or is busy, in the desk's words
        _say(one_line(plain if plain is not None else f"{args.command} failed: {type(exc).__name__}: {exc}"))
        return 1


def _say(message: str) -> None:
    """One line on standard error, any character written safely whatever the terminal's encoding."""
    sys.stderr.write(f"mashdesk: {message}\n".encode("utf-8", "backslashreplace").decode("utf-8"))


def main() -> None:
    sys.exit(run())
