"""``mashdesk export …``: statutory returns written to a file, each kind in its own module."""

from __future__ import annotations

import argparse
import importlib

#: Modules that add a kind of export, each with ``register(kinds)``.
EXPORT_MODULES = ("mashdesk.cli.export_census", "mashdesk.cli.export_annex_a")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="statutory returns")
    kinds = p.add_subparsers(dest="export_kind", metavar="WHAT", required=True)
    for name in EXPORT_MODULES:
        importlib.import_module(name).register(kinds)
