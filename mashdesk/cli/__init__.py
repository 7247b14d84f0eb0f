"""The ``mashdesk`` command: scripted access to the same services as the window.

Each sub-command lives in its own module exposing ``register(subparsers)``; the
handler it sets as ``func`` takes the parsed arguments and returns an exit code.
Exit codes (interfaces.md): 0 success, 2 bad input, 1 any other failure.
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
)


#: Every sub-command name (the window's entry point uses it to tell a command from window options).
COMMAND_NAMES = ("init", "demo", "audit", "triage", "due", "import", "match", "pack", "handover")


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(prog="mashdesk", description="MASH Desk command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
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
