"""Every "now" in product code comes from the one clock (``mashdesk/clock.py``) through ``ctx.now()``.

A wall-clock call anywhere else makes the desk disagree with itself (a form defaulting to the
machine's time while the services check against the context's clock) and makes the tests depend
on the real date. This test reads the product's source and names every such call.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("ui", "mashdesk", "db", "rules")
THE_CLOCK = ROOT / "mashdesk" / "clock.py"

#: (object, attribute) pairs that read the wall clock.
WALL_CLOCK = {
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
    ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime"),
    ("QDateTime", "currentDateTime"), ("QDateTime", "currentDateTimeUtc"),
    ("QDateTime", "currentMSecsSinceEpoch"), ("QDateTime", "currentSecsSinceEpoch"),
    ("QDate", "currentDate"), ("QTime", "currentTime"),
}


def wall_clock_calls(source: str) -> list[tuple[int, str]]:
    """(line, call) for each wall-clock call in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (name, node.func.attr) in WALL_CLOCK:
            found.append((node.lineno, f"{name}.{node.func.attr}()"))
    return found


def product_files() -> list[Path]:
    files = [ROOT / "main.py"]
    for package in PRODUCT:
        files += sorted((ROOT / package).rglob("*.py"))
    return [f for f in files if f != THE_CLOCK and "migrations" not in f.parts]


@pytest.mark.parametrize("snippet", [
    "from datetime import datetime\nx = datetime.now()",
    "import datetime\nx = datetime.datetime.now(tz)",
    "from datetime import date\nx = date.today()",
    "import time\nstamp = time.time()",
    "x = QDateTime.currentDateTime(LONDON)",
    "x = QDate.currentDate()",
])
def test_the_check_finds_a_wall_clock_call(snippet: str) -> None:
    assert wall_clock_calls(snippet)


def test_no_wall_clock_call_outside_the_one_clock() -> None:
    offenders = [f"{path.relative_to(ROOT)}:{line}: {call}"
                 for path in product_files()
                 for line, call in wall_clock_calls(path.read_text(encoding="utf-8"))]
    assert not offenders, "Use ctx.now() (mashdesk/clock.py), not the wall clock:\n" + "\n".join(offenders)


def test_the_one_clock_is_the_system_clock() -> None:
    from mashdesk.clock import system_clock

    assert system_clock().tzinfo is not None
