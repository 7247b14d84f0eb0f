"""Options of the commands that act as a user, given hostile values: exit 0, or 2 in one line; no traceback.

The values are the ones that crashed commands before: NUL and broken characters, 300-character values,
ids beyond the database's integers, years 1 and 9999, folders and unwritable places for files, names
too long for the file system. The manager is signed in already (the sign-in is test_cli_options').
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from mashdesk.cli import COMMAND_MODULES
from tests.mashdesk.cli_invoke import assert_contract, invoke

HOSTILE = ["", "x" * 300, "\x00", "a\x00b", "\ud800", "-1", "0", "99999999999999999999999", "9999-12-31",
           "0001-01-01", "2026-02-30", "/proc", "/proc/x.pdf", "/proc/x.csv", "/proc/x.json"]
#: Each command, with ``None`` where the hostile value goes and valid values elsewhere.
FORMS = {
    "pack strategy": [["--discussion", None, "--out", "{tmp}/p.pdf"], ["--discussion", "1", "--out", None]],
    "handover": [["--date", None, "--out", "{tmp}/h.pdf"], ["--date", "2026-11-20", "--out", None]],
    "meeting agenda": [["--date", None]],
    "meeting minutes": [["--date", None, "--out", "{tmp}/m.pdf"], ["--date", "2026-11-20", "--out", None]],
    "missing list": [["--date", None], ["--date", "2026-11-20", "--out", None]],
    "rules replay": [["--ruleset", None, "--from", "2026-01-01", "--to", "2026-02-01"]],
    "rules consistency": [["--from", None, "--to", "2026-02-01"], ["--from", "2026-01-01", "--to", None]],
    "audit export": [["--from", "2026-01-01", "--to", "2026-01-02", "--out", None],
                     ["--from", None, "--to", "2026-01-02", "--out", "{tmp}/e.json"]],
    "import persons": [[None]],
    "match": [["--first-name", None, "--last-name", "Lee"], ["--first-name", "Ann", "--last-name", "Lee",
                                                             "--dob", None]],
}


@pytest.fixture
def signed_in(ctx, actors, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    @contextmanager
    def opened(_args: object) -> Iterator[object]:
        yield ctx

    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "open_context"):
            monkeypatch.setattr(module, "open_context", opened)
        if hasattr(module, "sign_in"):
            monkeypatch.setattr(module, "sign_in", lambda _ctx, _name: actors["manager"])


@pytest.mark.parametrize("command", sorted(FORMS))
def test_hostile_option_values_are_answered_in_one_line(command, signed_in, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # "-1" or "0" is a file name a command may write, here
    for form in FORMS[command]:
        for value in HOSTILE:
            argv = [*command.split(), *(value if a is None else a.format(tmp=tmp_path) for a in form),
                    "--as", "test.manager"]
            assert_contract(invoke(argv), json_out=True, values=[value])
