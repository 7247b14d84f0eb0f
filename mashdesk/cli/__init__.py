"""The ``mashdesk`` command: scripted access to the same services as the window.

Each sub-command lives in its own module exposing ``register(subparsers)``, which makes
its parser with :func:`mashdesk.cli.common.add_command`; the handler it sets as ``func``
takes the parsed arguments and returns an exit code. The common options ``--db`` and
``--as`` go before or after the command name. Exit codes (interfaces.md): 0 success,
2 bad input, 1 any other failure.
"""

from __future__ import annotations

import argparse
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
    "mashdesk.cli.export",
)


#: Every sub-command name (the window's entry point uses it to tell a command from window options).
COMMAND_NAMES = ("init", "demo", "audit", "triage", "due", "import", "match", "pack", "handover", "rules",
                 "meeting", "missing", "export")


def build_parser() -> argparse.ArgumentParser:
    import importlib

    from mashdesk.cli.common import TOP_AS_HELP, common_options

    parser = argparse.ArgumentParser(
        prog="mashdesk", description="MASH Desk command line",
        epilog="--db and --as go before or after the command: "
        "'mashdesk --db URL init' is 'mashdesk init --db URL'.",
        parents=[common_options(after_command=False, as_help=TOP_AS_HELP)])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code."""
    from mashdesk.cli.common import check_actor

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    check_actor(args)
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        print(f"mashdesk: {exc}", file=sys.stderr)
        return 2
    except MashDeskError as exc:
        print(f"mashdesk: {exc}", file=sys.stderr)
        return 1


def main() -> None:
    sys.exit(run())
