"""MASH Desk: ``python main.py`` opens the desk; ``python main.py COMMAND …`` runs a command-line tool."""

from __future__ import annotations

import sys
import time

_STARTED = time.perf_counter()
#: Window options that take a value (so their value is not mistaken for a command).
_VALUE_OPTIONS = {"--db", "--as", "--screenshot", "--view"}


def command_in(argv: list[str]) -> bool:
    """Whether the arguments name a command-line tool rather than the window."""
    from mashdesk.cli import COMMAND_NAMES

    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _VALUE_OPTIONS:
            skip = True
            continue
        if not arg.startswith("-"):
            return arg in COMMAND_NAMES
    return False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if command_in(argv):
        from mashdesk.cli import run

        return run(argv)
    import ui.app

    ui.app.STARTED = _STARTED
    return ui.app.run(argv)


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
