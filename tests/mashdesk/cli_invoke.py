"""Running a ``mashdesk`` command in-process, as the fuzz tests do, and the exit-code contract they check."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from mashdesk.cli import run

#: One line: "mashdesk[ COMMAND]: [error: ]", the field (or line), then what is wrong with it.
_ONE_LINE = re.compile(r"mashdesk[\w ]*: (error: )?\S.*?: .+")
#: The longest message line (interfaces.md: one line, the bad value quoted at most 80 characters).
LONGEST_MESSAGE = 700


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


@contextmanager
def _streams(stdin: bytes) -> Any:
    saved = sys.stdin, sys.stdout, sys.stderr
    # Like a UTF-8 terminal: standard error writes any character (backslashreplace), standard output strict.
    streams = (io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
               io.TextIOWrapper(io.BytesIO(), encoding="utf-8"),
               io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace"))
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        yield streams
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def invoke(argv: Sequence[str], stdin: bytes = b"") -> Outcome:
    """Run ``mashdesk ARGV`` in this process; any exception but ``SystemExit`` escapes (a traceback)."""
    with _streams(stdin) as (_, out, err):
        try:
            code = run(list(argv))
        except SystemExit as exc:  # argparse refusing an argument
            code = exc.code if isinstance(exc.code, int) else 1
        out.flush()
        err.flush()
        texts = [s.buffer.getvalue().decode("utf-8") for s in (out, err)]  # type: ignore[attr-defined]
    return Outcome(code, *texts)


def assert_contract(result: Outcome, *, json_out: bool, values: Sequence[Any] = ()) -> None:
    """Exit 0 with the output, or exit 2 with one line on stderr naming the field; never more of a value."""
    assert "Traceback" not in result.err, result.err
    assert result.code in (0, 2), result.err
    if result.code == 0:
        if json_out:
            json.loads(result.out)
        else:
            assert len(result.out.splitlines()) == 1
        return
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert _ONE_LINE.fullmatch(lines[0]), lines[0]
    assert len(lines[0]) <= LONGEST_MESSAGE
    for value in values:  # a long bad value is quoted cut short, never whole
        if isinstance(value, str) and len(value) > 80:
            assert value not in lines[0]
