"""``mashdesk export …``: the statutory returns. Each return's module adds its own sub-command."""

from __future__ import annotations

import argparse
import importlib

#: Modules that add an ``export`` sub-command through ``register_export(kinds)``.
EXPORT_MODULES = ("mashdesk.cli.export_census",)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="statutory returns: the CIN census, Annex A")
    kinds = p.add_subparsers(dest="export_command", metavar="RETURN", required=True)
    for name in EXPORT_MODULES:
        importlib.import_module(name).register_export(kinds)
